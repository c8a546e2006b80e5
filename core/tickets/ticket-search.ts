import { sql, type Expression, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
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

function ftsWholeWords(tenantId: number, terms: string[]): string {
  return `tenant:t${tenantId} AND ${terms.map((term) => `"${term}"`).join(' AND ')}`;
}

function tsWholeWords(terms: string[]): string {
  return terms.join(' & ');
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

/** Writes many search documents in one statement (bulk imports, load seeding); call inside the batch's transaction. */
export async function writeSearchDocuments(db: Kysely<DB>, dialect: Dialect, docs: ReadonlyArray<{ ticketId: number; tenantId: number; subject: string; body: string }>): Promise<void> {
  if (docs.length === 0) return;
  if (dialect === 'sqlite') {
    await sql`delete from ticket_search where rowid in (${sql.join(docs.map((d) => d.ticketId))})`.execute(db);
    await sql`insert into ticket_search (rowid, tenant, subject, body) values ${sql.join(docs.map((d) => sql`(${d.ticketId}, ${`t${d.tenantId}`}, ${d.subject}, ${d.body})`))}`.execute(db);
  } else {
    await sql`insert into ticket_search (ticket_id, tenant_id, subject, body) values ${sql.join(docs.map((d) => sql`(${d.ticketId}, ${d.tenantId}, ${d.subject}, ${d.body})`))}
      on conflict (ticket_id) do update set subject = excluded.subject, body = excluded.body`.execute(db);
  }
}

/**
 * A condition on `tickets.id`: the ticket's document matches every term of the query. For
 * searches with more matches than the lookup returned (see lookUpMatches): on SQLite the
 * tickets index of the sort or filter drives and probes the match set, instead of reading
 * every matching ticket by id and sorting them all (measured at 100,000 tickets: 3 ms instead
 * of 60 ms for 10,000 matches); the unary plus keeps SQLite from looking tickets up by the ids.
 */
export function matchesSearch(dialect: Dialect, tenantId: number, terms: string[]): Expression<SqlBool> {
  if (dialect === 'sqlite') return sql<SqlBool>`+tickets.id in (select rowid from ticket_search where ticket_search match ${ftsQuery(tenantId, terms)})`;
  return sql<SqlBool>`tickets.id in (select ticket_id from ticket_search where tenant_id = ${tenantId} and document @@ to_tsquery('simple', ${tsQuery(terms)}))`;
}

/** Up to `limit` ids of the tenant's tickets whose document matches (the full-text index alone, ~1 ms). */
export async function matchingTicketIds(db: Kysely<DB>, dialect: Dialect, tenantId: number, terms: string[], limit: number): Promise<number[]> {
  return await lookUp(db, dialect, tenantId, terms, limit, 'prefix');
}

/** The lookup's statement: up to `limit` ids of the tenant's matching tickets, by whole words or by prefixes (the search's own terms). */
export function lookupStatement(dialect: Dialect, tenantId: number, terms: string[], limit: number, words: 'whole' | 'prefix'): RawBuilder<{ id: number }> {
  if (dialect === 'sqlite') {
    return sql<{ id: number }>`select rowid as id from ticket_search where ticket_search match ${words === 'whole' ? ftsWholeWords(tenantId, terms) : ftsQuery(tenantId, terms)} limit ${limit}`;
  }
  // The matches of the GIN index alone, the tenant checked on them: offered the tenant index
  // and a limit, PostgreSQL walked the tenant's documents testing each (a rare word at
  // 1,000,000 tickets: 416,364 probes where the GIN bitmap takes 0.3 ms). The CTE is read
  // only as far as the limit.
  return sql<{ id: number }>`with matching as materialized (
      select ticket_id, tenant_id from ticket_search where document @@ to_tsquery('simple', ${words === 'whole' ? tsWholeWords(terms) : tsQuery(terms)}))
    select ticket_id as id from matching where tenant_id = ${tenantId} limit ${limit}`;
}

async function lookUp(db: Kysely<DB>, dialect: Dialect, tenantId: number, terms: string[], limit: number, words: 'whole' | 'prefix'): Promise<number[]> {
  return (await lookupStatement(dialect, tenantId, terms, limit, words).execute(db)).rows.map((row) => Number(row.id));
}

/** What the full-text index found for a search: up to the lookup's limit of ids; `complete` when they are every match. */
export interface SearchLookup { ids: number[]; complete: boolean }

/**
 * The tenant's tickets matching the terms, up to `limit`. Whole words first: they need no
 * prefix expansion, which FTS5 and GIN do in full before any limit (a common word's
 * expansion at 1,000,000 tickets reads ~100,000 documents' entries), and `limit` of them
 * already says the search is broad. Otherwise the prefixes, still limited.
 */
export async function lookUpMatches(db: Kysely<DB>, dialect: Dialect, tenantId: number, terms: string[], limit: number): Promise<SearchLookup> {
  const whole = await lookUpSampledFirst(db, dialect, tenantId, terms, limit, 'whole');
  if (whole.length >= limit) return { ids: whole, complete: false };
  const ids = await lookUpSampledFirst(db, dialect, tenantId, terms, limit, 'prefix');
  return { ids, complete: ids.length < limit };
}

/** PostgreSQL's statistics estimate more matches than this (all tenants'): the GIN index is sampled first. */
const SAMPLE_ABOVE_FACTOR = 5;

/**
 * On PostgreSQL the GIN index hands the bitmap scan every match before any limit: a word in 100,000
 * documents costs ten times one in 10,000 (20 against 2 ms), though the search needs only `limit` of
 * them to know it is broad. For words the statistics call common, the index is asked for a random
 * sample first (`gin_fuzzy_search_limit`, PostgreSQL's soft limit for exactly this); `limit` of the
 * tenant's tickets in it are real matches and say "more than the lookup's limit". Fewer, and the
 * exact lookup decides (a sample cannot say "that is all": a tenant with few of a word common
 * elsewhere gets the exact answer).
 */
async function lookUpSampledFirst(db: Kysely<DB>, dialect: Dialect, tenantId: number, terms: string[], limit: number, words: 'whole' | 'prefix'): Promise<number[]> {
  if (dialect === 'postgres' && await estimatedMatches(db, terms, words) > SAMPLE_ABOVE_FACTOR * limit) {
    const sampled = await db.transaction().execute(async (trx) => {
      await sql`select set_config('gin_fuzzy_search_limit', ${String(3 * limit)}, true)`.execute(trx);
      return await lookUp(trx, dialect, tenantId, terms, limit, words);
    });
    if (sampled.length >= limit) return sampled;
  }
  return await lookUp(db, dialect, tenantId, terms, limit, words);
}

/** The planner's estimate of the documents (all tenants') matching: from the statistics, no index read. */
async function estimatedMatches(db: Kysely<DB>, terms: string[], words: 'whole' | 'prefix'): Promise<number> {
  const plan = await sql<{ 'QUERY PLAN': Array<{ Plan: { 'Plan Rows': number } }> }>`explain (format json) select 1 from ticket_search where document @@ to_tsquery('simple', ${words === 'whole' ? tsWholeWords(terms) : tsQuery(terms)})`.execute(db);
  return Number(plan.rows[0]?.['QUERY PLAN'][0]?.Plan['Plan Rows'] ?? 0);
}

export interface SearchSnippet { subject: string; body: string }

/** A word as FTS5's unicode61 tokenizer with remove_diacritics folds it: lower case, no accents. */
function folded(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * The search as the whole words of one document: for each term the one word of the document it is
 * a prefix of (terms of two and three letters keep their prefix: the index holds those,
 * `prefix = '2 3'`). Undefined when a term has none or several: then only the prefix itself gives
 * FTS5's own snippet (it scores a window by the distinct phrases in it).
 */
function documentQuery(tenantId: number, terms: string[], text: string): string | undefined {
  const words = new Set(folded(text).match(/[\p{L}\p{N}\p{Co}]+/gu) ?? []);
  const parts: string[] = [];
  for (const term of terms) {
    const length = [...term].length;
    if (length === 2 || length === 3) {
      parts.push(`"${term}"*`);
      continue;
    }
    const prefix = folded(term);
    const forms = [...words].filter((word) => word.startsWith(prefix));
    if (forms.length !== 1) return undefined;
    parts.push(`"${forms[0]}"`);
  }
  return `tenant:t${tenantId} AND ${parts.join(' AND ')}`;
}

/** Highlighted subject and body excerpt for the tickets of one result page. */
export async function searchSnippets(db: Kysely<DB>, dialect: Dialect, tenantId: number, terms: string[], ticketIds: number[]): Promise<Map<number, SearchSnippet>> {
  const snippets = new Map<number, SearchSnippet>();
  if (ticketIds.length === 0 || terms.length === 0) return snippets;
  if (dialect === 'sqlite') {
    // The page's documents by rowid, then the words of theirs the terms are prefixes of, matched
    // as whole words: FTS5 expands a prefix over the whole index before it looks at any rowid,
    // a whole word it seeks by id.
    const docs = await sql<{ id: number; subject: string; body: string }>`select rowid as id, subject, body from ticket_search where rowid in (${sql.join(ticketIds)})`.execute(db);
    // Documents needing the same query are highlighted together (most often the whole page).
    const byQuery = new Map<string, number[]>();
    for (const doc of docs.rows) {
      const query = documentQuery(tenantId, terms, `${doc.subject}\n${doc.body}`) ?? ftsQuery(tenantId, terms);
      byQuery.set(query, [...(byQuery.get(query) ?? []), Number(doc.id)]);
    }
    const highlight = async (query: string, ids: number[], prefixes: boolean) => {
      // Whole words: FTS5 seeks each id in their doclists (at 1,000,000 tickets 0.6 ms for a page
      // of "drucker", against 31 ms for one pass over the matches within the page's id range).
      // Prefixes: that one pass (the plus keeps the ids away from FTS5, which would expand the
      // prefixes once per id).
      const where = prefixes
        ? sql`rowid between ${Math.min(...ids)} and ${Math.max(...ids)} and +rowid in (${sql.join(ids)})`
        // Cast: better-sqlite3 binds numbers as REAL, and FTS5 then ignores a `rowid = ?` beside
        // MATCH, returning every match (one id in the list becomes `rowid = ?`).
        : sql`rowid in (${sql.join(ids.map((id) => sql`cast(${id} as integer)`))})`;
      const rows = await sql<{ id: number; subject: string; body: string }>`
        select rowid as id, highlight(ticket_search, 1, ${HIT_START}, ${HIT_END}) as subject,
          snippet(ticket_search, 2, ${HIT_START}, ${HIT_END}, '…', 16) as body
        from ticket_search where ticket_search match ${query} and ${where}`.execute(db);
      for (const row of rows.rows) snippets.set(Number(row.id), { subject: row.subject, body: row.body });
    };
    const prefixQuery = ftsQuery(tenantId, terms);
    // Terms of two and three letters are prefixes the index keeps (prefix = '2 3'): one doclist each,
    // sought by id like a whole word ("dr" at 1,000,000 tickets: 62 ms for the pass, ~1 ms by id).
    const expands = !terms.every((term) => [...term].length === 2 || [...term].length === 3);
    for (const [query, ids] of byQuery) await highlight(query, ids, query === prefixQuery && expands);
    // A word this tokenizer split otherwise than FTS5's: those documents with the prefixes themselves.
    const missing = ticketIds.filter((id) => !snippets.has(id));
    if (missing.length) await highlight(prefixQuery, missing, expands);
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
