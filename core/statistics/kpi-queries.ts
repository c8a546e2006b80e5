import { z } from 'zod';
import { sql } from 'kysely';
import type { GroupLevel } from '../db/schema.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';
import { zonedDayEnd, zonedDayStart } from '../i18n/time-zone.js';
import { distribution, type Distribution } from './kpi-distribution.js';
import type { HotlinePeriod } from './hotline-queries.js';
import { chunks } from '../db/chunks.js';

// The KPI report's reads (page, CSV, REST, mail), all from kpi_facts (migration 0014): five range reads
// over its covering time indexes, grouped in SQL where a count does; the medians and 90th percentiles
// from one read of the period's values (three columns a ticket), sorted per group, per day and over all,
// then one pass each (SQLite has no percentile function; ranking them with window functions in SQL was
// measured slower on SQLite: four ranking passes cost more than one read of the values).

export const KPI_GROUP_BY = ['agent', 'group', 'level', 'organisation', 'category', 'channel'] as const;
export type KpiGroupBy = (typeof KPI_GROUP_BY)[number];
/** Backlog age buckets: up to 1 day, 3 days, 7 days, 30 days, older (ages in days at the end of the period). */
export const BACKLOG_BUCKETS = [1, 3, 7, 30] as const;
export const BACKLOG_LABELS = ['0-1', '1-3', '3-7', '7-30', '30+'] as const;

const id = z.preprocess((v) => (v === '' || v === null ? undefined : v), z.coerce.number().int().positive().optional());
/** The report's own filters in the query string (the period comes from periodQuerySchema). */
export const kpiQuerySchema = z.object({
  groupBy: z.preprocess((v) => (v === '' || v === null ? undefined : v), z.enum(KPI_GROUP_BY).default('agent')),
  group: id,
  agent: id,
});
export type KpiQuery = z.infer<typeof kpiQuerySchema>;

/** One line of the report: one agent, group, level, organisation, category or channel (key null: none). */
export interface KpiRow {
  key: string | null;
  /** The name to show (an agent's, group's or organisation's; for level, category and channel the key). */
  name: string | null;
  /** Tickets created in the period. */
  created: number;
  /** First response, for the tickets first answered in the period. */
  firstResponse: Distribution;
  /** Resolution (creation to the last solve that holds), for the tickets resolved in the period; its count is the tickets solved. */
  resolution: Distribution;
  /** Tickets first solved in the period, and how many of them were reopened since. */
  firstSolved: number;
  reopened: number;
  /** Unresolved at the end of the period, per age bucket (BACKLOG_LABELS). */
  backlog: number[];
}

export interface KpiTrendPoint { period: string; solved: number; resolutionMedian: number | null; firstResponseMedian: number | null }

export interface KpiReport {
  period: Pick<HotlinePeriod, 'from' | 'to' | 'preset'>;
  groupBy: KpiGroupBy;
  /** True when business time was counted (a provider such as the sla plugin is on); else wall time. */
  businessTime: boolean;
  rows: KpiRow[];
  total: KpiRow;
  trend: { unit: 'day' | 'month'; points: KpiTrendPoint[] };
}

const DAILY_TREND_DAYS = 62;
const DAY_MS = 86_400_000;

type Dim = string | number | null;
const emptyRow = (key: string | null, name: string | null): KpiRow => ({
  key, name, created: 0, firstResponse: distribution([]), resolution: distribution([]), firstSolved: 0, reopened: 0, backlog: BACKLOG_LABELS.map(() => 0),
});

/**
 * The tenant's KPI report for a period (tenant calendar days from..to, both included), grouped by one
 * dimension. `businessTime` says whether the business seconds stored with the facts count (a ticket
 * under no service level then counts its wall time); `now` caps the backlog's end at the present.
 */
export async function kpiReport(scope: TenantScope, input: { period: HotlinePeriod; zone: string; query: KpiQuery; businessTime: boolean; now: Date }): Promise<KpiReport> {
  const { period, zone, query, businessTime } = input;
  const start = zonedDayStart(period.from, zone)!;
  const end = zonedDayEnd(period.to, zone)!;
  const asOf = new Date(Math.min(Date.parse(end), input.now.getTime())).toISOString();
  const dimColumn = query.groupBy === 'agent' ? 'agent_id' : query.groupBy === 'group' || query.groupBy === 'level' ? 'group_id'
    : query.groupBy === 'organisation' ? 'organisation_id' : query.groupBy;
  const base = () => {
    let q = scope.selectFrom('kpi_facts');
    if (query.group) q = q.where('group_id', '=', query.group);
    if (query.agent) q = q.where('agent_id', '=', query.agent);
    return q;
  };
  const dim = sql<Dim>`${sql.ref(dimColumn)}`.as('dim');
  // The seconds that count: business time where the ticket had a calendar (when it counts), else wall time.
  const value = (prefix: 'first_response' | 'resolution') => (businessTime
    ? sql<number>`coalesce(${sql.ref(`${prefix}_business`)}, ${sql.ref(`${prefix}_seconds`)})` : sql<number>`${sql.ref(`${prefix}_seconds`)}`).as('v');
  const bucket = sql<number>`case when created_at >= ${ago(asOf, 1)} then 0 when created_at >= ${ago(asOf, 3)} then 1 when created_at >= ${ago(asOf, 7)} then 2 when created_at >= ${ago(asOf, 30)} then 3 else 4 end`;
  const [answered, resolved, created, solvedFirst, backlog, groups] = await Promise.all([
    base().select([dim, 'first_response_day as day', value('first_response')]).where('first_response_at', '>=', start).where('first_response_at', '<', end).execute(),
    base().select([dim, 'resolved_day as day', value('resolution')]).where('resolved_at', '>=', start).where('resolved_at', '<', end).execute(),
    base().select([dim, (eb) => eb.fn.countAll<number>().as('n')]).where('created_at', '>=', start).where('created_at', '<', end).groupBy(dimColumn).execute(),
    base().select([dim, (eb) => eb.fn.countAll<number>().as('n'), sql<number>`sum(case when reopen_count > 0 then 1 else 0 end)`.as('reopened')])
      .where('first_solved_at', '>=', start).where('first_solved_at', '<', end).groupBy(dimColumn).execute(),
    base().select([dim, bucket.as('bucket'), (eb) => eb.fn.countAll<number>().as('n')]).where('created_at', '<', asOf)
      .where((eb) => eb.or([eb('resolved_at', 'is', null), eb('resolved_at', '>=', asOf)])).groupBy([sql`1`, sql`2`]).execute(), // by position: PostgreSQL matches no parameterised expression in GROUP BY
    query.groupBy === 'level' ? scope.selectFrom('support_groups').select(['id', 'level']).execute() : Promise.resolve([] as Array<{ id: number; level: GroupLevel }>),
  ]);
  const levelOf = new Map(groups.map((g) => [g.id, g.level]));
  const keyOf = (value: Dim): string | null => {
    if (value === null || value === undefined || value === '') return null;
    if (query.groupBy === 'level') return levelOf.get(Number(value)) ?? null;
    return String(value);
  };

  const rows = new Map<string | null, KpiRow>();
  const row = (key: string | null) => {
    let found = rows.get(key);
    if (!found) rows.set(key, (found = emptyRow(key, key)));
    return found;
  };
  const values = { firstResponse: new Map<string | null, number[]>(), resolution: new Map<string | null, number[]>() };
  const push = (into: Map<string | null, number[]>, key: string | null, value: number) => { const list = into.get(key) ?? []; list.push(value); into.set(key, list); };
  const all = { firstResponse: [] as number[], resolution: [] as number[] };
  const monthly = period.days.length > DAILY_TREND_DAYS;
  const byDay = { firstResponse: new Map<string | null, number[]>(), resolution: new Map<string | null, number[]>() };
  const periodOf = (day: string | null) => (day && monthly ? day.slice(0, 7) : day);
  for (const line of answered) {
    const v = Number(line.v);
    push(values.firstResponse, keyOf(line.dim), v); all.firstResponse.push(v); push(byDay.firstResponse, periodOf(line.day), v);
  }
  for (const line of resolved) {
    const v = Number(line.v);
    push(values.resolution, keyOf(line.dim), v); all.resolution.push(v); push(byDay.resolution, periodOf(line.day), v);
  }
  const total = emptyRow(null, null);
  for (const line of created) { const n = Number(line.n); row(keyOf(line.dim)).created += n; total.created += n; }
  for (const line of solvedFirst) {
    const r = row(keyOf(line.dim));
    r.firstSolved += Number(line.n); r.reopened += Number(line.reopened);
    total.firstSolved += Number(line.n); total.reopened += Number(line.reopened);
  }
  for (const line of backlog) { const n = Number(line.n); row(keyOf(line.dim)).backlog[Number(line.bucket)]! += n; total.backlog[Number(line.bucket)]! += n; }
  for (const [key, list] of values.firstResponse) row(key).firstResponse = distribution(list);
  for (const [key, list] of values.resolution) row(key).resolution = distribution(list);

  const labels = monthly ? [...new Set(period.days.map((day) => day.slice(0, 7)))] : [...period.days];
  const trend: KpiReport['trend'] = {
    unit: monthly ? 'month' : 'day',
    points: labels.map((label) => ({
      period: label,
      solved: byDay.resolution.get(label)?.length ?? 0,
      resolutionMedian: distribution(byDay.resolution.get(label) ?? []).median,
      firstResponseMedian: distribution(byDay.firstResponse.get(label) ?? []).median,
    })),
  };
  total.firstResponse = distribution(all.firstResponse);
  total.resolution = distribution(all.resolution);
  await nameRows(scope, query.groupBy, rows);
  const sorted = [...rows.values()].sort((a, b) => (a.key === null ? 1 : b.key === null ? -1 : (a.name ?? '').localeCompare(b.name ?? '') || (a.key < b.key ? -1 : 1)));
  return { period: { from: period.from, to: period.to, preset: period.preset }, groupBy: query.groupBy, businessTime, rows: sorted, total, trend };
}

const ago = (iso: string, days: number) => new Date(Date.parse(iso) - days * DAY_MS).toISOString();

/** Names for agents, groups and organisations (one read of the keys present). */
async function nameRows(scope: TenantScope, groupBy: KpiGroupBy, rows: Map<string | null, KpiRow>): Promise<void> {
  const ids = [...rows.keys()].filter((key): key is string => key !== null).map(Number);
  if (!ids.length || !['agent', 'group', 'organisation'].includes(groupBy)) return;
  const names = new Map<number, string>();
  for (const chunk of chunks(ids)) {
    const found = groupBy === 'agent' ? await scope.selectFrom('users').select(['id', 'name']).where('id', 'in', chunk).execute()
      : groupBy === 'group' ? await scope.selectFrom('support_groups').select(['id', 'name']).where('id', 'in', chunk).execute()
        : await scope.selectFrom('organisations').select(['id', 'name']).where('id', 'in', chunk).execute();
    for (const entry of found) names.set(entry.id, entry.name);
  }
  for (const row of rows.values()) if (row.key !== null) row.name = names.get(Number(row.key)) ?? null;
}
