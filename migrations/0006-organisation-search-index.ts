import { sql, type Kysely } from 'kysely';
import { isPostgres } from '../core/db/migration-helpers.js';

// Organisation pickers search as-you-type by name prefix (core/people/organisation-search.ts), case-insensitive.
// PostgreSQL answers `lower(name) like 'abc%'` from a text_pattern_ops index whatever the database's collation;
// SQLite uses an expression index for the range `lower(name) >= 'abc' and lower(name) < 'abc\u{10FFFF}'`.
export async function up(db: Kysely<any>): Promise<void> {
  const column = isPostgres(db) ? sql`lower(name) text_pattern_ops` : sql`lower(name)`;
  await sql`create index organisations_tenant_lower_name on organisations (tenant_id, ${column})`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('organisations_tenant_lower_name').execute();
}
