import type { Context, Hono } from 'hono';
import type { AppEnv } from '../../http/app-env.js';
import { flash } from '../../http/flash.js';
import { href, isHtmx, redirectTo, requirePermission, requireTenant, requireUser, scope, staff, tenantOf } from '../../http/guards.js';
import { HttpError, toHttpError } from '../../http/http-error.js';
import { render, toast } from '../../http/render.js';
import { formatDateTime } from '../../i18n/format.js';
import { zonedToIso } from '../../i18n/time-zone.js';
import { createTodo, deleteTodo, listTodos, setTodoDone, TITLE_MAX, type TodoRow } from '../../todos/todo-store.js';
import { Checkbox, FormError, TextField } from '../../../views/components/form.js';
import { Page } from '../../../views/components/page.js';
import { lastValues } from './ticket-page.js';
import type { FormState } from './ticket-page-parts.js';

// Personal to-dos (issue 18 point 6): the page /desk/todos (add, done / undo, delete), a panel on the dashboard
// with the next open ones, and the reminder at the due time (core/todos/todo-reminders.ts). Every route reads and
// writes only the signed-in user's to-dos of this tenant.

const PANEL_SIZE = 5;

function TodoItem({ c, todo, from }: { c: Context<AppEnv>; todo: TodoRow; from: 'page' | 'dashboard' }) {
  const t = c.var.t;
  const done = todo.done_at !== null;
  const overdue = !done && todo.due_at !== null && todo.due_at <= c.var.services.clock().toISOString();
  const target = from === 'dashboard' ? '#todo-panel' : '#todo-lists';
  const action = (verb: string) => href(c, `/desk/todos/${todo.id}/${verb}`);
  return (
    <li class={`todo${done ? ' todo-done' : ''}${overdue ? ' todo-overdue' : ''}`} id={`todo-${todo.id}`}>
      <form method="post" action={action(done ? 'undo' : 'done')} hx-post={action(done ? 'undo' : 'done')} hx-target={target} hx-swap="outerHTML" class="todo-toggle">
        <input type="hidden" name="from" value={from} />
        <button type="submit" class="button-small" id={`todo-${done ? 'undo' : 'done'}-${todo.id}`}>{t(done ? 'todo.undo' : 'todo.done')}</button>
      </form>
      <span class="todo-title">{todo.title}</span>
      {todo.due_at ? <span class={overdue ? 'badge badge-danger' : 'muted'}> {overdue ? t('todo.overdue') : t('todo.due')} <time datetime={todo.due_at}>{formatDateTime(todo.due_at, c.var.dates)}</time></span> : null}
      {todo.ticket_number ? <span class="muted"> · <a href={href(c, `/desk/tickets/${todo.ticket_number}`)}>{todo.ticket_number}</a> {todo.ticket_subject}</span> : null}
      {todo.remind_by_mail && !done ? <span class="muted" title={t('todo.byMail')}> ✉</span> : null}
      {from === 'page' ? (
        <form method="post" action={action('delete')} hx-post={action('delete')} hx-target={target} hx-swap="outerHTML" class="todo-delete">
          <input type="hidden" name="from" value={from} />
          <button type="submit" class="link-like" aria-label={t('todo.delete', { title: todo.title })}>{t('common.delete')}</button>
        </form>
      ) : null}
    </li>
  );
}

function TodoLists({ c, lists }: { c: Context<AppEnv>; lists: { open: TodoRow[]; done: TodoRow[] } }) {
  const t = c.var.t;
  const { open, done } = lists;
  return (
    <div id="todo-lists" class="stack">
      <section class="card" aria-labelledby="todos-open-title">
        <h2 id="todos-open-title">{t('todo.open')} <span class="badge">{open.length}</span></h2>
        {open.length ? <ul class="plain-list todo-list" id="todos-open">{open.map((todo) => <TodoItem c={c} todo={todo} from="page" />)}</ul> : <p class="muted">{t('todo.noneOpen')}</p>}
      </section>
      {done.length ? (
        <section class="card" aria-labelledby="todos-done-title">
          <h2 id="todos-done-title">{t('todo.doneList')}</h2>
          <ul class="plain-list todo-list" id="todos-done">{done.map((todo) => <TodoItem c={c} todo={todo} from="page" />)}</ul>
        </section>
      ) : null}
    </div>
  );
}

/** The signed-in user's next open to-dos, for the dashboard's panel. */
export async function todoPanelData(c: Context<AppEnv>): Promise<TodoRow[]> {
  return (await listTodos(scope(c), staff(c).id, { open: PANEL_SIZE, done: 0 })).open;
}

/** The dashboard's panel: the next open to-dos with done buttons, and the way to the page. */
export function TodoPanel({ c, open }: { c: Context<AppEnv>; open: TodoRow[] }) {
  const t = c.var.t;
  return (
    <section class="card" id="todo-panel" aria-labelledby="todo-panel-title">
      <h2 id="todo-panel-title">{t('todo.title')}</h2>
      {open.length ? <ul class="plain-list todo-list">{open.map((todo) => <TodoItem c={c} todo={todo} from="dashboard" />)}</ul> : <p class="muted">{t('todo.noneOpen')}</p>}
      <p><a href={href(c, '/desk/todos')} id="todo-panel-link">{t('todo.all')}</a></p>
    </section>
  );
}

function TodoForm({ c, form }: { c: Context<AppEnv>; form: FormState }) {
  const t = c.var.t;
  const values = form.values ?? {};
  return (
    <section class="card" aria-labelledby="todo-new-title">
      <h2 id="todo-new-title">{t('todo.new')}</h2>
      <form method="post" action={href(c, '/desk/todos')} class="stack" id="todo-form">
        <FormError message={form.errors?._form} />
        <TextField name="title" label={t('todo.titleField')} value={values.title} required maxlength={TITLE_MAX} errors={form.errors} />
        <TextField name="due" type="datetime-local" label={t('todo.dueField')} hint={t('todo.dueHint', { zone: tenantOf(c).time_zone })} value={values.due} errors={form.errors} />
        <TextField name="ticket" label={t('todo.ticketField')} hint={t('todo.ticketHint')} value={values.ticket} maxlength={40} placeholder="2026-000123" errors={form.errors} />
        <Checkbox name="remind_by_mail" label={t('todo.byMail')} checked={values.remind_by_mail === '1'} />
        <button type="submit" class="button-primary" id="todo-submit">{t('todo.add')}</button>
      </form>
    </section>
  );
}

async function todoPage(c: Context<AppEnv>, form: FormState = {}, status: 200 | 422 = 200) {
  const t = c.var.t;
  const lists = await listTodos(scope(c), staff(c).id);
  return render(c, {
    title: t('todo.title'), status,
    page: (
      <Page title={t('todo.title')} crumbs={[{ label: t('nav.dashboard'), href: href(c, '/desk') }, { label: t('todo.title') }]}>
        <div class="grid-2 todo-page">
          <TodoForm c={c} form={form} />
          <TodoLists c={c} lists={lists} />
        </div>
      </Page>
    ),
  });
}

export function todoRoutes(app: Hono<AppEnv>): void {
  const guard = [requireTenant, requireUser, requirePermission('desk.use')] as const;

  app.get('/desk/todos', ...guard, (c) => todoPage(c, { values: { ticket: c.req.query('ticket') ?? '' } }));

  app.post('/desk/todos', ...guard, async (c) => {
    const t = c.var.t;
    const values = lastValues(await c.req.parseBody({ all: true }));
    const due = values.due?.trim() ? zonedToIso(values.due, tenantOf(c).time_zone) : null;
    try {
      if (due === undefined) throw new HttpError(422, t('error.invalid'), { due: t('waiting.invalid') });
      await createTodo(scope(c), staff(c).id, { title: values.title ?? '', dueAt: due, ticketNumber: values.ticket?.trim() || null, remindByMail: values.remind_by_mail === '1' }, c.var.services.clock().toISOString(), t);
    } catch (error) {
      const refusal = toHttpError(error);
      if (refusal?.status !== 422) throw error;
      return todoPage(c, { values, errors: Object.keys(refusal.fields).length ? { ...refusal.fields } : { _form: refusal.message } }, 422);
    }
    flash(c, 'success', t('todo.added'));
    return redirectTo(c, href(c, '/desk/todos'));
  });

  const change = (verb: 'done' | 'undo' | 'delete') => app.post(`/desk/todos/:id/${verb}`, ...guard, async (c) => {
    const t = c.var.t;
    const id = Number(c.req.param('id'));
    if (!Number.isInteger(id)) throw new HttpError(404, t('todo.notFound'));
    const from = lastValues(await c.req.parseBody()).from === 'dashboard' ? 'dashboard' : 'page';
    const now = c.var.services.clock().toISOString();
    if (verb === 'delete') await deleteTodo(scope(c), staff(c).id, id, t);
    else await setTodoDone(scope(c), staff(c).id, id, verb === 'done', now, t);
    const message = t({ done: 'todo.marked', undo: 'todo.reopened', delete: 'todo.removed' }[verb]);
    if (!isHtmx(c)) {
      flash(c, 'success', message);
      return redirectTo(c, href(c, from === 'dashboard' ? '/desk' : '/desk/todos'));
    }
    toast(c, 'success', message);
    return render(c, { title: t('todo.title'), page: from === 'dashboard' ? <TodoPanel c={c} open={await todoPanelData(c)} /> : <TodoLists c={c} lists={await listTodos(scope(c), staff(c).id)} /> });
  });
  change('done');
  change('undo');
  change('delete');
}
