import type { Kysely, Migration } from 'kysely';
import { withId } from '../../core/plugin-api.js';

/** The first-line time box (three nullable columns on the levels, off by default; one row per accepted ticket) and the recompute job's progress. */
export const firstLineMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    for (const column of ['first_line_minutes', 'first_line_group_id', 'first_line_forward_group_id']) {
      await db.schema.alterTable('sla_levels').addColumn(column, 'integer').execute();
    }
    await withId(db, db.schema.createTable('sla_first_line'))
      .addColumn('tenant_id', 'integer', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
      .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
      .addColumn('level_id', 'integer', (c) => c.notNull().references('sla_levels.id').onDelete('cascade'))
      .addColumn('group_id', 'integer', (c) => c.notNull())
      .addColumn('forward_group_id', 'integer')
      .addColumn('accepted_at', 'text', (c) => c.notNull())
      .addColumn('due_at', 'text', (c) => c.notNull())
      .addColumn('ended_at', 'text')
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('forwarded_at', 'text')
      .addColumn('computed_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('sla_first_line_ticket').on('sla_first_line').columns(['tenant_id', 'ticket_id']).unique().execute();
    await db.schema.createIndex('sla_first_line_due').on('sla_first_line').columns(['tenant_id', 'due_at']).execute();
    // The recompute job's progress: one run per tenant (its total; what is done is the total less the queue).
    await withId(db, db.schema.createTable('sla_recompute_runs'))
      .addColumn('tenant_id', 'integer', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
      .addColumn('total', 'integer', (c) => c.notNull())
      .addColumn('started_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('sla_recompute_runs_tenant').on('sla_recompute_runs').column('tenant_id').unique().execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('sla_recompute_runs').execute();
    await db.schema.dropTable('sla_first_line').execute();
    for (const column of ['first_line_minutes', 'first_line_group_id', 'first_line_forward_group_id']) await db.schema.alterTable('sla_levels').dropColumn(column).execute();
  },
};
