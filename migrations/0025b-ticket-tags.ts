import type { Kysely } from 'kysely';
import { withId } from '../core/db/migration-helpers.js';

// Tags (issue 18 point 7): a tenant's tags (a name unique per tenant, case-insensitive through name_key) and
// which ticket carries which. The tag filter reads ticket_tags by (tenant, tag, ticket), the ticket page by its
// primary key (ticket, tag); no text column is searched with LIKE. Autocomplete reads tags by (tenant, name_key).
export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('tags'))
    .addColumn('tenant_id', 'integer', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('tags_tenant_key').on('tags').columns(['tenant_id', 'name_key']).unique().execute();
  await db.schema.createTable('ticket_tags')
    .addColumn('tenant_id', 'integer', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('tag_id', 'integer', (c) => c.notNull().references('tags.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('ticket_tags_pk', ['ticket_id', 'tag_id'])
    .execute();
  await db.schema.createIndex('ticket_tags_tag').on('ticket_tags').columns(['tenant_id', 'tag_id', 'ticket_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('ticket_tags').execute();
  await db.schema.dropTable('tags').execute();
}
