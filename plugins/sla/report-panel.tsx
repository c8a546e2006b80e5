import { isoToZoned, ticketSettings, type StatisticsPanel } from '../../core/plugin-api.js';
import { REPORTS } from './report-query.js';
import { ReportCharts } from './report-routes.js';
import { slaReport } from './sla-report.js';

/** The Statistics page's panel: this month's compliance per service level, the same numbers as the report page. */
export const complianceStatisticsPanel: StatisticsPanel = {
  id: 'compliance',
  label: { en: 'SLA compliance this month', de: 'SLA-Einhaltung in diesem Monat' },
  permission: REPORTS,
  async render(ctx) {
    const db = ctx.scope.db;
    const tenant = await db.selectFrom('tenants').selectAll().where('id', '=', ctx.tenantId).executeTakeFirstOrThrow();
    const today = isoToZoned(ctx.now.toISOString(), ctx.dates.timeZone).slice(0, 10);
    const report = await slaReport(db, ctx.tenantId, ctx.dates.timeZone, ticketSettings(tenant), ctx.t,
      { from: `${today.slice(0, 8)}01`, to: today, groupBy: 'level' }, ctx.now);
    if (!report.rows.length) return <p class="muted">{ctx.t('sla.report.empty')}</p>;
    return (
      <div class="stat-figure">
        <ReportCharts t={ctx.t} report={report} />
        <div class="table-wrap">
          <table class="table" id="sla-stats">
            <thead><tr><th scope="col">{ctx.t('sla.report.by.level')}</th><th scope="col" class="num">{ctx.t('sla.report.met')}</th>
              <th scope="col" class="num">{ctx.t('sla.report.breached')}</th><th scope="col" class="num">{ctx.t('sla.report.compliance')}</th></tr></thead>
            <tbody>{report.rows.map((row) => <tr><th scope="row">{row.label}</th><td class="num">{row.met}</td><td class="num">{row.breached}</td>
              <td class="num">{row.compliance === null ? '–' : `${row.compliance} %`}</td></tr>)}</tbody>
          </table>
        </div>
      </div>
    );
  },
};
