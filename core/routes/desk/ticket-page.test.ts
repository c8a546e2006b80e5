import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantScope } from '../../tenancy/tenant-scope.js';
import { dialects } from '../../../test/harness/test-database.js';
import { form, htmx, ticketPageFixture, type TicketPageFixture } from './ticket-page-fixture.js';

describe.each(dialects)('ticket page on %s', (dialect) => {
  let f: TicketPageFixture;
  beforeAll(async () => { f = await ticketPageFixture(dialect); });
  afterAll(() => f.app.cleanup());

  const page = (number: string, cookie = f.cookies.agent, headers: Record<string, string> = {}) =>
    f.app.request(`/t/acme/desk/tickets/${number}`, { cookie, headers });

  it('shows an agent the header, actions, description, composer and the fields of the category', async () => {
    const ticket = await f.open('Printer <b>prints</b> blank pages', { category: 'Software' });
    const response = await page(ticket.number);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('<!doctype html>');
    expect(html).toContain(ticket.number);
    expect(html).toContain('Printer &lt;b&gt;prints&lt;/b&gt; blank pages');
    expect(html).toMatch(/id="ticket-status">New</);
    expect(html).toContain('Priority: normal');
    expect(html).toContain('Carla Kunde');
    expect(html).toContain('Customer Ltd');
    expect(html).toContain('Full service (V-100)');
    expect(html).toMatch(/Servicedesk <span class="badge">1st level/);
    expect(html).toContain('Phone');
    // Actions of a new ticket: accept, ask back, solve; never close (not solved) nor delete (no right).
    expect(html).toContain('id="action-accept"');
    expect(html).toContain('id="action-waiting"');
    expect(html).toContain('id="action-solved"');
    expect(html).not.toContain('id="action-closed"');
    expect(html).not.toContain('id="action-delete"');
    expect(html).toContain('since this morning'.replace('since', 'Since'));
    expect(html).toContain('data-hotkey="r"');
    expect(html).toContain('data-hotkey="n"');
    expect(html).toContain('hx-encoding="multipart/form-data"');
    // Software has no serial number field; the fields for every category are there, the checkbox with its hidden twin.
    expect(html).not.toContain('name="custom_fields.serial"');
    expect(html).toContain('name="custom_fields.impact"');
    expect(html).toMatch(/<input type="hidden" name="custom_fields.onsite" value=""\/?>/);
    expect(html).toContain(`sse-connect="/t/acme/events?ticket=${ticket.number}"`);
    expect(html).toContain('hx-trigger="sse:ticket"');
    expect(html).not.toContain('id="macros"');
  });

  it('lists my macros and the shared ones, not those of colleagues', async () => {
    const ticket = await f.open('Macro menu');
    const scope = tenantScope(f.app.services.db, f.acme.id);
    await scope.insertInto('macros', [
      { user_id: null, name: 'Shared greeting', body: 'Hello', article_kind: 'reply', set_status: null, set_priority: null, set_group_id: null },
      { user_id: f.agentId, name: 'My own macro', body: 'Mine', article_kind: 'note', set_status: null, set_priority: null, set_group_id: null },
      { user_id: f.supervisorId, name: 'Sue private macro', body: 'Hers', article_kind: 'note', set_status: null, set_priority: null, set_group_id: null },
    ]).execute();
    const html = await (await page(ticket.number)).text();
    expect(html).toContain('id="macros"');
    expect(html).toContain('Shared greeting');
    expect(html).toContain('My own macro');
    expect(html).not.toContain('Sue private macro');
    const shared = await scope.selectFrom('macros').select('id').where('name', '=', 'Shared greeting').executeTakeFirstOrThrow();
    expect(html).toContain(`action="/t/acme/desk/tickets/${ticket.number}/macros/${shared.id}"`);
    await scope.deleteFrom('macros').execute();
  });

  it('merges articles and history in time order with readable names; notes are marked internal', async () => {
    const ticket = await f.open('Timeline');
    const s = f.service(f.acme);
    const agent = { kind: 'user' as const, id: f.agentId, label: 'agent', can: () => true };
    await s.accept(ticket.number, agent, 3);
    await s.addArticle(ticket.number, { kind: 'reply', body: 'We look into it.', attachments: [{ filename: 'log.txt', bytes: new TextEncoder().encode('x'.repeat(2048)) }] }, agent);
    await s.addArticle(ticket.number, { kind: 'note', body: 'Toner empty?' }, agent);
    await s.forward(ticket.number, { groupId: f.secondLevel, note: 'Please check the fuser' }, agent);
    await s.update(ticket.number, { organisationId: f.otherOrganisationId, customFields: { impact: 'department' } }, agent);
    const html = await (await page(ticket.number)).text();
    const order = ['id="description"', 'changed the status', 'We look into it.', 'Toner empty?', 'forwarded the ticket', 'changed “Customer”'].map((text) => html.indexOf(text));
    expect(order.every((position) => position > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(html).toMatch(/<del>New<\/del> → <ins>Customer waits<\/ins>/);
    expect(html).toMatch(/<del>normal<\/del> → <ins>high<\/ins>/);
    expect(html).toMatch(/<del>Servicedesk<\/del> → <ins>Systems<\/ins>/);
    expect(html).toMatch(/<del>Customer Ltd<\/del> → <ins>Other GmbH<\/ins>/);
    expect(html).toMatch(/<del>Full service \(V-100\)<\/del> → <ins>—<\/ins>/);
    expect(html).toMatch(/changed “Impact”.*<del>—<\/del> → <ins>department<\/ins>/s);
    expect(html).toContain('Please check the fuser');
    expect(html).toMatch(/class="entry entry-article entry-note"[^>]*>[\s\S]*?Internal note[\s\S]*?Toner empty\?/);
    expect(html).toMatch(/log\.txt<\/a><span class="muted"> \(2\.0 KB\)/);
  });

  it('answers htmx with fragments: the workspace, the live refresh (204 while unchanged) and the custom fields of another category', async () => {
    const ticket = await f.open('Fragments');
    const full = await (await page(ticket.number, f.cookies.agent, htmx)).text();
    expect(full).not.toContain('<html');
    expect(full).toContain('id="ticket"');
    const live = (since: string) => f.app.request(`/t/acme/desk/tickets/${ticket.number}/live?since=${encodeURIComponent(since)}`, { cookie: f.cookies.agent, headers: htmx });
    expect((await live(String(ticket.version))).status).toBe(204);
    await f.service(f.acme).addArticle(ticket.number, { kind: 'note', body: 'Changed elsewhere' }, f.system);
    const refreshed = await live(String(ticket.version));
    expect(refreshed.status).toBe(200);
    const text = await refreshed.text();
    expect(text).not.toContain('<html');
    expect(text).toMatch(/id="ticket-timeline"[^>]*hx-swap-oob="true"/);
    expect(text).toMatch(/id="ticket-header"[^>]*hx-swap-oob="true"/);
    expect(text).toContain('Changed elsewhere');
    const current = await f.ticket(ticket.number);
    expect(text).toContain(`since=${current.version}`);
    expect(current.version).toBe(ticket.version + 1);
    // The untouched sidebar comes along, with the new version.
    expect(text).toMatch(new RegExp(`<form id="ticket-fields"[^>]*hx-swap-oob="true"[\\s\\S]*?name="version" value="${current.version}"`));
    expect((await live(String(current.version))).status).toBe(204);
    const fieldsForm = await f.app.request(`/t/acme/desk/tickets/${ticket.number}/fields-form?category=Hardware&custom_fields.impact=company`, { cookie: f.cookies.agent, headers: htmx });
    const fragment = await fieldsForm.text();
    expect(fragment).toContain('name="custom_fields.serial"');
    expect(fragment).toMatch(/<option value="company" selected="">company<\/option>/);
    expect(fragment).not.toContain('id="ticket-timeline"');
  });

  it('shows a deleted ticket to admins only', async () => {
    const ticket = await f.open('Deleted one');
    await f.service(f.acme).remove(ticket.number, f.system);
    expect((await page(ticket.number)).status).toBe(404);
    const html = await (await page(ticket.number, f.cookies.admin)).text();
    expect(html).toContain('id="ticket-deleted"');
    expect(html).toContain('id="action-restore"');
    const live = await f.app.request(`/t/acme/desk/tickets/${ticket.number}/live?since=x`, { cookie: f.cookies.agent, headers: htmx });
    expect(await live.text()).toContain('This ticket was deleted meanwhile.');
  });

  it('answers 404 for another tenant\'s ticket on every page route, and refuses visitors', async () => {
    const foreign = await f.openGlobex();
    for (const path of ['', '/live?since=x', '/fields-form?category=Hardware']) {
      const response = await f.app.request(`/t/acme/desk/tickets/${foreign.number}${path}`, { cookie: f.cookies.admin, headers: htmx });
      expect(response.status, path).toBe(404);
      expect(await response.text()).not.toContain('Globex secret');
    }
    expect((await f.app.request(`/t/acme/desk/tickets/2020-999999`, { cookie: f.cookies.agent })).status).toBe(404);
    const own = await f.open('Visitors');
    expect((await f.app.request(`/t/acme/desk/tickets/${own.number}`)).status).toBe(303);
    // A signed-in agent of another tenant is nobody here.
    const globexAgent = await f.app.signIn('agent@globex.test', 'globex');
    expect((await f.app.request(`/t/acme/desk/tickets/${own.number}`, { cookie: globexAgent })).status).toBe(303);
    // The form posts of the page are covered in ticket-actions.test.ts.
    expect((await f.app.request(`/t/acme/desk/tickets/${own.number}/status`, form({ to: 'solved' }, globexAgent))).status).toBe(303);
    expect((await f.ticket(own.number)).status).toBe('new');
  });
});
