import type { Kysely } from 'kysely';

// Custom fields for records other than tickets (issue 12 point 2): one table of definitions for every record
// kind, the core's 'ticket' and the kinds plugins declare (e.g. the hardware plugin's 'device'). Existing rows are
// ticket fields. A key is unique per tenant and kind; the values stay on the records themselves (JSON columns).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('ticket_fields').addColumn('record_kind', 'text', (c) => c.notNull().defaultTo('ticket')).execute();
  await db.schema.dropIndex('ticket_fields_tenant_key').execute();
  await db.schema.createIndex('ticket_fields_tenant_kind_key').on('ticket_fields').columns(['tenant_id', 'record_kind', 'key']).unique().execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom('ticket_fields').where('record_kind', '<>', 'ticket').execute();
  await db.schema.dropIndex('ticket_fields_tenant_kind_key').execute();
  await db.schema.createIndex('ticket_fields_tenant_key').on('ticket_fields').columns(['tenant_id', 'key']).unique().execute();
  await db.schema.alterTable('ticket_fields').dropColumn('record_kind').execute();
}
