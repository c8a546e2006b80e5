import {
  pluginScope, TICKET_ARTICLE_ADDED, TICKET_CHANGED, TICKET_CREATED, TICKET_DELETED, TICKET_RESTORED, type EventContext, type PluginApi, type PluginJob, type TicketChangePayload,
} from '../../core/plugin-api.js';
import { clockStore } from './clock-store.js';
import { SLA_COMPONENTS_CHANGED } from './events.js';
import { enqueueTickets } from './recompute-queue.js';
import type { SlaDB } from './sla-db.js';

/** Tickets a component change recomputes at once; more wait for the recompute job. */
const DIRECT_RECOMPUTE = 20;

/** Keeps a ticket's clocks current after each change that can move them (after commit, through the tenant scope). */
export function registerClockEvents(api: PluginApi): void {
  const recompute = async (payload: TicketChangePayload, { services }: EventContext) => {
    await clockStore(services, payload.tenantId).recompute(payload.ticketId);
  };
  // TICKET_CHANGED covers every field (status, priority, contract, organisation); TICKET_STATUS_CHANGED always comes with it.
  for (const event of [TICKET_CREATED, TICKET_CHANGED, TICKET_DELETED, TICKET_RESTORED]) api.on(event, recompute);
  // A reply that moved no field (the ticket was open already) starts a new update cycle; one that moved fields was handled by TICKET_CHANGED.
  api.on(TICKET_ARTICLE_ADDED, async (payload, context) => {
    if (Object.keys(payload.diff).length === 0 && payload.changes.some((change) => change.action === 'reply')) await recompute(payload, context);
  });
  // A component provider's answer moved (a device linked, a component's level edited): a few tickets now, many through the queue.
  api.on(SLA_COMPONENTS_CHANGED, async ({ tenantId, ticketIds }, { services }) => {
    const ids = [...new Set(ticketIds)];
    if (ids.length > DIRECT_RECOMPUTE) {
      await enqueueTickets(pluginScope<SlaDB>(services.db, tenantId), ids);
      return;
    }
    const store = clockStore(services, tenantId);
    for (const id of ids) await store.recompute(id);
  });
}

/** Recomputes the tickets queued after a calendar, level, assignment or settings change; at most ~20 s a run. */
export const recomputeJob: PluginJob = {
  id: 'recompute',
  schedule: 'FREQ=MINUTELY',
  async run(ctx) {
    if (ctx.tenantId === null || !ctx.services) return;
    await clockStore(ctx.services, ctx.tenantId).drain(Date.now() + 20_000);
  },
};
