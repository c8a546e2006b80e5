import type { Context, Hono } from 'hono';
import {
  BarChart, Page, SelectField, TrendChart, csvDocument, csvResponse, type CsvCell, TextField, href, render, requirePermission, scope, scopeFor, type AppEnv, type Locale, type StatisticsPanel, type Translate,
} from '../../core/plugin-api.js';
import { GROUP_BYS, MAX_MONTHS, readDefectQuery, type DefectQuery } from './defect-period.js';
import { defectReport, type DefectReport } from './defect-report.js';
import type { HardwareDB } from './hardware-db.js';

/** Supervisors and admins: the defect statistics page, its CSV and the panel on the Statistics page. */
export const STATS = 'hardware.statistics';
const PATH = '/p/hardware/statistics';
const CSV_TABLES = ['groups', 'months', 'top'] as const;

const decimal = (locale: Locale, digits = 1) => new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits });
const round = (value: number | null, digits = 2) => (value === null ? null : Math.round(value * 10 ** digits) / 10 ** digits);

function queryString(query: DefectQuery, extra: Record<string, string> = {}): string {
  return new URLSearchParams({ from: query.from, to: query.to, groupBy: query.groupBy, ...extra }).toString();
}

async function load(c: Context<AppEnv>) {
  const { query, errors } = readDefectQuery(c.req.query(), c.var.services.clock(), c.var.dates.timeZone);
  const report = Object.keys(errors).length ? null
    : await defectReport(scope<HardwareDB>(c), query, c.var.dates.timeZone, c.var.locale, c.var.t('hardware.location.none'));
  return { query, errors, report };
}

export function defectRoutes(app: Hono<AppEnv>): void {
  app.get('/statistics', requirePermission(STATS), async (c) => {
    const { query, errors, report } = await load(c);
    return statisticsPage(c, query, errors, report);
  });

  // One table of the page as CSV (the page's filters in the URL): the groups, the months or the top devices.
  app.get('/statistics/defects.csv', requirePermission(STATS), async (c) => {
    const { query, errors, report } = await load(c);
    const table = c.req.query('table') ?? 'groups';
    if (!report || !(CSV_TABLES as readonly string[]).includes(table)) return c.text(c.var.t('error.invalid'), 422);
    const t = c.var.t;
    const [header, rows] = table === 'months'
      ? [[t('hardware.stats.month'), t('hardware.stats.defects'), t('hardware.stats.installed'), t('hardware.stats.per100')],
        report.months.map((m): CsvCell[] => [m.key, m.defects, m.installed, round(m.per100)])]
      : table === 'top'
        ? [[t('hardware.device.inventory'), t('hardware.model'), t('hardware.device.organisation'), t('hardware.stats.defects')],
          report.topDevices.map((d): CsvCell[] => [d.inventory_number, d.model, d.organisation, d.defects])]
        : [[t(`hardware.stats.by.${query.groupBy}`), t('hardware.stats.defects'), t('hardware.stats.installed'), t('hardware.stats.per100'), t('hardware.stats.serviceDays'), t('hardware.stats.mtbf')],
          report.groups.map((g): CsvCell[] => [report.labels.get(g.key) ?? g.key, g.defects, round(g.installed), round(g.per100), round(g.serviceDays), round(g.mtbfDays)])];
    c.header('Cache-Control', 'no-store');
    return csvResponse(c, `defects-${query.groupBy}-${table}-${query.from}-${query.to}.csv`, csvDocument([header, ...rows]));
  });
}

/** The groups' figures: a bar chart of the defects per 100 units beside the table of every figure. */
function GroupTable(props: { t: Translate; locale: Locale; query: DefectQuery; report: DefectReport }) {
  const { t, report } = props;
  const one = decimal(props.locale);
  const label = (key: string) => report.labels.get(key) ?? key;
  const dash = (value: number | null) => (value === null ? '–' : one.format(value));
  return (
    <div class="stat-figure hardware-stat-figure">
      <BarChart id="hardware-stats-chart" title={t('hardware.stats.per100Chart')} bars={report.groups.slice(0, 12).map((g) => ({ label: label(g.key), value: round(g.per100, 1) ?? 0 }))} />
      <div class="table-wrap">
        <table class="table hardware-table" id="hardware-stats-groups">
          <caption class="visually-hidden">{t('hardware.stats.groupsCaption')}</caption>
          <thead><tr>
            <th scope="col">{t(`hardware.stats.by.${props.query.groupBy}`)}</th><th scope="col" class="num">{t('hardware.stats.defects')}</th>
            <th scope="col" class="num">{t('hardware.stats.installed')}</th><th scope="col" class="num">{t('hardware.stats.per100')}</th><th scope="col" class="num">{t('hardware.stats.mtbf')}</th>
          </tr></thead>
          <tbody>
            {report.groups.map((g) => (
              <tr data-group={g.key}>
                <th scope="row">{label(g.key)}</th><td class="num" data-label={t('hardware.stats.defects')}>{g.defects}</td>
                <td class="num" data-label={t('hardware.stats.installed')}>{one.format(g.installed)}</td>
                <td class="num" data-label={t('hardware.stats.per100')}>{dash(g.per100)}</td><td class="num" data-label={t('hardware.stats.mtbf')}>{dash(g.mtbfDays)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot><tr id="hardware-stats-total">
            <th scope="row">{t('hardware.stats.total')}</th><td class="num" data-label={t('hardware.stats.defects')}>{report.total.defects}</td>
            <td class="num" data-label={t('hardware.stats.installed')}>{one.format(report.total.installed)}</td>
            <td class="num" data-label={t('hardware.stats.per100')}>{dash(report.total.per100)}</td><td class="num" data-label={t('hardware.stats.mtbf')}>{dash(report.total.mtbfDays)}</td>
          </tr></tfoot>
        </table>
      </div>
    </div>
  );
}

async function statisticsPage(c: Context<AppEnv>, query: DefectQuery, fields: Record<string, string>, report: DefectReport | null) {
  const t = c.var.t;
  const errors = Object.fromEntries(Object.entries(fields).map(([field, key]) => [field, t(key, { max: MAX_MONTHS })]));
  const one = decimal(c.var.locale);
  const csv = (table: string) => href(c, `${PATH}/defects.csv?${queryString(query, { table })}`);
  return render(c, {
    title: t('hardware.stats.title'),
    status: report ? 200 : 422,
    page: (
      <Page title={t('hardware.stats.title')} crumbs={[{ label: t('hardware.devices'), href: href(c, '/p/hardware') }, { label: t('hardware.stats.title') }]}>
        <form method="get" action={href(c, PATH)} class="card hardware-filter" id="hardware-stats-filter">
          <TextField name="from" type="date" label={t('hardware.stats.from')} value={query.from} errors={errors} required />
          <TextField name="to" type="date" label={t('hardware.stats.to')} value={query.to} errors={errors} required />
          <SelectField name="groupBy" label={t('hardware.stats.groupBy')} value={query.groupBy} errors={errors}
            options={GROUP_BYS.map((key) => ({ value: key, label: t(`hardware.stats.by.${key}`) }))} />
          <div class="hardware-actions"><button type="submit" class="button" id="hardware-stats-apply">{t('hardware.stats.show')}</button></div>
        </form>
        <p class="muted">{t('hardware.stats.note', { zone: c.var.dates.timeZone })}</p>
        {report ? (
          <>
            <section class="card stack" id="hardware-stats-by">
              <h2>{t('hardware.stats.byHeading', { group: t(`hardware.stats.by.${query.groupBy}`) })}</h2>
              <GroupTable t={t} locale={c.var.locale} query={query} report={report} />
              <p><a href={csv('groups')} id="hardware-stats-csv" download>{t('hardware.stats.csv')}</a></p>
            </section>
            <section class="card stack" id="hardware-stats-trend">
              <h2>{t('hardware.stats.trend')}</h2>
              <div class="stat-figure hardware-stat-figure">
                <TrendChart id="hardware-stats-line" title={t('hardware.stats.trendChart')} format={(v) => one.format(v)}
                  labels={report.months.map((m) => m.key.slice(2).replace('-', '/'))}
                  series={[{ name: t('hardware.stats.per100'), tone: 'hardware-rate', values: report.months.map((m) => (m.per100 === null ? null : round(m.per100, 1))) }]} />
                <div class="table-wrap">
                  <table class="table hardware-table" id="hardware-stats-months">
                    <thead><tr><th scope="col">{t('hardware.stats.month')}</th><th scope="col" class="num">{t('hardware.stats.defects')}</th><th scope="col" class="num">{t('hardware.stats.installed')}</th><th scope="col" class="num">{t('hardware.stats.per100')}</th></tr></thead>
                    <tbody>
                      {report.months.map((m) => (
                        <tr data-month={m.key}><th scope="row">{m.key}</th><td class="num" data-label={t('hardware.stats.defects')}>{m.defects}</td>
                          <td class="num" data-label={t('hardware.stats.installed')}>{m.installed}</td>
                          <td class="num" data-label={t('hardware.stats.per100')}>{m.per100 === null ? '–' : one.format(m.per100)}</td></tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </div>
              <p><a href={csv('months')} download>{t('hardware.stats.csv')}</a></p>
            </section>
            <section class="card stack" id="hardware-stats-top">
              <h2>{t('hardware.stats.top')}</h2>
              {report.topDevices.length === 0 ? <p class="muted">{t('hardware.stats.noDefects')}</p> : (
                <div class="table-wrap">
                  <table class="table hardware-table" id="hardware-stats-devices">
                    <thead><tr><th scope="col">{t('hardware.device.inventory')}</th><th scope="col">{t('hardware.model')}</th><th scope="col">{t('hardware.device.organisation')}</th><th scope="col" class="num">{t('hardware.stats.defects')}</th></tr></thead>
                    <tbody>
                      {report.topDevices.map((d) => (
                        <tr id={`hardware-stats-device-${d.deviceId}`}>
                          <th scope="row"><a href={href(c, `/p/hardware/devices/${d.deviceId}`)}>{d.inventory_number}</a></th><td data-label={t('hardware.model')}>{d.model}</td>
                          <td data-label={t('hardware.device.organisation')}>{d.organisation}</td><td class="num" data-label={t('hardware.stats.defects')}>{d.defects}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
              <p><a href={csv('top')} download>{t('hardware.stats.csv')}</a></p>
            </section>
          </>
        ) : null}
      </Page>
    ),
  });
}

/**
 * On the staff Statistics page: defects per device type over the default period (the last twelve months in the
 * tenant's zone), with a link to the full page. A panel has no app clock, so it reads the system's.
 */
export const defectsPanel: StatisticsPanel = {
  id: 'defects',
  label: { en: 'Hardware defects by device type', de: 'Hardware-Defekte nach Gerätetyp' },
  permission: STATS,
  async render(ctx) {
    const { t } = ctx;
    const { query } = readDefectQuery({}, ctx.now, ctx.dates.timeZone);
    const report = await defectReport(scopeFor<HardwareDB>(ctx.scope), query, ctx.dates.timeZone, ctx.locale, t('hardware.location.none'));
    return (
      <>
        <p class="muted">{t('hardware.stats.panelNote', { from: query.from, to: query.to })}</p>
        <GroupTable t={t} locale={ctx.locale} query={query} report={report} />
        <p><a href={ctx.href(`${PATH}?${queryString(query)}`)} id="hardware-stats-panel-link">{t('hardware.stats.open')}</a></p>
      </>
    );
  },
};
