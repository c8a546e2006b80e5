import { z } from 'zod';
import type { GroupLevel, TicketStatus } from '../db/schema.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';
import { isoToZoned } from '../i18n/time-zone.js';
import { HOTLINE_FLOWS, HOTLINE_STATUSES, type HotlineFlow } from './hotline-contributions.js';

// The hotline statistics' reads (page, CSV, REST), all from the aggregate (migration 0012): a handful
// of indexed range reads whatever the number of tickets.

export const PERIOD_PRESETS = ['today', '7d', '30d', 'custom'] as const;
export type PeriodPreset = (typeof PERIOD_PRESETS)[number];
/** The longest custom period (a day table of ten years is still a few thousand rows per group). */
export const MAX_PERIOD_DAYS = 3700;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const blank = (value: unknown) => (value === '' || value === null ? undefined : value);

/** The period as the query string carries it: a preset, or from/to (tenant calendar days, both included). */
export const periodQuerySchema = z.object({
  period: z.preprocess(blank, z.enum(PERIOD_PRESETS).optional()),
  from: z.preprocess(blank, z.string().regex(DATE).optional()),
  to: z.preprocess(blank, z.string().regex(DATE).optional()),
});
export type PeriodQuery = z.infer<typeof periodQuerySchema>;

export interface HotlinePeriod { preset: PeriodPreset; from: string; to: string; days: readonly string[] }

const DAY_MS = 86_400_000;
const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / DAY_MS;
const dayOf = (n: number) => new Date(n * DAY_MS).toISOString().slice(0, 10);
// A month 13 or a 31 February parses to NaN or rolls over: neither is a day (and NaN must not reach toISOString, which throws).
const validDay = (day: string) => DATE.test(day) && Number.isFinite(dayNumber(day)) && dayOf(dayNumber(day)) === day;

/** Why a period was refused, per field. */
export type PeriodErrors = Partial<Record<'from' | 'to', 'date' | 'order' | 'length'>>;

/**
 * The period a query asks for, in the tenant's calendar (today from `now` in `zone`). A preset's
 * days end today; from/to without a preset mean 'custom'. Returns the refusals instead when the
 * dates are malformed, reversed or span more than MAX_PERIOD_DAYS.
 */
export function resolvePeriod(query: PeriodQuery, now: Date, zone: string): { period: HotlinePeriod } | { errors: PeriodErrors } {
  const today = isoToZoned(now.toISOString(), zone).slice(0, 10);
  const preset: PeriodPreset = query.period ?? (query.from || query.to ? 'custom' : '7d');
  let from = today;
  let to = today;
  if (preset === '7d') from = dayOf(dayNumber(today) - 6);
  else if (preset === '30d') from = dayOf(dayNumber(today) - 29);
  else if (preset === 'custom') {
    const errors: PeriodErrors = {};
    from = query.from ?? today;
    to = query.to ?? today;
    if (!validDay(from)) errors.from = 'date';
    if (!validDay(to)) errors.to = 'date';
    if (!errors.from && !errors.to && dayNumber(from) > dayNumber(to)) errors.to = 'order';
    if (!errors.from && !errors.to && dayNumber(to) - dayNumber(from) + 1 > MAX_PERIOD_DAYS) errors.from = 'length';
    if (Object.keys(errors).length) return { errors };
  }
  const days: string[] = [];
  for (let n = dayNumber(from); n <= dayNumber(to); n++) days.push(dayOf(n));
  return { period: { preset, from, to, days } };
}

export type StatusCounts = Record<TicketStatus, number>;
export type FlowCounts = Record<HotlineFlow, number>;
const noStatuses = (): StatusCounts => Object.fromEntries(HOTLINE_STATUSES.map((s) => [s, 0])) as StatusCounts;
const noFlows = (): FlowCounts => Object.fromEntries(HOTLINE_FLOWS.map((f) => [f, 0])) as FlowCounts;

/** One row of the per-group (or per-level) table. */
export interface HotlineRow {
  /** The group's id (0: tickets without a group); for a level row, undefined. */
  groupId?: number | undefined;
  name: string | null;
  level: GroupLevel | null;
  /** Right now, per status. */
  now: StatusCounts;
  /** Tickets created in the period, by their status now. */
  created: StatusCounts;
  /** What happened in the period. */
  flows: FlowCounts;
}

export interface HotlineFigures {
  period: HotlinePeriod;
  now: StatusCounts;
  created: StatusCounts;
  flows: FlowCounts;
  groups: HotlineRow[];
  levels: HotlineRow[];
  /** Tickets created and solved per day of the period (per month of a long one). */
  trend: HotlineTrend;
}

export const LEVELS: readonly GroupLevel[] = ['first', 'second', 'third', 'expert'];
export const sumOf = (counts: Record<string, number>) => Object.values(counts).reduce((sum, n) => sum + n, 0);

/** Longer than this, a period reads its whole months from hotline_months and only the days around them. */
const MONTHS_FROM_DAYS = 62;
/** Longer than this, the trend has a point per month rather than per day. */
export const DAILY_TREND_DAYS = 92;

/** The day ranges and the month range a period's rows come from. */
export function periodSegments(period: Pick<HotlinePeriod, 'from' | 'to' | 'days'>): { days: Array<[string, string]>; months: [string, string] | undefined } {
  const whole: { days: Array<[string, string]>; months: undefined } = { days: [[period.from, period.to]], months: undefined };
  if (period.days.length <= MONTHS_FROM_DAYS) return whole;
  const firstMonth = period.from.endsWith('-01') ? period.from : nextMonthStart(period.from);
  const afterTo = dayOf(dayNumber(period.to) + 1);
  const lastMonthEnd = afterTo.endsWith('-01') ? period.to : dayOf(dayNumber(`${period.to.slice(0, 7)}-01`) - 1);
  if (firstMonth > lastMonthEnd) return whole;
  const days: Array<[string, string]> = [];
  if (period.from < firstMonth) days.push([period.from, dayOf(dayNumber(firstMonth) - 1)]);
  if (lastMonthEnd < period.to) days.push([dayOf(dayNumber(lastMonthEnd) + 1), period.to]);
  return { days, months: [firstMonth.slice(0, 7), lastMonthEnd.slice(0, 7)] };
}

function nextMonthStart(day: string): string {
  const [year, month] = day.split('-').map(Number) as [number, number];
  return month === 12 ? `${year + 1}-01-01` : `${year}-${String(month + 1).padStart(2, '0')}-01`;
}

/** The trend: a point per day, or per month of a long period. */
export interface HotlineTrend { unit: 'day' | 'month'; points: Array<{ period: string; created: number; solved: number }> }

/** The tenant's hotline figures for a period: right now, created in the period, the period's flows, per group and level, per day or month. */
export async function hotlineFigures(scope: TenantScope, period: HotlinePeriod): Promise<HotlineFigures> {
  const segments = periodSegments(period);
  const monthly = period.days.length > DAILY_TREND_DAYS;
  const trendMeasures = ['flow.created', 'flow.solved'];
  const sums = (from: string, to: string) => scope.selectFrom('hotline_days').select(['group_id', 'measure', (eb) => eb.fn.sum<number>('tickets').as('n')])
    .where('day', '>=', from).where('day', '<=', to).groupBy(['group_id', 'measure']).execute();
  const daily = (from: string, to: string) => scope.selectFrom('hotline_days').select(['day as period', 'measure', (eb) => eb.fn.sum<number>('tickets').as('n')])
    .where('day', '>=', from).where('day', '<=', to).where('measure', 'in', trendMeasures).groupBy(['day', 'measure']).execute();
  const [now, groups, ...parts] = await Promise.all([
    scope.selectFrom('hotline_now').select(['group_id', 'status', 'tickets']).execute(),
    scope.selectFrom('support_groups').select(['id', 'name', 'level']).orderBy('name').orderBy('id').execute(),
    ...segments.days.map(([from, to]) => sums(from, to)),
    ...(segments.months ? [scope.selectFrom('hotline_months').select(['group_id', 'measure', (eb) => eb.fn.sum<number>('tickets').as('n')])
      .where('month', '>=', segments.months[0]).where('month', '<=', segments.months[1]).groupBy(['group_id', 'measure']).execute()] : []),
  ]);
  const trendRows = monthly
    ? (await Promise.all([
      ...segments.days.map(([from, to]) => daily(from, to)),
      ...(segments.months ? [scope.selectFrom('hotline_months').select(['month as period', 'measure', (eb) => eb.fn.sum<number>('tickets').as('n')])
        .where('month', '>=', segments.months[0]).where('month', '<=', segments.months[1]).where('measure', 'in', trendMeasures).groupBy(['month', 'measure']).execute()] : []),
    ])).flat()
    : await daily(period.from, period.to);
  const rows = new Map<number, HotlineRow>();
  const row = (groupId: number): HotlineRow => {
    let found = rows.get(groupId);
    if (!found) {
      const group = groups.find((g) => g.id === groupId);
      found = { groupId, name: group?.name ?? null, level: group?.level ?? null, now: noStatuses(), created: noStatuses(), flows: noFlows() };
      rows.set(groupId, found);
    }
    return found;
  };
  for (const group of groups) row(group.id);
  const totals = { now: noStatuses(), created: noStatuses(), flows: noFlows() };
  for (const line of now) {
    const n = Number(line.tickets);
    row(line.group_id).now[line.status] += n;
    totals.now[line.status] += n;
  }
  for (const line of parts.flat()) {
    const n = Number(line.n);
    const [kind, name] = line.measure.split('.') as ['status' | 'flow', string];
    if (kind === 'status') {
      row(line.group_id).created[name as TicketStatus] += n;
      totals.created[name as TicketStatus] += n;
    } else {
      row(line.group_id).flows[name as HotlineFlow] += n;
      totals.flows[name as HotlineFlow] += n;
    }
  }
  const groupRows = [...rows.values()].filter((r) => r.name !== null || sumOf(r.now) + sumOf(r.created) + sumOf(r.flows) > 0)
    .sort((a, b) => (a.name === null ? 1 : b.name === null ? -1 : 0));
  const levels = LEVELS.map((level): HotlineRow => {
    const merged: HotlineRow = { name: null, level, now: noStatuses(), created: noStatuses(), flows: noFlows() };
    for (const r of groupRows.filter((g) => g.level === level)) {
      for (const s of HOTLINE_STATUSES) { merged.now[s] += r.now[s]; merged.created[s] += r.created[s]; }
      for (const f of HOTLINE_FLOWS) merged.flows[f] += r.flows[f];
    }
    return merged;
  });
  const labels = monthly ? [...new Set(period.days.map((day) => day.slice(0, 7)))] : period.days;
  const points = new Map(labels.map((label) => [label, { period: label, created: 0, solved: 0 }]));
  for (const line of trendRows) {
    const entry = points.get(monthly ? line.period.slice(0, 7) : line.period);
    if (!entry) continue;
    if (line.measure === 'flow.created') entry.created += Number(line.n);
    else entry.solved += Number(line.n);
  }
  return { period, now: totals.now, created: totals.created, flows: totals.flows, groups: groupRows, levels, trend: { unit: monthly ? 'month' : 'day', points: [...points.values()] } };
}

/** Right now per status (the dashboard's "whole hotline" tiles and the statistics' first column): one small read. */
export async function hotlineNow(scope: TenantScope): Promise<StatusCounts> {
  const rows = await scope.selectFrom('hotline_now').select(['status', (eb) => eb.fn.sum<number>('tickets').as('n')]).groupBy('status').execute();
  const counts = noStatuses();
  for (const line of rows) counts[line.status] += Number(line.n);
  return counts;
}
