import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { Dialect } from '../db/create-database.js';
import type { DB } from '../db/schema.js';

/** Marks around a hit in snippets; control characters never occur in stored text we show. */
export const HIT_START = '\u0002';
export const HIT_END = '\u0003';

/** Up to eight words of the query, letters and digits only, lower-cased. */
export function searchTerms(query: string): string[] {
  return (query.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 8);
}

/** A ticket number typed as it is shown, with or without `#` and brackets. */
export function ticketNumberIn(query: string): string | undefined {
  return /^\s*\[?#?(\d{4}-\d{6})\]?\s*$/.exec(query)?.[1];
}

function ftsQuery(tenantId: number, terms: string[]): string {
  // Every word as a prefix; the tenant token restricts the match to the tenant's documents.
  return `tenant:t${tenantId} AND ${terms.map((term) => `"${term}"*`).join(' AND ')}`;
}

function tsQuery(terms: string[]): string {
  return terms.map((term) => `${term}:*`).join(' & ');
}

/** Rebuilds the search document of one ticket: subject, description and every article. Call in the writing transaction. */
export async function reindexTicket(db: Kysely<DB>, dialect: Dialect, ticketId: number): Promise<void> {
  const ticket = await db.selectFrom('tickets').select(['tenant_id', 'subject', 'description']).where('id', '=', ticketId).executeTakeFirst();
  if (!ticket) return;
  const articles = await db.selectFrom('ticket_articles').select('body_text').where('tenant_id', '=', ticket.tenant_id).where('ticket_id', '=', ticketId).orderBy('id').execute();
  const body = [ticket.description, ...articles.map((a) => a.body_text)].join('\n\n');
  await writeSearchDocument(db, dialect, { ticketId, tenantId: ticket.tenant_id, subject: ticket.subject, body });
}

export async function writeSearchDocument(db: Kysely<DB>, dialect: Dialect, doc: { ticketId: number; tenantId: number; subject: string; body: string }): Promise<void> {
  if (dialect === 'sqlite') {
    await sql`delete from ticket_search where rowid = ${doc.ticketId}`.execute(db);
    await sql`insert into ticket_search (rowid, tenant, subject, body) values (${doc.ticketId}, ${`t${doc.tenantId}`}, ${doc.subject}, ${doc.body})`.execute(db);
  } else {
    await sql`insert into ticket_search (ticket_id, tenant_id, subject, body) values (${doc.ticketId}, ${doc.tenantId}, ${doc.subject}, ${doc.body})
      on conflict (ticket_id) do update set subject = excluded.subject, body = excluded.body`.execute(db);
  }
}

/** A condition on `tickets.id`: the ticket's document matches every term of the query. */
export function matchesSearch(dialect: Dialect, tenantId: number, terms: string[]): Expression<SqlBool> {
  if (dialect === 'sqlite') {
    return sql<SqlBool>`tickets.id in (select rowid from ticket_search where ticket_search match ${ftsQuery(tenantId, terms)})`;
  }
  return sql<SqlBool>`tickets.id in (select ticket_id from ticket_search where tenant_id = ${tenantId} and document @@ to_tsquery('simple', ${tsQuery(terms)}))`;
}

export interface SearchSnippet { subject: string; body: string }

/** Highlighted subject and body excerpt for the tickets of one result page. */
export async function searchSnippets(db: Kysely<DB>, dialect: Dialect, tenantId: number, terms: string[], ticketIds: number[]): Promise<Map<number, SearchSnippet>> {
  const snippets = new Map<number, SearchSnippet>();
  if (ticketIds.length === 0 || terms.length === 0) return snippets;
  if (dialect === 'sqlite') {
    const rows = await sql<{ id: number; subject: string; body: string }>`
      select rowid as id, highlight(ticket_search, 1, ${HIT_START}, ${HIT_END}) as subject,
        snippet(ticket_search, 2, ${HIT_START}, ${HIT_END}, '…', 16) as body
      from ticket_search where ticket_search match ${ftsQuery(tenantId, terms)} and rowid in (${sql.join(ticketIds)})`.execute(db);
    for (const row of rows.rows) snippets.set(Number(row.id), { subject: row.subject, body: row.body });
    return snippets;
  }
  const options = `StartSel=${HIT_START}, StopSel=${HIT_END}, MaxWords=24, MinWords=10, MaxFragments=2, FragmentDelimiter=" … "`;
  const rows = await sql<{ id: number; subject: string; body: string }>`
    select ticket_id as id,
      ts_headline('simple', subject, to_tsquery('simple', ${tsQuery(terms)}), ${`StartSel=${HIT_START}, StopSel=${HIT_END}, HighlightAll=true`}) as subject,
      ts_headline('simple', body, to_tsquery('simple', ${tsQuery(terms)}), ${options}) as body
    from ticket_search where tenant_id = ${tenantId} and ticket_id in (${sql.join(ticketIds)})`.execute(db);
  for (const row of rows.rows) snippets.set(Number(row.id), { subject: row.subject, body: row.body });
  return snippets;
}
