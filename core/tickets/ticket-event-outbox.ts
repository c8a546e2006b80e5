import type { Kysely } from 'kysely';
import type { DB, Ticket } from '../db/schema.js';
import { enqueueJob } from '../jobs/job-queue.js';
import type { JobHandler } from '../jobs/job-types.js';
import type { EventPayload, EventRef } from '../plugin-host/refs.js';
import type { Clock } from '../time.js';
import { TICKET_ACTION_EVENTS, TICKET_ARTICLE } from './ticket-events.js';
import type { UnitOfWork } from './ticket-unit.js';

// The plugins' after-commit events of a bulk change, handed to a job instead of raised on the request:
// 1,000 tickets' events would keep the agent waiting for every plugin's handler (the SLA clocks alone
// are ~10 statements a ticket). Each batch writes its job in its own transaction (an outbox: the events
// go out if and only if the batch committed); the job runner raises them a second or so later, in the
// order the changes were made, and the plugins' handlers see the same payloads as after a single change.

export const TICKET_EVENTS_JOB = 'core.ticket-events';

/** The events a job may raise, by name: the ticket actions' and the article's. */
const EVENTS = new Map<string, EventRef<EventPayload>>(
  // The payloads were written by queueTicketEvents for exactly these events.
  [...Object.values(TICKET_ACTION_EVENTS), TICKET_ARTICLE].map((event) => [event.name, event as unknown as EventRef<EventPayload>]),
);
type Emit = <P extends EventPayload>(event: EventRef<P>, payload: P) => Promise<void>;

interface QueuedEvents { events: Array<[name: string, payload: EventPayload]> }

/** Inside the batch's transaction: one job with the events of its changes, in order. */
export async function queueTicketEvents(trx: Kysely<DB>, clock: Clock, tenantId: number, changes: ReadonlyArray<{ ticket: Pick<Ticket, 'id' | 'number'>; unit: UnitOfWork }>): Promise<void> {
  const events: QueuedEvents['events'] = [];
  for (const { ticket, unit } of changes) {
    for (const [event, payload] of unit.events(ticket, tenantId)) events.push([event.name, payload]);
    for (const article of unit.articles) events.push([TICKET_ARTICLE.name, { tenantId, ...article }]);
  }
  if (events.length) await enqueueJob(trx, clock, { name: TICKET_EVENTS_JOB, tenantId, payload: { events } satisfies QueuedEvents });
}

/** The job: raises the queued events through the plugins' handlers (a failing handler is logged by emit, not retried). */
export function ticketEventsJob(emit: Emit): JobHandler {
  return async ({ payload, tenantId }) => {
    const { events } = payload as QueuedEvents;
    for (const [name, data] of events) {
      const event = EVENTS.get(name);
      // A payload names its tenant; the job's own is the one it was queued for (never another's).
      if (event && data.tenantId === tenantId) await emit(event, data);
    }
  };
}
