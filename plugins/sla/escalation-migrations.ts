import type { ColumnDefinitionBuilder, Kysely, Migration } from 'kysely';
import { withId } from '../../core/plugin-api.js';

const tenant = (c: ColumnDefinitionBuilder) => c.notNull().references('tenants.id').onDelete('cascade');

/** Escalation points per level, their firings (unique per ticket, clock, point and cycle), on-call rotas with overrides. */
export const escalationMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await withId(db, db.schema.createTable('sla_rotas'))
      .addColumn('tenant_id', 'integer', tenant)
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('time_zone', 'text', (c) => c.notNull())
      .addColumn('freq', 'text', (c) => c.notNull())
      .addColumn('interval', 'integer', (c) => c.notNull())
      .addColumn('by_day', 'text', (c) => c.notNull())
      .addColumn('handover', 'text', (c) => c.notNull())
      .addColumn('start_date', 'text', (c) => c.notNull())
      .addColumn('participants', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('sla_rotas_tenant_name').on('sla_rotas').columns(['tenant_id', 'name']).unique().execute();

    await withId(db, db.schema.createTable('sla_rota_overrides'))
      .addColumn('tenant_id', 'integer', tenant)
      .addColumn('rota_id', 'integer', (c) => c.notNull().references('sla_rotas.id').onDelete('cascade'))
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('from_at', 'text', (c) => c.notNull())
      .addColumn('until_at', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('sla_rota_overrides_rota').on('sla_rota_overrides').columns(['tenant_id', 'rota_id', 'until_at']).execute();

    await withId(db, db.schema.createTable('sla_escalation_points'))
      .addColumn('tenant_id', 'integer', tenant)
      .addColumn('level_id', 'integer', (c) => c.notNull().references('sla_levels.id').onDelete('cascade'))
      .addColumn('clock', 'text', (c) => c.notNull())
      .addColumn('offset_kind', 'text', (c) => c.notNull())
      .addColumn('offset_value', 'integer', (c) => c.notNull())
      .addColumn('notify', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('email', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('recipients', 'text', (c) => c.notNull())
      .addColumn('raise_priority', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('forward_group_id', 'integer', (c) => c.references('support_groups.id').onDelete('set null'))
      .addColumn('outside_hours', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('rota_id', 'integer', (c) => c.references('sla_rotas.id').onDelete('set null'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('sla_escalation_points_level').on('sla_escalation_points').columns(['tenant_id', 'level_id']).execute();

    await withId(db, db.schema.createTable('sla_escalation_firings'))
      .addColumn('tenant_id', 'integer', tenant)
      .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
      .addColumn('clock', 'text', (c) => c.notNull())
      .addColumn('point_id', 'integer', (c) => c.notNull().references('sla_escalation_points.id').onDelete('cascade'))
      .addColumn('cycle_start', 'text', (c) => c.notNull())
      .addColumn('due_at', 'text', (c) => c.notNull())
      .addColumn('fired_at', 'text', (c) => c.notNull())
      .addColumn('claimed_at', 'text', (c) => c.notNull())
      .addColumn('done_at', 'text')
      .addColumn('outcome', 'text')
      .addColumn('outside', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('raise_to', 'integer')
      .execute();
    // The exactly-once key: a second process's insert of the same firing does nothing.
    await db.schema.createIndex('sla_escalation_firings_once').on('sla_escalation_firings').columns(['tenant_id', 'ticket_id', 'clock', 'point_id', 'cycle_start']).unique().execute();
    await db.schema.createIndex('sla_escalation_firings_open').on('sla_escalation_firings').columns(['tenant_id', 'done_at']).execute();
    // The sweep runs per tenant: its due clocks in one index range.
    await db.schema.createIndex('sla_clocks_tenant_next_escalation').on('sla_clocks').columns(['tenant_id', 'next_escalation_at']).execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropIndex('sla_clocks_tenant_next_escalation').execute();
    for (const table of ['sla_escalation_firings', 'sla_escalation_points', 'sla_rota_overrides', 'sla_rotas']) await db.schema.dropTable(table).execute();
  },
};
