import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { DomainError } from '../domain-error.js';
import { tenantScope } from '../tenancy/tenant-scope.js';
import type { TicketActor } from './ticket-service-types.js';

/** One line of a ticket's history: what changed, from which value to which. */
export interface TicketHistoryChange {
  /** Core actions are `created`, `status`, `changed`…; a plugin uses its own, e.g. `helpdesk.service_order`. */
  action: string;
  field?: string | null | undefined;
  old?: string | number | null | undefined;
  new?: string | number | null | undefined;
  note?: string | null | undefined;
}

const str = (value: string | number | null | undefined) => (value === null || value === undefined ? null : String(value));

/**
 * Writes history entries for something that happened around a ticket but outside the ticket
 * service (e.g. a plugin's service order), inside the caller's transaction, and bumps the
 * ticket's updated_at and version so open pages see a new version. The caller publishes the live 'ticket'
 * event after its commit. Returns the ticket's number; 404 when the tenant has no such ticket.
 */
export async function recordTicketHistory(trx: Kysely<DB>, tenantId: number, ticketId: number, actor: TicketActor, changes: readonly TicketHistoryChange[], now: string): Promise<{ number: string; status: string }> {
  const scoped = tenantScope(trx, tenantId);
  const ticket = await scoped.selectFrom('tickets').select(['id', 'number', 'status']).where('id', '=', ticketId).executeTakeFirst();
  if (!ticket) throw new DomainError('not_found', 'ticket not found');
  if (changes.length === 0) return ticket;
  // The ticket's version rises with these lines, as with every change through the ticket service (ticket-unit.ts).
  const { version } = await scoped.updateTable('tickets').set((eb) => ({ updated_at: now, version: eb('version', '+', 1) })).where('id', '=', ticketId)
    .returning('version').executeTakeFirstOrThrow();
  await scoped.insertInto('ticket_history', changes.map((change) => ({
    ticket_id: ticketId,
    actor_user_id: actor.kind === 'user' ? actor.id : null,
    actor_person_id: actor.kind === 'person' ? actor.id : null,
    actor_label: actor.label,
    action: change.action,
    field: change.field ?? null,
    old_value: str(change.old),
    new_value: str(change.new),
    note: change.note ?? null,
    created_at: now,
    version,
  }))).execute();
  return ticket;
}
