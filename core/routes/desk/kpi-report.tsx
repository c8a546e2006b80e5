import type { Context, Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../../http/app-env.js';
import { flash } from '../../http/flash.js';
import { href, redirectTo, requirePermission, requireTenant, requireUser, scope, staff, tenantOf } from '../../http/guards.js';
import { render } from '../../http/render.js';
import { Page } from '../../../views/components/page.js';
import { SelectField, TextField, type FieldErrors } from '../../../views/components/form.js';
import { PERIOD_PRESETS } from '../../statistics/hotline-queries.js';
import { KPI_BUSINESS_TIME } from '../../statistics/kpi-business-time.js';
import { KPI_GROUP_BY, kpiReport, type KpiGroupBy } from '../../statistics/kpi-queries.js';
import { kpiCsv, kpiFilterOptions, kpiQueryString, parseKpiRequest, type KpiFilterOptions, type KpiRequest } from '../../statistics/kpi-request.js';
import { kpiSubscription, saveKpiSubscription } from '../../statistics/kpi-mail.js';
import { KpiFigures } from '../../statistics/kpi-view.js';

const PAGE = '/desk/statistics/kpi';

/** Whether the tenant counts business time: a provider of the core's seam (the sla plugin) is switched on. */
export async function countsBusinessTime(c: Context<AppEnv>): Promise<boolean> {
  return (await c.var.services.hooks.extensions(KPI_BUSINESS_TIME, tenantOf(c).id, c.var.enabledPlugins)).length > 0;
}

async function requestOf(c: Context<AppEnv>): Promise<{ request: KpiRequest; options: KpiFilterOptions }> {
  const options = await kpiFilterOptions(scope(c));
  return { options, request: parseKpiRequest(c.req.query(), c.var.services.clock(), tenantOf(c).time_zone, options, c.var.t) };
}

function Filters(props: { c: Context<AppEnv>; request: KpiRequest; options: KpiFilterOptions }) {
  const { c, request, options } = props;
  const t = c.var.t;
  const errors: FieldErrors | undefined = request.errors;
  const base = href(c, PAGE);
  const raw = c.req.query();
  const { period, query } = request;
  const keep = (preset: string) => `${base}?${kpiQueryString({ preset: preset as 'today', from: period.from, to: period.to }, query)}`;
  return (
    <section class="card period-picker" aria-labelledby="kpi-filters-title">
      <h2 id="kpi-filters-title">{t('kpi.filters')}</h2>
      <ul class="period-presets" id="kpi-presets">
        {PERIOD_PRESETS.filter((preset) => preset !== 'custom').map((preset) => (
          <li><a class="button" href={keep(preset)} aria-current={period.preset === preset ? 'page' : undefined} data-preset={preset}>{t(`statistics.period.${preset}`)}</a></li>
        ))}
      </ul>
      <form method="get" action={base} class="period-form kpi-form" id="kpi-form">
        <TextField name="from" type="date" label={t('statistics.from')} value={raw.from ?? period.from} errors={errors} />
        <TextField name="to" type="date" label={t('statistics.to')} value={raw.to ?? period.to} errors={errors} />
        <SelectField name="groupBy" label={t('kpi.groupBy')} value={raw.groupBy ?? query.groupBy} errors={errors}
          options={KPI_GROUP_BY.map((by) => ({ value: by, label: t(`kpi.groupBy.${by}`) }))} />
        <SelectField name="group" label={t('kpi.filterGroup')} value={raw.group ?? query.group} errors={errors} empty={t('kpi.any')}
          options={options.groups.map((g) => ({ value: g.id, label: g.name }))} />
        <SelectField name="agent" label={t('kpi.filterAgent')} value={raw.agent ?? query.agent} errors={errors} empty={t('kpi.any')}
          options={options.agents.map((a) => ({ value: a.id, label: a.name }))} />
        <button type="submit">{t('statistics.show')}</button>
      </form>
      <p class="muted" id="kpi-range">{t('kpi.periodRange', { from: period.from, to: period.to, zone: tenantOf(c).time_zone })}</p>
      <p class="statistics-actions"><a class="button" id="kpi-csv" href={`${base}.csv?${kpiQueryString(period, query)}`} download>{t('kpi.csv')}</a></p>
    </section>
  );
}

function Subscription(props: { c: Context<AppEnv>; current: { frequency: string; group_by: KpiGroupBy } | undefined; groupBy: KpiGroupBy }) {
  const { c, current } = props;
  const t = c.var.t;
  return (
    <section class="card" aria-labelledby="kpi-subscription-title">
      <h2 id="kpi-subscription-title">{t('kpi.subscription')}</h2>
      <p class="muted">{t('kpi.subscriptionNote', { zone: tenantOf(c).time_zone })}</p>
      <p id="kpi-subscription-state" role="status">{current
        ? t('kpi.subscribed', { frequency: t(`kpi.frequency.${current.frequency}`), by: t(`kpi.groupBy.${current.group_by}`) })
        : t('kpi.unsubscribed')}</p>
      <form method="post" action={href(c, `${PAGE}/subscription`)} class="period-form" id="kpi-subscription-form">
        <SelectField name="frequency" label={t('kpi.frequency')} value={current?.frequency ?? 'off'}
          options={(['off', 'weekly', 'monthly'] as const).map((f) => ({ value: f, label: t(`kpi.frequency.${f}`) }))} />
        <SelectField name="groupBy" label={t('kpi.groupBy')} value={current?.group_by ?? props.groupBy}
          options={KPI_GROUP_BY.map((by) => ({ value: by, label: t(`kpi.groupBy.${by}`) }))} />
        <button type="submit">{t('kpi.subscribe')}</button>
      </form>
    </section>
  );
}

const subscriptionSchema = z.object({ frequency: z.enum(['off', 'weekly', 'monthly']), groupBy: z.enum(KPI_GROUP_BY) });

/**
 * The KPI report page (linked from Statistics): filters in the URL (period, grouping, group, agent),
 * the figures as SVG charts each with its table and a one-line definition, the CSV, and the viewer's
 * periodic mail. Bad filters answer 422 with the field's message and the default report.
 */
export function kpiReportRoutes(app: Hono<AppEnv>): void {
  const guard = [requireTenant, requireUser, requirePermission('statistics.view')] as const;

  app.get(PAGE, ...guard, async (c) => {
    const t = c.var.t;
    const { request, options } = await requestOf(c);
    const [report, current] = await Promise.all([
      kpiReport(scope(c), { period: request.period, zone: tenantOf(c).time_zone, query: request.query, businessTime: await countsBusinessTime(c), now: c.var.services.clock() }),
      kpiSubscription(scope(c), staff(c).id),
    ]);
    return render(c, {
      title: t('kpi.title'),
      status: request.errors ? 422 : 200,
      page: (
        <Page title={t('kpi.title')} crumbs={[{ label: t('nav.dashboard'), href: href(c, '/desk') }, { label: t('statistics.title'), href: href(c, '/desk/statistics') }, { label: t('kpi.title') }]}>
          <Filters c={c} request={request} options={options} />
          <KpiFigures t={t} locale={c.var.locale} report={report} />
          <Subscription c={c} current={current} groupBy={request.query.groupBy} />
        </Page>
      ),
    });
  });

  app.get(`${PAGE}.csv`, ...guard, async (c) => {
    const { request } = await requestOf(c);
    if (request.errors) return c.json({ error: 'invalid', fields: request.errors }, 422);
    const report = await kpiReport(scope(c), { period: request.period, zone: tenantOf(c).time_zone, query: request.query, businessTime: await countsBusinessTime(c), now: c.var.services.clock() });
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="kpi-${report.groupBy}-${report.period.from}-${report.period.to}.csv"`);
    c.header('X-Content-Type-Options', 'nosniff');
    return c.body(kpiCsv(report, c.var.t));
  });

  app.post(`${PAGE}/subscription`, ...guard, async (c) => {
    const t = c.var.t;
    const parsed = subscriptionSchema.safeParse(await c.req.parseBody());
    if (!parsed.success) {
      const fields = Object.fromEntries(parsed.error.issues.map((issue) => [String(issue.path[0] ?? 'frequency'), t('kpi.error.filter')]));
      return c.json({ error: 'invalid', fields }, 422);
    }
    await saveKpiSubscription(scope(c), staff(c).id, parsed.data.frequency, parsed.data.groupBy, c.var.services.clock().toISOString());
    flash(c, 'success', parsed.data.frequency === 'off' ? t('kpi.unsubscribed')
      : t('kpi.subscribed', { frequency: t(`kpi.frequency.${parsed.data.frequency}`), by: t(`kpi.groupBy.${parsed.data.groupBy}`) }));
    return redirectTo(c, href(c, PAGE));
  });
}
