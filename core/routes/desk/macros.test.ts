import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantScope } from '../../tenancy/tenant-scope.js';
import { createTestApp, type TestApp } from '../../../test/harness/test-app.js';
import { dialects } from '../../../test/harness/test-database.js';

const HX = { 'HX-Request': 'true' };

describe.each(dialects)('macros on %s', (dialect) => {
  let app: TestApp;
  let acme: number;
  let globex: number;
  let agent: string;
  let agentId: number;
  let otherAgent: string;
  let supervisor: string;
  let globexAgent: string;
  let group: number;
  let globexGroup: number;
  let requester: number;
  let globexMacro: number;
  let globexTicket: string;

  const post = (path: string, values: Record<string, string>, cookie: string, headers: Record<string, string> = {}) =>
    app.request(path, { method: 'POST', body: new URLSearchParams(values), cookie, headers });
  const macros = (tenantId: number) => tenantScope(app.services.db, tenantId).selectFrom('macros').selectAll().orderBy('id').execute();
  const ticket = (tenantId: number, number: string) => tenantScope(app.services.db, tenantId).selectFrom('tickets').selectAll().where('number', '=', number).executeTakeFirstOrThrow();
  const articles = (tenantId: number, ticketId: number) => tenantScope(app.services.db, tenantId).selectFrom('ticket_articles').select(['kind', 'body_text']).where('ticket_id', '=', ticketId).orderBy('id').execute();
  const macro = { name: 'Ask back', body: '', article_kind: 'reply', set_status: '', set_priority: '', set_group_id: '' };

  async function newTicket(slug: string, cookie: string, subject: string, requesterId?: number): Promise<string> {
    const response = await post(`/t/${slug}/desk/tickets/new`, { subject, description: 'd', priority: '2', channel: 'phone', ...(requesterId ? { requester_id: String(requesterId) } : { new_person_name: `Caller of ${subject}` }) }, cookie);
    expect(response.status).toBe(303);
    return response.headers.get('Location')!.split('/').pop()!;
  }

  beforeAll(async () => {
    app = await createTestApp(dialect);
    acme = (await app.createTenant('acme', 'ACME Service')).id;
    globex = (await app.createTenant('globex')).id;
    agentId = await app.createStaff(acme, 'agent', 'anna@acme.test');
    await app.createStaff(acme, 'agent', 'bert@acme.test');
    await app.createStaff(acme, 'supervisor', 'sue@acme.test');
    await app.createStaff(globex, 'agent', 'agent@globex.test');
    [agent, otherAgent, supervisor, globexAgent] = await Promise.all([
      app.signIn('anna@acme.test', 'acme'), app.signIn('bert@acme.test', 'acme'), app.signIn('sue@acme.test', 'acme'), app.signIn('agent@globex.test', 'globex'),
    ]);
    const scoped = tenantScope(app.services.db, acme);
    const organisation = (await scoped.insertInto('organisations', { name: 'Ritter Logistik' }).returning('id').executeTakeFirstOrThrow()).id;
    requester = (await scoped.insertInto('people', { name: 'Rita Ruf', email: 'rita@ritter.test', organisation_id: organisation }).returning('id').executeTakeFirstOrThrow()).id;
    group = (await scoped.insertInto('support_groups', { name: 'Second line', level: 'second' }).returning('id').executeTakeFirstOrThrow()).id;
    globexGroup = (await tenantScope(app.services.db, globex).insertInto('support_groups', { name: 'Globex line', level: 'first' }).returning('id').executeTakeFirstOrThrow()).id;
    globexMacro = (await tenantScope(app.services.db, globex).insertInto('macros', { user_id: null, name: 'Globex shared', body: 'x', article_kind: 'reply', set_status: null, set_priority: null, set_group_id: null, created_at: new Date().toISOString() }).returning('id').executeTakeFirstOrThrow()).id;
    // Numbers count per tenant; give the foreign ticket one that acme does not have, so a 404 means "not yours".
    const numbered = await newTicket('globex', globexAgent, 'Globex ticket');
    globexTicket = `${numbered.slice(0, 5)}999999`;
    await tenantScope(app.services.db, globex).updateTable('tickets').set({ number: globexTicket }).where('number', '=', numbered).execute();
  });
  afterAll(() => app.cleanup());

  it('creates, edits and deletes a personal macro, with field errors for bad input', async () => {
    const bad = await post('/t/acme/desk/macros', { ...macro, name: '', set_status: 'gone', set_group_id: String(globexGroup) }, agent);
    expect(bad.status).toBe(422);
    const empty = await post('/t/acme/desk/macros', { ...macro }, agent);
    expect(empty.status).toBe(422);
    expect(await empty.text()).toContain('A macro needs a text or something to set.');
    const foreignGroup = await post('/t/acme/desk/macros', { ...macro, body: 'hi', set_group_id: String(globexGroup) }, agent);
    expect(foreignGroup.status).toBe(422);
    expect(await foreignGroup.text()).toContain('This entry does not exist (any more).');
    expect(await macros(acme)).toEqual([]);
    expect((await post('/t/acme/desk/macros', { ...macro, name: 'Thanks', body: 'Thanks {{requester.name}}' }, agent)).status).toBe(303);
    const [created] = await macros(acme);
    expect(created).toMatchObject({ name: 'Thanks', user_id: agentId, article_kind: 'reply', set_status: null });
    expect((await post(`/t/acme/desk/macros/${created!.id}`, { ...macro, name: 'Thanks!', body: 'Thank you {{requester.name}}', article_kind: 'note', set_status: 'waiting', set_priority: '4' }, agent)).status).toBe(303);
    expect((await macros(acme))[0]).toMatchObject({ name: 'Thanks!', article_kind: 'note', set_status: 'waiting', set_priority: 4 });
    // Another agent neither sees nor changes it.
    expect(await (await app.request('/t/acme/desk/macros', { cookie: otherAgent })).text()).not.toContain('Thanks!');
    expect((await app.request(`/t/acme/desk/macros/${created!.id}`, { cookie: otherAgent })).status).toBe(404);
    expect((await post(`/t/acme/desk/macros/${created!.id}/delete`, {}, otherAgent)).status).toBe(404);
    expect((await post(`/t/acme/desk/macros/${created!.id}/delete`, {}, agent)).status).toBe(303);
    expect(await macros(acme)).toEqual([]);
  });

  it('shares macros only by supervisors; agents use but do not change shared ones', async () => {
    const refused = await post('/t/acme/desk/macros', { ...macro, name: 'Team hello', body: 'Hello', shared: '1' }, agent);
    expect(refused.status).toBe(403);
    expect(await macros(acme)).toEqual([]);
    expect(await (await app.request('/t/acme/desk/macros', { cookie: agent })).text()).not.toContain('name="shared"');
    expect(await (await app.request('/t/acme/desk/macros', { cookie: supervisor })).text()).toContain('name="shared"');
    expect((await post('/t/acme/desk/macros', { ...macro, name: 'Team hello', body: 'Hello', shared: '1' }, supervisor)).status).toBe(303);
    const [shared] = await macros(acme);
    expect(shared!.user_id).toBeNull();
    expect(await (await app.request('/t/acme/desk/macros', { cookie: agent })).text()).toContain('Team hello');
    expect((await app.request(`/t/acme/desk/macros/${shared!.id}`, { cookie: agent })).status).toBe(403);
    expect((await post(`/t/acme/desk/macros/${shared!.id}`, { ...macro, name: 'Mine now', body: 'x' }, agent)).status).toBe(403);
    expect((await post(`/t/acme/desk/macros/${shared!.id}/delete`, {}, agent)).status).toBe(403);
    expect((await post(`/t/acme/desk/macros/${shared!.id}`, { ...macro, name: 'Team hello 2', body: 'Hello', shared: '1' }, supervisor)).status).toBe(303);
    expect((await macros(acme))[0]).toMatchObject({ name: 'Team hello 2', user_id: null });
    await tenantScope(app.services.db, acme).deleteFrom('macros').execute();
  });

  it('fills the reply form for review and changes nothing; Send applies what the agent kept in one transaction', async () => {
    const number = await newTicket('acme', agent, 'Printer jams', requester);
    expect((await post('/t/acme/desk/macros', { name: 'Ask back', body: 'Dear {{requester.name}} ({{organisation.name}}), about {{ticket.number}} "{{ticket.subject}}" [{{ticket.priority}}]: which model? {{agent.name}}, {{tenant.name}} {{unknown.thing}}', article_kind: 'reply', set_status: 'waiting', set_priority: '3', set_group_id: String(group) }, agent)).status).toBe(303);
    const [ask] = await macros(acme);
    const before = await ticket(acme, number);
    const outbox = async () => (await app.services.db.selectFrom('mail_outbox').select('id').execute()).length;
    const sent = await outbox();
    const filled = await post(`/t/acme/desk/tickets/${number}/macros/${ask!.id}`, { body: 'Hello,' }, agent, HX);
    expect(filled.status).toBe(200);
    const html = await filled.text();
    const expected = `Dear Rita Ruf (Ritter Logistik), about ${number} "Printer jams" [normal]: which model? anna, ACME Service {{unknown.thing}}`;
    expect(html).toContain('id="macro-filled"');
    expect(html).toContain('nothing is saved or sent until you press Send');
    expect(html).toContain(`Hello,\n\n${expected.replaceAll('"', '&quot;')}`);
    expect(html).toMatch(/<option value="waiting" selected/);
    expect(html).toContain(`name="macro_priority" value="3" checked`);
    expect(html).toContain(`name="macro_group_id" value="${group}" checked`);
    // Nothing changed, nothing was mailed.
    expect(await ticket(acme, number)).toEqual(before);
    expect(await articles(acme, before.id)).toEqual([]);
    expect(await outbox()).toBe(sent);
    // Without htmx it is the whole page with the form filled, still nothing saved.
    const page = await post(`/t/acme/desk/tickets/${number}/macros/${ask!.id}`, {}, agent);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('id="ticket-composer"');
    expect(await ticket(acme, number)).toEqual(before);
    // Send, with the group box unticked: status and priority change with the reply, the group stays.
    const send = await post(`/t/acme/desk/tickets/${number}/articles`, { kind: 'reply', body: expected, statusAfter: 'waiting', macro_name: 'Ask back', macro_priority: '3' }, agent);
    expect(send.status).toBe(303);
    expect(await ticket(acme, number)).toMatchObject({ status: 'waiting', priority: 3, group_id: before.group_id });
    expect(await articles(acme, before.id)).toEqual([{ kind: 'reply', body_text: expected }]);
  });

  it('keeps the version the page was loaded at when a macro fills the form, so Send still refuses over a colleague\'s change', async () => {
    const number = await newTicket('acme', agent, 'Toner empty', requester);
    await tenantScope(app.services.db, acme).insertInto('macros', { user_id: agentId, name: 'Urgent', body: 'We are on it.', article_kind: 'reply', set_status: null, set_priority: 4, set_group_id: null, created_at: new Date().toISOString() }).execute();
    const urgent = (await macros(acme)).find((m) => m.name === 'Urgent')!;
    const loaded = await ticket(acme, number);
    // A colleague changes the priority after the agent opened the page.
    expect((await post(`/t/acme/desk/tickets/${number}/fields`, { priority: '1', version: String(loaded.version) }, supervisor)).status).toBe(303);
    const filled = await (await post(`/t/acme/desk/tickets/${number}/macros/${urgent.id}`, { body: '', version: String(loaded.version) }, agent, HX)).text();
    expect(filled).toContain(`name="version" value="${loaded.version}"`);
    const send = await post(`/t/acme/desk/tickets/${number}/articles`, { kind: 'reply', body: 'We are on it.', macro_name: 'Urgent', macro_priority: '4', version: String(loaded.version) }, agent, HX);
    expect(send.status).toBe(409);
    expect(await send.text()).toContain('id="composer-stale"');
    expect((await ticket(acme, number)).priority).toBe(1);
  });

  it('offers a status the reply form cannot take as a box, refused by the lifecycle at Send with nothing half-saved', async () => {
    const number = await newTicket('acme', agent, 'Screen dark', requester);
    await tenantScope(app.services.db, acme).insertInto('macros', { user_id: agentId, name: 'Close it', body: 'Closing.', article_kind: 'reply', set_status: 'closed', set_priority: 4, set_group_id: group, created_at: new Date().toISOString() }).execute();
    const close = (await macros(acme)).find((m) => m.name === 'Close it')!;
    const before = await ticket(acme, number);
    const filled = await (await post(`/t/acme/desk/tickets/${number}/macros/${close.id}`, {}, agent, HX)).text();
    expect(filled).toContain('name="macro_status" value="closed" checked');
    const refused = await post(`/t/acme/desk/tickets/${number}/articles`, { kind: 'reply', body: 'Closing.', macro_status: 'closed', macro_priority: '4', macro_group_id: String(group) }, agent, HX);
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain('A ticket must be solved before it can be closed.');
    expect(await ticket(acme, number)).toEqual(before);
    expect(await articles(acme, before.id)).toEqual([]);
  });

  it('answers 404 across tenants and for other people\'s macros, changing nothing', async () => {
    const number = await newTicket('acme', agent, 'Mouse broken', requester);
    const mine = (await macros(acme)).find((m) => m.name === 'Ask back')!;
    const before = await ticket(acme, number);
    expect((await post(`/t/acme/desk/tickets/${number}/macros/${globexMacro}`, {}, agent)).status).toBe(404);
    expect((await post(`/t/acme/desk/tickets/${globexTicket}/macros/${mine.id}`, {}, agent)).status).toBe(404);
    expect((await post(`/t/acme/desk/tickets/${number}/macros/${mine.id}`, {}, otherAgent)).status).toBe(404);
    expect((await post(`/t/globex/desk/tickets/${globexTicket}/macros/${mine.id}`, {}, globexAgent)).status).toBe(404);
    expect((await post(`/t/acme/desk/tickets/${number}/macros/${mine.id}`, {}, globexAgent)).status).toBe(303);
    expect((await app.request(`/t/acme/desk/macros/${globexMacro}`, { cookie: agent })).status).toBe(404);
    expect((await post(`/t/acme/desk/macros/${globexMacro}`, { ...macro, name: 'hijack', body: 'x' }, supervisor)).status).toBe(404);
    expect((await post(`/t/acme/desk/macros/${globexMacro}/delete`, {}, supervisor)).status).toBe(404);
    expect(await ticket(acme, number)).toEqual(before);
    expect((await macros(globex))[0]).toMatchObject({ name: 'Globex shared' });
    const globexRow = await ticket(globex, globexTicket);
    expect(await articles(globex, globexRow.id)).toEqual([]);
  });
});
