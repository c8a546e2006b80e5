import type { Context, Hono } from 'hono';
import type { AppEnv } from '../../http/app-env.js';
import { href, requirePermission, requireTenant, requireUser, scope, tenantOf } from '../../http/guards.js';
import { render } from '../../http/render.js';
import { labelText } from '../../i18n/label.js';
import { slotContext } from '../../plugin-host/slot-context.js';
import { Page } from '../../../views/components/page.js';
import type { FieldErrors } from '../../../views/components/form.js';
import { hotlineFigures, MAX_PERIOD_DAYS, PERIOD_PRESETS, periodQuerySchema, resolvePeriod, type HotlinePeriod } from '../../statistics/hotline-queries.js';
import { rowHeaders, rowName, rowNumbers } from '../../statistics/hotline-rows-table.js';
import { csvDocument } from '../../text/csv.js';
import { csvResponse } from '../../http/csv-response.js';
import { kpiQueryString } from '../../statistics/kpi-request.js';

/** The period the URL asks for, or the refusals (with the default period to show meanwhile). */
function periodOf(c: Context<AppEnv>): { period: HotlinePeriod; errors: FieldErrors | undefined } {
  const t = c.var.t;
  const zone = tenantOf(c).time_zone;
  const now = c.var.services.clock();
  const parsed = periodQuerySchema.safeParse(c.req.query());
  const query = parsed.success ? parsed.data : {};
  const badFields = parsed.success ? [] : parsed.error.issues.map((issue) => String(issue.path[0] ?? ''));
  const resolved = resolvePeriod(query, now, zone);
  const errors: FieldErrors = {};
  for (const field of badFields) errors[field === 'period' ? 'period' : field] = t(field === 'period' ? 'validation.choice' : 'statistics.error.date');
  if ('errors' in resolved) {
    for (const [field, why] of Object.entries(resolved.errors)) errors[field] = t(`statistics.error.${why}`, { days: MAX_PERIOD_DAYS });
  }
  const period = 'period' in resolved ? resolved.period : (resolvePeriod({}, now, zone) as { period: HotlinePeriod }).period;
  return { period, errors: Object.keys(errors).length ? errors : undefined };
}

function PeriodPicker(props: { c: Context<AppEnv>; period: HotlinePeriod; errors: FieldErrors | undefined }) {
  const { c, period, errors } = props;
  const t = c.var.t;
  const base = href(c, '/desk/statistics');
  const field = (name: 'from' | 'to', value: string) => (
    <div class={`field${errors?.[name] ? ' field-invalid' : ''}`}>
      <label for={`f-${name}`}>{t(`statistics.${name}`)}</label>
      <input type="date" id={`f-${name}`} name={name} value={c.req.query(name) ?? value} aria-invalid={errors?.[name] ? 'true' : undefined}
        aria-describedby={errors?.[name] ? `${name}-error` : undefined} />
      {errors?.[name] ? <small id={`${name}-error`} class="field-error">{errors[name]}</small> : null}
    </div>
  );
  return (
    <section class="card period-picker" aria-labelledby="period-title">
      <h2 id="period-title">{t('statistics.period')}</h2>
      {errors?.period ? <p class="field-error" id="period-error">{errors.period}</p> : null}
      <ul class="period-presets" id="period-presets">
        {PERIOD_PRESETS.filter((preset) => preset !== 'custom').map((preset) => (
          <li><a class="button" href={`${base}?period=${preset}`} aria-current={period.preset === preset ? 'page' : undefined} data-preset={preset}>{t(`statistics.period.${preset}`)}</a></li>
        ))}
      </ul>
      <form method="get" action={base} class="period-form" id="period-form">
        <input type="hidden" name="period" value="custom" />
        {field('from', period.from)}
        {field('to', period.to)}
        <button type="submit" class="button" aria-current={period.preset === 'custom' ? 'true' : undefined}>{t('statistics.show')}</button>
      </form>
      <p class="muted" id="period-range">{t('statistics.periodRange', { from: period.from, to: period.to, zone: tenantOf(c).time_zone })}</p>
    </section>
  );
}

/**
 * The staff Statistics page: the period picker (in the URL, so a view can be shared), the core's
 * panels (the hotline first), then those of the tenant's switched-on plugins (`api.statisticsPanel`),
 * each shown only to viewers with its permission. Bad dates answer 422 with the field's message and
 * the default period.
 */
export function statisticsRoutes(app: Hono<AppEnv>): void {
  app.get('/desk/statistics', requireTenant, requireUser, requirePermission('statistics.view'), async (c) => {
    const t = c.var.t;
    const { period, errors } = periodOf(c);
    const panels = c.var.services.statisticsPanels.visible(c.var.enabledPlugins, c.var.can);
    const ctx = slotContext(c, { period });
    const bodies = await Promise.all(panels.map((entry) => entry.panel.render(ctx)));
    return render(c, {
      title: t('statistics.title'),
      status: errors ? 422 : 200,
      page: (
        <Page title={t('statistics.title')} crumbs={[{ label: t('nav.dashboard'), href: href(c, '/desk') }, { label: t('statistics.title') }]}>
          <PeriodPicker c={c} period={period} errors={errors} />
          <p class="statistics-actions"><a class="button" id="kpi-link" href={`${href(c, '/desk/statistics/kpi')}?${kpiQueryString(period, { groupBy: 'agent' })}`}>{t('kpi.link')}</a></p>
          <div class="statistics-panels">
            {panels.map((entry, index) => (
              <section class="card statistics-panel" id={entry.domId} aria-labelledby={`${entry.domId}-title`}>
                <h2 id={`${entry.domId}-title`}>{labelText(entry.panel.label, c.var.locale)}</h2>
                {bodies[index]}
              </section>
            ))}
          </div>
        </Page>
      ),
    });
  });

  /** The per-group and per-level table of the hotline panel, with a total line, as CSV. */
  app.get('/desk/statistics/hotline.csv', requireTenant, requireUser, requirePermission('statistics.view'), async (c) => {
    const t = c.var.t;
    const { period, errors } = periodOf(c);
    if (errors) return c.json({ error: 'invalid', fields: errors }, 422);
    const figures = await hotlineFigures(scope(c), period);
    const rows: Array<Array<string | number>> = [rowHeaders('group', t)];
    for (const row of figures.groups) rows.push([rowName(row, 'group', t), row.level ? t(`level.${row.level}`) : '', ...rowNumbers(row)]);
    for (const row of figures.levels) rows.push([rowName(row, 'level', t), rowName(row, 'level', t), ...rowNumbers(row)]);
    rows.push([t('statistics.total'), '', ...rowNumbers({ name: null, level: null, now: figures.now, created: figures.created, flows: figures.flows })]);
    return csvResponse(c, `hotline-${period.from}-${period.to}.csv`, csvDocument(rows));
  });

  /** The trend's numbers (per day, or per month of a long period) as CSV. */
  app.get('/desk/statistics/hotline-trend.csv', requireTenant, requireUser, requirePermission('statistics.view'), async (c) => {
    const t = c.var.t;
    const { period, errors } = periodOf(c);
    if (errors) return c.json({ error: 'invalid', fields: errors }, 422);
    const { unit, points } = (await hotlineFigures(scope(c), period)).trend;
    const rows: Array<Array<string | number>> = [[t(unit === 'month' ? 'statistics.month' : 'statistics.day'), t('statistics.flow.created'), t('statistics.flow.solved')]];
    for (const point of points) rows.push([point.period, point.created, point.solved]);
    return csvResponse(c, `hotline-trend-${period.from}-${period.to}.csv`, csvDocument(rows));
  });
}


