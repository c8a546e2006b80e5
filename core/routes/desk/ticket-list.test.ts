import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tenant } from '../../db/schema.js';
import { tenantScope } from '../../tenancy/tenant-scope.js';
import { createTicketService, type TicketActor } from '../../tickets/ticket-service.js';
import { createTestApp, type TestApp } from '../../../test/harness/test-app.js';
import { dialects } from '../../../test/harness/test-database.js';

const post = (values: Record<string, string>, cookie: string) => ({ method: 'POST', body: new URLSearchParams(values), cookie });
const htmx = (cookie: string, target?: string) => ({ cookie, headers: { 'HX-Request': 'true', ...(target ? { 'HX-Target': target } : {}) } });
/** Ticket numbers in the order the table shows them. */
const numbersIn = (html: string) => [...html.matchAll(/data-number="([^"]+)"/g)].map((m) => m[1]!);
const countOf = (html: string, queue: string) => Number(new RegExp(`data-count="${queue}">(\\d+)<`).exec(html)?.[1]);

describe.each(dialects)('agent ticket lists on %s', (dialect) => {
  let app: TestApp;
  let acme: Tenant;
  let globex: Tenant;
  let ada: string;
  let bob: string;
  let carol: string;
  let root: string;
  let gina: string;
  let adaId: number;
  let bobId: number;
  let groupA: number;
  let groupB: number;
  let globexGroup: number;
  let customerOrg: number;
  let otherOrg: number;
  let globexOrg: number;
  const n: Record<string, string> = {};

  const actor = (id: number, label: string, ...rights: string[]): TicketActor => ({ kind: 'user', id, label, can: (key) => rights.includes(key) });
  const service = (tenant: Tenant, at?: string) => createTicketService({
    db: app.services.db, dialect, clock: at ? () => new Date(at) : () => new Date(), events: app.services.events, files: app.services.files,
  }, tenant, app.services.catalog.translator('en'));
  const list = (query: string, cookie: string, tenant = 'acme') => app.request(`/t/${tenant}/desk/tickets?${query}`, { cookie });
  const html = async (query: string, cookie: string, tenant = 'acme') => {
    const response = await list(query, cookie, tenant);
    expect(response.status).toBe(200);
    return response.text();
  };

  beforeAll(async () => {
    app = await createTestApp(dialect);
    acme = await app.createTenant('acme');
    globex = await app.createTenant('globex');
    adaId = await app.createStaff(acme.id, 'agent', 'ada@acme.test');
    bobId = await app.createStaff(acme.id, 'agent', 'bob@acme.test');
    const carolId = await app.createStaff(acme.id, 'agent', 'carol@acme.test');
    const rootId = await app.createStaff(acme.id, 'admin', 'root@acme.test');
    const ginaId = await app.createStaff(globex.id, 'agent', 'gina@globex.test');
    const scope = tenantScope(app.services.db, acme.id);
    [groupA, groupB] = (await scope.insertInto('support_groups', [{ name: 'Servicedesk', level: 'first' }, { name: 'Systems', level: 'second' }]).returning('id').execute()).map((g) => g.id) as [number, number];
    await scope.insertInto('group_members', [{ group_id: groupA, user_id: adaId }, { group_id: groupB, user_id: bobId }, { group_id: groupB, user_id: carolId }]).execute();
    customerOrg = (await scope.insertInto('organisations', { name: 'Customer Ltd', email_domains: 'customer.test' }).returning('id').executeTakeFirstOrThrow()).id;
    otherOrg = (await scope.insertInto('organisations', { name: 'Other GmbH', email_domains: 'other.test' }).returning('id').executeTakeFirstOrThrow()).id;
    await scope.insertInto('ticket_fields', [
      { key: 'impact', label: 'Impact', type: 'select', options: '["one user","department","company"]', required: 0, categories: '[]', position: 1, active: 1 },
      { key: 'onsite', label: 'On site', type: 'checkbox', options: '[]', required: 0, categories: '[]', position: 2, active: 1 },
      { key: 'serial', label: 'Serial number', type: 'text', options: '[]', required: 0, categories: '[]', position: 3, active: 1 },
    ]).execute();
    const globexScope = tenantScope(app.services.db, globex.id);
    globexGroup = (await globexScope.insertInto('support_groups', { name: 'Globex desk', level: 'first' }).returning('id').executeTakeFirstOrThrow()).id;
    globexOrg = (await globexScope.insertInto('organisations', { name: 'Globex customer', email_domains: 'gc.test' }).returning('id').executeTakeFirstOrThrow()).id;
    await globexScope.insertInto('group_members', { group_id: globexGroup, user_id: ginaId }).execute();

    const adaActor = actor(adaId, 'ada', 'tickets.edit');
    const bobActor = actor(bobId, 'bob', 'tickets.edit');
    const create = async (key: string, at: string, input: Parameters<ReturnType<typeof service>['create']>[0]) => {
      n[key] = (await service(acme, at).create(input, adaActor)).number;
    };
    await create('printer', '2026-01-10T10:00:00.000Z', { subject: 'Printer prints blank pages', description: 'The printer on floor 2 prints only blank sheets.', requesterEmail: 'carla@customer.test', groupId: groupA, customFields: { impact: 'department' } });
    await create('vpn', '2026-02-15T10:00:00.000Z', { subject: 'VPN drops every hour', description: 'Connection lost, reconnect needed.', requesterEmail: 'otto@other.test', groupId: groupB, priority: 4, customFields: { onsite: true } });
    await create('mail', '2026-03-01T10:00:00.000Z', { subject: 'Mail quota exceeded', description: 'Mailbox full.', requesterEmail: 'carla@customer.test', groupId: groupA, customFields: { serial: 'SN-1' } });
    await create('server', '2026-03-02T10:00:00.000Z', { subject: 'Server room too hot', description: 'Air conditioning failed.', requesterEmail: 'otto@other.test', groupId: groupB, priority: 3 });
    await create('laptop', '2026-03-03T10:00:00.000Z', { subject: 'Laptop keyboard broken', description: 'Keys stick.', requesterEmail: 'carla@customer.test', groupId: groupA });
    await create('backup', '2026-03-04T10:00:00.000Z', { subject: 'Database backup failed', description: 'Nightly job red.', requesterEmail: 'otto@other.test', groupId: groupB });
    await create('spam', '2026-03-05T10:00:00.000Z', { subject: 'Old spam ticket', description: 'Buy cheap printer toner.', groupId: groupA });
    await service(acme).accept(n.mail!, adaActor);
    await service(acme).accept(n.server!, bobActor);
    await service(acme).accept(n.laptop!, adaActor);
    await service(acme).changeStatus(n.laptop!, 'waiting', adaActor);
    await service(acme).accept(n.backup!, bobActor);
    await service(acme).changeStatus(n.backup!, 'waiting', bobActor);
    await service(acme).remove(n.spam!, actor(rootId, 'root', 'tickets.edit', 'tickets.delete'));
    n.globex = (await service(globex).create({ subject: 'Globex secret printer issue', description: 'Confidential printer trouble.', groupId: globexGroup, organisationId: globexOrg }, actor(ginaId, 'gina', 'tickets.edit'))).number;

    [ada, bob, carol, root, gina] = await Promise.all([
      app.signIn('ada@acme.test', 'acme'), app.signIn('bob@acme.test', 'acme'), app.signIn('carol@acme.test', 'acme'),
      app.signIn('root@acme.test', 'acme'), app.signIn('gina@globex.test', 'globex'),
    ]);
  });
  afterAll(() => app.cleanup());

  it('needs a signed-in agent', async () => {
    const response = await app.request('/t/acme/desk/tickets');
    expect(response.status).toBe(303);
    expect(response.headers.get('Location')).toContain('/t/acme/login?next=');
  });

  it('each queue shows the right tickets for an agent of group A and of group B, with counts on every tab', async () => {
    const adaNew = await html('queue=new', ada);
    expect(new Set(numbersIn(adaNew))).toEqual(new Set([n.printer, n.vpn]));
    expect(numbersIn(adaNew)).toEqual([n.printer, n.vpn]);
    expect(numbersIn(await html('queue=customer', ada))).toEqual([n.mail]);
    expect(numbersIn(await html('queue=support', ada))).toEqual([n.laptop]);
    expect(numbersIn(await html('queue=customer', bob))).toEqual([n.server]);
    expect(numbersIn(await html('queue=support', bob))).toEqual([n.backup]);
    // Counts: new is everyone's, the other two are mine and my groups'; management counts active tickets.
    expect([countOf(adaNew, 'new'), countOf(adaNew, 'customer'), countOf(adaNew, 'support'), countOf(adaNew, 'all')]).toEqual([2, 1, 1, 6]);
    const bobNew = await html('queue=new', bob);
    expect([countOf(bobNew, 'new'), countOf(bobNew, 'customer'), countOf(bobNew, 'support')]).toEqual([2, 1, 1]);
    // The default tab is New; an unknown queue falls back to it.
    expect(numbersIn(await html('', ada))).toEqual([n.printer, n.vpn]);
    expect(numbersIn(await html('queue=bogus', ada))).toEqual([n.printer, n.vpn]);
  });

  it('renders rows with links, badges, requester and organisation; support-waits and high priorities are marked', async () => {
    const page = await html('queue=all', ada);
    expect(page).toContain(`href="/t/acme/desk/tickets/${n.mail}"`);
    expect(page).toContain('href="/t/acme/desk/tickets/new"');
    expect(page).toContain('Customer Ltd');
    expect(page).toMatch(new RegExp(`class="ticket-row row-waiting[^"]*" data-ticket-row="true" data-number="${n.laptop}"`));
    expect(page).toMatch(new RegExp(`class="ticket-row row-new prio-high prio-critical" data-ticket-row="true" data-number="${n.vpn}"`));
    expect(page).toContain('sse-connect="/t/acme/events"');
    expect(page).toContain('hx-trigger="sse:ticket delay:300ms, every 30s"');
    expect(page).toMatch(/id="nav-tickets" aria-current="page"/);
    expect(page).not.toMatch(/id="nav-dashboard" aria-current/);
  });

  it('shows an empty state', async () => {
    const page = await html('queue=customer', root);
    expect(page).toContain('id="ticket-empty"');
    expect(page).toContain('No customer is waiting on you or your groups.');
  });

  it('filters ticket management by every field', async () => {
    const find = async (query: string, cookie = ada) => new Set(numbersIn(await html(`queue=all&${query}`, cookie)));
    expect(await find('')).toEqual(new Set([n.printer, n.vpn, n.mail, n.server, n.laptop, n.backup]));
    expect(await find('status=open')).toEqual(new Set([n.mail, n.server]));
    expect(await find('status=waiting')).toEqual(new Set([n.laptop, n.backup]));
    expect(await find('status=active')).toEqual(new Set([n.printer, n.vpn, n.mail, n.server, n.laptop, n.backup]));
    expect(await find('priority=4')).toEqual(new Set([n.vpn]));
    expect(await find('assignee=me')).toEqual(new Set([n.mail, n.laptop]));
    expect(await find(`assignee=${bobId}`)).toEqual(new Set([n.server, n.backup]));
    expect(await find('assignee=none')).toEqual(new Set([n.printer, n.vpn]));
    expect(await find(`group=${groupB}`)).toEqual(new Set([n.vpn, n.server, n.backup]));
    expect(await find(`organisation=${customerOrg}`)).toEqual(new Set([n.printer, n.mail, n.laptop]));
    expect(await find(`organisation=${otherOrg}&group=${groupB}&status=waiting`)).toEqual(new Set([n.backup]));
    expect(await find('from=2026-02-01&to=2026-03-01')).toEqual(new Set([n.vpn, n.mail]));
    expect(await find('from=2026-03-02')).toEqual(new Set([n.server, n.laptop, n.backup]));
    expect(await find('cf.impact=department')).toEqual(new Set([n.printer]));
    expect(await find('cf.onsite=true')).toEqual(new Set([n.vpn]));
    expect(await find('cf.serial=SN-1')).toEqual(new Set([n.mail]));
    expect(await find(`q=${n.server}`)).toEqual(new Set([n.server]));
    // Deleted tickets only for those who may delete; for others the switch is ignored.
    expect(await find('deleted=1', root)).toEqual(new Set([n.spam]));
    expect(await find('deleted=1')).toEqual(new Set([n.printer, n.vpn, n.mail, n.server, n.laptop, n.backup]));
    expect(await html('queue=all', root)).toContain('name="deleted"');
    expect(await html('queue=all', ada)).not.toContain('name="deleted"');
  });

  it('keeps the filter in the form, offers custom fields, and answers 422 with field messages for bad values', async () => {
    const page = await html(`queue=all&status=open&group=${groupA}&cf.impact=company`, ada);
    expect(page).toMatch(/<option value="open" selected="">/);
    expect(page).toContain('name="cf.impact"');
    expect(page).toMatch(/<option value="company" selected="">company<\/option>/);
    expect(page).toContain('name="cf.onsite"');
    expect(page).toContain('name="cf.serial"');
    const bad = await list('queue=all&priority=9&from=yesterday&status=open', ada);
    expect(bad.status).toBe(422);
    const text = await bad.text();
    expect(text).toContain('Please enter a date (YYYY-MM-DD).');
    expect(text).toContain('Please choose one of the offered values.');
    // The valid part of the filter still applies.
    expect(new Set(numbersIn(text))).toEqual(new Set([n.mail, n.server]));
  });

  it('sorts by clicked column, both ways, with aria-sort', async () => {
    const asc = await html('queue=all&sort=subject&dir=asc', ada);
    expect(numbersIn(asc)).toEqual([n.backup, n.laptop, n.mail, n.printer, n.server, n.vpn]);
    expect(asc).toMatch(/aria-sort="ascending" class="sorted"><a href="[^"]*sort=subject&amp;dir=desc"/);
    const desc = await html('queue=all&sort=subject&dir=desc', ada);
    expect(numbersIn(desc)).toEqual([n.vpn, n.server, n.printer, n.mail, n.laptop, n.backup]);
    expect(desc).toContain('aria-sort="descending"');
    expect(numbersIn(await html('queue=all&sort=created_at&dir=asc', ada))).toEqual([n.printer, n.vpn, n.mail, n.server, n.laptop, n.backup]);
    expect(numbersIn(await html('queue=all&sort=priority&dir=desc', ada)).slice(0, 2)).toEqual([n.vpn, n.server]);
    expect(numbersIn(await html('queue=all&sort=number&dir=desc', ada))).toEqual([n.backup, n.laptop, n.server, n.mail, n.vpn, n.printer]);
  });

  it('falls back to the default order and first page for a stale or edited sort, direction or page (no field to mark)', async () => {
    const stale = await list('queue=all&sort=colour&dir=sideways&page=zero', ada);
    expect(stale.status).toBe(200);
    const text = await stale.text();
    expect(text).not.toContain('Please choose one of the offered values.');
    expect(numbersIn(text)).toEqual(numbersIn(await html('queue=all', ada)));
  });

  it('searches text and shows the highlighted snippet, escaped', async () => {
    const page = await html('queue=all&q=printer', ada);
    expect(numbersIn(page)).toEqual([n.printer]);
    expect(page).toContain('<mark>Printer</mark> prints blank pages');
    expect(page).toMatch(/class="snippet">[^<]*<mark>printer<\/mark>/);
    expect(page).not.toContain('\u0002');
    // Deleted and foreign tickets with the word stay hidden.
    expect(page).not.toContain('Globex');
    expect(page).not.toContain(n.spam);
  });

  it('answers an htmx request with the fragment only: results with the tab counts out-of-band, or the workspace', async () => {
    const results = await app.request('/t/acme/desk/tickets?queue=all&status=open', htmx(ada, 'ticket-results'));
    expect(results.status).toBe(200);
    expect(results.headers.get('Vary')).toContain('HX-Request');
    const fragment = await results.text();
    expect(fragment).not.toContain('<html');
    expect(fragment).not.toContain('class="topbar"');
    expect(fragment).toMatch(/^<div id="ticket-results"/);
    expect(fragment).toMatch(/<nav id="ticket-tabs"[^>]*hx-swap-oob="true"/);
    expect(fragment).not.toContain('id="ticket-filter"');
    expect(new Set(numbersIn(fragment))).toEqual(new Set([n.mail, n.server]));
    // The region reloads itself from the same URL, so filter and sort survive a live refresh.
    expect(fragment).toContain('hx-get="/t/acme/desk/tickets?queue=all&amp;status=open"');
    const workspace = await (await app.request('/t/acme/desk/tickets?queue=all', htmx(ada, 'ticket-workspace'))).text();
    expect(workspace).toMatch(/^<div id="ticket-workspace"/);
    expect(workspace).toContain('id="ticket-filter"');
    expect(workspace).not.toContain('<html');
  });

  it('pages through 25 tickets a page', async () => {
    const initech = await app.createTenant('initech');
    const agentId = await app.createStaff(initech.id, 'agent', 'ivy@initech.test');
    const create = service(initech);
    for (let i = 1; i <= 27; i++) await create.create({ subject: `Bulk item ${String(i).padStart(2, '0')}`, description: 'x' }, actor(agentId, 'ivy', 'tickets.edit'));
    const ivy = await app.signIn('ivy@initech.test', 'initech');
    const first = await html('queue=all&sort=subject&dir=asc', ivy, 'initech');
    expect(numbersIn(first)).toHaveLength(25);
    expect(first).toContain('27 in total');
    // Opened without a filter, ticket management lists the active tickets (the set its tab counts).
    expect(first).toContain('href="/t/initech/desk/tickets?queue=all&amp;status=active&amp;sort=subject&amp;dir=asc&amp;page=2"');
    const second = await html('queue=all&sort=subject&dir=asc&page=2', ivy, 'initech');
    expect(numbersIn(second)).toHaveLength(2);
    expect(second).toContain('Bulk item 27');
    expect(second).not.toContain('Bulk item 25');
    const newQueue = await html('queue=new&page=2', ivy, 'initech');
    expect(numbersIn(newQueue)).toHaveLength(2);
    expect(countOf(newQueue, 'new')).toBe(27);
  });

  it('never shows another tenant\'s tickets; foreign group and organisation ids find nothing', async () => {
    for (const query of ['queue=new', 'queue=all', 'queue=all&q=printer', `queue=all&q=${n.globex}`]) {
      const page = await html(query, ada);
      expect(page).not.toContain('Globex');
    }
    expect(numbersIn(await html(`queue=all&group=${globexGroup}`, ada))).toEqual([]);
    expect(numbersIn(await html(`queue=all&organisation=${globexOrg}`, ada))).toEqual([]);
    const ginaPage = await html('queue=all', gina, 'globex');
    expect(numbersIn(ginaPage)).toEqual([n.globex]);
    expect(numbersIn(await html(`queue=all&group=${groupA}`, gina, 'globex'))).toEqual([]);
    expect(countOf(ginaPage, 'new')).toBe(1);
    // A session of one tenant is nobody in another.
    expect((await list('queue=all', ada, 'globex')).status).toBe(303);
  });

  it('saves views, personal or shared with my group; lists mine and my groups\'; deletes only own ones', async () => {
    const saved = await app.request('/t/acme/desk/views', post({ view_name: 'My open', view_group: '', query: `status=open&assignee=me&page=3&bogus=1` }, ada));
    expect(saved.status).toBe(303);
    expect(saved.headers.get('Location')).toBe('/t/acme/desk/tickets?queue=all&status=open&assignee=me');
    expect((await app.request('/t/acme/desk/views', post({ view_name: 'Systems critical', view_group: String(groupB), query: 'priority=4&cf.onsite=true' }, bob))).status).toBe(303);
    expect((await app.request('/t/acme/desk/views', post({ view_name: 'Bob private', view_group: '', query: 'status=waiting' }, bob))).status).toBe(303);

    const refused = await app.request('/t/acme/desk/views', post({ view_name: 'Not mine to share', view_group: String(groupB), query: 'status=new' }, ada));
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain('You can share only with a group you belong to.');
    const nameless = await app.request('/t/acme/desk/views', post({ view_name: ' ', view_group: '', query: 'status=new' }, ada));
    expect(nameless.status).toBe(422);
    expect(await nameless.text()).toContain('Please fill in this field.');
    const foreignGroup = await app.request('/t/acme/desk/views', post({ view_name: 'x', view_group: String(globexGroup), query: '' }, ada));
    expect(foreignGroup.status).toBe(422);

    const views = await tenantScope(app.services.db, acme.id).selectFrom('saved_views').select(['id', 'name', 'query', 'group_id', 'user_id']).orderBy('id').execute();
    expect(views.map((v) => v.name)).toEqual(['My open', 'Systems critical', 'Bob private']);
    expect(views[0]!.query).toBe('status=open&assignee=me');
    expect(views[1]!.query).toBe('priority=4&cf.onsite=true');
    const [mine, shared, bobPrivate] = views as [typeof views[0], typeof views[0], typeof views[0]];

    const adaPage = await html('queue=all', ada);
    expect(adaPage).toContain('My open');
    expect(adaPage).not.toContain('Systems critical');
    expect(adaPage).not.toContain('Bob private');
    const carolPage = await html('queue=all', carol);
    expect(carolPage).toContain('Systems critical');
    expect(carolPage).toContain('shared by bob with Systems');
    expect(carolPage).not.toContain('Bob private');
    expect(carolPage).not.toContain(`/desk/views/${shared.id}/delete`);
    expect(await html('queue=all', bob)).toContain(`/desk/views/${shared.id}/delete`);
    // The saved link opens the filter.
    expect(carolPage).toContain('href="/t/acme/desk/tickets?queue=all&amp;priority=4&amp;cf.onsite=true"');
    expect(numbersIn(await html('queue=all&priority=4&cf.onsite=true', carol))).toEqual([n.vpn]);

    // Someone else's view, personal or shared, is not mine to delete; nor is another tenant's.
    expect((await app.request(`/t/acme/desk/views/${bobPrivate.id}/delete`, post({}, ada))).status).toBe(404);
    expect((await app.request(`/t/acme/desk/views/${shared.id}/delete`, post({}, carol))).status).toBe(404);
    expect((await app.request(`/t/globex/desk/views/${mine.id}/delete`, post({}, gina))).status).toBe(404);
    expect((await app.request('/t/acme/desk/views/nope/delete', post({}, ada))).status).toBe(404);
    expect(await tenantScope(app.services.db, acme.id).selectFrom('saved_views').select('id').execute()).toHaveLength(3);
    expect(await html('queue=all', gina, 'globex')).not.toContain('My open');

    const deleted = await app.request(`/t/acme/desk/views/${mine.id}/delete`, post({}, ada));
    expect(deleted.status).toBe(303);
    expect(await tenantScope(app.services.db, acme.id).selectFrom('saved_views').select('name').orderBy('id').execute()).toEqual([{ name: 'Systems critical' }, { name: 'Bob private' }]);
  });

  it('links the dashboard\'s status counts to the matching list', async () => {
    const dashboard = await (await app.request('/t/acme/desk', { cookie: ada })).text();
    expect(dashboard).toContain('href="/t/acme/desk/tickets?queue=new"');
    expect(dashboard).toContain('href="/t/acme/desk/tickets?queue=all&amp;status=waiting"');
    expect(dashboard).toContain('id="nav-tickets"');
  });
});
