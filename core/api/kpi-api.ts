import { z } from 'zod';
import { scope, tenantOf } from '../http/guards.js';
import { HttpError } from '../http/http-error.js';
import { KPI_BUSINESS_TIME } from '../statistics/kpi-business-time.js';
import { BACKLOG_LABELS, KPI_GROUP_BY, kpiReport } from '../statistics/kpi-queries.js';
import { kpiCsv, kpiFilterOptions, parseKpiRequest } from '../statistics/kpi-request.js';
import { one } from './api-schemas.js';
import { defineRoute } from './openapi.js';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const seconds = z.number().nullable();
const distribution = z.object({
  count: z.number().int(), average: seconds, median: seconds, p90: seconds.meta({ description: '90th percentile' }),
}).meta({ description: 'seconds; median and 90th percentile interpolate between the nearest values (null: no tickets)' });
const row = z.object({
  key: z.string().nullable().meta({ description: 'the agent’s, group’s or organisation’s id, the level, category or channel; null: none' }),
  name: z.string().nullable(),
  created: z.number().int().meta({ description: 'tickets created in the period' }),
  solved: z.number().int().meta({ description: 'tickets whose last solution falls in the period' }),
  first_response: distribution.meta({ description: 'creation to first public reply, tickets first answered in the period' }),
  resolution: distribution.meta({ description: 'creation to last solution, tickets solved in the period' }),
  first_solved: z.number().int(), reopened: z.number().int().meta({ description: 'of first_solved, reopened at least once since' }),
  reopen_rate: z.number().nullable(),
  backlog: z.object(Object.fromEntries(BACKLOG_LABELS.map((label) => [label, z.number().int()])) as Record<(typeof BACKLOG_LABELS)[number], z.ZodNumber>)
    .meta({ description: 'unsolved at the end of the period, by age in days' }),
});
const kpiSchema = z.object({
  from: day, to: day, time_zone: z.string(), group_by: z.enum(KPI_GROUP_BY),
  time_basis: z.enum(['business', 'wall']).meta({ description: 'business: on the calendar of each ticket’s service level (sla plugin on); wall: clock time' }),
  rows: z.array(row), total: row,
  trend: z.object({
    unit: z.enum(['day', 'month']),
    points: z.array(z.object({ period: z.string(), solved: z.number().int(), first_response_median: seconds, resolution_median: seconds })),
  }),
});

const query = z.object({
  from: day.optional().meta({ description: 'first day (the tenant’s calendar); default 29 days before to' }),
  to: day.optional().meta({ description: 'last day, included; default today' }),
  groupBy: z.enum(KPI_GROUP_BY).optional().meta({ description: 'default agent' }),
  group: z.coerce.number().int().positive().optional().meta({ description: 'only this support group' }),
  agent: z.coerce.number().int().positive().optional().meta({ description: 'only this agent' }),
  format: z.enum(['json', 'csv']).optional().meta({ description: 'csv: the table as text/csv (times in hours)' }),
});

export const kpiApiRoutes = [
  defineRoute({
    method: 'get', path: '/reports/kpi', operationId: 'kpiReport', tag: 'statistics', permission: 'statistics.view',
    summary: 'KPI report: first response and resolution times (median, 90th percentile, mean), reopen rate, tickets created and solved, backlog by age, per agent, group, level, organisation, category or channel',
    query, status: 200, response: one(kpiSchema), csv: { description: 'the same table as CSV (format=csv)' }, errors: [403, 422],
    async handle(c, { query: q }) {
      const raw: Record<string, string> = {};
      for (const [key, value] of Object.entries({ from: q.from, to: q.to, groupBy: q.groupBy, group: q.group, agent: q.agent })) if (value !== undefined) raw[key] = String(value);
      if (!raw.from && !raw.to) raw.period = '30d';
      else if (!raw.from && /^\d{4}-\d{2}-\d{2}$/.test(raw.to!)) raw.from = new Date(Date.parse(`${raw.to}T00:00:00Z`) - 29 * 86_400_000).toISOString().slice(0, 10);
      const zone = tenantOf(c).time_zone;
      const request = parseKpiRequest(raw, c.var.services.clock(), zone, await kpiFilterOptions(scope(c)), c.var.t);
      if (request.errors) throw new HttpError(422, c.var.t('error.invalid'), request.errors);
      const businessTime = (await c.var.services.hooks.extensions(KPI_BUSINESS_TIME, tenantOf(c).id, c.var.enabledPlugins)).length > 0;
      const report = await kpiReport(scope(c), { period: request.period, zone, query: request.query, businessTime, now: c.var.services.clock() });
      if (q.format === 'csv') {
        return new Response(kpiCsv(report, c.var.t), { headers: {
          'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="kpi-${report.groupBy}-${report.period.from}-${report.period.to}.csv"`, 'X-Content-Type-Options': 'nosniff',
        } });
      }
      const out = (r: typeof report.total) => ({
        key: r.key, name: r.name, created: r.created, solved: r.resolution.count, first_response: r.firstResponse, resolution: r.resolution,
        first_solved: r.firstSolved, reopened: r.reopened, reopen_rate: r.firstSolved > 0 ? r.reopened / r.firstSolved : null,
        backlog: Object.fromEntries(BACKLOG_LABELS.map((label, i) => [label, r.backlog[i]!])) as Record<(typeof BACKLOG_LABELS)[number], number>,
      });
      return {
        data: {
          from: report.period.from, to: report.period.to, time_zone: zone, group_by: report.groupBy, time_basis: businessTime ? 'business' as const : 'wall' as const,
          rows: report.rows.map(out), total: out(report.total),
          trend: { unit: report.trend.unit, points: report.trend.points.map((p) => ({ period: p.period, solved: p.solved, first_response_median: p.firstResponseMedian, resolution_median: p.resolutionMedian })) },
        },
      };
    },
  }),
];
