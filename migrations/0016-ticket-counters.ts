import { sql, type Kysely } from 'kysely';
import { isPostgres } from '../core/db/migration-helpers.js';

// Per-tenant counters of live tickets (core/tickets/ticket-counters.ts): one row per status,
// assignee (0: none) and support group (0: none), moved in the same transaction as every ticket
// change and recounted by the job 'core.ticket-counters-recount'. The queue tabs, the dashboard
// and ticket management's counts read these few rows instead of counting tickets, whose cost grew
// with the size of each queue (issue 20: 2.2-5x slower at 1,000,000 tickets than at 100,000).
// Filled here from the tickets in one pass, so the first request after the update is right.
//
// Also: migration 0008's whole indexes (tenant, requester or contract, deleted_at, updated_at) misled
// SQLite's planner. ANALYZE sees one contract value (null) and ~500 tickets per deleted_at value, so
// for `deleted_at is null` without a contract it skip-scanned tickets_tenant_contract_updated and
// sorted every live ticket: the plain list newest first took 71-79 ms at 100,000 tickets (EXPLAIN QUERY
// PLAN: ANY(tenant_id) AND ANY(contract_id) AND deleted_at=?, TEMP B-TREE FOR ORDER BY), by creation
// or number 150-320 ms, an agent's tickets 170-200 ms. The same indexes made partial on live tickets,
// as migration 0004 made the others, leave those queries their own indexes (0.02 ms, 12 ms for an
// agent's): within them deleted_at is one value and ANALYZE says so. It stays a column, so a record
// page's `deleted_at is null` is an equality of the index (pages ordered by updated_at and id, counts
// from the index alone).
const live = sql<boolean>`deleted_at is null`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('tickets_live_requester').on('tickets').columns(['tenant_id', 'requester_id', 'deleted_at', 'updated_at']).where(live).execute();
  await db.schema.dropIndex('tickets_tenant_requester_updated').execute();
  await db.schema.createIndex('tickets_live_contract').on('tickets').columns(['tenant_id', 'contract_id', 'deleted_at', 'updated_at']).where(live).execute();
  await db.schema.dropIndex('tickets_tenant_contract_updated').execute();
  // A database that has planner statistics gets them for the new indexes at once: without, SQLite
  // guessed them highly selective and walked tickets_live_contract for every list (sorting the lot).
  if (!isPostgres(db) && (await sql`select 1 from sqlite_master where name = 'sqlite_stat1'`.execute(db)).rows.length) await sql`analyze tickets`.execute(db);

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
  await db.schema.createIndex('tickets_tenant_contract_updated').on('tickets').columns(['tenant_id', 'contract_id', 'deleted_at', 'updated_at']).execute();
  await db.schema.dropIndex('tickets_live_contract').execute();
  await db.schema.createIndex('tickets_tenant_requester_updated').on('tickets').columns(['tenant_id', 'requester_id', 'deleted_at', 'updated_at']).execute();
  await db.schema.dropIndex('tickets_live_requester').execute();
  await db.schema.dropTable('ticket_count_builds').execute();
  await db.schema.dropTable('ticket_live_counts').execute();
}
