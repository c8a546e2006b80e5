import type { TenantScope } from '../tenancy/tenant-scope.js';
import { MAX_PERIOD_DAYS, periodQuerySchema, resolvePeriod, type HotlinePeriod } from './hotline-queries.js';
import { kpiQuerySchema, type KpiQuery } from './kpi-queries.js';
import { csvDocument } from '../text/csv.js';
import type { Translate } from '../i18n/translate.js';
import { BACKLOG_LABELS, type KpiReport } from './kpi-queries.js';
import { rowLabel } from './kpi-view.js';

/** The groups and agents the report's filters offer (and accept). */
export interface KpiFilterOptions { groups: Array<{ id: number; name: string }>; agents: Array<{ id: number; name: string }> }

export async function kpiFilterOptions(scope: TenantScope): Promise<KpiFilterOptions> {
  const [groups, agents] = await Promise.all([
    scope.selectFrom('support_groups').select(['id', 'name']).orderBy('name').orderBy('id').execute(),
    scope.selectFrom('users').select(['id', 'name']).where('role', 'in', ['agent', 'supervisor', 'admin']).orderBy('name').orderBy('id').execute(),
  ]);
  return { groups, agents };
}

export type KpiRequest = { period: HotlinePeriod; query: KpiQuery; errors?: undefined } | { errors: Record<string, string>; period: HotlinePeriod; query: KpiQuery };

/**
 * The report a query string asks for: the period (preset or from/to in the tenant's days; 30 days by
 * default), the grouping and the group and agent filters, which must be the tenant's own. With
 * refusals (field → message), the default report to show meanwhile.
 */
export function parseKpiRequest(raw: Record<string, string>, now: Date, zone: string, options: KpiFilterOptions, t: Translate): KpiRequest {
  const errors: Record<string, string> = {};
  const periodParsed = periodQuerySchema.safeParse(raw);
  const periodQuery = periodParsed.success ? periodParsed.data : {};
  if (!periodParsed.success) for (const issue of periodParsed.error.issues) errors[String(issue.path[0] ?? 'period')] = t(issue.path[0] === 'period' ? 'validation.choice' : 'statistics.error.date');
  const withDefault = periodQuery.period || periodQuery.from || periodQuery.to ? periodQuery : { period: '30d' as const };
  const resolved = resolvePeriod(withDefault, now, zone);
  if ('errors' in resolved) for (const [field, why] of Object.entries(resolved.errors)) errors[field] = t(`statistics.error.${why}`, { days: MAX_PERIOD_DAYS });
  const parsed = kpiQuerySchema.safeParse(raw);
  if (!parsed.success) for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? 'groupBy')] = t('kpi.error.filter');
  const query = parsed.success ? parsed.data : kpiQuerySchema.parse({});
  if (query.group && !options.groups.some((g) => g.id === query.group)) errors.group = t('kpi.error.filter');
  if (query.agent && !options.agents.some((a) => a.id === query.agent)) errors.agent = t('kpi.error.filter');
  const period = 'period' in resolved ? resolved.period : (resolvePeriod({ period: '30d' }, now, zone) as { period: HotlinePeriod }).period;
  return Object.keys(errors).length ? { errors, period, query: kpiQuerySchema.parse({}) } : { period, query };
}

/** The query string of a report (what the page's URL, its CSV link and the mail's link carry). */
export function kpiQueryString(period: Pick<HotlinePeriod, 'preset' | 'from' | 'to'>, query: KpiQuery): string {
  const params = period.preset === 'custom' ? new URLSearchParams({ from: period.from, to: period.to }) : new URLSearchParams({ period: period.preset });
  params.set('groupBy', query.groupBy);
  if (query.group) params.set('group', String(query.group));
  if (query.agent) params.set('agent', String(query.agent));
  return params.toString();
}

const hours = (seconds: number | null) => (seconds === null ? '' : (seconds / 3600).toFixed(2));

/** The report as CSV: one line per row and a total line; times in hours (two decimals), the backlog per age bucket. */
export function kpiCsv(report: KpiReport, t: Translate): string {
  const by = t(`kpi.groupBy.${report.groupBy}`);
  const time = (figure: string) => ['median', 'p90', 'average'].map((m) => t('kpi.csv.hours', { figure: t(`kpi.${figure}`), measure: t(`kpi.${m}`) }));
  const header = [by, t('kpi.created'), t('kpi.solved'), ...time('firstResponse'), ...time('resolution'), `${t('kpi.firstResponse')} ${t('kpi.count')}`,
    t('kpi.firstSolved'), t('kpi.reopened'), t('kpi.reopenRate'), ...BACKLOG_LABELS.map((label) => `${t('kpi.backlog')} ${t(`kpi.bucket.${label}`)}`)];
  const line = (row: KpiReport['total'], label: string) => [label, row.created, row.resolution.count,
    hours(row.firstResponse.median), hours(row.firstResponse.p90), hours(row.firstResponse.average),
    hours(row.resolution.median), hours(row.resolution.p90), hours(row.resolution.average), row.firstResponse.count,
    row.firstSolved, row.reopened, row.firstSolved > 0 ? (row.reopened / row.firstSolved).toFixed(4) : '', ...row.backlog];
  return csvDocument([header, ...report.rows.map((row) => line(row, rowLabel(row, report.groupBy, t))), line(report.total, t('kpi.total'))]);
}
