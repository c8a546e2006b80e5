import type { StatisticsPanel, StatisticsPanelContext } from '../plugin-host/define-plugin.js';
import { BarChart } from '../../views/components/bar-chart.js';
import { TrendChart } from '../../views/components/trend-chart.js';
import { HOTLINE_FLOWS, HOTLINE_STATUSES } from './hotline-contributions.js';
import { hotlineFigures, sumOf, type HotlineFigures } from './hotline-queries.js';
import { periodQuery } from './hotline-period.js';
import { HotlineRowsTable } from './hotline-rows-table.js';

/**
 * The core's first statistics panel: the hotline in the chosen period and right now (per status with
 * shares, what happened, created against solved per day, per group and per level), every chart with
 * its numbers in a table, the tables as CSV. Everything comes from the aggregate (migration 0012).
 */
export const hotlinePanel: StatisticsPanel = {
  id: 'hotline',
  label: { en: 'Hotline', de: 'Hotline' },
  async render(ctx) {
    const figures = await hotlineFigures(ctx.scope, ctx.props.period);
    const csv = (name: string) => ctx.href(`/desk/statistics/${name}.csv?${periodQuery(ctx.props.period).toString()}`);
    return (
      <>
        <StatusFigures ctx={ctx} figures={figures} />
        <FlowFigures ctx={ctx} figures={figures} />
        <TrendFigures ctx={ctx} figures={figures} csv={csv('hotline-trend')} />
        <h3 id="hotline-groups-title">{ctx.t('statistics.byGroup')}</h3>
        <p class="muted">{ctx.t('statistics.groupNote')}</p>
        <HotlineRowsTable id="hotline-groups" t={ctx.t} rows={figures.groups} kind="group" />
        <h3 id="hotline-levels-title">{ctx.t('statistics.byLevel')}</h3>
        <HotlineRowsTable id="hotline-levels" t={ctx.t} rows={figures.levels} kind="level" />
        <p class="statistics-actions"><a class="button" href={csv('hotline')} id="hotline-csv" download>{ctx.t('statistics.csv')}</a></p>
      </>
    );
  },
};

function percent(ctx: StatisticsPanelContext) {
  const format = new Intl.NumberFormat(ctx.locale, { style: 'percent', maximumFractionDigits: 0 });
  return (value: number, total: number) => (total > 0 ? format.format(value / total) : '–');
}

function StatusFigures(props: { ctx: StatisticsPanelContext; figures: HotlineFigures }) {
  const { ctx, figures } = props;
  const { t } = ctx;
  const share = percent(ctx);
  const nowTotal = sumOf(figures.now);
  const createdTotal = sumOf(figures.created);
  const bars = HOTLINE_STATUSES.map((status) => ({ label: t(`status.${status}`), value: figures.now[status], tone: status }));
  return (
    <>
      <p class="muted">{t('statistics.createdNote')}</p>
      <div class="stat-figure stat-figure-wide">
        <BarChart title={t('statistics.nowChart')} bars={bars} />
        <div class="table-wrap">
          <table class="table" id="hotline-status">
            <thead><tr>
              <th scope="col">{t('statistics.status')}</th>
              <th scope="col" class="num">{t('statistics.now')}</th><th scope="col" class="num">{t('statistics.share')}</th>
              <th scope="col" class="num">{t('statistics.createdInPeriod')}</th><th scope="col" class="num">{t('statistics.share')}</th>
            </tr></thead>
            <tbody>
              {HOTLINE_STATUSES.map((status) => (
                <tr data-status={status}>
                  <th scope="row">{t(`status.${status}`)}</th>
                  <td class="num">{figures.now[status]}</td><td class="num">{share(figures.now[status], nowTotal)}</td>
                  <td class="num">{figures.created[status]}</td><td class="num">{share(figures.created[status], createdTotal)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot><tr>
              <th scope="row">{t('statistics.total')}</th>
              <td class="num">{nowTotal}</td><td class="num">{share(nowTotal, nowTotal)}</td>
              <td class="num">{createdTotal}</td><td class="num">{share(createdTotal, createdTotal)}</td>
            </tr></tfoot>
          </table>
        </div>
      </div>
    </>
  );
}

function FlowFigures(props: { ctx: StatisticsPanelContext; figures: HotlineFigures }) {
  const { t } = props.ctx;
  return (
    <>
      <h3 id="hotline-flows-title">{t('statistics.flows')}</h3>
      <p class="muted">{t('statistics.flowsNote')}</p>
      <div class="table-wrap">
        <table class="table table-narrow" id="hotline-flows">
          <thead><tr><th scope="col">{t('statistics.flow')}</th><th scope="col" class="num">{t('statistics.tickets')}</th></tr></thead>
          <tbody>
            {HOTLINE_FLOWS.map((flow) => <tr data-flow={flow}><th scope="row">{t(`statistics.flow.${flow}`)}</th><td class="num">{props.figures.flows[flow]}</td></tr>)}
          </tbody>
        </table>
      </div>
    </>
  );
}

function TrendFigures(props: { ctx: StatisticsPanelContext; figures: HotlineFigures; csv: string }) {
  const { ctx, figures } = props;
  const { t } = ctx;
  const { points } = figures.trend;
  const monthly = figures.trend.unit === 'month';
  const title = t('statistics.trendChart', { from: figures.period.from, to: figures.period.to });
  return (
    <>
      <h3 id="hotline-trend-title">{t(monthly ? 'statistics.trendMonthly' : 'statistics.trend')}</h3>
      <TrendChart id="hotline-trend-chart" title={title} labels={points.map((p) => p.period)} series={[
        { name: t('statistics.flow.created'), tone: 'created', values: points.map((p) => p.created) },
        { name: t('statistics.flow.solved'), tone: 'solved', values: points.map((p) => p.solved) },
      ]} />
      <details class="trend-numbers" open={points.length <= 7 ? true : undefined}>
        <summary>{t('statistics.showDays')}</summary>
        <div class="table-wrap">
          <table class="table table-narrow" id="hotline-trend">
            <thead><tr><th scope="col">{t(monthly ? 'statistics.month' : 'statistics.day')}</th><th scope="col" class="num">{t('statistics.flow.created')}</th><th scope="col" class="num">{t('statistics.flow.solved')}</th></tr></thead>
            <tbody>{points.map((p) => <tr><th scope="row"><time datetime={p.period}>{p.period}</time></th><td class="num">{p.created}</td><td class="num">{p.solved}</td></tr>)}</tbody>
          </table>
        </div>
        <p><a href={props.csv} id="hotline-trend-csv" download>{t('statistics.csvTrend')}</a></p>
      </details>
    </>
  );
}
