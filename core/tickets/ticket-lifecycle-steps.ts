import type { Ticket, TicketStatus } from '../db/schema.js';
import { DomainError } from '../domain-error.js';
import { transitionRefusal } from './ticket-lifecycle.js';
import type { TicketActor } from './ticket-service-types.js';
import type { TicketContext, UnitOfWork } from './ticket-unit.js';

function canClose(ctx: TicketContext, actor: TicketActor): boolean {
  if (actor.kind !== 'user') return false;
  return ctx.settings.closeRequiresSupervisor ? actor.can('tickets.close') : actor.can('tickets.edit');
}

/** Applies one status change to `values`, with its rules, timestamps and history. */
export function applyStatus(ctx: TicketContext, ticket: Ticket, to: TicketStatus, actor: TicketActor, values: Partial<Ticket>, unit: UnitOfWork, now: string) {
  const { t } = ctx;
  const from = (values.status ?? ticket.status) as TicketStatus;
  const refusal = transitionRefusal(from, to);
  if (refusal) throw new DomainError('conflict', t(refusal, { from: t(`status.${from}`), to: t(`status.${to}`) }));
  if (to === 'closed' && !canClose(ctx, actor)) throw new DomainError('forbidden', t('ticket.refused.closeRight'));
  values.status = to;
  if (to === 'solved') values.solved_at = now;
  if (to === 'closed') values.closed_at = now;
  if (from === 'solved' && to === 'open') values.solved_at = null;
  // A ticket that stops waiting has nothing to wake up for (ticket-waiting.ts).
  if (from === 'waiting' && ticket.waiting_until) values.waiting_until = null;
  // Whoever takes a new ticket into work owns it unless someone else already does.
  if (from === 'new' && actor.kind === 'user' && !ticket.assignee_id && values.assignee_id === undefined) {
    values.assignee_id = actor.id;
    unit.history.push({ action: 'assigned', field: 'assignee_id', old: null, new: actor.id });
  }
  unit.history.push({ action: from === 'solved' && to === 'open' ? 'reopened' : 'status', field: 'status', old: from, new: to });
}
