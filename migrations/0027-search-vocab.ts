import { sql, type Kysely } from 'kysely';
import { isPostgres } from '../core/db/migration-helpers.js';

// The words the SQLite search index holds, with how many documents hold each (FTS5's fts5vocab): a broad search
// expands its prefixes into whole words here and estimates how many tickets match before it picks its plan
// (core/tickets/ticket-search-walk.ts). PostgreSQL needs none.
export async function up(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) return;
  await sql`create virtual table if not exists ticket_search_vocab using fts5vocab(ticket_search, 'row')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) return;
  await sql`drop table if exists ticket_search_vocab`.execute(db);
}
