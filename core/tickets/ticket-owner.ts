import type { Kysely } from 'kysely';
import type { DB, Ticket } from '../db/schema.js';
import { DomainError } from '../domain-error.js';
import type { Step, TicketContext } from './ticket-unit.js';
import { current } from './ticket-unit.js';

/** An agent who may own the ticket. */
export interface OwnerOption { id: number; name: string }

/**
 * Who may own a ticket: the active agents of its group when it has one (the rule forwarding follows: an owner
 * belongs to the ticket's group), every active agent when it has none.
 */
export async function ownerOptions(db: Kysely<DB>, tenantId: number, ticket: Pick<Ticket, 'group_id'>): Promise<OwnerOption[]> {
  let query = db.selectFrom('users').select(['users.id', 'users.name']).where('users.tenant_id', '=', tenantId).where('users.active', '=', 1)
    .where('users.role', 'in', ['agent', 'supervisor', 'admin']);
  if (ticket.group_id !== null) {
    query = query.innerJoin('group_members', 'group_members.user_id', 'users.id')
      .where('group_members.group_id', '=', ticket.group_id).where('group_members.tenant_id', '=', tenantId);
  }
  return query.orderBy('users.name').execute();
}

/**
 * Changes the ticket's owner in one step (the sidebar's picker): someone from ownerOptions, or nobody. Refused with a
 * field message for anyone else; no change when it is already theirs. The new owner is notified.
 */
export async function ownerStep(ctx: TicketContext, step: Step, assigneeId: number | null): Promise<void> {
  const ticket = current(step);
  if (ticket.status === 'closed') throw new DomainError('conflict', ctx.t('ticket.refused.closed'));
  if (assigneeId === ticket.assignee_id) return;
  if (assigneeId !== null) {
    const allowed = await ownerOptions(step.trx, ctx.tenantId, ticket);
    if (!allowed.some((option) => option.id === assigneeId)) {
      throw new DomainError('invalid', ctx.t('error.invalid'), { assignee_id: ctx.t('ticket.owner.notInGroup') });
    }
    step.unit.notifications.push({ userId: assigneeId, kind: 'assigned', summary: ctx.t('notification.assigned', { number: ticket.number, subject: ticket.subject }) });
  }
  step.values.assignee_id = assigneeId;
  step.unit.history.push({ action: 'assigned', field: 'assignee_id', old: ticket.assignee_id, new: assigneeId });
}
