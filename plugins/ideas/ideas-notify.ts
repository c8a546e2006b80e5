import type { Kysely } from 'kysely';
import { deliverNotifications, isLocale, notify, pluginScope, type DB, type NotificationMessage, type PendingNotification, type Services } from '../../core/plugin-api.js';

/** A line per recipient, each in the reader's own language (the user's, else the tenant's). */
export type Line = (t: (key: string, params?: Record<string, string | number>) => string) => string;

/**
 * Writes in-app notifications in the caller's transaction; returns them for `deliverNotifications` after commit.
 * With `message` (the same line as key and parameters) the list renders it in the reader's current language.
 */
export async function notifyUsers(services: Services, trx: Kysely<DB>, tenantId: number, input: { userIds: Iterable<number>; ticketId: number; kind: string; line: Line; message?: NotificationMessage | undefined; actorLabel: string; except?: number | null }): Promise<PendingNotification[]> {
  const ids = [...new Set(input.userIds)].filter((id) => id !== input.except);
  if (!ids.length) return [];
  // Read through the transaction: on SQLite (one connection) a read through the pool would wait for this transaction.
  const tenant = await trx.selectFrom('tenants').select('locale').where('id', '=', tenantId).executeTakeFirst();
  const users = await trx.selectFrom('users').select(['id', 'locale']).where('tenant_id', '=', tenantId).where('active', '=', 1).where('id', 'in', ids).execute();
  const pending: PendingNotification[] = [];
  for (const user of users) {
    const locale = isLocale(user.locale) ? user.locale : isLocale(tenant?.locale) ? tenant.locale : 'en';
    pending.push(await notify(trx, { tenantId, userId: user.id, ticketId: input.ticketId, kind: input.kind as `${string}.${string}`, summary: input.line(services.catalog.translator(locale)), message: input.message, actorLabel: input.actorLabel }));
  }
  return pending;
}

/** After commit: the bells and the mails of those who want them. */
export const deliver = (services: Services, pending: PendingNotification[]) => deliverNotifications(services, pending);

/** A portal submitter hears by mail, in their language (else the tenant's). */
export async function mailPerson(services: Services, tenantId: number, personId: number, subject: Line, text: Line): Promise<void> {
  const person = await pluginScope(services.db, tenantId).selectFrom('people').select(['email', 'locale', 'active']).where('id', '=', personId).executeTakeFirst();
  if (!person?.email || !person.active) return;
  const tenant = await services.tenants.byId(tenantId);
  const t = services.catalog.translator(isLocale(person.locale) ? person.locale : isLocale(tenant?.locale) ? tenant.locale : 'en');
  await services.mailer.send({ tenantId, to: person.email, subject: subject(t), text: text(t), headers: { 'Auto-Submitted': 'auto-generated' } });
}
