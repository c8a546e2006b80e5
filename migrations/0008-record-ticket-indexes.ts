import type { Kysely } from 'kysely';

// The agent's record pages (core/people/record-queries.ts) list a contact person's and a contract's
// live tickets newest change first, paged and counted, like a customer's (tickets_tenant_org_updated,
// migration 0004): deleted_at before updated_at gives the order for `deleted_at is null`.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('tickets_tenant_requester_updated').on('tickets').columns(['tenant_id', 'requester_id', 'deleted_at', 'updated_at']).execute();
  // Its leading columns answer everything the narrower index did (the portal's "my requests").
  await db.schema.dropIndex('tickets_tenant_requester').execute();
  await db.schema.createIndex('tickets_tenant_contract_updated').on('tickets').columns(['tenant_id', 'contract_id', 'deleted_at', 'updated_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('tickets_tenant_contract_updated').execute();
  await db.schema.createIndex('tickets_tenant_requester').on('tickets').columns(['tenant_id', 'requester_id']).execute();
  await db.schema.dropIndex('tickets_tenant_requester_updated').execute();
}
