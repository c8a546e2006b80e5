import { sql, type SqlBool } from 'kysely';
import type { Contract, Organisation, Ticket, TicketStatus } from '../db/schema.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';
import { findPersonRecord, recordTicketsPageQuery, type PersonRecord, type RecordColumn } from './record-queries.js';

// The customer context beside a ticket: who asked (person, organisation, contract) and what else they have
// open or had closed lately. Small pages read through the record indexes (tickets_live_requester and
// tickets_tenant_org_updated: tenant, column, deleted_at, updated_at), never a scan of the tenant's tickets.

/** Open tickets shown per person and per organisation; closed ones shown. */
export const CONTEXT_OPEN_LIMIT = 5;
export const CONTEXT_CLOSED_LIMIT = 3;

export interface ContextTicket { number: string; subject: string; status: TicketStatus; updated_at: string }

export interface CustomerContext {
  person: PersonRecord | undefined;
  organisation: Organisation | undefined;
  contract: Contract | undefined;
  /** The person's other active tickets (latest change first) and whether there are more. */
  personOpen: { rows: ContextTicket[]; more: boolean };
  /** The organisation's other active tickets. */
  organisationOpen: { rows: ContextTicket[]; more: boolean };
  /** The last solved or closed tickets of the organisation (of the person when there is none). */
  recentClosed: ContextTicket[];
}

const DONE = sql<SqlBool>`tickets.status in ('solved', 'closed')`;
const EMPTY = { rows: [], more: false };

/** A record's other active tickets: one more than shown is read, so "more" needs no count. */
async function openOf(scope: TenantScope, column: RecordColumn, id: number, except: number): Promise<CustomerContext['personOpen']> {
  const rows = await recordTicketsPageQuery(scope, column, id, { status: 'active', page: 1, pageSize: CONTEXT_OPEN_LIMIT + 2 }).execute();
  const others = rows.filter((row) => row.id !== except);
  return { rows: others.slice(0, CONTEXT_OPEN_LIMIT).map(({ number, subject, status, updated_at }) => ({ number, subject, status, updated_at })), more: others.length > CONTEXT_OPEN_LIMIT };
}

async function closedOf(scope: TenantScope, column: RecordColumn, id: number, except: number): Promise<ContextTicket[]> {
  return scope.selectFrom('tickets').select(['number', 'subject', 'status', 'updated_at'])
    .where(`tickets.${column}`, '=', id).where('tickets.deleted_at', 'is', null).where(DONE).where('tickets.id', '!=', except)
    .orderBy('tickets.updated_at', 'desc').orderBy('tickets.id', 'desc').limit(CONTEXT_CLOSED_LIMIT).execute();
}

/** The context of one ticket of the tenant (every read through the tenant's scope). */
export async function customerContext(scope: TenantScope, ticket: Pick<Ticket, 'id' | 'requester_id' | 'organisation_id' | 'contract_id'>): Promise<CustomerContext> {
  const [person, organisation, contract, personOpen, organisationOpen, recentClosed] = await Promise.all([
    ticket.requester_id ? findPersonRecord(scope, ticket.requester_id) : undefined,
    ticket.organisation_id ? scope.selectFrom('organisations').selectAll().where('id', '=', ticket.organisation_id).executeTakeFirst() : undefined,
    ticket.contract_id ? scope.selectFrom('contracts').selectAll().where('id', '=', ticket.contract_id).executeTakeFirst() : undefined,
    ticket.requester_id ? openOf(scope, 'requester_id', ticket.requester_id, ticket.id) : EMPTY,
    ticket.organisation_id ? openOf(scope, 'organisation_id', ticket.organisation_id, ticket.id) : EMPTY,
    ticket.organisation_id ? closedOf(scope, 'organisation_id', ticket.organisation_id, ticket.id)
      : ticket.requester_id ? closedOf(scope, 'requester_id', ticket.requester_id, ticket.id) : [],
  ]);
  // The organisation's list leaves out what the person's already shows.
  const shown = new Set(personOpen.rows.map((row) => row.number));
  const organisationOthers = { rows: organisationOpen.rows.filter((row) => !shown.has(row.number)), more: organisationOpen.more };
  return { person, organisation, contract, personOpen, organisationOpen: organisationOthers, recentClosed };
}
