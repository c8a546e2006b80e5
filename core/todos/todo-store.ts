import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { DomainError } from '../domain-error.js';
import type { Translate } from '../i18n/translate.js';
import { tenantScope, type TenantScope } from '../tenancy/tenant-scope.js';

// Personal to-dos (issue 18 point 6): every read and write names the tenant (the scope) and the owner, so a
// to-do of another user or tenant is not found (404), never shown or changed.

export const TITLE_MAX = 200;

export interface TodoRow { id: number; title: string; due_at: string | null; done_at: string | null; remind_by_mail: number; ticket_number: string | null; ticket_subject: string | null }
export interface TodoInput { title: string; dueAt: string | null; ticketNumber: string | null; remindByMail: boolean }

const columns = ['todos.id', 'todos.title', 'todos.due_at', 'todos.done_at', 'todos.remind_by_mail', 'tickets.number as ticket_number', 'tickets.subject as ticket_subject'] as const;

/** The owner's open to-dos (due first, those without a time last) and the latest done ones. */
export async function listTodos(scope: TenantScope, userId: number, options: { open?: number; done?: number } = {}): Promise<{ open: TodoRow[]; done: TodoRow[] }> {
  const own = () => scope.selectFrom('todos').leftJoin('tickets', 'tickets.id', 'todos.ticket_id').select(columns).where('todos.user_id', '=', userId);
  const [open, done] = await Promise.all([
    own().where('todos.done_at', 'is', null).orderBy((eb) => eb.case().when('todos.due_at', 'is', null).then(1).else(0).end()).orderBy('todos.due_at').orderBy('todos.id').limit(options.open ?? 200).execute(),
    options.done === 0 ? Promise.resolve([]) : own().where('todos.done_at', 'is not', null).orderBy('todos.done_at', 'desc').limit(options.done ?? 20).execute(),
  ]);
  return { open, done };
}

/** Adds a to-do; a ticket number must name a ticket of this tenant (else a field message). */
export async function createTodo(scope: TenantScope, userId: number, input: TodoInput, now: string, t: Translate): Promise<number> {
  const errors: Record<string, string> = {};
  const title = input.title.trim();
  if (!title) errors.title = t('validation.required');
  else if (title.length > TITLE_MAX) errors.title = t('validation.tooLong', { max: TITLE_MAX });
  let ticketId: number | null = null;
  if (input.ticketNumber) {
    const ticket = await scope.selectFrom('tickets').select('id').where('number', '=', input.ticketNumber.trim().replace(/^#/, '')).where('deleted_at', 'is', null).executeTakeFirst();
    if (ticket) ticketId = ticket.id;
    else errors.ticket = t('todo.noTicket');
  }
  if (Object.keys(errors).length) throw new DomainError('invalid', t('error.invalid'), errors);
  const row = await scope.insertInto('todos', {
    user_id: userId, title, due_at: input.dueAt, ticket_id: ticketId, remind_by_mail: input.remindByMail ? 1 : 0, done_at: null,
    // A to-do due already when added needs no reminder.
    reminded_at: input.dueAt !== null && input.dueAt <= now ? now : null, created_at: now,
  }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** Marks the owner's to-do done or open again; 404 for anyone else's. */
export async function setTodoDone(scope: TenantScope, userId: number, id: number, done: boolean, now: string, t: Translate): Promise<void> {
  const result = await scope.updateTable('todos').set({ done_at: done ? now : null }).where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw new DomainError('not_found', t('todo.notFound'));
}

export async function deleteTodo(scope: TenantScope, userId: number, id: number, t: Translate): Promise<void> {
  const result = await scope.deleteFrom('todos').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) throw new DomainError('not_found', t('todo.notFound'));
}

/** The open to-dos of every tenant whose reminder is due and not yet sent (the partial index todos_due). */
export async function dueTodoReminders(db: Kysely<DB>, now: string, limit = 500) {
  return db.selectFrom('todos').select(['id', 'tenant_id', 'user_id', 'title', 'due_at', 'ticket_id', 'remind_by_mail'])
    .where('due_at', 'is not', null).where('due_at', '<=', now).where('reminded_at', 'is', null).where('done_at', 'is', null)
    .orderBy('due_at').limit(limit).execute();
}

/** Claims a reminder (false when another runner did) and writes the owner's notification in the same transaction. */
export async function claimTodoReminder(db: Kysely<DB>, todo: { id: number; tenant_id: number; user_id: number; ticket_id: number | null }, summary: string, actorLabel: string, now: string): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const scope = tenantScope(trx, todo.tenant_id);
    const claimed = await scope.updateTable('todos').set({ reminded_at: now }).where('id', '=', todo.id).where('reminded_at', 'is', null).executeTakeFirst();
    if (Number(claimed.numUpdatedRows) === 0) return false;
    await scope.insertInto('notifications', { user_id: todo.user_id, ticket_id: todo.ticket_id, kind: 'todo_due', actor_label: actorLabel, summary: summary.slice(0, 300), created_at: now }).execute();
    return true;
  });
}

/** The owner's open to-dos due in [from, to), for the daily digest. */
export async function todosDueBetween(db: Kysely<DB>, tenantId: number, userId: number, from: string, to: string) {
  return tenantScope(db, tenantId).selectFrom('todos').select(['title', 'due_at']).where('user_id', '=', userId).where('done_at', 'is', null)
    .where('due_at', '>=', from).where('due_at', '<', to).orderBy('due_at').execute();
}
