import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Dialect } from '../db/create-database.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';
import { containsText } from './text-search.js';

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
 * Name starts with the term, case-insensitive, answered from organisations_tenant_lower_name (0006):
 * SQLite cannot use an index for LIKE on an expression, so it gets the equivalent range on lower(name).
 */
function namePrefix(dialect: Dialect, term: string): RawBuilder<SqlBool> {
  const low = term.toLowerCase();
  if (dialect === 'postgres') return sql<SqlBool>`lower(organisations.name) like ${`${low.replace(/[\\%_]/g, (m) => `\\${m}`)}%`} escape '\\'`;
  return sql<SqlBool>`(lower(organisations.name) >= ${low} and lower(organisations.name) < ${`${low}\u{10FFFF}`})`;
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
      eb.or([containsText('organisations.name', term), containsText('organisations.number', term), containsText('organisations.email_domains', term)]),
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
  const exact = await scope.selectFrom('organisations').select('id').where(sql<SqlBool>`lower(organisations.name) = ${term.toLowerCase()}`).limit(2).execute();
  if (exact.length === 1) return { id: exact[0]!.id };
  const hits = await searchOrganisations(scope, dialect, term, 6);
  if (hits.length === 1) return { id: hits[0]!.id };
  if (hits.length === 0) return { none: true };
  return { several: hits.slice(0, 5).map((h) => h.name) };
}
