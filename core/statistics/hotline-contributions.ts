import type { TicketStatus } from '../db/schema.js';
import { isoToZoned } from '../i18n/time-zone.js';

// What one ticket adds to the hotline aggregate (migration 0012): the same function serves the
// change in a ticket's transaction (after minus before) and the rebuild from scratch, so the two
// can only differ if a change escaped the ticket service.

/** The flows the trend and the period table count: each event on the day it happened, in the ticket's group then. */
export const HOTLINE_FLOWS = ['created', 'solved', 'reopened', 'closed', 'moved'] as const;
export type HotlineFlow = (typeof HOTLINE_FLOWS)[number];
export const HOTLINE_STATUSES: readonly TicketStatus[] = ['new', 'open', 'waiting', 'solved', 'closed'];

/** A `hotline_days` measure: 'status.<s>' (tickets created that day, by their status now) or 'flow.<f>'. */
export type HotlineMeasure = `status.${TicketStatus}` | `flow.${HotlineFlow}`;

/** The ticket columns the aggregate reads. */
export interface CountedTicket { created_at: string; status: TicketStatus; group_id: number | null; deleted_at: string | null }
/** The history lines the aggregate reads (field 'status' or 'group_id'), oldest first. */
export interface CountedChange { action: string; field: string | null; old_value: string | null; new_value: string | null; created_at: string }

/** `day|group|measure` for hotline_days, `month|group|measure` for hotline_months, `now|group|status` for hotline_now; the value is the count to add. */
export type Contributions = Map<string, number>;

/** The group column as the aggregate keys it: 0 for none. */
export const groupKey = (value: number | string | null | undefined): number => {
  const n = value === null || value === undefined || value === '' ? 0 : Number(value);
  return Number.isInteger(n) && n > 0 ? n : 0;
};

/** The calendar day of an instant in the tenant's zone, 'YYYY-MM-DD'. */
export const dayIn = (iso: string, zone: string): string => isoToZoned(iso, zone).slice(0, 10);

export type DayOf = (iso: string) => string;

/**
 * dayIn for many instants: remembers each UTC day's offset when the zone keeps one offset all that day
 * (every day but those its clocks change on, which ask Intl for each instant), so a rebuild converts
 * ~800,000 history times with arithmetic.
 */
export function zoneDays(zone: string): DayOf {
  const offsets = new Map<string, number | null>();
  const offsetAt = (ms: number) => Date.parse(`${isoToZoned(new Date(ms).toISOString(), zone)}:00Z`) - Math.floor(ms / 60_000) * 60_000;
  return (iso) => {
    const utcDay = iso.slice(0, 10);
    let offset = offsets.get(utcDay);
    if (offset === undefined) {
      const start = Date.parse(`${utcDay}T00:00:00Z`);
      const first = offsetAt(start);
      offset = Number.isNaN(first) || first !== offsetAt(start + 86_400_000 - 60_000) ? null : first;
      offsets.set(utcDay, offset);
    }
    return offset === null ? dayIn(iso, zone) : new Date(Date.parse(iso) + offset).toISOString().slice(0, 10);
  };
}

export const dayKey = (day: string, group: number, measure: HotlineMeasure) => `${day}|${group}|${measure}`;
export const nowKey = (group: number, status: TicketStatus) => `now|${group}|${status}`;

/** A day's count, and the same in its month's row (hotline_months: long periods read months). */
function addDay(into: Contributions, day: string, group: number, measure: HotlineMeasure, n: number) {
  add(into, dayKey(day, group, measure), n);
  add(into, dayKey(day.slice(0, 7), group, measure), n);
}

function add(into: Contributions, key: string, n: number) {
  const sum = (into.get(key) ?? 0) + n;
  if (sum === 0) into.delete(key);
  else into.set(key, sum);
}

/**
 * One ticket's contributions, `sign` times (1 to add, -1 to take away). A deleted ticket adds
 * nothing. The group a flow counts in is replayed from the history: the first group change's old
 * value is the group at creation; each group change moves the ticket (a 'moved' flow into the new
 * group), and a status change counts in the group the ticket is in at that line.
 */
export function addContributions(into: Contributions, ticket: CountedTicket, history: readonly CountedChange[], dayOf: DayOf, sign: 1 | -1 = 1): Contributions {
  if (ticket.deleted_at) return into;
  const created = dayOf(ticket.created_at);
  const current = groupKey(ticket.group_id);
  addDay(into, created, current, `status.${ticket.status}`, sign);
  add(into, nowKey(current, ticket.status), sign);
  const firstMove = history.find((line) => line.field === 'group_id');
  let group = firstMove ? groupKey(firstMove.old_value) : current;
  addDay(into, created, group, 'flow.created', sign);
  for (const line of history) {
    if (line.field === 'group_id') {
      const next = groupKey(line.new_value);
      if (next !== group) addDay(into, dayOf(line.created_at), next, 'flow.moved', sign);
      group = next;
    } else if (line.field === 'status' && line.action !== 'created') {
      const day = dayOf(line.created_at);
      if (line.new_value === 'solved') addDay(into, day, group, 'flow.solved', sign);
      if (line.new_value === 'closed') addDay(into, day, group, 'flow.closed', sign);
      if (line.action === 'reopened') addDay(into, day, group, 'flow.reopened', sign);
    }
  }
  return into;
}

export interface ContributionRows {
  days: Array<{ day: string; group_id: number; measure: string; tickets: number }>;
  months: Array<{ month: string; group_id: number; measure: string; tickets: number }>;
  now: Array<{ group_id: number; status: TicketStatus; tickets: number }>;
}

/** The rows a set of contributions writes, sorted (writers touch rows in one order, so they never deadlock). */
export function contributionRows(contributions: Contributions): ContributionRows {
  const rows: ContributionRows = { days: [], months: [], now: [] };
  for (const key of [...contributions.keys()].sort()) {
    const n = contributions.get(key)!;
    const [first, group, last] = key.split('|') as [string, string, string];
    if (first === 'now') rows.now.push({ group_id: Number(group), status: last as TicketStatus, tickets: n });
    else if (first.length === 7) rows.months.push({ month: first, group_id: Number(group), measure: last, tickets: n });
    else rows.days.push({ day: first, group_id: Number(group), measure: last, tickets: n });
  }
  return rows;
}
