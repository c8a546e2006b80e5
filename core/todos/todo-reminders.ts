import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { EventBus } from '../events/event-bus.js';
import { isLocale, type Catalog, type Locale } from '../i18n/translate.js';
import { isoToZoned } from '../i18n/time-zone.js';
import type { Logger } from '../logger.js';
import type { Mailer } from '../mail/mailer.js';
import type { DigestSource } from '../tickets/reminder-digest.js';
import { claimTodoReminder, dueTodoReminders, todosDueBetween } from './todo-store.js';

// A to-do's reminder at its due time (issue 18 point 6): the minutely job 'core.todo-reminders' writes the owner
// a notification of the sticky kind 'todo_due' (the pop-up on every open page of theirs, through the live
// 'notification' event) and, when the to-do asks for it, a mail through the outbox. Each reminder is claimed
// once, so a second runner or a second pass sends nothing.

export interface TodoReminderDeps { db: Kysely<DB>; clock: () => Date; events: EventBus; mailer: Mailer; catalog: Catalog; baseUrl?: string | undefined; log?: Logger | undefined }

export async function sendDueTodoReminders(deps: TodoReminderDeps): Promise<number> {
  const now = deps.clock().toISOString();
  const due = await dueTodoReminders(deps.db, now);
  if (!due.length) return 0;
  const owners = await deps.db.selectFrom('users').innerJoin('tenants', 'tenants.id', 'users.tenant_id')
    .select(['users.id', 'users.tenant_id', 'users.email', 'users.locale', 'users.active', 'tenants.locale as tenant_locale', 'tenants.time_zone', 'tenants.slug'])
    .where('users.id', 'in', [...new Set(due.map((d) => d.user_id))]).execute();
  let sent = 0;
  for (const todo of due) {
    const owner = owners.find((o) => o.id === todo.user_id && o.tenant_id === todo.tenant_id);
    if (!owner) continue;
    const locale: Locale = isLocale(owner.locale ?? '') ? owner.locale as Locale : isLocale(owner.tenant_locale) ? owner.tenant_locale as Locale : 'en';
    const t = deps.catalog.translator(locale);
    const summary = t('todo.dueSummary', { title: todo.title });
    if (!await claimTodoReminder(deps.db, todo, summary, t('todo.reminderActor'), now)) continue;
    sent += 1;
    deps.events.publish({ tenantId: todo.tenant_id, type: 'notification', data: { userId: todo.user_id } });
    if (!todo.remind_by_mail || !owner.active) continue;
    const link = deps.baseUrl ? `${deps.baseUrl.replace(/\/$/, '')}/t/${owner.slug}/desk/todos` : '';
    try {
      await deps.mailer.send({
        tenantId: todo.tenant_id, to: owner.email, subject: t('todo.mailSubject', { title: todo.title }),
        text: [summary, t('todo.mailDue', { at: isoToZoned(todo.due_at, owner.time_zone).replace('T', ' ') }), link].filter(Boolean).join('\n'),
        headers: { 'Auto-Submitted': 'auto-generated' },
      });
    } catch (error) {
      deps.log?.warn('to-do reminder mail failed', { tenantId: todo.tenant_id, todo: todo.id, error: String(error) });
    }
  }
  return sent;
}

/** The owner's to-dos due that day, for the daily digest. */
export const todoDigestSource: DigestSource = async (db, tenantId, userId, from, to, link) =>
  (await todosDueBetween(db, tenantId, userId, from, to)).map((todo) => ({ at: todo.due_at!, label: todo.title, link: link('/desk/todos') }));
