import type { Kysely } from 'kysely';
import { withId } from '../core/db/migration-helpers.js';

// Ticket links (issue 18 point 7): between two tickets of the same tenant, one row per link, read from either
// side: 'related' (symmetric), 'parent' (from is the parent of to) and 'duplicate' (from is a duplicate of to).
// A pair carries one link (unique either way round, checked by the service; the unique index holds one
// direction). The ticket page reads a ticket's links by (tenant, from) and (tenant, to).
export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('ticket_links'))
    .addColumn('tenant_id', 'integer', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('from_ticket_id', 'integer', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('to_ticket_id', 'integer', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ticket_links_pair').on('ticket_links').columns(['tenant_id', 'from_ticket_id', 'to_ticket_id']).unique().execute();
  await db.schema.createIndex('ticket_links_to').on('ticket_links').columns(['tenant_id', 'to_ticket_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('ticket_links').execute();
}
