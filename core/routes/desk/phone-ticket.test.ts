import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantScope } from '../../tenancy/tenant-scope.js';
import { recountHotline, storedHotline } from '../../statistics/hotline-aggregate.js';
import { recountKpiFacts, storedKpiFacts } from '../../statistics/kpi-fact-store.js';
import { recountTicketCounters, storedTicketCounters } from '../../tickets/ticket-counters.js';
import { createTestApp, type TestApp } from '../../../test/harness/test-app.js';
import { dialects } from '../../../test/harness/test-database.js';

const HX = { 'HX-Request': 'true' };

describe.each(dialects)('phone tickets and the people lookup on %s', (dialect) => {
  let app: TestApp;
  let acme: number;
  let globex: number;
  let agent: string;
  let globexAgent: string;
  let rita: number;
  let ritaOrg: number;
  let globexPerson: number;
  let group: number;

  const post = (path: string, values: Record<string, string>, cookie = agent, headers: Record<string, string> = {}) =>
    app.request(path, { method: 'POST', body: new URLSearchParams(values), cookie, headers });
  const base = { subject: 'Printer jams', description: 'Since this morning', priority: '3', channel: 'phone', category: '', group_id: '' };
  const tickets = (tenantId: number) => tenantScope(app.services.db, tenantId).selectFrom('tickets').selectAll().orderBy('id').execute();

  beforeAll(async () => {
    app = await createTestApp(dialect);
    acme = (await app.createTenant('acme')).id;
    globex = (await app.createTenant('globex')).id;
    await app.createStaff(acme, 'agent', 'agent@acme.test');
    await app.createStaff(globex, 'agent', 'agent@globex.test');
    agent = await app.signIn('agent@acme.test', 'acme');
    globexAgent = await app.signIn('agent@globex.test', 'globex');
    const scoped = tenantScope(app.services.db, acme);
    ritaOrg = (await scoped.insertInto('organisations', { name: 'Ritter Logistik', number: 'K-100' }).returning('id').executeTakeFirstOrThrow()).id;
    rita = (await scoped.insertInto('people', { name: 'Rita Ruf', email: 'rita@ritter.test', phone: '+49 30 1234', organisation_id: ritaOrg }).returning('id').executeTakeFirstOrThrow()).id;
    group = (await scoped.insertInto('support_groups', { name: 'First line', level: 'first' }).returning('id').executeTakeFirstOrThrow()).id;
    await scoped.insertInto('ticket_categories', { name: 'Hardware', position: 0, active: 1 }).execute();
    await scoped.insertInto('ticket_fields', { key: 'serial', label: 'Serial number', type: 'text', options: '[]', required: 1, categories: '["Hardware"]', position: 0, active: 1 }).execute();
    globexPerson = (await tenantScope(app.services.db, globex).insertInto('people', { name: 'Rita Globex', email: 'rita@globex.test', organisation_id: null }).returning('id').executeTakeFirstOrThrow()).id;
  });
  afterAll(() => app.cleanup());

  it('shows the form with the lookup wired to htmx and the phone channel preselected', async () => {
    const response = await app.request('/t/acme/desk/tickets/new', { cookie: agent });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('hx-get="/t/acme/desk/lookup/people"');
    expect(html).toContain('hx-trigger="input changed delay:200ms, search"');
    expect(html).toMatch(/<option value="phone" selected="">Phone<\/option>/);
    expect(html).toContain('name="requester_id"');
  });

  it('looks up people and customers of this tenant only, as a fragment and as a page', async () => {
    const fragment = await (await app.request('/t/acme/desk/lookup/people?q=rit', { cookie: agent, headers: HX })).text();
    expect(fragment).toContain('Rita Ruf');
    expect(fragment).toContain('Ritter Logistik');
    expect(fragment).toContain(`data-fill-requester_id="${rita}"`);
    expect(fragment).toContain(`data-fill-organisation_id="${ritaOrg}"`);
    expect(fragment).not.toContain('Rita Globex');
    expect(fragment).not.toContain('<html');
    const byPhone = await (await app.request('/t/acme/desk/lookup/people?q=1234', { cookie: agent, headers: HX })).text();
    expect(byPhone).toContain('Rita Ruf');
    const page = await (await app.request('/t/acme/desk/lookup/people?q=rita', { cookie: agent })).text();
    expect(page).toContain('<html');
    expect(page).toContain(`href="/t/acme/desk/tickets/new?requester_id=${rita}"`);
    const foreign = await (await app.request('/t/globex/desk/lookup/people?q=rit', { cookie: globexAgent, headers: HX })).text();
    expect(foreign).toContain('Rita Globex');
    expect(foreign).not.toContain('Rita Ruf');
    expect((await app.request('/t/acme/desk/lookup/people?q=rit', { cookie: globexAgent })).status).toBe(303);
  });

  it('opens a ticket for an existing caller and lands on the ticket page', async () => {
    const response = await post('/t/acme/desk/tickets/new', { ...base, requester_id: String(rita), organisation_id: String(ritaOrg), group_id: String(group) });
    expect(response.status).toBe(303);
    const [ticket] = await tickets(acme);
    expect(response.headers.get('Location')).toBe(`/t/acme/desk/tickets/${ticket!.number}`);
    expect(ticket).toMatchObject({ subject: 'Printer jams', description: 'Since this morning', priority: 3, channel: 'phone', requester_id: rita, organisation_id: ritaOrg, group_id: group, status: 'new' });
  });

  it('creates a new person together with the ticket, with the attachment', async () => {
    const body = new FormData();
    for (const [key, value] of Object.entries({ ...base, subject: 'Monitor flickers', requester_id: '', organisation_id: '', new_person_name: 'Nils Neu', new_person_email: 'Nils@Ritter.test', new_person_phone: '0170 555', new_person_organisation_id: String(ritaOrg), category: 'Hardware', 'custom_fields.serial': 'SN-42' })) body.set(key, value);
    body.set('attachments', new File(['log line'], 'error.log', { type: 'text/plain' }));
    const response = await app.request('/t/acme/desk/tickets/new', { method: 'POST', body, cookie: agent });
    expect(response.status).toBe(303);
    const person = await tenantScope(app.services.db, acme).selectFrom('people').selectAll().where('email', '=', 'nils@ritter.test').executeTakeFirstOrThrow();
    expect(person).toMatchObject({ name: 'Nils Neu', phone: '0170 555', organisation_id: ritaOrg });
    const ticket = (await tickets(acme)).at(-1)!;
    expect(ticket).toMatchObject({ subject: 'Monitor flickers', requester_id: person.id, organisation_id: ritaOrg, category: 'Hardware' });
    expect(JSON.parse(ticket.custom_fields)).toEqual({ serial: 'SN-42' });
    const files = await tenantScope(app.services.db, acme).selectFrom('ticket_attachments').select('filename').where('ticket_id', '=', ticket.id).execute();
    expect(files).toEqual([{ filename: 'error.log' }]);
  });

  it('answers 422 with messages at the fields, keeps the values and saves nothing (not even the new person)', async () => {
    const before = (await tickets(acme)).length;
    const missing = await post('/t/acme/desk/tickets/new', { ...base, subject: '', description: 'keep this text', requester_id: '', organisation_id: '' });
    expect(missing.status).toBe(422);
    const html = await missing.text();
    expect(html).toContain('Choose a requester or customer, or enter a new person.');
    expect(html).toContain('keep this text');
    expect(html).toMatch(/id="subject-error"/);
    // The service refuses a missing required custom field: the new person is not kept either.
    const refused = await post('/t/acme/desk/tickets/new', { ...base, subject: 'Keyboard', category: 'Hardware', 'custom_fields.serial': '', new_person_name: 'Otto Once', new_person_email: 'otto@ritter.test' });
    expect(refused.status).toBe(422);
    const refusedHtml = await refused.text();
    expect(refusedHtml).toMatch(/id="custom_fields.serial-error"/);
    expect(refusedHtml).toContain('value="Otto Once"');
    expect(refusedHtml).toContain('value="Keyboard"');
    expect(await tenantScope(app.services.db, acme).selectFrom('people').select('id').where('email', '=', 'otto@ritter.test').executeTakeFirst()).toBeUndefined();
    const taken = await post('/t/acme/desk/tickets/new', { ...base, new_person_name: 'Rita Again', new_person_email: 'rita@ritter.test' });
    expect(taken.status).toBe(422);
    expect(await taken.text()).toContain('A contact person with this e-mail exists already.');
    expect((await tickets(acme)).length).toBe(before);
  });

  it('re-renders the custom fields of the chosen category as a fragment', async () => {
    const fragment = await (await app.request('/t/acme/desk/tickets/new/fields?category=Hardware&custom_fields.serial=SN-1', { cookie: agent, headers: HX })).text();
    expect(fragment).toContain('id="custom-fields"');
    expect(fragment).toContain('Serial number *');
    expect(fragment).toContain('value="SN-1"');
    const none = await (await app.request('/t/acme/desk/tickets/new/fields?category=', { cookie: agent, headers: HX })).text();
    expect(none).not.toContain('Serial number');
  });

  it('refuses another tenant\'s people, groups and the route across tenants', async () => {
    const before = (await tickets(acme)).length;
    const foreignPerson = await post('/t/acme/desk/tickets/new', { ...base, requester_id: String(globexPerson) });
    expect(foreignPerson.status).toBe(422);
    expect(await foreignPerson.text()).toContain('This entry does not exist (any more).');
    expect((await post('/t/acme/desk/tickets/new', { ...base, requester_id: String(rita) }, globexAgent)).status).toBe(303);
    expect((await tickets(acme)).length).toBe(before);
    expect((await tickets(globex)).length).toBe(0);
  });

  it('creates a ticket assigned to me, or solved on the spot with the solution as its reply, in one step', async () => {
    const agentId = (await app.services.db.selectFrom('users').select('id').where('email', '=', 'agent@acme.test').executeTakeFirstOrThrow()).id;
    const form = await (await app.request('/t/acme/desk/tickets/new', { cookie: agent })).text();
    expect(form).toContain('id="after-solved"');
    const mine = await post('/t/acme/desk/tickets/new', { ...base, subject: 'Take it', requester_id: String(rita), after: 'mine' });
    expect(mine.status).toBe(303);
    const taken = (await tickets(acme)).at(-1)!;
    expect(taken).toMatchObject({ subject: 'Take it', status: 'open', assignee_id: agentId });
    // Solved on the spot needs the solution; the form keeps what was typed.
    const missing = await post('/t/acme/desk/tickets/new', { ...base, subject: 'Solved now', requester_id: String(rita), after: 'solved', solution: ' ' });
    expect(missing.status).toBe(422);
    expect(await missing.text()).toContain('Write down the solution.');
    expect((await tickets(acme)).at(-1)!.subject).toBe('Take it');
    const solved = await post('/t/acme/desk/tickets/new', { ...base, subject: 'Solved now', requester_id: String(rita), after: 'solved', solution: 'Restarted the spooler.' });
    expect(solved.status).toBe(303);
    const row = (await tickets(acme)).at(-1)!;
    expect(row).toMatchObject({ subject: 'Solved now', status: 'solved', assignee_id: agentId });
    expect(row.solved_at).not.toBeNull();
    expect(row.first_response_at).not.toBeNull();
    const scoped = tenantScope(app.services.db, acme);
    expect(await scoped.selectFrom('ticket_articles').select(['kind', 'body_text']).where('ticket_id', '=', row.id).execute()).toEqual([{ kind: 'reply', body_text: 'Restarted the spooler.' }]);
    // One history: every line in the same instant, from the same change.
    const history = await scoped.selectFrom('ticket_history').select(['action', 'field', 'new_value', 'created_at']).where('ticket_id', '=', row.id).orderBy('id').execute();
    expect(history.map((h) => [h.action, h.field, h.new_value])).toEqual([['created', 'status', 'new'], ['reply', 'article', expect.any(String)], ['assigned', 'assignee_id', String(agentId)], ['status', 'status', 'solved']]);
    expect(new Set(history.map((h) => h.created_at)).size).toBe(1);
    // The counters, hotline figures and KPI facts kept in the transaction match a recount from scratch.
    const zone = (await app.services.tenants.byId(acme))!.time_zone;
    expect(await storedTicketCounters(app.services.db, acme)).toEqual(await recountTicketCounters(app.services.db, acme));
    expect(await storedHotline(app.services.db, acme)).toEqual(await recountHotline(app.services.db, acme, zone));
    expect(await storedKpiFacts(app.services.db, acme)).toEqual(await recountKpiFacts(app.services.db, acme, zone, undefined));
    // A Globex session cannot create in ACME.
    expect((await post('/t/acme/desk/tickets/new', { ...base, subject: 'Foreign', requester_id: String(rita), after: 'solved', solution: 'x' }, globexAgent)).status).toBe(303);
    expect((await tickets(acme)).at(-1)!.subject).toBe('Solved now');
    expect((await post('/t/globex/desk/tickets/new', { ...base, subject: 'Foreign requester', requester_id: String(rita), after: 'mine' }, globexAgent)).status).toBe(422);
  });
});
