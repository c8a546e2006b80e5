import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemJobHandlers } from '../../jobs/system-jobs.js';
import { tenantScope } from '../../tenancy/tenant-scope.js';
import { bumpConfigRevision } from '../../tenancy/tenant-directory.js';
import { dialects } from '../../../test/harness/test-database.js';
import { form, htmx, ticketPageFixture, type TicketPageFixture } from './ticket-page-fixture.js';

// Personal to-dos through the real routes and the real reminder job: only the owner sees and changes them
// (another user of the tenant and another tenant get 404), the reminder pops up as a sticky toast and, when
// asked for, comes by mail.

describe.each(dialects)('to-dos on %s', (dialect) => {
  let f: TicketPageFixture;
  let now = new Date('2026-03-28T10:00:00Z');
  let agent = '';
  let sue = '';
  beforeAll(async () => {
    f = await ticketPageFixture(dialect, { clock: () => now });
    await f.app.services.db.updateTable('tenants').set({ time_zone: 'Europe/Berlin' }).execute();
    await bumpConfigRevision(f.app.services.db);
    agent = await f.app.signIn('agent@acme.test', 'acme');
    sue = await f.app.signIn('sue@acme.test', 'acme');
  });
  afterAll(() => f.app.cleanup());

  const get = async (path: string, cookie = agent, language = 'en') => {
    const response = await f.app.request(`/t/acme${path}`, { cookie, headers: { 'Accept-Language': language } });
    expect(response.status).toBe(200);
    return response.text();
  };
  const post = (path: string, values: Record<string, string>, cookie = agent, headers: Record<string, string> = {}) =>
    f.app.request(`/t/acme${path}`, form(values, cookie, { 'Accept-Language': 'en', ...headers }));
  const todos = () => tenantScope(f.app.services.db, f.acme.id).selectFrom('todos').selectAll().orderBy('id').execute();
  const remind = async (iso: string) => {
    now = new Date(iso);
    const { mailer, registry, tenants } = f.app.services;
    await systemJobHandlers({ mailer, registry, tenants, services: f.app.services })['core.todo-reminders']!({ tenantId: null, payload: null, db: f.app.services.db, clock: () => now });
  };

  it('adds a to-do with a due time in the tenant\'s zone and a ticket, lists it on the page and the dashboard, in both languages', async () => {
    const ticket = await f.open('Printer toner');
    expect(await get(`/desk/tickets/${ticket.number}`)).toContain(`href="/t/acme/desk/todos?ticket=${ticket.number}" id="ticket-new-todo"`);
    const page = await get(`/desk/todos?ticket=${ticket.number}`, agent, 'de');
    expect(page).toContain('Neue Aufgabe');
    expect(page).toContain(`value="${ticket.number}"`);
    expect(page).toContain('Zeitzone Europe/Berlin');
    const added = await post('/desk/todos', { title: 'Call Carla about toner', due: '2026-03-29T09:30', ticket: ticket.number, remind_by_mail: '1' });
    expect(added.status).toBe(303);
    const [row] = await todos();
    expect(row).toMatchObject({ user_id: f.agentId, title: 'Call Carla about toner', due_at: '2026-03-29T07:30:00.000Z', ticket_id: ticket.id, remind_by_mail: 1, done_at: null, reminded_at: null });
    const list = await get('/desk/todos');
    expect(list).toContain('Call Carla about toner');
    expect(list).toContain(`>${ticket.number}</a>`);
    const dashboard = await get('/desk');
    expect(dashboard).toMatch(/id="todo-panel"[^]*Call Carla about toner/);
    expect(await get('/desk', agent, 'de')).toContain('Alle meine Aufgaben');
  });

  it('refuses an empty title, an unknown or foreign ticket and a time in the skipped hour with field messages, saving nothing', async () => {
    const before = (await todos()).length;
    const foreign = await f.openGlobex();
    for (const [values, message] of [
      [{ title: ' ' }, 'Please fill in this field.'],
      [{ title: 'x', ticket: '1999-000001' }, 'No ticket with this number.'],
      [{ title: 'x', ticket: foreign.number }, 'No ticket with this number.'],
      [{ title: 'x', due: '2026-03-29T02:30' }, 'Enter a date and time that exists in this time zone.'],
    ] as const) {
      const response = await post('/desk/todos', values);
      expect(response.status).toBe(422);
      expect(await response.text()).toContain(message);
    }
    expect(await todos()).toHaveLength(before);
  });

  it('shows and changes a to-do only for its owner: another user and another tenant get 404', async () => {
    const [row] = await todos();
    expect(await get('/desk/todos', sue)).not.toContain('Call Carla about toner');
    expect(await get('/desk', sue)).not.toContain('Call Carla about toner');
    for (const verb of ['done', 'undo', 'delete']) expect((await post(`/desk/todos/${row!.id}/${verb}`, {}, sue)).status).toBe(404);
    const globex = await f.app.signIn('agent@globex.test', 'globex');
    const globexList = await f.app.request('/t/globex/desk/todos', { cookie: globex });
    expect(await globexList.text()).not.toContain('Call Carla about toner');
    for (const verb of ['done', 'delete']) expect((await f.app.request(`/t/globex/desk/todos/${row!.id}/${verb}`, form({}, globex))).status).toBe(404);
    expect((await todos())[0]).toMatchObject({ done_at: null });
  });

  it('marks done and undoes with htmx fragments of the list or the dashboard panel', async () => {
    const [row] = await todos();
    const done = await post(`/desk/todos/${row!.id}/done`, { from: 'dashboard' }, agent, htmx);
    expect(done.status).toBe(200);
    const panel = await done.text();
    expect(panel).toMatch(/^<section class="card" id="todo-panel"/);
    expect(panel).not.toContain('Call Carla about toner');
    expect((await todos())[0]!.done_at).toBe(now.toISOString());
    const undone = await post(`/desk/todos/${row!.id}/undo`, { from: 'page' }, agent, htmx);
    const lists = await undone.text();
    expect(lists).toMatch(/^<div id="todo-lists"/);
    expect(lists).toMatch(/id="todos-open"[^]*Call Carla about toner/);
    expect((await todos())[0]!.done_at).toBeNull();
  });

  it('reminds at the due time once: a sticky pop-up for the owner only and a mail when asked for', async () => {
    await post('/desk/todos', { title: 'No mail for this one', due: '2026-03-29T09:30' });
    await remind('2026-03-29T07:29:00Z');
    expect(await tenantScope(f.app.services.db, f.acme.id).selectFrom('notifications').select('id').where('kind', '=', 'todo_due').execute()).toEqual([]);
    await remind('2026-03-29T07:30:00Z');
    await remind('2026-03-29T07:31:00Z');
    const notes = await tenantScope(f.app.services.db, f.acme.id).selectFrom('notifications').select(['user_id', 'summary', 'actor_label']).where('kind', '=', 'todo_due').orderBy('id').execute();
    expect(notes).toEqual([
      { user_id: f.agentId, summary: 'To-do due: Call Carla about toner', actor_label: 'To-do' },
      { user_id: f.agentId, summary: 'To-do due: No mail for this one', actor_label: 'To-do' },
    ]);
    agent = await f.app.signIn('agent@acme.test', 'acme');
    sue = await f.app.signIn('sue@acme.test', 'acme');
    const toasts = await get('/desk/notifications/toasts');
    expect(toasts).toContain('To-do due: No mail for this one');
    expect(toasts).toContain('data-kind="todo_due"');
    expect(await get('/desk/notifications/toasts', sue)).not.toContain('To-do due');
    const mails = await f.app.services.db.selectFrom('mail_outbox').select(['to_address', 'subject', 'text_body']).where('subject', 'like', 'To-do due%').execute();
    expect(mails).toEqual([{ to_address: 'agent@acme.test', subject: 'To-do due: Call Carla about toner', text_body: expect.stringContaining('Due at 2026-03-29 09:30.') }]);
  });
  it('lets an agent choose the daily digest in the account page, in both languages', async () => {
    expect(await get('/account', agent, 'de')).toContain('Tägliche Mail mit meinen an diesem Tag fälligen Erinnerungen');
    const saved = await post('/account/profile', { name: 'agent', locale: '', reminder_digest: '1' });
    expect(saved.status).toBe(303);
    const row = await f.app.services.db.selectFrom('users').select(['reminder_digest', 'notify_by_mail']).where('id', '=', f.agentId).executeTakeFirstOrThrow();
    expect(row).toEqual({ reminder_digest: 1, notify_by_mail: 0 });
    expect(await get('/account')).toMatch(/name="reminder_digest"[^>]*checked/);
    await post('/account/profile', { name: 'agent', locale: '' });
    expect((await f.app.services.db.selectFrom('users').select('reminder_digest').where('id', '=', f.agentId).executeTakeFirstOrThrow()).reminder_digest).toBe(0);
  });
});
