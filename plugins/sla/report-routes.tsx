import type { Hono } from 'hono';
import type { Child } from 'hono/jsx';
import {
  DEFAULT_TIME_ZONE, BarChart, FormError, Page, csvDocument, csvResponse, fieldErrors, href, isoToZoned, render, requirePermission, tenantOf, ticketSettings, type AppEnv, type Translate,
} from '../../core/plugin-api.js';
import type { Ctx } from './admin-page.js';
import { REPORTS, reportQuerySchema } from './report-query.js';
import { REPORT_GROUPS, slaReport, type Report, type ReportRow } from './sla-report.js';
import { duration } from './ticket-views.js';

/** The default period: the current month up to today, in the tenant's zone. */
function defaults(c: Ctx): { from: string; to: string } {
  const today = isoToZoned(c.var.services.clock().toISOString(), tenantOf(c).time_zone || DEFAULT_TIME_ZONE).slice(0, 10);
  return { from: `${today.slice(0, 8)}01`, to: today };
}

/** The query from the URL (defaults for what is missing); field messages for what does not fit. */
function queryOf(c: Ctx) {
  const raw: Record<string, string> = { ...defaults(c), ...Object.fromEntries(Object.entries(c.req.query()).filter(([, v]) => v !== '')) };
  const parsed = reportQuerySchema.safeParse(raw);
  return parsed.success ? { query: parsed.data, raw, errors: undefined } : { query: undefined, raw, errors: fieldErrors(parsed.error, c.var.t) };
}

const minutes = (t: Translate, value: number | null) => (value === null ? '–' : duration(t, value));
const percent = (value: number | null) => (value === null ? '–' : `${value} %`);

function ReportTable({ t, report }: { t: Translate; report: Report }) {
  const line = (row: ReportRow, head: boolean) => (
    <tr class={head ? 'sla-report-total' : undefined}>
      <th scope="row">{row.label}</th><td class="num">{row.tickets}</td><td class="num">{row.met}</td><td class="num">{row.breached}</td>
      <td class="num">{percent(row.compliance)}</td><td class="num">{minutes(t, row.pausedMinutes)}</td>
      <td class="num">{minutes(t, row.firstResponseMedian)}</td><td class="num">{minutes(t, row.solutionMedian)}</td>
    </tr>
  );
  return (
    <div class="table-wrap">
      <table class="table" id="sla-report-table">
        <thead><tr>
          <th scope="col">{t(`sla.report.by.${report.query.groupBy}`)}</th><th scope="col" class="num">{t('sla.report.tickets')}</th>
          <th scope="col" class="num">{t('sla.report.met')}</th><th scope="col" class="num">{t('sla.report.breached')}</th>
          <th scope="col" class="num">{t('sla.report.compliance')}</th><th scope="col" class="num">{t('sla.report.paused')}</th>
          <th scope="col" class="num">{t('sla.report.firstMedian')}</th><th scope="col" class="num">{t('sla.report.solutionMedian')}</th>
        </tr></thead>
        <tbody>{report.rows.map((row) => line(row, false))}</tbody>
        <tfoot>{line(report.total, true)}</tfoot>
      </table>
    </div>
  );
}

/** The charts: compliance per group and met against breached; the numbers are in the table beside them. */
export function ReportCharts({ t, report }: { t: Translate; report: Report }) {
  return (
    <div class="sla-report-charts">
      <figure class="sla-report-chart">
        <figcaption>{t('sla.report.chart.compliance')}</figcaption>
        <BarChart id="sla-chart-compliance" title={t('sla.report.chart.compliance')} bars={report.rows.map((row) => ({ label: row.label, value: row.compliance ?? 0, tone: 'sla-met' }))} />
      </figure>
      <figure class="sla-report-chart">
        <figcaption>{t('sla.report.chart.breached')}</figcaption>
        <BarChart id="sla-chart-breached" title={t('sla.report.chart.breached')} bars={report.rows.map((row) => ({ label: row.label, value: row.breached, tone: 'sla-breached' }))} />
      </figure>
    </div>
  );
}

/** /p/sla/reports (supervisors, admins): the filters in the URL, charts, the table and the CSV of the same numbers. */
export function reportRoutes(app: Hono<AppEnv>): void {
  app.get('/reports', requirePermission(REPORTS), async (c) => {
    const t = c.var.t;
    const { query, raw, errors } = queryOf(c);
    const tenant = tenantOf(c);
    const report = query ? await slaReport(c.var.services.db, tenant.id, tenant.time_zone || DEFAULT_TIME_ZONE, ticketSettings(tenant), t, query, c.var.services.clock()) : undefined;
    const csv = query ? href(c, `/p/sla/reports.csv?${new URLSearchParams({ from: query.from, to: query.to, groupBy: query.groupBy })}`) : undefined;
    const field = (name: 'from' | 'to', label: string): Child => (
      <div class={`field${errors?.[name] ? ' field-invalid' : ''}`}>
        <label for={`f-${name}`}>{label}</label>
        <input type="date" id={`f-${name}`} name={name} value={raw[name] ?? ''} aria-invalid={errors?.[name] ? 'true' : undefined} />
        {errors?.[name] ? <small class="field-error">{errors[name]}</small> : null}
      </div>
    );
    return render(c, {
      title: t('sla.report.title'),
      ...(errors ? { status: 422 as const } : {}),
      page: (
        <Page title={t('sla.report.title')}>
          <form method="get" action={href(c, '/p/sla/reports')} class="card sla-report-filters" id="sla-report-filters">
            <FormError message={errors ? t('error.invalid') : undefined} />
            {field('from', t('sla.report.from'))}
            {field('to', t('sla.report.to'))}
            <div class="field">
              <label for="f-groupBy">{t('sla.report.groupBy')}</label>
              <select id="f-groupBy" name="groupBy">
                {REPORT_GROUPS.map((group) => <option value={group} selected={(query?.groupBy ?? raw.groupBy) === group}>{t(`sla.report.by.${group}`)}</option>)}
              </select>
            </div>
            <button type="submit" class="button-primary">{t('sla.report.show')}</button>
          </form>
          {report ? (
            <section class="stack" id="sla-report">
              <p class="muted">{t('sla.report.explain')}</p>
              {report.rows.length ? <><ReportCharts t={t} report={report} /><ReportTable t={t} report={report} /></> : <p id="sla-report-empty">{t('sla.report.empty')}</p>}
              <p><a class="button" href={csv} id="sla-report-csv" download>{t('sla.report.csv')}</a></p>
            </section>
          ) : null}
        </Page>
      ),
    });
  });

  app.get('/reports.csv', requirePermission(REPORTS), async (c) => {
    const t = c.var.t;
    const { query, errors } = queryOf(c);
    if (!query) return c.json({ error: { code: 'invalid', message: t('error.invalid'), fields: errors } }, 422);
    const tenant = tenantOf(c);
    const report = await slaReport(c.var.services.db, tenant.id, tenant.time_zone || DEFAULT_TIME_ZONE, ticketSettings(tenant), t, query, c.var.services.clock());
    const line = (row: ReportRow) => [row.label, row.tickets, row.met, row.breached, row.compliance, row.pausedMinutes, row.firstResponseMedian, row.solutionMedian];
    const text = csvDocument([
      [t(`sla.report.by.${query.groupBy}`), t('sla.report.tickets'), t('sla.report.met'), t('sla.report.breached'), t('sla.report.compliancePercent'),
        t('sla.report.pausedMinutes'), t('sla.report.firstMedianMinutes'), t('sla.report.solutionMedianMinutes')],
      ...report.rows.map(line), line(report.total),
    ]);
    return csvResponse(c, `sla-${query.groupBy}-${query.from}-${query.to}.csv`, text);
  });
}
