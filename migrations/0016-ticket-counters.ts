import { sql, type Kysely } from 'kysely';

// Per-tenant counters of live tickets (core/tickets/ticket-counters.ts): one row per status,
// assignee (0: none) and support group (0: none), moved in the same transaction as every ticket
// change and recounted by the job 'core.ticket-counters-recount'. The queue tabs, the dashboard
// and ticket management's counts read these few rows instead of counting tickets, whose cost grew
// with the size of each queue (issue 20: 2.2-5x slower at 1,000,000 tickets than at 100,000).
// Filled here from the tickets in one pass, so the first request after the update is right.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('ticket_live_counts')
    .addColumn('tenant_id', 'integer', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('assignee_id', 'integer', (c) => c.notNull())
    .addColumn('group_id', 'integer', (c) => c.notNull())
    .addColumn('tickets', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('ticket_live_counts_pk', ['tenant_id', 'status', 'assignee_id', 'group_id'])
    .execute();
  await db.schema.createTable('ticket_count_builds')
    .addColumn('tenant_id', 'integer', (c) => c.notNull().primaryKey().references('tenants.id').onDelete('cascade'))
    .addColumn('recounted_at', 'text', (c) => c.notNull())
    .execute();
  await sql`insert into ticket_live_counts (tenant_id, status, assignee_id, group_id, tickets)
    select tenant_id, status, coalesce(assignee_id, 0), coalesce(group_id, 0), count(*) from tickets
    where deleted_at is null group by tenant_id, status, coalesce(assignee_id, 0), coalesce(group_id, 0)`.execute(db);
  await sql`insert into ticket_count_builds (tenant_id, recounted_at) select id, ${new Date().toISOString()} from tenants`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('ticket_count_builds').execute();
  await db.schema.dropTable('ticket_live_counts').execute();
}
