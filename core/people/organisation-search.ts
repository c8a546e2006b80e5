import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Dialect } from '../db/create-database.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';

/** How many hits a picker shows: enough to choose from, few enough to read. */
export const PICKER_LIMIT = 20;

export interface OrganisationHit {
  id: number;
  name: string;
  number: string | null;
  /** The stored domain list, comma-separated. */
  email_domains: string;
}

/** The search term as typed: trimmed, at most 100 characters, a leading '@' (a mail domain) dropped. */
export function pickerTerm(q: string | undefined): string {
  return (q ?? '').trim().slice(0, 100).replace(/^@/, '');
}

/**
 * The forms a typed term can take after the database's lower(): SQLite's (and PostgreSQL's under the
 * C locale) lower-cases ASCII letters only, so a stored 'Ärztekammer' stays 'Ärztekammer'. Besides
 * the plain lower case, the term is tried with non-ASCII letters capitalised at word starts (German
 * nouns: 'bäcker äpfel' finds 'Bäcker Äpfel') and everywhere ('ÄRZTE' is stored as 'Ärzte' after lower()).
 */
export function loweredVariants(term: string): string[] {
  const asciiLower = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
  const lower = term.toLowerCase();
  const initials = asciiLower(lower.replace(/(^|[^\p{L}\p{N}])(\p{Ll})/gu, (_m, before: string, letter: string) => before + letter.toUpperCase()));
  const upper = asciiLower(lower.replace(/\p{Ll}/gu, (letter) => (letter.toUpperCase().length === 1 ? letter.toUpperCase() : letter)));
  return [...new Set([lower, initials, upper])];
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (m) => `\\${m}`);

/**
 * Name starts with the term, case-insensitive, answered from organisations_tenant_lower_name (0006):
 * SQLite cannot use an index for LIKE on an expression, so it gets the equivalent range on lower(name).
 */
function namePrefix(dialect: Dialect, term: string): RawBuilder<SqlBool> {
  const ranges = loweredVariants(term).map((low) => (dialect === 'postgres'
    ? sql<SqlBool>`lower(organisations.name) like ${`${escapeLike(low)}%`} escape '\\'`
    : sql<SqlBool>`(lower(organisations.name) >= ${low} and lower(organisations.name) < ${`${low}\u{10FFFF}`})`));
  return sql<SqlBool>`(${sql.join(ranges, sql` or `)})`;
}

/** Column contains the term, case-insensitive, in any of its lowered forms (each taken as it is, not lowered again). */
function contains(column: string, term: string): RawBuilder<SqlBool> {
  const likes = loweredVariants(term).map((low) => sql<SqlBool>`lower(${sql.ref(column)}) like ${`%${escapeLike(low)}%`} escape '\\'`);
  return sql<SqlBool>`(${sql.join(likes, sql` or `)})`;
}

const COLUMNS = ['organisations.id', 'organisations.name', 'organisations.number', 'organisations.email_domains'] as const;

/** Names starting with the term, in name order: the part of a search the index answers alone. */
export function prefixQuery(scope: TenantScope, dialect: Dialect, term: string, limit: number) {
  return scope.selectFrom('organisations').select(COLUMNS).where(namePrefix(dialect, term))
    .orderBy(sql`lower(organisations.name)`).orderBy('organisations.id').limit(limit);
}

/**
 * Organisations of this tenant for a picker: names starting with the term first (from the index), then
 * names, customer numbers and mail domains containing it; by name. A tenant with thousands of
 * customers reads at most `limit` rows from the index for a short term and scans its own rows only
 * when the prefix alone does not fill the list.
 */
export async function searchOrganisations(scope: TenantScope, dialect: Dialect, q: string | undefined, limit = PICKER_LIMIT): Promise<OrganisationHit[]> {
  const term = pickerTerm(q);
  if (!term) return [];
  const prefix = await prefixQuery(scope, dialect, term, limit).execute();
  if (prefix.length >= limit) return prefix;
  const rest = await scope.selectFrom('organisations').select(COLUMNS)
    .where((eb) => eb.and([
      eb.not(namePrefix(dialect, term)),
      eb.or([contains('organisations.name', term), contains('organisations.number', term), contains('organisations.email_domains', term)]),
    ]))
    .orderBy(sql`lower(organisations.name)`).orderBy('organisations.id').limit(limit - prefix.length).execute();
  return [...prefix, ...rest];
}

/** One organisation of this tenant by id, or undefined (also for another tenant's id). */
export async function organisationName(scope: TenantScope, id: number | null | undefined): Promise<string | undefined> {
  if (!id || !Number.isInteger(id)) return undefined;
  return (await scope.selectFrom('organisations').select('name').where('id', '=', id).executeTakeFirst())?.name;
}

export type ResolvedName = { id: number } | { none: true } | { several: string[] };

/**
 * What a typed name means when no id came with it (the picker without JavaScript): the one organisation
 * whose name is exactly that (case-insensitive), else the one search hit; none, or the first few of several.
 */
export async function resolveOrganisationName(scope: TenantScope, dialect: Dialect, text: string): Promise<ResolvedName> {
  const term = pickerTerm(text);
  if (!term) return { none: true };
  const exact = await scope.selectFrom('organisations').select('id').where(sql<SqlBool>`lower(organisations.name) in (${sql.join(loweredVariants(term))})`).limit(2).execute();
  if (exact.length === 1) return { id: exact[0]!.id };
  const hits = await searchOrganisations(scope, dialect, term, 6);
  if (hits.length === 1) return { id: hits[0]!.id };
  if (hits.length === 0) return { none: true };
  return { several: hits.slice(0, 5).map((h) => h.name) };
}
