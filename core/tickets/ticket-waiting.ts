import type { Kysely } from 'kysely';
import type { DB, Ticket } from '../db/schema.js';
import { DomainError } from '../domain-error.js';
import { isoToZoned } from '../i18n/time-zone.js';
import { applyStatus } from './ticket-lifecycle-steps.js';
import type { TicketActor } from './ticket-service-types.js';
import { afterCommit, current, finish, lockTicket, notifyGroup, saveValues, UnitOfWork, type Step, type TicketContext } from './ticket-unit.js';

// "Waiting until" (issue 18 point 6): an agent sets a ticket to waiting with an optional instant; at that instant
// the minutely job wakes it: back to open through the lifecycle rules, a history line, and a notification to the
// assignee (or, without one, to the group). Leaving waiting any other way clears the instant (ticket-lifecycle-steps.ts).

/** The instant as the tenant reads it ("2026-03-29 09:30"), for history lines and notifications. */
export const localWaitingTime = (iso: string, zone: string) => isoToZoned(iso, zone).replace('T', ' ');

/** A new instant must lie ahead (422 at the field); the unchanged one may have passed. */
function checkWaitingUntil(ctx: TicketContext, step: Step, until: string | null): void {
  if (until !== null && until !== current(step).waiting_until && Date.parse(until) <= Date.parse(step.now)) {
    throw new DomainError('invalid', ctx.t('error.invalid'), { waiting_until: ctx.t('waiting.past') });
  }
}

/** On a ticket the step leaves waiting: sets or clears its instant, with a history line (the reply form's "waiting until" too). */
export function waitingUntilStep(ctx: TicketContext, step: Step, until: string | null): void {
  checkWaitingUntil(ctx, step, until);
  if (until === current(step).waiting_until) return;
  step.values.waiting_until = until;
  step.unit.history.push(until ? { action: 'waiting_until', note: localWaitingTime(until, ctx.tenant.time_zone) } : { action: 'waiting_cleared' });
}

/**
 * Sets the ticket to waiting (when it is not already) with `until` (ISO) or none. A time in the past is refused
 * (422 with a field message) unless it is the unchanged time; nothing is written when nothing changes.
 */
export async function waitUntil(ctx: TicketContext, number: string, until: string | null, actor: TicketActor): Promise<Ticket> {
  const { t, deps } = ctx;
  if (actor.kind !== 'user') throw new DomainError('forbidden', t('error.forbidden'));
  const unit = new UnitOfWork();
  const result = await deps.db.transaction().execute(async (trx) => {
    const ticket = await lockTicket(ctx, trx, number);
    const now = deps.clock().toISOString();
    const values: Partial<Ticket> = {};
    const step: Step = { trx, ticket, values, unit, now };
    checkWaitingUntil(ctx, step, until);
    if (ticket.status !== 'waiting') applyStatus(ctx, ticket, 'waiting', actor, values, unit, now);
    waitingUntilStep(ctx, step, until);
    if (!unit.history.length) return ticket;
    const version = await saveValues(ctx, trx, ticket, values, now, unit);
    await finish(ctx, trx, ticket, actor, unit, now);
    return { ...ticket, ...values, updated_at: now, version };
  });
  if (unit.history.length) await afterCommit(ctx, result, result.status, unit);
  return result;
}

/**
 * Wakes one ticket whose time has come: waiting -> open as the system, with a history line and a notification.
 * Returns false when it is no longer due (another process woke it, or someone changed it meanwhile).
 */
export async function wakeUp(ctx: TicketContext, number: string, now: string): Promise<boolean> {
  const { t, deps } = ctx;
  const actor: TicketActor = { kind: 'system', label: t('waiting.system') };
  const unit = new UnitOfWork();
  const ticket = await deps.db.transaction().execute(async (trx: Kysely<DB>) => {
    const ticket = await lockTicket(ctx, trx, number);
    if (ticket.status !== 'waiting' || !ticket.waiting_until || ticket.waiting_until > now) return undefined;
    const values: Partial<Ticket> = {};
    unit.history.push({ action: 'waiting_due', note: localWaitingTime(ticket.waiting_until, ctx.tenant.time_zone) });
    applyStatus(ctx, ticket, 'open', actor, values, unit, now);
    const summary = t('waiting.dueSummary', { number: ticket.number, subject: ticket.subject });
    if (ticket.assignee_id) unit.notifications.push({ userId: ticket.assignee_id, kind: 'waiting_due', summary });
    else if (ticket.group_id) await notifyGroup(ctx, trx, ticket.group_id, undefined, 'waiting_due', summary, unit);
    const version = await saveValues(ctx, trx, ticket, values, now, unit);
    await finish(ctx, trx, ticket, actor, unit, now);
    return { ...ticket, ...values, updated_at: now, version };
  });
  if (!ticket) return false;
  await afterCommit(ctx, ticket, ticket.status, unit);
  return true;
}

/** The due waiting tickets of every tenant, oldest first (the partial index tickets_waiting_until). */
export async function dueWaitingTickets(db: Kysely<DB>, now: string, limit = 500): Promise<Array<{ tenant_id: number; number: string }>> {
  return db.selectFrom('tickets').select(['tenant_id', 'number'])
    .where('waiting_until', 'is not', null).where('waiting_until', '<=', now).where('status', '=', 'waiting').where('deleted_at', 'is', null)
    .orderBy('waiting_until').limit(limit).execute();
}
