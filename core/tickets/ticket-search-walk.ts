import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { DB } from '../db/schema.js';

/**
 * A broad search on SQLite (more matches than the lookup's limit) pages along the index of its
 * sort. Two ways to test a ticket there:
 * - the set: every match of the prefixes in a list first. FTS5 expands a prefix over the whole
 *   index before any limit, so this costs every match (a word in 10 % of 1,000,000 tickets:
 *   ~20 ms, and ten times that of 100,000);
 * - the walk: each ticket's own document probed by its rowid for the whole words the prefixes
 *   stand for (FTS5 seeks a whole word's doclist by rowid; a prefix it would expand per probe).
 *   This costs the tickets walked until the page is full: the page's end divided by the share of
 *   tickets that match, whatever the index's size.
 * The words and their document counts come from the index's vocabulary (ticket_search_vocab,
 * migration 0027); the cheaper way by those counts wins.
 */

/** Measured on this machine at 1,000,000 tickets: one probe by rowid ~10 µs; one match into the set ~0.2 µs. */
const PROBE_COST = 10;
const SET_COST_PER_MATCH = 0.2;
/** A prefix standing for more words than this is left to the set (a probe per word and ticket). */
const MAX_FORMS = 40;

/** The characters FTS5's unicode61 tokenizer (remove_diacritics 2) keeps, folded as it folds them. */
function folded(term: string): string {
  return term.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** The first string after every string starting with `prefix`. */
function prefixEnd(prefix: string): string {
  const last = prefix.codePointAt(prefix.length - 1)!;
  return prefix.slice(0, prefix.length - String.fromCodePoint(last).length) + String.fromCodePoint(last + 1);
}

export interface TermForms {
  /** The term's part of the probe's MATCH: its whole words, or (terms of two and three letters, which the index keeps as prefixes) the prefix itself. */
  match: string;
  /** Documents holding any of the words (each word's count added: an upper bound). */
  documents: number;
}

/** The whole words of the index a search term is a prefix of, with their document counts; undefined when there are too many. */
export async function termForms(db: Kysely<DB>, term: string): Promise<TermForms | undefined> {
  const prefix = folded(term);
  if (prefix === '' || /["*]/.test(prefix)) return undefined;
  const rows = (await sql<{ term: string; doc: number }>`select term, doc from ticket_search_vocab where term >= ${prefix} and term < ${prefixEnd(prefix)} limit ${MAX_FORMS + 1}`.execute(db)).rows;
  if (rows.length === 0 || rows.length > MAX_FORMS) return undefined;
  const documents = rows.reduce((sum, row) => sum + Number(row.doc), 0);
  const length = [...prefix].length;
  // prefix = '2 3' (migration 0003): the prefix itself is one doclist to seek.
  if (length === 2 || length === 3) return { match: `"${prefix}"*`, documents };
  return { match: rows.length === 1 ? `"${rows[0]!.term}"` : `(${rows.map((row) => `"${row.term}"`).join(' OR ')})`, documents };
}

export interface BroadPlanChoice {
  plan: 'walk' | 'set';
  /** The walk's condition on `tickets.id` (only with plan 'walk'). */
  condition?: Expression<SqlBool>;
  /** The estimates the choice was made by (relative units; for the query profile). */
  walkCost: number;
  setCost: number;
}

/**
 * Picks the way to test tickets for a broad search whose page ends at `pageEnd` (offset + page
 * size). `force` is for tests and the query profile.
 */
export async function broadSearchPlan(db: Kysely<DB>, terms: string[], pageEnd: number, force?: 'walk' | 'set'): Promise<BroadPlanChoice> {
  const forms: TermForms[] = [];
  for (const term of terms) {
    const found = await termForms(db, term);
    if (!found) return { plan: 'set', walkCost: Infinity, setCost: 0 };
    forms.push(found);
  }
  // The index's size as its highest rowid (one seek; a count would read every document).
  const size = Math.max(1, Number((await sql<{ n: number | null }>`select max(id) as n from tickets`.execute(db)).rows[0]?.n ?? 1));
  // The share of tickets holding every term, as if the terms were independent (fewer than that is
  // rare; more makes the walk only cheaper than estimated).
  const share = forms.reduce((product, f) => product * Math.min(1, f.documents / size), 1);
  const walkCost = share > 0 ? (pageEnd / share) * PROBE_COST : Infinity;
  const setCost = forms.reduce((sum, f) => sum + f.documents, 0) * SET_COST_PER_MATCH;
  const plan = force ?? (walkCost < setCost ? 'walk' : 'set');
  if (plan === 'set') return { plan, walkCost, setCost };
  const match = forms.map((f) => f.match).join(' AND ');
  // No tenant term: the walk reads the tenant's tickets only, and the probe's rowid is one of them.
  return { plan, walkCost, setCost, condition: sql<SqlBool>`exists (select 1 from ticket_search where ticket_search match ${match} and ticket_search.rowid = tickets.id)` };
}
