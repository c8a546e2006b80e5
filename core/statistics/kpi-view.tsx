import type { Locale } from '../i18n/translate.js';
import type { Translate } from '../i18n/translate.js';
import { BarChart } from '../../views/components/bar-chart.js';
import { TrendChart } from '../../views/components/trend-chart.js';
import type { Distribution } from './kpi-distribution.js';
import { BACKLOG_LABELS, type KpiGroupBy, type KpiReport, type KpiRow } from './kpi-queries.js';

/** The name a report row shows: an agent's, group's or customer's name, a level, channel or category, or "none". */
export function rowLabel(row: Pick<KpiRow, 'key' | 'name'>, groupBy: KpiGroupBy, t: Translate): string {
  if (row.key === null) return t('kpi.none');
  if (groupBy === 'level') return t(`level.${row.key}`);
  if (groupBy === 'channel') return t(`channel.${row.key}`);
  if (groupBy === 'category') return row.key;
  return row.name ?? `#${row.key}`;
}

/** Seconds as hours with one decimal in the reader's language ('–' for none). */
export function hoursText(locale: Locale) {
  const format = new Intl.NumberFormat(locale, { maximumFractionDigits: 1, minimumFractionDigits: 1 });
  return (seconds: number | null) => (seconds === null ? '–' : format.format(seconds / 3600));
}

export function rateText(locale: Locale) {
  const format = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
  return (part: number, whole: number) => (whole > 0 ? format.format(part / whole) : '–');
}

const roundHours = (seconds: number | null) => (seconds === null ? 0 : Math.round(seconds / 360) / 10);

/** The one-line definitions of the figures, the page and the mail show them. */
export function KpiDefinitions(props: { t: Translate; businessTime: boolean }) {
  const { t } = props;
  return (
    <section class="card kpi-definitions" aria-labelledby="kpi-definitions-title">
      <h2 id="kpi-definitions-title">{t('kpi.definitions')}</h2>
      <p id="kpi-time-basis"><strong>{t(props.businessTime ? 'kpi.timeBasis.business' : 'kpi.timeBasis.wall')}</strong></p>
      <dl>
        {(['created', 'solved', 'firstResponse', 'resolution', 'reopenRate', 'backlog'] as const).map((figure) => (
          <><dt>{t(`kpi.${figure}`)}</dt><dd id={`kpi-def-${figure}`}>{t(`kpi.def.${figure}`)}</dd></>
        ))}
      </dl>
    </section>
  );
}

function DistributionCells(props: { d: Distribution; hours: (s: number | null) => string }) {
  return <><td class="num">{props.hours(props.d.median)}</td><td class="num">{props.hours(props.d.p90)}</td><td class="num">{props.hours(props.d.average)}</td></>;
}

/** The per-row table: counts, both times (median, 90th percentile, mean in hours), reopen rate, backlog. */
export function KpiTable(props: { t: Translate; locale: Locale; report: KpiReport }) {
  const { t, locale, report } = props;
  const hours = hoursText(locale);
  const rate = rateText(locale);
  const by = t(`kpi.groupBy.${report.groupBy}`);
  const line = (row: KpiRow, label: string, total = false) => (
    <tr data-key={total ? 'total' : row.key ?? 'none'}>
      <th scope="row">{label}</th>
      <td class="num">{row.created}</td><td class="num">{row.resolution.count}</td>
      <DistributionCells d={row.firstResponse} hours={hours} />
      <DistributionCells d={row.resolution} hours={hours} />
      <td class="num">{rate(row.reopened, row.firstSolved)}</td>
      <td class="num">{row.backlog.reduce((a, b) => a + b, 0)}</td>
    </tr>
  );
  return (
    <div class="table-wrap">
      <table class="table kpi-table" id="kpi-table">
        <caption class="visually-hidden">{t('kpi.table', { by })}</caption>
        <thead>
          <tr>
            <th scope="col" rowspan={2}>{by}</th>
            <th scope="col" rowspan={2} class="num">{t('kpi.created')}</th>
            <th scope="col" rowspan={2} class="num">{t('kpi.solved')}</th>
            <th scope="colgroup" colspan={3} class="num">{t('kpi.firstResponse')} ({t('kpi.hours')})</th>
            <th scope="colgroup" colspan={3} class="num">{t('kpi.resolution')} ({t('kpi.hours')})</th>
            <th scope="col" rowspan={2} class="num">{t('kpi.reopenRate')}</th>
            <th scope="col" rowspan={2} class="num">{t('kpi.backlog')}</th>
          </tr>
          <tr>
            {[0, 1].map(() => <><th scope="col" class="num">{t('kpi.median')}</th><th scope="col" class="num">{t('kpi.p90')}</th><th scope="col" class="num">{t('kpi.average')}</th></>)}
          </tr>
        </thead>
        <tbody>{report.rows.map((row) => line(row, rowLabel(row, report.groupBy, t)))}</tbody>
        <tfoot>{line(report.total, t('kpi.total'), true)}</tfoot>
      </table>
    </div>
  );
}

export function BacklogTable(props: { t: Translate; report: KpiReport }) {
  const { t, report } = props;
  return (
    <div class="table-wrap">
      <table class="table table-narrow" id="kpi-backlog">
        <caption class="visually-hidden">{t('kpi.backlog')}</caption>
        <thead><tr><th scope="col">{t('kpi.age')}</th><th scope="col" class="num">{t('kpi.count')}</th></tr></thead>
        <tbody>{BACKLOG_LABELS.map((label, index) => <tr data-bucket={label}><th scope="row">{t(`kpi.bucket.${label}`)}</th><td class="num">{report.total.backlog[index]}</td></tr>)}</tbody>
      </table>
    </div>
  );
}

export function TrendTable(props: { t: Translate; locale: Locale; report: KpiReport }) {
  const { t, report } = props;
  const hours = hoursText(props.locale);
  const monthly = report.trend.unit === 'month';
  return (
    <div class="table-wrap">
      <table class="table table-narrow" id="kpi-trend">
        <thead><tr>
          <th scope="col">{t(monthly ? 'statistics.month' : 'statistics.day')}</th><th scope="col" class="num">{t('kpi.solved')}</th>
          <th scope="col" class="num">{t('kpi.firstResponse')} {t('kpi.median')}</th><th scope="col" class="num">{t('kpi.resolution')} {t('kpi.median')}</th>
        </tr></thead>
        <tbody>{report.trend.points.map((p) => <tr><th scope="row"><time datetime={p.period}>{p.period}</time></th><td class="num">{p.solved}</td><td class="num">{hours(p.firstResponseMedian)}</td><td class="num">{hours(p.resolutionMedian)}</td></tr>)}</tbody>
      </table>
    </div>
  );
}

/** The report's figures on the page: charts (SVG) each beside the table of its numbers, and the definitions. */
export function KpiFigures(props: { t: Translate; locale: Locale; report: KpiReport }) {
  const { t, locale, report } = props;
  const by = t(`kpi.groupBy.${report.groupBy}`);
  // The chart's label column is narrow: a long name is cut there (the table beside it has it whole).
  const label = (row: KpiRow) => { const text = rowLabel(row, report.groupBy, t); return text.length > 13 ? `${text.slice(0, 12)}…` : text; };
  const points = report.trend.points;
  return (
    <>
      <KpiDefinitions t={t} businessTime={report.businessTime} />
      <section class="card" aria-labelledby="kpi-rows-title">
        <h2 id="kpi-rows-title">{t('kpi.table', { by })}</h2>
        <p class="muted">{t('kpi.def.attribution')}</p>
        {report.rows.length === 0 ? <p class="muted" id="kpi-empty">{t('kpi.noData')}</p> : null}
        <div class="stat-figure kpi-charts">
          <figure class="kpi-chart">
            <BarChart id="kpi-resolution-chart" title={t('kpi.chart.resolution', { by })} bars={report.rows.map((row) => ({ label: label(row), value: roundHours(row.resolution.median) }))} />
            <figcaption>{t('kpi.resolution')}: {t('kpi.median')} ({t('kpi.hours')})</figcaption>
          </figure>
          <figure class="kpi-chart">
            <BarChart id="kpi-solved-chart" title={t('kpi.chart.solved', { by })} bars={report.rows.map((row) => ({ label: label(row), value: row.resolution.count, tone: 'solved' }))} />
            <figcaption>{t('kpi.solved')} ({t('kpi.count')})</figcaption>
          </figure>
        </div>
        <KpiTable t={t} locale={locale} report={report} />
      </section>
      <section class="card" aria-labelledby="kpi-backlog-title">
        <h2 id="kpi-backlog-title">{t('kpi.backlog')}</h2>
        <p class="muted">{t('kpi.def.backlog')}</p>
        <div class="stat-figure">
          <BarChart id="kpi-backlog-chart" title={t('kpi.chart.backlog')} bars={BACKLOG_LABELS.map((bucket, index) => ({ label: t(`kpi.bucket.${bucket}`), value: report.total.backlog[index]!, tone: 'open' }))} />
          <BacklogTable t={t} report={report} />
        </div>
      </section>
      <section class="card" aria-labelledby="kpi-trend-title">
        <h2 id="kpi-trend-title">{t(report.trend.unit === 'month' ? 'kpi.trendMonthly' : 'kpi.trend')}</h2>
        <TrendChart id="kpi-trend-chart" legendGap={300} left={64} title={t('kpi.chart.trend', { from: report.period.from, to: report.period.to })} labels={points.map((p) => p.period)} series={[
          { name: t('kpi.firstResponse'), tone: 'created', values: points.map((p) => roundHours(p.firstResponseMedian)) },
          { name: t('kpi.resolution'), tone: 'solved', values: points.map((p) => roundHours(p.resolutionMedian)) },
        ]} />
        <details class="trend-numbers" open={points.length <= 7 ? true : undefined}>
          <summary>{t('kpi.showTrend')}</summary>
          <TrendTable t={t} locale={locale} report={report} />
        </details>
      </section>
    </>
  );
}
