import { ACTIVE_STATUSES, phoneKey, type TenantScope } from '../../core/plugin-api.js';
import { phoneKeys } from './phone-number.js';

export interface CallerMatch {
  /** known: a contact person has the number; maybe: only an organisation (its switchboard); none. */
  match: 'known' | 'maybe' | 'none';
  people: Array<{ id: number; name: string; organisation_id: number | null; organisation_name: string | null }>;
  organisation: { id: number; name: string } | null;
}

const SHOWN = 5;

/**
 * Who has `e164` as phone number in the tenant: contact people first (any organisation they belong to comes
 * along), else organisations. `country` is the tenant's phone country (ISO, core's tenantPhoneCountry).
 * Both reads use migration 0017's expression indexes (one `in` over the few stored forms).
 */
export async function lookUpCaller(scope: TenantScope, e164: string, country: string): Promise<CallerMatch> {
  const keys = e164 ? phoneKeys(e164, country) : [];
  if (!keys.length) return { match: 'none', people: [], organisation: null };
  const people = await scope.selectFrom('people as p').leftJoin('organisations as o', 'o.id', 'p.organisation_id')
    .select(['p.id', 'p.name', 'p.organisation_id', 'o.name as organisation_name'])
    .where(phoneKey('p'), 'in', keys).where('p.active', '=', 1).orderBy('p.id').limit(SHOWN).execute();
  if (people.length) {
    const first = people[0]!;
    return { match: 'known', people, organisation: first.organisation_id !== null && first.organisation_name !== null ? { id: first.organisation_id, name: first.organisation_name } : null };
  }
  const organisation = await scope.selectFrom('organisations as o').select(['o.id', 'o.name']).where(phoneKey('o'), 'in', keys).orderBy('o.id').limit(1).executeTakeFirst();
  return organisation ? { match: 'maybe', people: [], organisation } : { match: 'none', people: [], organisation: null };
}

export interface OpenTicket { number: string; subject: string; status: string }

/** The caller's open tickets (the person's, else the organisation's), newest first: what the pop-up lists. */
export async function openTicketsOf(scope: TenantScope, personId: number | null, organisationId: number | null, limit = 5): Promise<OpenTicket[]> {
  if (personId === null && organisationId === null) return [];
  let query = scope.selectFrom('tickets').select(['number', 'subject', 'status']).where('status', 'in', [...ACTIVE_STATUSES]).where('deleted_at', 'is', null);
  query = personId !== null ? query.where('requester_id', '=', personId) : query.where('organisation_id', '=', organisationId!);
  return query.orderBy('id', 'desc').limit(limit).execute();
}
