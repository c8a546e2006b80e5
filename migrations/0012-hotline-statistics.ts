import type { Kysely } from 'kysely';

// The hotline statistics' pre-aggregates (core/statistics/hotline-aggregate.ts), kept in the same
// transaction as every ticket change and rebuilt by the job 'core.hotline-rebuild':
// - hotline_days: per tenant, calendar day (the tenant's time zone, 'YYYY-MM-DD'), support group
//   (0: none) and measure, a count. Measures 'status.new' … 'status.closed' count the tickets created that day
//   by their status now; 'flow.created', 'flow.solved', 'flow.reopened', 'flow.closed', 'flow.moved' count what
//   happened that day, in the group the ticket was in then. Deleted tickets count nowhere.
// - hotline_months: the same per calendar month, for long periods.
// - hotline_now: per tenant, group and status, the tickets right now.
// - hotline_builds: when and with which time zone a tenant's aggregate was last rebuilt.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('hotline_days')
    .addColumn('tenant_id', 'integer', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('group_id', 'integer', (c) => c.notNull())
    .addColumn('measure', 'text', (c) => c.notNull())
    .addColumn('tickets', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('hotline_days_pk', ['tenant_id', 'day', 'group_id', 'measure'])
    .execute();
  // The same per calendar month ('YYYY-MM'): a period of years reads its whole months here.
  await db.schema.createTable('hotline_months')
    .addColumn('tenant_id', 'integer', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('group_id', 'integer', (c) => c.notNull())
    .addColumn('measure', 'text', (c) => c.notNull())
    .addColumn('tickets', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('hotline_months_pk', ['tenant_id', 'month', 'group_id', 'measure'])
    .execute();
  await db.schema.createTable('hotline_now')
    .addColumn('tenant_id', 'integer', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('group_id', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('tickets', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('hotline_now_pk', ['tenant_id', 'group_id', 'status'])
    .execute();
  await db.schema.createTable('hotline_builds')
    .addColumn('tenant_id', 'integer', (c) => c.notNull().primaryKey().references('tenants.id').onDelete('cascade'))
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('rebuilt_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('hotline_builds').execute();
  await db.schema.dropTable('hotline_now').execute();
  await db.schema.dropTable('hotline_months').execute();
  await db.schema.dropTable('hotline_days').execute();
}
