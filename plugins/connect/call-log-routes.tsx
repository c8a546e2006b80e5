import type { Context, Hono } from 'hono';
import { Page, flash, formatDateTime, formatPhone, href, pageParam, pluginScope, render, requirePermission, scope, staff, tenantOf, type AppEnv } from '../../core/plugin-api.js';
import { formatDuration, listCalls, openTodos, type CallFilter } from './call-list.js';
import { CALLS, CALL_FIELD } from './call-popup.js';
import type { ConnectDB } from './connect-db.js';

/** The call log's filter from the query: direction in/out, missed only, a day range (yyyy-mm-dd, UTC days). */
function filterOf(c: Context<AppEnv>): CallFilter & { view: string } {
  const view = c.req.query('view') ?? '';
  const day = (value: string | undefined) => (value && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value)) ? value : undefined);
  const from = day(c.req.query('from'));
  const to = day(c.req.query('to'));
  return {
    view,
    from: from ? `${from}T00:00:00.000Z` : undefined,
    to: to ? new Date(Date.parse(`${to}T00:00:00.000Z`) + 86_400_000).toISOString() : undefined,
    direction: view === 'in' || view === 'out' ? view : undefined,
    missed: view === 'missed' ? true : undefined,
  };
}

/** The agents' call log (incoming, outgoing, missed; length, agent, ticket) with the missed calls to call back on top. */
export function callLogRoutes(app: Hono<AppEnv>): void {
  app.get('/calls', requirePermission(CALLS), async (c) => {
    const t = c.var.t;
    const filter = filterOf(c);
    const page = pageParam(c.req.query('page'));
    const [{ rows, more }, todos] = await Promise.all([listCalls(scope(c), filter, page), openTodos(scope(c), staff(c).id)]);
    const link = (view: string, p = 1) => href(c, `/p/connect/calls?${new URLSearchParams({ ...(view ? { view } : {}), ...(p > 1 ? { page: String(p) } : {}) }).toString()}`);
    const shown = (number: string, raw: string) => (number ? formatPhone(number) : raw || t('connect.call.withheld'));
    return render(c, {
      title: t('connect.calls'),
      page: (
        <Page title={t('connect.calls')}>
          <section class="card stack" id="connect-todos">
            <h2>{t('connect.todos')}</h2>
            {todos.length === 0 ? <p class="muted">{t('connect.todos.empty')}</p> : (
              <ul class="call-todos">
                {todos.map((todo) => {
                  const query = new URLSearchParams({ [CALL_FIELD]: String(todo.id), subject: t('connect.call.back', { number: shown(todo.number, todo.from_number) }) });
                  if (todo.person_id) query.set('requester_id', String(todo.person_id));
                  else if (todo.organisation_id) query.set('organisation_id', String(todo.organisation_id));
                  else if (todo.number) query.set('new_person_phone', todo.number);
                  return (
                    <li id={`todo-${todo.id}`}>
                      <strong>{shown(todo.number, todo.from_number)}</strong> {todo.person ?? todo.organisation ?? ''} <span class="muted">{formatDateTime(todo.started_at, c.var.dates)}</span>
                      <span class="call-todo-actions">
                        <a href={href(c, `/desk/tickets/new?${query.toString()}`)}>{t('connect.call.newTicket')}</a>
                        <form method="post" action={href(c, `/p/connect/calls/${todo.id}/done`)}><button type="submit" class="button-small">{t('connect.todo.done')}</button></form>
                      </span>
                    </li>
                  );
                })}
              </ul>
            )}
          </section>
          <nav class="call-views" aria-label={t('connect.calls')}>
            {['', 'in', 'out', 'missed'].map((view) => <a href={link(view)} aria-current={filter.view === view ? 'page' : undefined}>{t(`connect.calls.view.${view || 'all'}`)}</a>)}
          </nav>
          {rows.length === 0 ? <p class="muted" id="connect-no-calls">{t('connect.calls.empty')}</p> : (
            <div class="table-wrap">
              <table class="table" id="connect-calls">
                <thead><tr><th>{t('connect.call.time')}</th><th>{t('connect.call.direction.label')}</th><th>{t('connect.call.number')}</th><th>{t('connect.call.caller')}</th><th>{t('connect.call.agent')}</th><th>{t('connect.call.duration')}</th><th>{t('connect.event.ticket')}</th></tr></thead>
                <tbody>
                  {rows.map((call) => (
                    <tr class={call.missed ? 'call-row-missed' : undefined} data-call={call.call_id}>
                      <td>{formatDateTime(call.started_at, c.var.dates)}</td>
                      <td>{t(`connect.call.${call.direction}`)}{call.missed ? <> · <strong>{t('connect.call.state.missed')}</strong></> : null}</td>
                      <td>{shown(call.number, call.direction === 'in' ? call.from_number : call.to_number)}</td>
                      <td>{call.person ?? call.organisation ?? t('connect.call.unknown')}</td>
                      <td>{call.agent ?? call.extension}</td>
                      <td>{call.missed ? '' : call.state === 'ended' ? formatDuration(call.duration_s) : t(`connect.call.state.${call.state}`)}</td>
                      <td>{call.ticket_number ? <a href={href(c, `/desk/tickets/${call.ticket_number}`)}>{call.ticket_number}</a> : ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <nav class="connect-pages">
            {page > 1 ? <a href={link(filter.view, page - 1)}>{t('connect.previous')}</a> : null}
            {more ? <a href={link(filter.view, page + 1)}>{t('connect.next')}</a> : null}
          </nav>
        </Page>
      ),
    });
  });

  // A missed call dealt with without a ticket (called back, nobody there): its to-do is done.
  app.post('/calls/:id/done', requirePermission(CALLS), async (c) => {
    const id = Number(c.req.param('id'));
    const done = Number.isSafeInteger(id)
      ? await pluginScope<ConnectDB>(c.var.services.db, tenantOf(c).id).updateTable('connect_calls').set({ todo_open: 0 }).where('id', '=', id).where('todo_open', '=', 1).executeTakeFirst()
      : undefined;
    if (done && Number(done.numUpdatedRows) > 0) flash(c, 'success', c.var.t('connect.todo.doneToast'));
    return c.redirect(href(c, '/p/connect/calls'), 303);
  });
}
