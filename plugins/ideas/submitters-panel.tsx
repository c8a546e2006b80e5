import { DEFAULT_TIME_ZONE, type StatisticsPanel } from '../../core/plugin-api.js';
import { submittersReport } from './submitters-report.js';
import { MANAGE } from './viewer.js';

/** How many submitters the panel names (the report page has them all, with CSV). */
const TOP = 10;

/** The Statistics page's panel: who had the most proposals accepted in the page's period (idea managers, as the report). */
export const submittersPanel: StatisticsPanel = {
  id: 'submitters',
  label: { en: 'Ideas: accepted proposals by submitter', de: 'Ideen: angenommene Vorschläge nach Einreichenden' },
  permission: MANAGE,
  async render(ctx) {
    const period = { from: ctx.props.period.from, to: ctx.props.period.to };
    const rows = (await submittersReport(ctx.scope.db, ctx.tenantId, period, ctx.dates.timeZone || DEFAULT_TIME_ZONE)).slice(0, TOP);
    const link = <p><a href={ctx.href(`/p/ideas/report?from=${period.from}&to=${period.to}`)} id="ideas-stats-report">{ctx.t('ideas.report')}</a></p>;
    if (!rows.length) return <div class="stack"><p class="muted" id="ideas-stats-none">{ctx.t('ideas.stats.none')}</p>{link}</div>;
    return (
      <div class="stack">
        <div class="table-wrap">
          <table class="table" id="ideas-stats">
            <thead><tr><th scope="col">{ctx.t('ideas.report.submitter')}</th><th scope="col" class="num">{ctx.t('ideas.report.accepted')}</th></tr></thead>
            <tbody>{rows.map((row) => <tr><th scope="row">{row.submitter}</th><td class="num">{row.accepted}</td></tr>)}</tbody>
          </table>
        </div>
        {link}
      </div>
    );
  },
};
