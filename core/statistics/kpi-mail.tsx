import type { Kysely } from 'kysely';
import type { DB, KpiFrequency } from '../db/schema.js';
import type { Catalog, Locale } from '../i18n/translate.js';
import { isLocale } from '../i18n/translate.js';
import type { Mailer } from '../mail/mailer.js';
import type { Logger } from '../logger.js';
import { tenantScope, type TenantScope } from '../tenancy/tenant-scope.js';
import { resolvePeriod, type HotlinePeriod } from './hotline-queries.js';
import type { KpiBusinessTime } from './kpi-business-time.js';
import { KPI_GROUP_BY, kpiReport, type KpiGroupBy, type KpiReport } from './kpi-queries.js';
import { kpiCsv, kpiQueryString } from './kpi-request.js';
import { duePeriodFor } from './kpi-schedule.js';
import { BacklogTable, KpiDefinitions, KpiTable, TrendTable } from './kpi-view.js';
import type { Translate } from '../i18n/translate.js';

// Periodic KPI mails (issue 14 point 7): a staff user's subscription, and the hourly job's pass that
// sends each due one (kpi-schedule.ts) through the outbox, as HTML with the CSV attached.

export type KpiSubscriptionChoice = KpiFrequency | 'off';

export async function kpiSubscription(scope: TenantScope, userId: number): Promise<{ frequency: KpiFrequency; group_by: KpiGroupBy } | undefined> {
  const row = await scope.selectFrom('kpi_subscriptions').select(['frequency', 'group_by']).where('user_id', '=', userId).orderBy('id').executeTakeFirst();
  return row ? { frequency: row.frequency, group_by: KPI_GROUP_BY.includes(row.group_by as KpiGroupBy) ? row.group_by as KpiGroupBy : 'agent' } : undefined;
}

/** Replaces the user's subscription (one per user): weekly or monthly with a grouping, or none. */
export async function saveKpiSubscription(scope: TenantScope, userId: number, frequency: KpiSubscriptionChoice, groupBy: KpiGroupBy, now: string): Promise<void> {
  await scope.db.transaction().execute(async (trx) => {
    const s = scope.withDb(trx);
    await s.deleteFrom('kpi_subscriptions').where('user_id', '=', userId).execute();
    if (frequency !== 'off') await s.insertInto('kpi_subscriptions', { user_id: userId, frequency, group_by: groupBy, last_period: null, last_sent_at: null, created_at: now }).execute();
  });
}

export interface KpiMailDeps {
  db: Kysely<DB>;
  clock: () => Date;
  mailer: Mailer;
  catalog: Catalog;
  /** The tenant's business time provider (none: wall time). */
  businessOf: (tenantId: number) => Promise<KpiBusinessTime | undefined>;
  /** Whether a staff role may still see statistics (the subscription is skipped otherwise). */
  mayView: (role: string) => boolean;
  /** The public address the mail links to, when configured. */
  baseUrl?: string | undefined;
  log?: Logger | undefined;
}

/** The mail's HTML: the report's definitions and tables (no charts: mail readers do not draw SVG reliably). */
function KpiMailBody(props: { t: Translate; locale: Locale; report: KpiReport; tenant: string; link: string | undefined }) {
  const { t, report } = props;
  const by = t(`kpi.groupBy.${report.groupBy}`);
  return (
    <html lang={props.locale}>
      <head><meta charset="utf-8" /><title>{t('kpi.title')}</title></head>
      <body>
        <h1>{t('kpi.title')}</h1>
        <p>{t('kpi.mail.intro', { tenant: props.tenant, from: report.period.from, to: report.period.to, by })}</p>
        <KpiTable t={t} locale={props.locale} report={report} />
        <BacklogTable t={t} report={report} />
        <h2>{t(report.trend.unit === 'month' ? 'kpi.trendMonthly' : 'kpi.trend')}</h2>
        <TrendTable t={t} locale={props.locale} report={report} />
        <KpiDefinitions t={t} businessTime={report.businessTime} />
        <p>{props.link ? <a href={props.link}>{t('kpi.title')}</a> : null} {t('kpi.mail.footer')}</p>
      </body>
    </html>
  );
}

/** The mail a subscription gets for a period (subject, text, HTML, CSV). */
export function kpiMail(t: Translate, locale: Locale, report: KpiReport, frequency: KpiFrequency, tenant: string, link: string | undefined) {
  const by = t(`kpi.groupBy.${report.groupBy}`);
  const subject = t(`kpi.mail.subject.${frequency}`, { from: report.period.from, to: report.period.to });
  const csv = kpiCsv(report, t);
  const text = [t('kpi.mail.intro', { tenant, from: report.period.from, to: report.period.to, by }), '', csv.replace(/\r\n/g, '\n'), link ?? '', t('kpi.mail.footer')].join('\n');
  const html = `<!doctype html>${(<KpiMailBody t={t} locale={locale} report={report} tenant={tenant} link={link} />).toString()}`;
  return { subject, text, html, csv, filename: `kpi-${report.groupBy}-${report.period.from}-${report.period.to}.csv` };
}

/**
 * The job's pass: for every subscription with a period due (in its tenant's zone) and not sent yet,
 * claims the period (a conditional update, so a second runner skips it), builds the report and puts
 * the mail into the outbox. Returns the number of mails sent.
 */
export async function sendDueKpiMails(deps: KpiMailDeps): Promise<number> {
  const now = deps.clock();
  const subscriptions = await deps.db.selectFrom('kpi_subscriptions')
    .innerJoin('users', 'users.id', 'kpi_subscriptions.user_id').innerJoin('tenants', 'tenants.id', 'kpi_subscriptions.tenant_id')
    .select(['kpi_subscriptions.id', 'kpi_subscriptions.tenant_id', 'kpi_subscriptions.frequency', 'kpi_subscriptions.group_by', 'kpi_subscriptions.last_period', 'kpi_subscriptions.created_at',
      'users.email', 'users.role', 'users.active', 'users.locale', 'users.tenant_id as user_tenant', 'tenants.time_zone', 'tenants.name as tenant_name', 'tenants.slug', 'tenants.locale as tenant_locale'])
    .orderBy('kpi_subscriptions.id').execute();
  let sent = 0;
  for (const sub of subscriptions) {
    if (sub.user_tenant !== sub.tenant_id || !sub.active || !deps.mayView(sub.role)) continue;
    const due = duePeriodFor(sub, now, sub.time_zone);
    if (!due) continue;
    const claimed = await deps.db.updateTable('kpi_subscriptions').set({ last_period: due.key, last_sent_at: now.toISOString() }).where('id', '=', sub.id).where('tenant_id', '=', sub.tenant_id)
      .where((eb) => eb.or([eb('last_period', 'is', null), eb('last_period', '<', due.key)])).executeTakeFirst();
    if (Number(claimed.numUpdatedRows) === 0) continue;
    const resolved = resolvePeriod({ period: 'custom', from: due.from, to: due.to }, now, sub.time_zone) as { period: HotlinePeriod };
    const groupBy = KPI_GROUP_BY.includes(sub.group_by as KpiGroupBy) ? sub.group_by as KpiGroupBy : 'agent';
    const business = await deps.businessOf(sub.tenant_id);
    const report = await kpiReport(tenantScope(deps.db, sub.tenant_id), { period: resolved.period, zone: sub.time_zone, query: { groupBy }, businessTime: business !== undefined, now });
    const locale: Locale = isLocale(sub.locale ?? '') ? sub.locale as Locale : isLocale(sub.tenant_locale) ? sub.tenant_locale as Locale : 'en';
    const t = deps.catalog.translator(locale);
    const link = deps.baseUrl ? `${deps.baseUrl.replace(/\/$/, '')}/t/${sub.slug}/desk/statistics/kpi?${kpiQueryString({ preset: 'custom', from: due.from, to: due.to }, { groupBy })}` : undefined;
    const mail = kpiMail(t, locale, report, sub.frequency, sub.tenant_name, link);
    await deps.mailer.send({
      tenantId: sub.tenant_id, to: sub.email, subject: mail.subject, text: mail.text, html: mail.html, headers: { 'Auto-Submitted': 'auto-generated' },
      attachments: [{ filename: mail.filename, content: Buffer.from(mail.csv, 'utf8'), contentType: 'text/csv; charset=utf-8' }],
    });
    sent += 1;
  }
  return sent;
}
