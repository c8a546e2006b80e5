import type { Kysely } from 'kysely';

// Queue counts filter on status and skip soft-deleted tickets: with deleted_at in the
// index they are answered from the index alone, without reading 100,000 table rows.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('tickets_tenant_status_deleted').on('tickets').columns(['tenant_id', 'status', 'deleted_at']).execute();
  await db.schema.createIndex('tickets_tenant_assignee_deleted').on('tickets').columns(['tenant_id', 'assignee_id', 'status', 'deleted_at']).execute();
  await db.schema.dropIndex('tickets_tenant_assignee').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('tickets_tenant_assignee').on('tickets').columns(['tenant_id', 'assignee_id', 'status']).execute();
  await db.schema.dropIndex('tickets_tenant_assignee_deleted').execute();
  await db.schema.dropIndex('tickets_tenant_status_deleted').execute();
}
