import { sql, type Kysely } from 'kysely';

// Indexes for ticket management at 100,000 tickets (measured with test/load/query-profile.ts).
// Live lists always ask for `deleted_at is null`, so the indexes are partial on that: the
// planner cannot misjudge the skewed deleted_at column (ANALYZE sees ~200 distinct values
// and estimated 500 rows per value, which led to skip-scans and sorts of 100,000 rows), and
// counts are answered from the index alone.
const live = sql<boolean>`deleted_at is null`;

export async function up(db: Kysely<any>): Promise<void> {
  // Column sorts of ticket management (number, created_at, updated_at have theirs). Status and
  // priority sort newest change first within a value, so one index serves the sort, the filter
  // with the default order, and the filter's count.
  await db.schema.createIndex('tickets_live_subject').on('tickets').columns(['tenant_id', 'subject', 'id']).where(live).execute();
  await db.schema.createIndex('tickets_live_priority').on('tickets').columns(['tenant_id', 'priority', 'updated_at', 'id']).where(live).execute();
  // Queue and dashboard counts, also "mine or my groups'" from the index alone (replacing 0002's
  // indexes, which carried deleted_at as a column).
  await db.schema.createIndex('tickets_live_status').on('tickets').columns(['tenant_id', 'status', 'assignee_id', 'group_id']).where(live).execute();
  // Active tickets (new, open, waiting) newest first: the "active" filter and its count. The query
  // must spell the list as literals in this order (ticket-queries.ts), or the planner cannot use it.
  await db.schema.createIndex('tickets_active_updated').on('tickets').columns(['tenant_id', 'updated_at']).where(sql<boolean>`deleted_at is null and status in ('new', 'open', 'waiting')`).execute();
  await db.schema.createIndex('tickets_live_assignee').on('tickets').columns(['tenant_id', 'assignee_id', 'status']).where(live).execute();
  await db.schema.dropIndex('tickets_tenant_status_deleted').execute();
  await db.schema.dropIndex('tickets_tenant_assignee_deleted').execute();
  // Filters by group and by customer: newest first, counted from the index.
  await db.schema.createIndex('tickets_live_group').on('tickets').columns(['tenant_id', 'group_id', 'updated_at']).where(live).execute();
  // A customer's tickets are also read with the deleted ones (customer screens), so this one is whole;
  // deleted_at before updated_at still gives the order for `deleted_at is null`.
  await db.schema.createIndex('tickets_tenant_org_updated').on('tickets').columns(['tenant_id', 'organisation_id', 'deleted_at', 'updated_at']).execute();
  await db.schema.dropIndex('tickets_tenant_org').execute();
  // The few deleted tickets, for the "deleted" filter.
  await db.schema.createIndex('tickets_deleted').on('tickets').columns(['tenant_id', 'deleted_at']).where(sql<boolean>`deleted_at is not null`).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('tickets_tenant_org').on('tickets').columns(['tenant_id', 'organisation_id']).execute();
  await db.schema.createIndex('tickets_tenant_status_deleted').on('tickets').columns(['tenant_id', 'status', 'deleted_at']).execute();
  await db.schema.createIndex('tickets_tenant_assignee_deleted').on('tickets').columns(['tenant_id', 'assignee_id', 'status', 'deleted_at']).execute();
  for (const name of ['tickets_active_updated', 'tickets_deleted', 'tickets_tenant_org_updated', 'tickets_live_group', 'tickets_live_assignee', 'tickets_live_status', 'tickets_live_priority', 'tickets_live_subject']) {
    await db.schema.dropIndex(name).execute();
  }
}
