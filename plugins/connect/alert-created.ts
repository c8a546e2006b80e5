import { scopeFor, type FilterContext, type TicketChangePayload } from '../../core/plugin-api.js';
import type { ConnectDB } from './connect-db.js';

/** The create-form fields the webhook hands the ticket service; a form cannot know an event's nonce. */
export const FIELD = { event: 'p.connect.event', nonce: 'p.connect.nonce' } as const;

/**
 * The TICKET_CREATED filter: a ticket the webhook opens gets its alert row inside the create transaction.
 * The row's open key is unique per tenant, so of 20 parallel identical alerts one ticket commits and the
 * others roll back whole (no ticket, no alert) and append to it instead.
 */
export async function alertCreated(payload: TicketChangePayload, ctx: FilterContext): Promise<void> {
  const eventId = Number(payload.pluginFields[FIELD.event]);
  const nonce = payload.pluginFields[FIELD.nonce];
  if (!Number.isSafeInteger(eventId) || eventId <= 0 || !nonce) return;
  const scope = scopeFor<ConnectDB>(ctx.scope);
  const event = await scope.selectFrom('connect_events').select(['host', 'service', 'state', 'dedup_key', 'received_at'])
    .where('id', '=', eventId).where('nonce', '=', nonce).where('outcome', '=', 'received').executeTakeFirst();
  if (!event) return;
  await scope.insertInto('connect_alerts', {
    dedup_key: event.dedup_key, open_key: event.dedup_key, host: event.host, service: event.service, state: event.state,
    ticket_id: payload.ticketId, events_count: 1, opened_at: event.received_at, last_at: event.received_at, closed_at: null,
  }).execute();
  // The event is settled in the same commit: the alert's ticket, its row and the outcome stand or fall together.
  await scope.updateTable('connect_events').set({ outcome: 'opened', ticket_id: payload.ticketId }).where('id', '=', eventId).execute();
}
