import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { isLocale, type Catalog, type Locale } from '../i18n/translate.js';
import { isoToZoned, zonedDayEnd, zonedDayStart, zonedToIso } from '../i18n/time-zone.js';
import type { Logger } from '../logger.js';
import type { Mailer } from '../mail/mailer.js';
import { tenantScope } from '../tenancy/tenant-scope.js';

// The daily digest of reminders (issue 18 point 6): a staff user who chose it in the account page gets, in the
// tenant's morning (from 07:00 local, until noon for a late job), one mail through the outbox listing what falls
// due for them that day: their waiting tickets that come back, and their to-dos. A day is claimed before sending
// (a conditional update) so a second runner or pass sends nothing; a day with nothing due sends no mail.

export const DIGEST_FROM = '07:00';
export const DIGEST_UNTIL = '12:00';

export interface DigestItem { at: string; label: string; link: string | undefined }
/** One source of reminders for the digest: what falls due for the user in [from, to). */
export type DigestSource = (db: Kysely<DB>, tenantId: number, userId: number, from: string, to: string, link: (path: string) => string | undefined) => Promise<DigestItem[]>;

/** The user's waiting tickets that come back in the window. */
export const waitingDigestSource: DigestSource = async (db, tenantId, userId, from, to, link) => {
  const rows = await tenantScope(db, tenantId).selectFrom('tickets').select(['number', 'subject', 'waiting_until'])
    .where('waiting_until', 'is not', null).where('waiting_until', '>=', from).where('waiting_until', '<', to)
    .where('status', '=', 'waiting').where('deleted_at', 'is', null).where('assignee_id', '=', userId).orderBy('waiting_until').execute();
  return rows.map((r) => ({ at: r.waiting_until!, label: `${r.number} · ${r.subject}`, link: link(`/desk/tickets/${r.number}`) }));
};

/** The tenant-local calendar day of an instant ('2026-03-29'). */
export const localDay = (now: Date, zone: string) => isoToZoned(now.toISOString(), zone).slice(0, 10);

export interface DigestDeps {
  db: Kysely<DB>;
  clock: () => Date;
  mailer: Mailer;
  catalog: Catalog;
  sources: readonly DigestSource[];
  baseUrl?: string | undefined;
  log?: Logger | undefined;
}

/** The job's pass: every subscriber whose tenant's morning it is and who has no digest for today yet. Returns the mails sent. */
export async function sendDueReminderDigests(deps: DigestDeps): Promise<number> {
  const now = deps.clock();
  const users = await deps.db.selectFrom('users').innerJoin('tenants', 'tenants.id', 'users.tenant_id')
    .select(['users.id', 'users.tenant_id', 'users.email', 'users.locale', 'users.reminder_digest_day', 'tenants.time_zone', 'tenants.slug', 'tenants.locale as tenant_locale'])
    .where('users.reminder_digest', '=', 1).where('users.active', '=', 1).where('users.role', 'in', ['agent', 'supervisor', 'admin']).orderBy('users.id').execute();
  let sent = 0;
  for (const user of users) {
    const zone = user.time_zone;
    const day = localDay(now, zone);
    if (user.reminder_digest_day !== null && user.reminder_digest_day >= day) continue;
    const from = zonedToIso(`${day}T${DIGEST_FROM}`, zone);
    const until = zonedToIso(`${day}T${DIGEST_UNTIL}`, zone);
    if (!from || !until || now.toISOString() < from || now.toISOString() >= until) continue;
    const claimed = await deps.db.updateTable('users').set({ reminder_digest_day: day }).where('id', '=', user.id).where('tenant_id', '=', user.tenant_id)
      .where((eb) => eb.or([eb('reminder_digest_day', 'is', null), eb('reminder_digest_day', '<', day)])).executeTakeFirst();
    if (Number(claimed.numUpdatedRows) === 0) continue;
    const link = (path: string) => (deps.baseUrl ? `${deps.baseUrl.replace(/\/$/, '')}/t/${user.slug}${path}` : undefined);
    const dayStart = zonedDayStart(day, zone)!;
    const dayEnd = zonedDayEnd(day, zone)!;
    const items = (await Promise.all(deps.sources.map((source) => source(deps.db, user.tenant_id!, user.id, dayStart, dayEnd, link)))).flat()
      .sort((a, b) => a.at.localeCompare(b.at));
    if (!items.length) continue;
    const locale: Locale = isLocale(user.locale ?? '') ? user.locale as Locale : isLocale(user.tenant_locale) ? user.tenant_locale as Locale : 'en';
    const t = deps.catalog.translator(locale);
    const lines = items.map((item) => `${isoToZoned(item.at, zone).slice(11, 16)}  ${item.label}${item.link ? `\n       ${item.link}` : ''}`);
    await deps.mailer.send({
      tenantId: user.tenant_id, to: user.email, subject: t('digest.subject', { day, count: items.length }),
      text: [t('digest.intro', { day }), '', ...lines, '', t('digest.footer')].join('\n'),
      headers: { 'Auto-Submitted': 'auto-generated' },
    });
    sent += 1;
  }
  return sent;
}
