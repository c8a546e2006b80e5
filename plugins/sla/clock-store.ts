import type { Kysely } from 'kysely';
import { pluginScope, type DB, type Services } from '../../core/plugin-api.js';
import { calendarStore } from './calendar-store.js';
import { CalendarError, calendarTime, type CalendarTime } from './calendar-time.js';
import { escalationSchedule } from './escalation-schedule.js';
import type { FirstLineBox } from './first-line.js';
import { ruleOf, storeFirstLine, ticketFirstLine } from './first-line-store.js';
import { chooseLevel } from './level-resolution.js';
import { parseTargets, targetsFor } from './level-store.js';
import { readSlaSettings } from './settings.js';
import type { SlaDB, SlaLevelsTable } from './sla-db.js';
import { computeClocks, type TicketTimeline } from './ticket-clocks.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
/** Tickets one recompute run takes from the queue at a time. */
const BATCH = 200;

/** The ticket's statuses and public replies as its history recorded them. */
export async function ticketTimeline(db: Kysely<DB>, tenantId: number, ticket: { id: number; created_at: string }): Promise<TicketTimeline> {
  const rows = await pluginScope(db, tenantId).selectFrom('ticket_history').select(['action', 'field', 'new_value', 'created_at'])
    .where('ticket_id', '=', ticket.id).where((eb) => eb.or([eb('field', '=', 'status'), eb('action', '=', 'reply')])).orderBy('id').execute();
  const createdAt = Date.parse(ticket.created_at);
  const statuses: Array<{ at: number; status: string }> = [];
  const replies: number[] = [];
  for (const row of rows) {
    if (row.action === 'reply') replies.push(Date.parse(row.created_at));
    else if (row.new_value) statuses.push({ at: Date.parse(row.created_at), status: row.new_value });
  }
  if (statuses.length === 0 || statuses[0]!.at > createdAt) statuses.unshift({ at: createdAt, status: 'new' });
  return { createdAt, statuses, replies };
}

/**
 * Computes and stores the clocks of tickets (their level, why, and one row per clock), from their history.
 * A ticket without a level, or deleted, keeps no rows. One instance caches the calendars it read, so a
 * job recomputing many tickets reads each calendar once.
 */
export function clockStore(services: Services, tenantId: number) {
  const scope = pluginScope<SlaDB>(services.db, tenantId);
  const calendars = new Map<number, CalendarTime>();
  const levels = new Map<number, Pick<SlaLevelsTable, 'calendar_id' | 'targets' | 'first_line_minutes' | 'first_line_group_id' | 'first_line_forward_group_id'> | null>();

  async function timeOf(calendarId: number): Promise<CalendarTime> {
    let time = calendars.get(calendarId);
    if (!time) { time = calendarTime(await calendarStore(services, tenantId).load(calendarId)); calendars.set(calendarId, time); }
    return time;
  }

  async function levelOf(id: number) {
    if (!levels.has(id)) levels.set(id, (await scope.selectFrom('sla_levels').select(['calendar_id', 'targets', 'first_line_minutes', 'first_line_group_id', 'first_line_forward_group_id']).where('id', '=', id).executeTakeFirst()) ?? null);
    return levels.get(id)!;
  }

  const store = {
    async recompute(ticketId: number): Promise<void> {
      const ticket = await scope.selectFrom('tickets').select(['id', 'created_at', 'priority', 'contract_id', 'organisation_id', 'deleted_at', 'group_id', 'assignee_id']).where('id', '=', ticketId).executeTakeFirst();
      const settings = await readSlaSettings(scope);
      const chosen = ticket && !ticket.deleted_at ? await chooseLevel(services, scope, ticket, settings.defaultLevelId) : null;
      const level = chosen ? await levelOf(chosen.levelId) : null;
      const now = services.clock();
      let clocks: ReturnType<typeof computeClocks> = [];
      try {
        if (ticket && chosen && level) clocks = computeClocks(await timeOf(level.calendar_id), await ticketTimeline(services.db, tenantId, ticket), targetsFor(parseTargets(level.targets), ticket.priority), new Set(settings.pausingStatuses), now.getTime());
      } catch (error) {
        // A calendar without business hours for years (holidays everywhere): the ticket keeps its level but no clocks.
        if (!(error instanceof CalendarError)) throw error;
        services.log.warn('sla: calendar has no business hours ahead; no clocks', { tenantId, ticketId, calendarId: level?.calendar_id });
      }
      const escalations = ticket && chosen && level && clocks.length ? await escalationSchedule(services, tenantId, {
        ticketId, levelId: chosen.levelId, zone: async () => (await calendarStore(services, tenantId).load(level.calendar_id)).zone, time: await timeOf(level.calendar_id),
        targets: targetsFor(parseTargets(level.targets), ticket.priority), clocks, computedAt: now.toISOString(),
      }) : new Map<string, string | null>();
      const rule = level ? ruleOf(level) : null;
      let box: FirstLineBox | null = null;
      try {
        if (ticket && chosen && level && rule) box = await ticketFirstLine(services.db, tenantId, await timeOf(level.calendar_id), rule, ticket, now.getTime());
      } catch (error) {
        if (!(error instanceof CalendarError)) throw error;
      }
      await services.db.transaction().execute(async (trx) => {
        const tx = scope.withDb(trx);
        await storeFirstLine(trx, tenantId, ticketId, chosen?.levelId ?? 0, ticket && chosen ? rule : null, box, now.toISOString());
        await tx.deleteFrom('sla_clocks').where('ticket_id', '=', ticketId).execute();
        await tx.deleteFrom('sla_tickets').where('ticket_id', '=', ticketId).execute();
        await tx.deleteFrom('sla_recompute').where('ticket_id', '=', ticketId).execute();
        if (!ticket || !chosen || !level) return;
        const computedAt = now.toISOString();
        await tx.insertInto('sla_tickets', { ticket_id: ticketId, level_id: chosen.levelId, source: chosen.source, source_label: chosen.label, computed_at: computedAt }).execute();
        if (clocks.length) {
          await tx.insertInto('sla_clocks', clocks.map((c) => ({
            ticket_id: ticketId, clock: c.clock, level_id: chosen.levelId, started_at: iso(c.startedAt)!, due_at: iso(c.dueAt), achieved_at: iso(c.achievedAt),
            paused_minutes: c.pausedMinutes, over_minutes: c.overMinutes, remaining_minutes: c.remainingMinutes, state: c.state, next_escalation_at: escalations.get(c.clock) ?? null, computed_at: computedAt,
          }))).execute();
        }
      });
    },

    /** Recomputes queued tickets, a batch at a time, until the queue is empty or `deadline` (ms) passes; returns how many. */
    async drain(deadline = Infinity): Promise<number> {
      let done = 0;
      for (;;) {
        const batch = await scope.selectFrom('sla_recompute').select('ticket_id').orderBy('id').limit(BATCH).execute();
        if (batch.length === 0) return done;
        for (const row of batch) await store.recompute(row.ticket_id);
        done += batch.length;
        if (Date.now() > deadline) return done;
      }
    },

    /** How many tickets wait for the recompute job (shown on the admin pages as its progress). */
    async pending(): Promise<number> {
      const row = await scope.selectFrom('sla_recompute').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
  return store;
}
