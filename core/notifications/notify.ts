import type { Kysely } from 'kysely';
import type { DB, NotificationKind } from '../db/schema.js';
import type { Services } from '../http/app-env.js';
import { DomainError } from '../domain-error.js';
import { tenantScope } from '../tenancy/tenant-scope.js';
import { isLocale } from '../i18n/translate.js';
import { encodeNotificationMessage, notificationText, type NotificationMessage } from './notification-text.js';

/** The list keeps one line per notification; longer summaries are cut, as the ticket service cuts its own. */
const SUMMARY_MAX = 300;

export interface NotifyInput {
  tenantId: number;
  /** The staff user told; a user of another tenant is refused. */
  userId: number;
  /** The ticket it is about; the list links to it. A ticket of another tenant is refused. */
  ticketId: number;
  /** One of the core's kinds or a kind the plugin declares in `definePlugin({ notificationKinds })` (`<plugin id>.<name>`). */
  kind: NotificationKind | `${string}.${string}`;
  /** One line for the list and the mail, in the tenant's language (at most 300 characters are kept); shown when `message` cannot be rendered. */
  summary: string;
  /**
   * The same line as a message key with parameters: the list and the mail render it in the reader's current
   * language (a parameter `{ key }` is translated too). Without it, the reader sees `summary`.
   */
  message?: NotificationMessage | undefined;
  /** Who or what caused it, as the list shows it (a user's name, or the plugin's name for something automatic). */
  actorLabel: string;
  /** ISO time of the notification; defaults to now. */
  now?: string;
}

/** What `deliverNotifications` announces after commit. */
export interface PendingNotification {
  readonly tenantId: number;
  readonly userId: number;
  readonly ticketId: number;
  readonly summary: string;
  readonly message: string | null;
}

/**
 * Tells a staff user about a ticket: writes the notification in the caller's transaction, so it commits
 * or rolls back with the change that caused it. Pass what it returns to `deliverNotifications` after
 * commit (the bell's live update and, for users who asked for it, a mail).
 */
export async function notify(trx: Kysely<DB>, input: NotifyInput): Promise<PendingNotification> {
  const scope = tenantScope(trx, input.tenantId);
  const [user, ticket] = await Promise.all([
    trx.selectFrom('users').select('id').where('tenant_id', '=', input.tenantId).where('id', '=', input.userId).executeTakeFirst(),
    scope.selectFrom('tickets').select('id').where('id', '=', input.ticketId).executeTakeFirst(),
  ]);
  if (!user) throw new DomainError('not_found', `no user ${input.userId} in tenant ${input.tenantId}`);
  if (!ticket) throw new DomainError('not_found', `no ticket ${input.ticketId} in tenant ${input.tenantId}`);
  const summary = input.summary.slice(0, SUMMARY_MAX);
  const message = encodeNotificationMessage(input.message);
  await scope.insertInto('notifications', {
    user_id: input.userId, ticket_id: input.ticketId, kind: input.kind, actor_label: input.actorLabel, summary, message,
    created_at: input.now ?? new Date().toISOString(),
  }).execute();
  return Object.freeze({ tenantId: input.tenantId, userId: input.userId, ticketId: input.ticketId, summary, message });
}

/**
 * After commit: moves each recipient's bell (the live 'notification' event) and mails those who want
 * notifications by mail, like the ticket service does for its own, in the recipient's language (theirs, else
 * the tenant's). A failed mail is logged, not thrown.
 */
export async function deliverNotifications(services: Pick<Services, 'db' | 'events' | 'mailer' | 'log' | 'catalog'>, pending: readonly PendingNotification[]): Promise<void> {
  for (const notification of pending) {
    services.events.publish({ tenantId: notification.tenantId, type: 'notification', data: { userId: notification.userId } });
  }
  for (const notification of pending) {
    const recipient = await services.db.selectFrom('users').innerJoin('tickets', 'tickets.tenant_id', 'users.tenant_id')
      .innerJoin('tenants', 'tenants.id', 'users.tenant_id')
      .select(['users.email', 'users.locale', 'tenants.locale as tenant_locale', 'tickets.number', 'tickets.subject'])
      .where('users.tenant_id', '=', notification.tenantId).where('users.id', '=', notification.userId)
      .where('users.notify_by_mail', '=', 1).where('users.active', '=', 1).where('tickets.id', '=', notification.ticketId)
      .executeTakeFirst();
    if (!recipient) continue;
    const locale = isLocale(recipient.locale) ? recipient.locale : isLocale(recipient.tenant_locale) ? recipient.tenant_locale : 'en';
    const text = notificationText(notification, services.catalog.translator(locale), (key) => services.catalog.has(key));
    try {
      await services.mailer.send({
        tenantId: notification.tenantId, to: recipient.email, subject: `[#${recipient.number}] ${recipient.subject}`, text,
        headers: { 'Auto-Submitted': 'auto-generated' },
      });
    } catch (error) {
      services.log.warn('notification mail failed', { tenantId: notification.tenantId, userId: notification.userId, error: String(error) });
    }
  }
}
