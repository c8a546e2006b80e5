import type { Kysely } from 'kysely';
import {
  DomainError, invalidFields, pluginScope, tenantTicketService, type DB, type PluginJob, type Services, type TicketActor,
} from '../../core/plugin-api.js';
import type { CalendarTime } from './calendar-time.js';
import { FINAL_STATUSES, tenantWords } from './escalation-actions.js';
import { computeFirstLine, initialValue, type FirstLineBox, type FirstLineRule, type RoutingChange } from './first-line.js';
import type { SlaDB, SlaLevelsTable } from './sla-db.js';

/** A box lasts at most a day of business minutes (the seed's is 15). */
export const FIRST_LINE_MAX = 1440;

type LevelBox = Pick<SlaLevelsTable, 'first_line_minutes' | 'first_line_group_id' | 'first_line_forward_group_id'>;

/** The level's rule, or null while the box is off. */
export function ruleOf(level: LevelBox): FirstLineRule | null {
  if (!level.first_line_minutes || !level.first_line_group_id) return null;
  return { minutes: level.first_line_minutes, groupId: level.first_line_group_id, forwardGroupId: level.first_line_forward_group_id };
}

/** The ticket's box from its history (group, assignee and status lines), or null when it was never accepted in first line. */
export async function ticketFirstLine(
  db: Kysely<DB>, tenantId: number, time: CalendarTime, rule: FirstLineRule,
  ticket: { id: number; created_at: string; group_id: number | null; assignee_id: number | null }, now: number,
): Promise<FirstLineBox | null> {
  const rows = await pluginScope(db, tenantId).selectFrom('ticket_history').select(['field', 'old_value', 'new_value', 'created_at'])
    .where('ticket_id', '=', ticket.id).where('field', 'in', ['group_id', 'assignee_id', 'status']).orderBy('id').execute();
  const changes: RoutingChange[] = rows.map((row) => ({ at: Date.parse(row.created_at), field: row.field as RoutingChange['field'], value: row.new_value === '' ? null : row.new_value }));
  return computeFirstLine(time, rule, {
    createdAt: Date.parse(ticket.created_at),
    groupId: initialValue(rows, 'group_id', ticket.group_id),
    assigneeId: initialValue(rows, 'assignee_id', ticket.assignee_id),
  }, changes, now);
}

/** Stores a ticket's box inside the recompute's transaction; a forwarding already done for the same acceptance is kept. */
export async function storeFirstLine(trx: Kysely<DB>, tenantId: number, ticketId: number, levelId: number, rule: FirstLineRule | null, box: FirstLineBox | null, computedAt: string): Promise<void> {
  const tx = pluginScope<SlaDB>(trx, tenantId);
  const before = await tx.selectFrom('sla_first_line').select(['accepted_at', 'forwarded_at']).where('ticket_id', '=', ticketId).executeTakeFirst();
  await tx.deleteFrom('sla_first_line').where('ticket_id', '=', ticketId).execute();
  if (!rule || !box) return;
  const acceptedAt = new Date(box.acceptedAt).toISOString();
  await tx.insertInto('sla_first_line', {
    ticket_id: ticketId, level_id: levelId, group_id: rule.groupId, forward_group_id: rule.forwardGroupId, accepted_at: acceptedAt,
    due_at: new Date(box.dueAt).toISOString(), ended_at: box.endedAt === null ? null : new Date(box.endedAt).toISOString(), state: box.state,
    forwarded_at: before?.accepted_at === acceptedAt ? before.forwarded_at : null, computed_at: computedAt,
  }).execute();
}

/** What the level page's form sends: minutes (empty: off), the first-line group and where to forward (empty: show overdue). */
export interface FirstLineInput { minutes: string; groupId: string; forwardGroupId: string }

/** Checks the form against the tenant's groups; the rule (null: off) or a refusal with a message key per field. */
export async function checkFirstLine(db: Kysely<DB>, tenantId: number, input: FirstLineInput): Promise<FirstLineRule | null> {
  const fields: Record<string, string> = {};
  const text = input.minutes.trim();
  if (!text) return null;
  const minutes = Number(text);
  if (!/^\d+$/.test(text) || minutes < 1 || minutes > FIRST_LINE_MAX) fields.firstLineMinutes = 'sla.firstLine.minutesInvalid';
  const groups = new Set((await pluginScope(db, tenantId).selectFrom('support_groups').select('id').execute()).map((g) => g.id));
  const groupId = Number(input.groupId);
  if (!groups.has(groupId)) fields.firstLineGroupId = 'sla.firstLine.groupRequired';
  const forward = input.forwardGroupId.trim() ? Number(input.forwardGroupId) : null;
  if (forward !== null && !groups.has(forward)) fields.firstLineForwardGroupId = 'sla.firstLine.forwardInvalid';
  else if (forward !== null && forward === groupId) fields.firstLineForwardGroupId = 'sla.firstLine.forwardSame';
  if (Object.keys(fields).length) throw invalidFields('error.invalid', fields);
  return { minutes, groupId, forwardGroupId: forward };
}

/** Every minute per tenant: forwards tickets whose box ran out while still in first line, when their level says so. */
export const firstLineJob: PluginJob = {
  id: 'first-line',
  schedule: 'FREQ=MINUTELY',
  async run(ctx) {
    if (ctx.tenantId === null || !ctx.services) return;
    await forwardOverdue(ctx.services, ctx.tenantId, ctx.clock());
  },
};

/**
 * Forwards each overdue box once: the row is claimed by compare-and-set on `forwarded_at` before the ticket
 * service forwards (as the system actor, so history, notifications and events are the core's). A ticket no longer
 * in the first-line group, solved or deleted is passed over. Returns how many were forwarded.
 */
export async function forwardOverdue(services: Services, tenantId: number, now: Date): Promise<number> {
  const scope = pluginScope<SlaDB>(services.db, tenantId);
  const at = now.toISOString();
  const due = await scope.selectFrom('sla_first_line').innerJoin('tickets', 'tickets.id', 'sla_first_line.ticket_id')
    .select(['sla_first_line.ticket_id', 'sla_first_line.group_id', 'sla_first_line.forward_group_id', 'tickets.number', 'tickets.group_id as current_group', 'tickets.status', 'tickets.deleted_at'])
    .where('sla_first_line.due_at', '<=', at).where('sla_first_line.ended_at', 'is', null).where('sla_first_line.forwarded_at', 'is', null)
    .where('sla_first_line.forward_group_id', 'is not', null).orderBy('sla_first_line.due_at').limit(200).execute();
  if (due.length === 0) return 0;
  const { t } = await tenantWords(services, tenantId);
  const actor: TicketActor = { kind: 'system', label: t('sla.esc.actor') };
  const service = await tenantTicketService(services, tenantId);
  let forwarded = 0;
  for (const row of due) {
    if (row.deleted_at || FINAL_STATUSES.has(row.status) || row.current_group !== row.group_id) continue;
    const claimed = await scope.updateTable('sla_first_line').set({ forwarded_at: at }).where('ticket_id', '=', row.ticket_id).where('forwarded_at', 'is', null).executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) continue;
    try {
      await service.forward(row.number, { groupId: row.forward_group_id!, note: t('sla.firstLine.forwardNote') }, actor);
      forwarded += 1;
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      services.log.warn('sla: first-line forward refused', { tenantId, ticketId: row.ticket_id, error: error.message });
    }
  }
  return forwarded;
}
