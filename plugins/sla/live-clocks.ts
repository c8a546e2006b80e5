import { scopeFor, type TenantScope } from '../../core/plugin-api.js';
import { loadCalendar } from './calendar-store.js';
import { calendarTime, type CalendarTime } from './calendar-time.js';
import type { SlaClocksTable, SlaDB } from './sla-db.js';
import { CLOCK_KINDS } from './ticket-clocks.js';

/** A clock as the screens show it: stored row plus the business minutes left now (negative: overdue). */
export interface LiveClock {
  ticketId: number;
  clock: SlaClocksTable['clock'];
  state: SlaClocksTable['state'];
  dueAt: string | null;
  achievedAt: string | null;
  pausedMinutes: number;
  overMinutes: number | null;
  /** Business minutes until the due time (running), as stored (paused), null once achieved or stopped. */
  left: number | null;
  tone: 'ok' | 'soon' | 'late' | 'paused' | 'done';
}

/** Within this many minutes before the due time a clock shows amber (and the list filter "breaks within 1 h" finds it). */
export const SOON_MINUTES = 60;

/**
 * The stored clocks of some tickets, with the business time left at `now`: one query for the clocks, one per calendar.
 * `left: false` (the list's "Due" column, which shows only the due time and tone): one query, no calendar read or
 * business-time arithmetic; `left` is then null for running clocks.
 */
export async function liveClocks(coreScope: TenantScope, ticketIds: readonly number[], now: Date, options: { left?: boolean } = {}): Promise<LiveClock[]> {
  if (ticketIds.length === 0) return [];
  const scope = scopeFor<SlaDB>(coreScope);
  const withLeft = options.left ?? true;
  const rows = await scope.selectFrom('sla_clocks').innerJoin('sla_levels', 'sla_levels.id', 'sla_clocks.level_id')
    .select(['sla_clocks.ticket_id', 'sla_clocks.clock', 'sla_clocks.state', 'sla_clocks.due_at', 'sla_clocks.achieved_at', 'sla_clocks.paused_minutes',
      'sla_clocks.over_minutes', 'sla_clocks.remaining_minutes', 'sla_levels.calendar_id'])
    .where('sla_clocks.ticket_id', 'in', [...ticketIds]).execute();
  const times = new Map<number, CalendarTime | null>();
  const at = now.getTime();
  const result: LiveClock[] = [];
  for (const row of rows) {
    if (withLeft && !times.has(row.calendar_id)) {
      const calendar = await loadCalendar(scope, row.calendar_id);
      times.set(row.calendar_id, calendar ? calendarTime(calendar) : null);
    }
    const time = times.get(row.calendar_id);
    let left: number | null = null;
    if (row.state === 'paused') left = Number(row.remaining_minutes);
    if (row.state === 'running' && row.due_at && time) {
      const due = Date.parse(row.due_at);
      left = due >= at ? time.between(at, due) : -time.between(due, at);
    }
    const overdue = (row.state === 'running' || row.state === 'paused') && row.due_at !== null && Date.parse(row.due_at) < at;
    const tone = row.state === 'met' || row.state === 'breached' || row.state === 'stopped' ? 'done'
      : overdue ? 'late' : row.state === 'paused' ? 'paused' : (row.due_at && Date.parse(row.due_at) - at <= SOON_MINUTES * 60_000) ? 'soon' : 'ok';
    result.push({
      ticketId: row.ticket_id, clock: row.clock, state: row.state, dueAt: row.due_at, achievedAt: row.achieved_at,
      pausedMinutes: Number(row.paused_minutes), overMinutes: row.over_minutes === null ? null : Number(row.over_minutes), left, tone,
    });
  }
  return result.sort((a, b) => a.ticketId - b.ticketId || CLOCK_KINDS.indexOf(a.clock) - CLOCK_KINDS.indexOf(b.clock));
}

/** Business minutes as "2 h 05 min" / "-0 h 30 min" parts for the catalog's `sla.duration`. */
export function durationParts(minutes: number): { sign: string; h: number; m: string } {
  const total = Math.round(Math.abs(minutes));
  return { sign: minutes < 0 ? '−' : '', h: Math.floor(total / 60), m: String(total % 60).padStart(2, '0') };
}

/** A first-line time box still running (the ticket is in first line), with business minutes left (negative: overdue). */
export interface LiveFirstLine { ticketId: number; dueAt: string; left: number; tone: 'ok' | 'soon' | 'late'; forwards: boolean }

/** The open first-line boxes of some tickets (one query, one read per calendar). */
export async function liveFirstLines(coreScope: TenantScope, ticketIds: readonly number[], now: Date): Promise<LiveFirstLine[]> {
  if (ticketIds.length === 0) return [];
  const scope = scopeFor<SlaDB>(coreScope);
  const rows = await scope.selectFrom('sla_first_line').innerJoin('sla_levels', 'sla_levels.id', 'sla_first_line.level_id')
    .select(['sla_first_line.ticket_id', 'sla_first_line.due_at', 'sla_first_line.forward_group_id', 'sla_levels.calendar_id'])
    .where('sla_first_line.ticket_id', 'in', [...ticketIds]).where('sla_first_line.ended_at', 'is', null).execute();
  const times = new Map<number, CalendarTime | null>();
  const at = now.getTime();
  const result: LiveFirstLine[] = [];
  for (const row of rows) {
    if (!times.has(row.calendar_id)) {
      const calendar = await loadCalendar(scope, row.calendar_id);
      times.set(row.calendar_id, calendar ? calendarTime(calendar) : null);
    }
    const time = times.get(row.calendar_id);
    const due = Date.parse(row.due_at);
    const left = !time ? Math.round((due - at) / 60_000) : due >= at ? time.between(at, due) : -time.between(due, at);
    const tone = due <= at ? 'late' : left <= 5 ? 'soon' : 'ok';
    result.push({ ticketId: row.ticket_id, dueAt: row.due_at, left, tone, forwards: row.forward_group_id !== null });
  }
  return result;
}
