import { z } from 'zod';
import { scope, tenantOf } from '../http/guards.js';
import { HttpError } from '../http/http-error.js';
import { HOTLINE_FLOWS, HOTLINE_STATUSES } from '../statistics/hotline-contributions.js';
import { hotlineFigures, MAX_PERIOD_DAYS, resolvePeriod, sumOf, type HotlineRow, type StatusCounts } from '../statistics/hotline-queries.js';
import { one } from './api-schemas.js';
import { defineRoute } from './openapi.js';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const count = z.number().int();
const statusCounts = z.object(Object.fromEntries(HOTLINE_STATUSES.map((s) => [s, count])) as Record<'new' | 'open' | 'waiting' | 'solved' | 'closed', typeof count>);
const shares = z.object(Object.fromEntries(HOTLINE_STATUSES.map((s) => [s, z.number()])) as Record<'new' | 'open' | 'waiting' | 'solved' | 'closed', z.ZodNumber>)
  .meta({ description: 'each status’s share of the total, 0 to 1 (0 when the total is 0)' });
const flows = z.object(Object.fromEntries(HOTLINE_FLOWS.map((f) => [f, count])) as Record<'created' | 'solved' | 'reopened' | 'closed' | 'moved', typeof count>)
  .meta({ description: 'events in the period, each on its day in the group the ticket was in then (moved: forwarded or moved into the group)' });
const tally = z.object({ counts: statusCounts, shares, total: count });
const level = z.enum(['first', 'second', 'third', 'expert']);
const rowSchema = z.object({ now: statusCounts, created: statusCounts, flows });

const hotlineSchema = z.object({
  from: day, to: day, time_zone: z.string().meta({ description: 'the tenant’s zone, whose calendar days the period counts' }),
  now: tally.meta({ description: 'every ticket (not deleted) by its status right now' }),
  created: tally.meta({ description: 'the tickets created in the period, by their status now' }),
  flows,
  groups: z.array(rowSchema.extend({ group_id: z.number().int().nullable(), name: z.string().nullable(), level: level.nullable() })),
  levels: z.array(rowSchema.extend({ level })),
  trend: z.object({
    unit: z.enum(['day', 'month']).meta({ description: 'month for periods longer than 92 days' }),
    points: z.array(z.object({ period: z.string().meta({ description: 'YYYY-MM-DD, or YYYY-MM' }), created: count, solved: count })),
  }),
});

const hotlineQuery = z.object({
  from: day.optional().meta({ description: 'first day (the tenant’s calendar), default 6 days before to' }),
  to: day.optional().meta({ description: 'last day, included; default today' }),
});

function tallyOf(counts: StatusCounts) {
  const total = sumOf(counts);
  return { counts, total, shares: Object.fromEntries(HOTLINE_STATUSES.map((s) => [s, total > 0 ? counts[s] / total : 0])) as StatusCounts };
}
const row = (r: HotlineRow) => ({ now: r.now, created: r.created, flows: r.flows });

export const statisticsApiRoutes = [
  defineRoute({
    method: 'get', path: '/statistics/hotline', operationId: 'hotlineStatistics', tag: 'statistics', permission: 'statistics.view',
    summary: 'Hotline figures: tickets per status right now and created in a period (counts and shares), the period’s events, per group, per level and per day',
    query: hotlineQuery, status: 200, response: one(hotlineSchema), errors: [403, 422],
    async handle(c, { query }) {
      const zone = tenantOf(c).time_zone;
      const now = c.var.services.clock();
      const today = resolvePeriod({ period: 'today' }, now, zone);
      const to = query.to ?? ('period' in today ? today.period.to : undefined);
      const from = query.from ?? (to ? new Date(Date.parse(`${to}T00:00:00Z`) - 6 * 86_400_000).toISOString().slice(0, 10) : undefined);
      const resolved = resolvePeriod({ period: 'custom', from, to }, now, zone);
      if ('errors' in resolved) {
        const fields = Object.fromEntries(Object.entries(resolved.errors).map(([field, why]) => [field, c.var.t(`statistics.error.${why}`, { days: MAX_PERIOD_DAYS })]));
        throw new HttpError(422, c.var.t('error.invalid'), fields);
      }
      const figures = await hotlineFigures(scope(c), resolved.period);
      return {
        data: {
          from: resolved.period.from, to: resolved.period.to, time_zone: zone,
          now: tallyOf(figures.now), created: tallyOf(figures.created), flows: figures.flows,
          groups: figures.groups.map((g) => ({ group_id: g.groupId ? g.groupId : null, name: g.name, level: g.level, ...row(g) })),
          levels: figures.levels.map((l) => ({ level: l.level!, ...row(l) })),
          trend: figures.trend,
        },
      };
    },
  }),
];
