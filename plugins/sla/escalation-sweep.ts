import { deliverNotifications, notify, pluginScope, type PendingNotification, type PluginJob, type Services } from '../../core/plugin-api.js';
import { calendarStore } from './calendar-store.js';
import { CalendarError, calendarTime, type CalendarTime } from './calendar-time.js';
import { FINAL_STATUSES, PRIORITY_TOP, escalationMessage, escalationSummary, followUp, recipientsOf, tenantWords, type EscalatedTicket, type PointActions } from './escalation-actions.js';
import type { SlaEscalationDB } from './escalation-db.js';
import { isBusinessTime, nextBusinessStart, nextEscalationAt, pointInstant, type OffsetKind } from './escalation-points.js';
import { parseTargets, targetsFor } from './level-store.js';
import type { ClockKind } from './ticket-clocks.js';

/** How long a claimed firing's follow-up may stay unconfirmed before another run takes it over (a crashed process). */
export const LEASE_MS = 5 * 60_000;
/** Clocks one sweep takes at most (the rest in the next minute). */
const BATCH = 500;

export interface SweepOptions {
  /** The sweep's "now" (the job's clock); defaults to the services' clock. */
  now?: Date;
  signal?: AbortSignal;
  /** Called after a firing committed and before its follow-up: tests stop a run here as a crash would. */
  onClaimed?: (firingId: number) => void | Promise<void>;
}
export interface SweepResult { clocks: number; fired: number; resumed: number }

type PointRow = PointActions & { level_id: number; offset_kind: string; offset_value: number; outside_hours: number };

/**
 * Fires the escalation points that are due, for one tenant: reads only clocks whose `next_escalation_at` has
 * passed (indexed), never for solved, closed or deleted tickets, inside the calendar's business hours (a point
 * marked "also outside" fires outside them and goes to the on-call person). Each firing is inserted first under a
 * unique key (ticket, clock, point, cycle) with its in-app notifications in the same transaction: a second process
 * or a rerun inserts nothing and does nothing. Mails, priority and forwarding follow after commit and are
 * confirmed on the record; a crash between leaves the record unconfirmed, and a run after LEASE_MS takes it over.
 */
export async function sweepEscalations(services: Services, tenantId: number, options: SweepOptions = {}): Promise<SweepResult> {
  const scope = pluginScope<SlaEscalationDB>(services.db, tenantId);
  const at = (options.now ?? services.clock()).getTime();
  const nowIso = new Date(at).toISOString();
  const result: SweepResult = { clocks: 0, fired: 0, resumed: 0 };
  const due = await scope.selectFrom('sla_clocks')
    .select(['id', 'ticket_id', 'clock', 'level_id', 'started_at', 'due_at', 'remaining_minutes', 'computed_at', 'state', 'next_escalation_at'])
    .where('next_escalation_at', '<=', nowIso).orderBy('next_escalation_at').limit(BATCH).execute();
  if (due.length) {
    const ticketIds = [...new Set(due.map((row) => row.ticket_id))];
    const levelIds = [...new Set(due.map((row) => row.level_id))];
    const tickets = new Map((await scope.selectFrom('tickets').select(['id', 'number', 'subject', 'status', 'priority', 'group_id', 'assignee_id', 'deleted_at'])
      .where('id', 'in', ticketIds).execute()).map((row) => [row.id, row as EscalatedTicket]));
    const levels = new Map((await scope.selectFrom('sla_levels').select(['id', 'calendar_id', 'targets']).where('id', 'in', levelIds).execute()).map((row) => [row.id, row]));
    const points = await scope.selectFrom('sla_escalation_points')
      .select(['id', 'level_id', 'clock', 'offset_kind', 'offset_value', 'notify', 'email', 'recipients', 'raise_priority', 'forward_group_id', 'outside_hours', 'rota_id'])
      .where('level_id', 'in', levelIds).orderBy('id').execute() as PointRow[];
    const fired = new Set((await scope.selectFrom('sla_escalation_firings').select(['ticket_id', 'clock', 'cycle_start', 'point_id']).where('ticket_id', 'in', ticketIds).execute())
      .map((row) => `${row.ticket_id}/${row.clock}@${row.cycle_start}#${row.point_id}`));
    const calendars = new Map<number, { time: CalendarTime; zone: string }>();
    const calendarOf = async (id: number) => {
      let entry = calendars.get(id);
      if (!entry) { const calendar = await calendarStore(services, tenantId).load(id); entry = { time: calendarTime(calendar), zone: calendar.zone }; calendars.set(id, entry); }
      return entry;
    };
    const words = await tenantWords(services, tenantId);

    for (const row of due) {
      if (options.signal?.aborted) break;
      result.clocks++;
      const ticket = tickets.get(row.ticket_id);
      const level = levels.get(row.level_id);
      const keep = (next: number | null) => scope.updateTable('sla_clocks').set({ next_escalation_at: next === null ? null : new Date(next).toISOString() })
        .where('id', '=', row.id).where('computed_at', '=', row.computed_at).execute();
      if (!ticket || ticket.deleted_at || FINAL_STATUSES.has(ticket.status) || !level) { await keep(null); continue; }
      let calendar: { time: CalendarTime; zone: string };
      try { calendar = await calendarOf(level.calendar_id); } catch { await keep(null); continue; }
      const target = targetsFor(parseTargets(level.targets), ticket.priority)[row.clock as ClockKind];
      const position = { state: row.state, dueAt: row.due_at, remainingMinutes: row.remaining_minutes, computedAt: row.computed_at };
      const own = points.filter((p) => p.level_id === row.level_id && p.clock === row.clock);
      const firedHere = new Set(own.filter((p) => fired.has(`${row.ticket_id}/${row.clock}@${row.started_at}#${p.id}`)).map((p) => p.id));
      let inside: boolean;
      const instants: Array<{ pointId: number; at: number | null }> = [];
      try {
        inside = isBusinessTime(calendar.time, calendar.zone, at);
        for (const p of own) instants.push({ pointId: p.id, at: pointInstant(calendar.time, calendar.zone, position, target, { id: p.id, clock: p.clock as ClockKind, offsetKind: p.offset_kind as OffsetKind, offsetValue: p.offset_value, outsideHours: p.outside_hours === 1 }) });
      } catch (error) {
        if (!(error instanceof CalendarError)) throw error;
        await keep(null);
        continue;
      }
      let postponed = false;
      for (const { pointId, at: pointAt } of instants) {
        if (pointAt === null || pointAt > at || firedHere.has(pointId)) continue;
        const point = own.find((p) => p.id === pointId)!;
        if (!inside && point.outside_hours !== 1) { postponed = true; continue; }
        if (await fire(point, row, ticket, new Date(pointAt).toISOString(), !inside)) result.fired++;
        firedHere.add(pointId);
      }
      const later = nextEscalationAt(instants.filter((i) => i.at !== null && i.at > at), firedHere);
      const reopen = postponed ? nextBusinessStart(calendar.time, calendar.zone, at) : null;
      await keep(later === null ? reopen : reopen === null ? later : Math.min(later, reopen));
    }

    async function fire(point: PointRow, row: (typeof due)[number], ticket: EscalatedTicket, pointDue: string, outside: boolean): Promise<boolean> {
      const recipients = point.notify ? await recipientsOf(services, tenantId, point, ticket, outside, at) : [];
      const raiseTo = point.raise_priority && ticket.priority < PRIORITY_TOP ? ticket.priority + 1 : null;
      const summary = escalationSummary(words.t, words.zone, ticket, row.clock, row.due_at ?? pointDue);
      const message = escalationMessage(words.zone, ticket, row.clock, row.due_at ?? pointDue);
      // Only in-app notifications: they commit with the record, which is then done at once (no follow-up to confirm).
      const followsUp = point.email === 1 || raiseTo !== null || point.forward_group_id !== null;
      const claimed = await services.db.transaction().execute(async (trx) => {
        const inserted = await scope.withDb(trx).insertInto('sla_escalation_firings', {
          ticket_id: row.ticket_id, clock: row.clock, point_id: point.id, cycle_start: row.started_at, due_at: pointDue, fired_at: nowIso, claimed_at: nowIso,
          done_at: followsUp ? null : nowIso, outcome: followsUp ? null : `notified ${recipients.length}`, outside: outside ? 1 : 0, raise_to: raiseTo,
        }).onConflict((oc) => oc.columns(['tenant_id', 'ticket_id', 'clock', 'point_id', 'cycle_start']).doNothing()).returning('id').executeTakeFirst();
        if (!inserted) return null;
        const pending: PendingNotification[] = [];
        for (const userId of recipients) {
          pending.push(await notify(trx, { tenantId, userId, ticketId: ticket.id, kind: 'sla.escalation', summary, message, actorLabel: words.t('sla.esc.actor'), now: nowIso }));
        }
        return { id: inserted.id, pending };
      });
      if (!claimed) return false;
      await deliverNotifications(services, claimed.pending);
      await options.onClaimed?.(claimed.id);
      if (!followsUp) return true;
      const outcome = await followUp(services, tenantId, { point, ticket, outside, raiseTo, dueAt: row.due_at ?? pointDue, at });
      await scope.updateTable('sla_escalation_firings').set({ done_at: new Date().toISOString(), outcome: `${recipients.length ? `notified ${recipients.length}, ` : ''}${outcome}`.slice(0, 500) })
        .where('id', '=', claimed.id).execute();
      return true;
    }
  }
  result.resumed = await resumeStale(services, tenantId, at, options.signal);
  return result;
}

/** Takes over firings whose follow-up a crashed run left unconfirmed for longer than the lease (one run wins each). */
async function resumeStale(services: Services, tenantId: number, at: number, signal?: AbortSignal): Promise<number> {
  const scope = pluginScope<SlaEscalationDB>(services.db, tenantId);
  const stale = await scope.selectFrom('sla_escalation_firings').select(['id', 'ticket_id', 'point_id', 'claimed_at', 'outside', 'raise_to', 'due_at'])
    .where('done_at', 'is', null).where('claimed_at', '<', new Date(at - LEASE_MS).toISOString()).limit(100).execute();
  let resumed = 0;
  for (const firing of stale) {
    if (signal?.aborted) break;
    const taken = await scope.updateTable('sla_escalation_firings').set({ claimed_at: new Date(at).toISOString() })
      .where('id', '=', firing.id).where('claimed_at', '=', firing.claimed_at).where('done_at', 'is', null).executeTakeFirst();
    if (Number(taken.numUpdatedRows) !== 1) continue;
    const point = await scope.selectFrom('sla_escalation_points').select(['id', 'clock', 'notify', 'email', 'recipients', 'raise_priority', 'forward_group_id', 'rota_id'])
      .where('id', '=', firing.point_id).executeTakeFirst();
    const ticket = await scope.selectFrom('tickets').select(['id', 'number', 'subject', 'status', 'priority', 'group_id', 'assignee_id', 'deleted_at'])
      .where('id', '=', firing.ticket_id).executeTakeFirst();
    const outcome = point && ticket && !ticket.deleted_at && !FINAL_STATUSES.has(ticket.status)
      ? await followUp(services, tenantId, { point, ticket, outside: firing.outside === 1, raiseTo: firing.raise_to, dueAt: firing.due_at, at })
      : 'skipped';
    await scope.updateTable('sla_escalation_firings').set({ done_at: new Date().toISOString(), outcome: `resumed: ${outcome}`.slice(0, 500) }).where('id', '=', firing.id).execute();
    resumed++;
  }
  return resumed;
}

/** Every minute, per tenant with the plugin on: the escalation sweep. */
export const escalationJob: PluginJob = {
  id: 'escalate',
  schedule: 'FREQ=MINUTELY',
  async run(ctx) {
    if (ctx.tenantId === null || !ctx.services) return;
    await sweepEscalations(ctx.services, ctx.tenantId, { now: ctx.clock(), ...(ctx.signal ? { signal: ctx.signal } : {}) });
  },
};
