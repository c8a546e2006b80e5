import { DomainError } from '../domain-error.js';
import { tenantScope } from '../tenancy/tenant-scope.js';
import { checkReferences } from './ticket-field-steps.js';
import type { ForwardInput, TicketActor } from './ticket-service-types.js';
import { current, groupMembers, notifyGroup, readOnce, type Step, type TicketContext } from './ticket-unit.js';

/** The acting agent takes the ticket (accept): no change when it is already theirs. */
export function takeStep(step: Step, actor: TicketActor): void {
  if (actor.kind === 'user' && step.ticket.assignee_id !== actor.id) {
    step.values.assignee_id = actor.id;
    step.unit.history.push({ action: 'assigned', field: 'assignee_id', old: step.ticket.assignee_id, new: actor.id });
  }
}

/** Moves the ticket to another group, level or agent, with an internal note and optionally a word to the customer. */
export async function forwardStep(ctx: TicketContext, step: Step, input: ForwardInput, actor: Exclude<TicketActor, { kind: 'person' }>): Promise<void> {
  const { t, tenantId } = ctx;
  const { trx, unit, now } = step;
  const ticket = current(step);
  if (ticket.status === 'closed') throw new DomainError('conflict', t('ticket.refused.closed'));
  const errors = await readOnce(step, `forward-references:${input.groupId}:${input.assigneeId}`, async () => {
    const found: Record<string, string> = {};
    await checkReferences(ctx, tenantScope(trx, tenantId), { groupId: input.groupId, assigneeId: input.assigneeId }, found);
    return found;
  });
  if (Object.keys(errors).length) throw new DomainError('invalid', t('error.invalid'), { ...errors });
  const before = unit.history.length;
  const groupId = input.groupId ?? ticket.group_id;
  let assigneeId = input.assigneeId ?? null;
  if (!input.assigneeId && ticket.assignee_id && groupId) {
    // The current agent keeps the ticket only if they belong to the new group.
    const members = await groupMembers(ctx, trx, groupId, step.reads);
    assigneeId = members.some((member) => member.user_id === ticket.assignee_id) ? ticket.assignee_id : null;
  }
  if (groupId !== ticket.group_id) {
    step.values.group_id = groupId;
    unit.history.push({ action: 'forwarded', field: 'group_id', old: ticket.group_id, new: groupId, ...(input.note ? { note: input.note } : {}) });
  }
  if (assigneeId !== ticket.assignee_id) {
    step.values.assignee_id = assigneeId;
    unit.history.push({ action: 'forwarded', field: 'assignee_id', old: ticket.assignee_id, new: assigneeId, ...(input.note && groupId === ticket.group_id ? { note: input.note } : {}) });
  }
  if (unit.history.length === before) throw new DomainError('conflict', t('ticket.refused.forwardSame'));
  const message = { key: 'notification.forwarded', params: { number: ticket.number, subject: ticket.subject } };
  const summary = t(message.key, message.params);
  if (assigneeId) unit.notifications.push({ userId: assigneeId, kind: 'forwarded', summary, message });
  else if (groupId) await notifyGroup(ctx, trx, groupId, actor.kind === 'user' ? actor.id : undefined, 'forwarded', summary, unit, message, step.reads);
  for (const [kind, body] of [['note', input.note], ['reply', input.customerMessage]] as const) {
    if (!body?.trim()) continue;
    const article = await tenantScope(trx, tenantId).insertInto('ticket_articles', {
      ticket_id: ticket.id, kind, author_user_id: actor.kind === 'user' ? actor.id : null, author_label: actor.label, body_text: body.trim(), created_at: now,
    }).returning('id').executeTakeFirstOrThrow();
    unit.articles.push({ number: ticket.number, ticketId: ticket.id, articleId: article.id, kind });
    unit.reindex = true;
  }
}
