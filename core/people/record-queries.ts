import { sql, type SqlBool } from 'kysely';
import type { Contract, Organisation, Person, TicketStatus } from '../db/schema.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';

/** A contact person as the record page and its plugin panels see them: never the password hash. */
export type PersonRecord = Omit<Person, 'password_hash'>;

/** Whose tickets a record page lists: the ticket column that names the record. */
export type RecordColumn = 'organisation_id' | 'requester_id' | 'contract_id';

/** The record pages' ticket filter: the active ones (new, open, waiting) or every live ticket. */
export const RECORD_TICKET_FILTERS = ['active', 'all'] as const;
export type RecordTicketFilter = (typeof RECORD_TICKET_FILTERS)[number];

export interface RecordTicketRow {
  id: number;
  number: string;
  subject: string;
  status: TicketStatus;
  priority: number;
  updated_at: string;
  requester_name: string | null;
  assignee_name: string | null;
}

export interface RecordTicketPage {
  rows: RecordTicketRow[];
  /** Live tickets matching the filter. */
  total: number;
  /** Both filters' counts, for the filter's labels. */
  counts: Record<RecordTicketFilter, number>;
  page: number;
  pageSize: number;
}

// Literal, as the ticket lists spell the active statuses (and the partial index tickets_active_updated).
const ACTIVE = sql<SqlBool>`tickets.status in ('new', 'open', 'waiting')`;

function liveTickets(scope: TenantScope, column: RecordColumn, id: number) {
  return scope.selectFrom('tickets').where(`tickets.${column}`, '=', id).where('tickets.deleted_at', 'is', null);
}

/**
 * The page of a record's tickets, latest change first. The index of the record's column
 * (tickets_tenant_org_updated: tenant, column, deleted_at, updated_at; tickets_live_requester,
 * tickets_live_contract: the same of live tickets only, migration 0016) answers the
 * range and the order.
 */
export function recordTicketsPageQuery(scope: TenantScope, column: RecordColumn, id: number, filter: { status: RecordTicketFilter; page: number; pageSize: number }) {
  const live = liveTickets(scope, column, id);
  return (filter.status === 'active' ? live.where(ACTIVE) : live)
    .select(['tickets.id', 'tickets.number', 'tickets.subject', 'tickets.status', 'tickets.priority', 'tickets.updated_at', 'tickets.requester_id', 'tickets.assignee_id'])
    .orderBy('tickets.updated_at', 'desc').orderBy('tickets.id', 'desc')
    .limit(filter.pageSize).offset((filter.page - 1) * filter.pageSize);
}

/** One page of a record's live tickets with the requester's and assignee's names, and both filters' counts. */
export async function recordTickets(scope: TenantScope, column: RecordColumn, id: number, filter: { status: RecordTicketFilter; page: number; pageSize: number }): Promise<RecordTicketPage> {
  // The names join the page's rows only (ids of the tenant's own tickets).
  const [rows, counted] = await Promise.all([
    scope.db.selectFrom(recordTicketsPageQuery(scope, column, id, filter).as('page'))
      .leftJoin('people as requester', 'requester.id', 'page.requester_id')
      .leftJoin('users as assignee', 'assignee.id', 'page.assignee_id')
      .select(['page.id', 'page.number', 'page.subject', 'page.status', 'page.priority', 'page.updated_at', 'requester.name as requester_name', 'assignee.name as assignee_name'])
      .orderBy('page.updated_at', 'desc').orderBy('page.id', 'desc')
      .execute(),
    liveTickets(scope, column, id)
      .select((eb) => [eb.fn.countAll<number>().as('all'), eb.fn.countAll<number>().filterWhere(ACTIVE).as('active')])
      .executeTakeFirstOrThrow(),
  ]);
  const counts = { all: Number(counted.all), active: Number(counted.active) };
  return { rows, total: counts[filter.status], counts, page: filter.page, pageSize: filter.pageSize };
}

/** A contact person of the tenant, without the password hash. */
export async function findPersonRecord(scope: TenantScope, id: number): Promise<PersonRecord | undefined> {
  if (!Number.isInteger(id)) return undefined;
  return scope.selectFrom('people')
    .select(['id', 'tenant_id', 'organisation_id', 'name', 'email', 'phone', 'portal_role', 'is_org_manager', 'locale', 'active', 'created_at'])
    .where('id', '=', id).executeTakeFirst();
}

/** A contract of the tenant by its id alone, with its organisation (another tenant's is not found). */
export async function findContractRecord(scope: TenantScope, id: number): Promise<{ contract: Contract; organisation: Organisation } | undefined> {
  if (!Number.isInteger(id)) return undefined;
  const contract = await scope.selectFrom('contracts').selectAll().where('id', '=', id).executeTakeFirst();
  if (!contract) return undefined;
  const organisation = await scope.selectFrom('organisations').selectAll().where('id', '=', contract.organisation_id).executeTakeFirst();
  return organisation ? { contract, organisation } : undefined;
}
