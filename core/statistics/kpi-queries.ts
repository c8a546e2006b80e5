import { z } from 'zod';
import { sql, type Kysely, type RawBuilder, type SelectQueryBuilder } from 'kysely';
import type { GroupLevel } from '../db/schema.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';
import { zonedDayEnd, zonedDayStart } from '../i18n/time-zone.js';
import { distribution, distributionFromRanks, type Distribution } from './kpi-distribution.js';
import type { HotlinePeriod } from './hotline-queries.js';

// The KPI report's reads (page, CSV, REST, mail), all from kpi_facts (migration 0014): range reads over
// its time indexes, grouped in SQL; medians and 90th percentiles from the values the database ranked with
// window functions (SQLite has no percentile function, both dialects have row_number), per group, per
// day of the trend and over all.

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
  const bucket = sql<number>`case when created_at >= ${ago(asOf, 1)} then 0 when created_at >= ${ago(asOf, 3)} then 1 when created_at >= ${ago(asOf, 7)} then 2 when created_at >= ${ago(asOf, 30)} then 3 else 4 end`;
  const monthly = period.days.length > DAILY_TREND_DAYS;
  const ranked = (time: TimeKind, key: 'dim' | 'period') => {
    const columns = TIMES[time];
    const keyExpr = key === 'dim' ? sql<Dim>`${sql.ref(dimColumn)}` : monthly ? sql<Dim>`substr(${sql.ref(columns.day)}, 1, 7)` : sql<Dim>`${sql.ref(columns.day)}`;
    const value = businessTime ? sql<number>`coalesce(${sql.ref(columns.business)}, ${sql.ref(columns.wall)})` : sql<number>`${sql.ref(columns.wall)}`;
    return rankedValues(scope, base().select([keyExpr.as('k'), value.as('v')]).where(columns.at, '>=', start).where(columns.at, '<', end));
  };
  const [answered, resolved, answeredByDay, resolvedByDay, created, solvedFirst, backlog, groups] = await Promise.all([
    ranked('firstResponse', 'dim'),
    ranked('resolution', 'dim'),
    ranked('firstResponse', 'period'),
    ranked('resolution', 'period'),
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
  const total = emptyRow(null, null);
  for (const line of created) { const n = Number(line.n); row(keyOf(line.dim)).created += n; total.created += n; }
  for (const line of solvedFirst) {
    const r = row(keyOf(line.dim));
    r.firstSolved += Number(line.n); r.reopened += Number(line.reopened);
    total.firstSolved += Number(line.n); total.reopened += Number(line.reopened);
  }
  for (const line of backlog) { const n = Number(line.n); row(keyOf(line.dim)).backlog[Number(line.bucket)]! += n; total.backlog[Number(line.bucket)]! += n; }
  // Levels merge groups: their values are ranked again over the merged groups (a second, smaller ranking).
  if (query.groupBy === 'level') {
    const levelValue = (time: TimeKind) => {
      const columns = TIMES[time];
      const value = businessTime ? sql<number>`coalesce(kpi_facts.${sql.ref(columns.business)}, kpi_facts.${sql.ref(columns.wall)})` : sql<number>`kpi_facts.${sql.ref(columns.wall)}`;
      let q = scope.selectFrom('kpi_facts').leftJoin('support_groups', 'support_groups.id', 'kpi_facts.group_id').select([sql<Dim>`support_groups.level`.as('k'), value.as('v')])
        .where(`kpi_facts.${columns.at}`, '>=', start).where(`kpi_facts.${columns.at}`, '<', end);
      if (query.group) q = q.where('kpi_facts.group_id', '=', query.group);
      if (query.agent) q = q.where('kpi_facts.agent_id', '=', query.agent);
      return rankedValues(scope, q);
    };
    const [first, solved] = await Promise.all([levelValue('firstResponse'), levelValue('resolution')]);
    for (const [key, d] of first.groups) row(key === null ? null : String(key)).firstResponse = d;
    for (const [key, d] of solved.groups) row(key === null ? null : String(key)).resolution = d;
  } else {
    for (const [key, d] of answered.groups) row(keyOf(key)).firstResponse = d;
    for (const [key, d] of resolved.groups) row(keyOf(key)).resolution = d;
  }
  total.firstResponse = answered.all;
  total.resolution = resolved.all;
  const labels = monthly ? [...new Set(period.days.map((day) => day.slice(0, 7)))] : [...period.days];
  const trend: KpiReport['trend'] = {
    unit: monthly ? 'month' : 'day',
    points: labels.map((label) => ({
      period: label,
      solved: resolvedByDay.groups.get(label)?.count ?? 0,
      resolutionMedian: resolvedByDay.groups.get(label)?.median ?? null,
      firstResponseMedian: answeredByDay.groups.get(label)?.median ?? null,
    })),
  };
  await nameRows(scope, query.groupBy, rows);
  const sorted = [...rows.values()].sort((a, b) => (a.key === null ? 1 : b.key === null ? -1 : (a.name ?? '').localeCompare(b.name ?? '') || (a.key < b.key ? -1 : 1)));
  return { period: { from: period.from, to: period.to, preset: period.preset }, groupBy: query.groupBy, businessTime, rows: sorted, total, trend };
}

type TimeKind = 'firstResponse' | 'resolution';
const TIMES = {
  firstResponse: { at: 'first_response_at', wall: 'first_response_seconds', business: 'first_response_business', day: 'first_response_day' },
  resolution: { at: 'resolved_at', wall: 'resolution_seconds', business: 'resolution_business', day: 'resolved_day' },
} as const;

/**
 * Medians, 90th percentiles and means of `v` per `k`, and over all: the database ranks each group's
 * values (row_number over the group, ordered by value; both dialects have window functions) and keeps
 * only its size, sum and the values at the four ranks the quantiles interpolate between, so a year of
 * tickets comes back as a few rows per group instead of one per ticket.
 */
async function rankedValues(scope: TenantScope, values: SelectQueryBuilder<any, any, { k: Dim; v: number }>): Promise<{ groups: Map<Dim, Distribution>; all: Distribution }> {
  const db = scope.db as Kysely<any>;
  const ranks = (partition: RawBuilder<unknown>) => db.selectFrom(values.as('f')).select([
    sql<Dim>`k`.as('k'), sql<number>`v`.as('v'),
    sql<number>`row_number() over (${partition} order by v)`.as('rn'),
    sql<number>`count(*) over (${partition})`.as('n'),
    sql<number>`sum(v) over (${partition})`.as('total'),
  ]);
  const keep = sql<boolean>`rn in (1 + (n - 1) * 5 / 10, 2 + (n - 1) * 5 / 10, 1 + (n - 1) * 9 / 10, 2 + (n - 1) * 9 / 10)`;
  const [byGroup, overall] = await Promise.all([
    db.selectFrom(ranks(sql`partition by k`).as('r')).select(['k', 'v', 'rn', 'n', 'total']).where(keep).execute(),
    db.selectFrom(ranks(sql``).as('r')).select(['k', 'v', 'rn', 'n', 'total']).where(keep).execute(),
  ]);
  const collect = (lines: Array<{ k: Dim; v: number; rn: number; n: number; total: number }>, byKey: boolean) => {
    const found = new Map<Dim, { n: number; total: number; at: Map<number, number> }>();
    for (const line of lines) {
      const key = byKey ? (line.k === null || line.k === undefined ? null : typeof line.k === 'number' ? line.k : String(line.k)) : null;
      let entry = found.get(key);
      if (!entry) found.set(key, (entry = { n: Number(line.n), total: Number(line.total), at: new Map() }));
      entry.at.set(Number(line.rn), Number(line.v));
    }
    return new Map([...found].map(([key, e]) => [key, distributionFromRanks(e.n, e.total, e.at)]));
  };
  return { groups: collect(byGroup, true), all: collect(overall, false).get(null) ?? distribution([]) };
}

const ago = (iso: string, days: number) => new Date(Date.parse(iso) - days * DAY_MS).toISOString();

/** Names for agents, groups and organisations (one read of the keys present). */
async function nameRows(scope: TenantScope, groupBy: KpiGroupBy, rows: Map<string | null, KpiRow>): Promise<void> {
  const ids = [...rows.keys()].filter((key): key is string => key !== null).map(Number);
  if (!ids.length || !['agent', 'group', 'organisation'].includes(groupBy)) return;
  const names = new Map<number, string>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const found = groupBy === 'agent' ? await scope.selectFrom('users').select(['id', 'name']).where('id', 'in', chunk).execute()
      : groupBy === 'group' ? await scope.selectFrom('support_groups').select(['id', 'name']).where('id', 'in', chunk).execute()
        : await scope.selectFrom('organisations').select(['id', 'name']).where('id', 'in', chunk).execute();
    for (const entry of found) names.set(entry.id, entry.name);
  }
  for (const row of rows.values()) if (row.key !== null) row.name = names.get(Number(row.key)) ?? null;
}
