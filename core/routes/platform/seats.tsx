import type { Context, Hono } from 'hono';
import { z } from 'zod';
import {
  allSeatUsage, DEFAULT_SEAT_WINDOW, lastDays, MAX_SEATS, PORTAL_SEAT_POLICIES, saveSeatSettings, SEAT_WINDOWS, seatPeaks, seatUsage,
  type PortalSeatPolicy, type SeatPeak, type SeatUsage,
} from '../../auth/licence-seats.js';
import type { Tenant } from '../../db/schema.js';
import type { AppEnv } from '../../http/app-env.js';
import { clientIp, redirectTo, requirePermission, requireUser, staff } from '../../http/guards.js';
import { flash } from '../../http/flash.js';
import { parseForm } from '../../http/forms.js';
import { HttpError } from '../../http/http-error.js';
import { render } from '../../http/render.js';
import { formatDate } from '../../i18n/format.js';
import { DEFAULT_TIME_ZONE } from '../../i18n/time-zone.js';
import { peakDays, SeatPeaksFigure, SeatUsageRows, usageText } from '../../statistics/seat-usage-view.js';
import { Page } from '../../../views/components/page.js';
import { FormError, SelectField, TextField } from '../../../views/components/form.js';
import { Pagination, pageParam } from '../../../views/components/pagination.js';
import { SeatMeter } from '../../../views/components/seat-meter.js';
import { seatLevel } from '../../auth/licence-seats.js';
import { platformOnly } from './platform-guard.js';

const PAGE_SIZE = 25;
const HISTORY_DAYS = 90;
const OVERVIEW_DAYS = 7;

const seatCount = (min: number) => z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? null : v),
  z.union([z.null(), z.coerce.number().int().min(min).max(MAX_SEATS)]));

/** The operator's seat form: empty = unlimited; at least one agent seat, so a tenant can never lock out its administrators. */
const seatsSchema = z.object({
  agent_seats: seatCount(1),
  portal_seats: seatCount(0),
  portal_policy: z.enum(PORTAL_SEAT_POLICIES as [PortalSeatPolicy, ...PortalSeatPolicy[]]),
  window_minutes: z.coerce.number().int().refine((v) => SEAT_WINDOWS.includes(v), 'validation.choice'),
});

async function loadTenant(c: Context<AppEnv>): Promise<Tenant> {
  const id = Number(c.req.param('id'));
  const tenant = Number.isSafeInteger(id) ? await c.var.services.db.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst() : undefined;
  if (!tenant) throw new HttpError(404, c.var.t('error.notFound'));
  return tenant;
}

function shortDay(c: Context<AppEnv>) {
  const format = new Intl.DateTimeFormat(c.var.locale, { day: 'numeric', month: 'numeric', timeZone: 'UTC' });
  return (day: string) => format.format(new Date(`${day}T12:00:00Z`));
}

function SeatsForm(props: { c: Context<AppEnv>; tenant: Tenant; usage: SeatUsage; values?: Record<string, string>; errors?: Record<string, string> }) {
  const { c, usage, values } = props;
  const t = c.var.t;
  const value = (key: string, current: number | null) => values?.[key] ?? (current === null ? '' : String(current));
  return (
    <form method="post" action={`/platform/tenants/${props.tenant.id}/seats`} class="stack" id="seat-settings">
      <FormError message={props.errors ? t('error.invalid') : undefined} />
      <div class="form-row">
        <TextField name="agent_seats" type="number" label={t('seats.agentSeats')} hint={t('seats.agentSeatsHint')} value={value('agent_seats', usage.agentSeats)} errors={props.errors} />
        <TextField name="portal_seats" type="number" label={t('seats.portalSeats')} hint={t('seats.portalSeatsHint')} value={value('portal_seats', usage.portalSeats)} errors={props.errors} />
      </div>
      <div class="form-row">
        <SelectField name="portal_policy" label={t('seats.portalPolicy')} value={values?.portal_policy ?? usage.portalPolicy} errors={props.errors}
          options={PORTAL_SEAT_POLICIES.map((policy) => ({ value: policy, label: t(`seats.policy.${policy}`) }))} />
        <SelectField name="window_minutes" label={t('seats.window')} value={values?.window_minutes ?? String(usage.windowMinutes)} errors={props.errors}
          options={SEAT_WINDOWS.map((minutes) => ({ value: String(minutes), label: String(minutes) }))} />
      </div>
      <p class="muted">{t('seats.lowerNote')}</p>
      <button type="submit" class="button-primary">{t('common.save')}</button>
    </form>
  );
}

async function tenantSeatsPage(c: Context<AppEnv>, tenant: Tenant, form: { values?: Record<string, string>; errors?: Record<string, string> } = {}, status: 200 | 422 = 200) {
  const t = c.var.t;
  const { db, clock } = c.var.services;
  const now = clock();
  const usage = await seatUsage(db, tenant.id, now);
  const days = lastDays(now, tenant.time_zone || DEFAULT_TIME_ZONE, HISTORY_DAYS);
  const peaks = await seatPeaks(db, tenant.id, days[0]!, days[days.length - 1]!);
  return render(c, {
    title: `${t('seats.settings')}: ${tenant.name}`,
    status,
    page: (
      <Page title={`${t('seats.settings')}: ${tenant.name}`} crumbs={[{ label: t('platform.tenants'), href: '/platform' }, { label: tenant.name, href: `/platform/tenants/${tenant.id}` }, { label: t('seats.settings') }]}>
        <section class="card" id="seat-usage">
          <h2>{t('seats.title')}</h2>
          <SeatUsageRows t={t} usage={usage} idPrefix="seats" />
        </section>
        <section class="card">
          <h2>{t('seats.settings')}</h2>
          <SeatsForm c={c} tenant={tenant} usage={usage} values={form.values} errors={form.errors} />
        </section>
        <section class="card" id="seat-history">
          <h2>{t('seats.history', { tenant: tenant.name })}</h2>
          <SeatPeaksFigure t={t} usage={usage} idPrefix="seats" days={peakDays(days, peaks, shortDay(c))} dateLabel={(day) => formatDate(day, c.var.dates)} />
        </section>
      </Page>
    ),
  });
}

/** One tenant's usage in the overview table: a meter and the figures for each kind. */
function UsageCell(props: { c: Context<AppEnv>; label: string; used: number; seats: number | null }) {
  const text = usageText(props.c.var.t, props.used, props.seats);
  const tone = seatLevel(props.used, props.seats);
  return (
    <td class="seat-cell" data-level={tone}>
      <span class="seat-mobile-label">{props.label}</span>
      <SeatMeter used={props.used} seats={props.seats} tone={tone} label={`${props.label}: ${text}`} />
      <span class="seat-figure">{text}</span>
    </td>
  );
}

async function overviewPage(c: Context<AppEnv>) {
  const t = c.var.t;
  const { db, clock } = c.var.services;
  const now = clock();
  const page = pageParam(c.req.query('page'));
  const [tenants, total] = await Promise.all([
    db.selectFrom('tenants').select(['id', 'slug', 'name', 'time_zone']).orderBy('name').limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE).execute(),
    db.selectFrom('tenants').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  const usage = await allSeatUsage(db, tenants.map((row) => row.id), now);
  // The last week's highest daily peak per tenant (its own days; a week back from the widest zone is close enough for an overview).
  const days = lastDays(now, 'UTC', OVERVIEW_DAYS);
  const weekPeaks = tenants.length === 0 ? [] : await db.selectFrom('licence_seat_peaks')
    .select(['tenant_id', (eb) => eb.fn.max('agents_peak').as('agents'), (eb) => eb.fn.max('portal_peak').as('portal')])
    .where('tenant_id', 'in', tenants.map((row) => row.id)).where('day', '>=', days[0]!).groupBy('tenant_id').execute();
  const week = new Map<number, SeatPeak>(weekPeaks.map((row) => [row.tenant_id, { day: '', agents: Number(row.agents ?? 0), portal: Number(row.portal ?? 0) }]));
  return render(c, {
    title: t('seats.overview'),
    page: (
      <Page title={t('seats.overview')} crumbs={[{ label: t('platform.tenants'), href: '/platform' }, { label: t('seats.overviewLink') }]}>
        <section class="card">
          <div class="table-wrap">
            <table class="table seat-overview" id="seat-overview">
              <thead>
                <tr>
                  <th scope="col">{t('seats.tenant')}</th><th scope="col">{t('seats.agents')}</th><th scope="col">{t('seats.portal')}</th>
                  <th scope="col" class="num">{t('seats.agentsPeakWeek')}</th><th scope="col" class="num">{t('seats.portalPeakWeek')}</th>
                </tr>
              </thead>
              <tbody>
                {tenants.map((tenant) => {
                  const u = usage.get(tenant.id)!;
                  return (
                    <tr id={`seat-tenant-${tenant.id}`}>
                      <th scope="row"><a href={`/platform/tenants/${tenant.id}/seats`}>{tenant.name}</a></th>
                      <UsageCell c={c} label={t('seats.agents')} used={u.agents} seats={u.agentSeats} />
                      <UsageCell c={c} label={t('seats.portal')} used={u.portal} seats={u.portalSeats} />
                      <td class="num"><span class="seat-mobile-label">{t('seats.peakWeek')}: </span>{week.get(tenant.id)?.agents ?? 0}</td>
                      <td class="num"><span class="seat-mobile-label">{t('seats.peakWeek')}: </span>{week.get(tenant.id)?.portal ?? 0}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <Pagination page={page} pageSize={PAGE_SIZE} total={Number(total.n)} link={(p) => `/platform/seats?page=${p}`} t={t} />
        </section>
      </Page>
    ),
  });
}

/** The operator's licence seats: every tenant's usage on one page, and per tenant the limits and the daily peaks. */
export function seatRoutes(app: Hono<AppEnv>): void {
  const guard = [platformOnly, requireUser, requirePermission('platform.tenants')] as const;

  app.get('/platform/seats', ...guard, (c) => overviewPage(c));

  app.get('/platform/tenants/:id/seats', ...guard, async (c) => tenantSeatsPage(c, await loadTenant(c)));

  app.post('/platform/tenants/:id/seats', ...guard, async (c) => {
    const tenant = await loadTenant(c);
    const t = c.var.t;
    const form = await parseForm(c, seatsSchema);
    if (!form.ok) return tenantSeatsPage(c, tenant, { values: form.values, errors: form.errors }, 422);
    const settings = {
      agentSeats: form.data.agent_seats, portalSeats: form.data.portal_seats, portalPolicy: form.data.portal_policy,
      windowMinutes: form.data.window_minutes ?? DEFAULT_SEAT_WINDOW,
    };
    await saveSeatSettings(c.var.services.db, tenant.id, settings, c.var.services.clock());
    const user = staff(c);
    await c.var.services.audit.record({ tenantId: tenant.id, actor: { userId: user.id, label: user.email }, action: 'platform.seats_changed', target: tenant.slug, details: settings, ip: clientIp(c) });
    flash(c, 'success', t('seats.saved'));
    return redirectTo(c, `/platform/tenants/${tenant.id}/seats`);
  });
}
