import { sql, type ColumnDefinitionBuilder, type Kysely, type Migration } from 'kysely';
import { withId } from '../../core/plugin-api.js';
import { escalationMigration } from './escalation-migrations.js';
import { firstLineMigration } from './first-line-migrations.js';

const tenant = (c: ColumnDefinitionBuilder) => c.notNull().references('tenants.id').onDelete('cascade');

/** Run in name order, recorded in kysely_migration_sla; never edit one that has shipped, add the next. */
export const slaMigrations: Record<string, Migration> = {
  '0001-sla-calendars-levels-clocks': {
    async up(db: Kysely<unknown>): Promise<void> {
      await withId(db, db.schema.createTable('sla_calendars'))
        .addColumn('tenant_id', 'integer', tenant)
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('time_zone', 'text', (c) => c.notNull())
        .addColumn('hours', 'text', (c) => c.notNull())
        .addColumn('is_default', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('sla_calendars_tenant_name').on('sla_calendars').columns(['tenant_id', 'name']).unique().execute();

      await withId(db, db.schema.createTable('sla_holidays'))
        .addColumn('tenant_id', 'integer', tenant)
        .addColumn('calendar_id', 'integer', (c) => c.notNull().references('sla_calendars.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('date', 'text', (c) => c.notNull())
        .addColumn('rrule', 'text')
        .execute();
      await db.schema.createIndex('sla_holidays_calendar').on('sla_holidays').columns(['tenant_id', 'calendar_id', 'date']).execute();

      await withId(db, db.schema.createTable('sla_levels'))
        .addColumn('tenant_id', 'integer', tenant)
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('calendar_id', 'integer', (c) => c.notNull().references('sla_calendars.id'))
        .addColumn('targets', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('sla_levels_tenant_name').on('sla_levels').columns(['tenant_id', 'name']).unique().execute();

      await withId(db, db.schema.createTable('sla_assignments'))
        .addColumn('tenant_id', 'integer', tenant)
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('target_id', 'integer', (c) => c.notNull())
        .addColumn('level_id', 'integer', (c) => c.notNull().references('sla_levels.id').onDelete('cascade'))
        .execute();
      await db.schema.createIndex('sla_assignments_target').on('sla_assignments').columns(['tenant_id', 'kind', 'target_id']).unique().execute();
      await db.schema.createIndex('sla_assignments_level').on('sla_assignments').columns(['tenant_id', 'level_id']).execute();

      await withId(db, db.schema.createTable('sla_tickets'))
        .addColumn('tenant_id', 'integer', tenant)
        .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
        .addColumn('level_id', 'integer', (c) => c.notNull().references('sla_levels.id').onDelete('cascade'))
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('source_label', 'text', (c) => c.notNull())
        .addColumn('computed_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('sla_tickets_ticket').on('sla_tickets').columns(['tenant_id', 'ticket_id']).unique().execute();
      await db.schema.createIndex('sla_tickets_level').on('sla_tickets').columns(['tenant_id', 'level_id']).execute();

      await withId(db, db.schema.createTable('sla_clocks'))
        .addColumn('tenant_id', 'integer', tenant)
        .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
        .addColumn('clock', 'text', (c) => c.notNull())
        .addColumn('level_id', 'integer', (c) => c.notNull().references('sla_levels.id').onDelete('cascade'))
        .addColumn('started_at', 'text', (c) => c.notNull())
        .addColumn('due_at', 'text')
        .addColumn('achieved_at', 'text')
        .addColumn('paused_minutes', 'double precision', (c) => c.notNull().defaultTo(0))
        .addColumn('over_minutes', 'double precision')
        .addColumn('remaining_minutes', 'double precision', (c) => c.notNull().defaultTo(0))
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('next_escalation_at', 'text')
        .addColumn('computed_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('sla_clocks_ticket_clock').on('sla_clocks').columns(['tenant_id', 'ticket_id', 'clock']).unique().execute();
      await db.schema.createIndex('sla_clocks_due').on('sla_clocks').columns(['tenant_id', 'due_at']).execute();
      await db.schema.createIndex('sla_clocks_next_escalation').on('sla_clocks').columns(['next_escalation_at']).execute();

      await withId(db, db.schema.createTable('sla_recompute'))
        .addColumn('tenant_id', 'integer', tenant)
        .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
        .execute();
      await db.schema.createIndex('sla_recompute_ticket').on('sla_recompute').columns(['tenant_id', 'ticket_id']).unique().execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const table of ['sla_recompute', 'sla_clocks', 'sla_tickets', 'sla_assignments', 'sla_levels', 'sla_holidays', 'sla_calendars']) await db.schema.dropTable(table).execute();
    },
  },
  '0002-sla-escalation-points-rotas': escalationMigration,
  '0003-sla-locks': {
    async up(db: Kysely<unknown>): Promise<void> {
      await withId(db, db.schema.createTable('sla_locks'))
        .addColumn('tenant_id', 'integer', tenant)
        .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('user_label', 'text', (c) => c.notNull())
        .addColumn('taken_at', 'text', (c) => c.notNull())
        .addColumn('renewed_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('sla_locks_ticket').on('sla_locks').columns(['tenant_id', 'ticket_id']).unique().execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('sla_locks').execute();
    },
  },
  '0004-sla-first-line': firstLineMigration,
  '0005-sla-clocks-open-due': {
    // The open clocks by due time with their ticket (the "overdue" filter's look at how many are late, and its short
    // id list when few are): met and breached clocks keep their due time, so without the condition the range below
    // "now" would grow with every year of history. The condition is spelt as the filter spells it (OPEN_CLOCKS);
    // `state` is a column too, as SQLite reads an index alone only when it holds every column the query names.
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.createIndex('sla_clocks_open_due').on('sla_clocks').columns(['tenant_id', 'due_at', 'ticket_id', 'state'])
        .where(sql<boolean>`state in ('running', 'paused')`).execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropIndex('sla_clocks_open_due').execute();
    },
  },
};
