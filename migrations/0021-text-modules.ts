import { sql, type Kysely } from 'kysely';
import { isPostgres, withId } from '../core/db/migration-helpers.js';

// Text modules (issue 18 point 2): saved snippets an agent inserts into a reply by typing `::` and their keyword.
// A module is personal (user_id), for one support group's members (group_id), or for everyone (both null).
export async function up(db: Kysely<any>): Promise<void> {
  const now = isPostgres(db) ? sql`(to_char(now() at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))` : sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`;
  await withId(db, db.schema.createTable('text_modules'))
    .addColumn('tenant_id', 'integer', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('group_id', 'integer', (c) => c.references('support_groups.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('keyword', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull().defaultTo(now))
    .execute();
  // The `::` lookup reads a tenant's modules by keyword prefix.
  await db.schema.createIndex('text_modules_tenant_keyword').on('text_modules').columns(['tenant_id', 'keyword']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('text_modules').execute();
}
