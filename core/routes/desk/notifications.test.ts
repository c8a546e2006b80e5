import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantScope } from '../../tenancy/tenant-scope.js';
import { createTicketService } from '../../tickets/ticket-service.js';
import { createTestApp, type TestApp } from '../../../test/harness/test-app.js';
import { dialects } from '../../../test/harness/test-database.js';

const HX = { 'HX-Request': 'true' };

describe.each(dialects)('notifications on %s', (dialect) => {
  let app: TestApp;
  let acme: number;
  let globex: number;
  let anna: string;
  let annaId: number;
  let bert: string;
  let bertId: number;
  let globexAgent: string;
  let globexNotification: number;

  const post = (path: string, values: Record<string, string>, cookie: string) => app.request(path, { method: 'POST', body: new URLSearchParams(values), cookie });
  const unread = (tenantId: number, userId: number) => tenantScope(app.services.db, tenantId).selectFrom('notifications').select('id').where('user_id', '=', userId).where('read_at', 'is', null).execute();
  const count = async (cookie: string, slug = 'acme') => (await (await app.request(`/t/${slug}/desk/notifications/count`, { cookie, headers: HX })).text());

  beforeAll(async () => {
    app = await createTestApp(dialect);
    acme = (await app.createTenant('acme')).id;
    globex = (await app.createTenant('globex')).id;
    annaId = await app.createStaff(acme, 'agent', 'anna@acme.test');
    bertId = await app.createStaff(acme, 'agent', 'bert@acme.test');
    const globexAgentId = await app.createStaff(globex, 'agent', 'agent@globex.test');
    [anna, bert, globexAgent] = await Promise.all([app.signIn('anna@acme.test', 'acme'), app.signIn('bert@acme.test', 'acme'), app.signIn('agent@globex.test', 'globex')]);
    globexNotification = (await tenantScope(app.services.db, globex).insertInto('notifications', { user_id: globexAgentId, ticket_id: null, kind: 'mention', actor_label: 'x', summary: 'Globex only', created_at: new Date().toISOString() }).returning('id').executeTakeFirstOrThrow()).id;
  });
  afterAll(() => app.cleanup());

  it('puts a bell with the live count into the Shell, connected to the event stream once', async () => {
    const html = await (await app.request('/t/acme/desk/notifications', { cookie: anna })).text();
    expect(html).toContain('hx-get="/t/acme/desk/notifications/count"');
    expect(html).toContain('hx-trigger="load, sse:notification, htmx:sseOpen from:body"');
    expect(html.match(/sse-connect=/g)).toHaveLength(1);
    expect(html).toContain('<body hx-ext="sse" sse-connect="/t/acme/events"');
    expect(await count(anna)).not.toContain('bell-count');
  });

  it('counts, lists and marks read the notifications the ticket service writes, only one\'s own', async () => {
    // A note mentioning Bert notifies him (and not Anna, who wrote it).
    const created = await post('/t/acme/desk/tickets/new', { subject: 'Server down', description: 'd', priority: '4', channel: 'phone', new_person_name: 'Caller' }, anna);
    const number = created.headers.get('Location')!.split('/').pop()!;
    const tenant = (await app.services.tenants.byId(acme))!;
    const service = createTicketService({ db: app.services.db, dialect, clock: () => new Date(), events: app.services.events, files: app.services.files }, tenant, app.services.catalog.translator('en'));
    await service.addArticle(number, { kind: 'note', body: 'please look @bert' }, { kind: 'user', id: annaId, label: 'anna', can: () => true });
    await service.addArticle(number, { kind: 'note', body: 'again @bert' }, { kind: 'user', id: annaId, label: 'anna', can: () => true });
    expect(await count(bert)).toContain('>2<');
    expect(await count(anna)).not.toContain('bell-count');
    const list = await (await app.request('/t/acme/desk/notifications', { cookie: bert })).text();
    expect(list).toContain(`You were mentioned on ${number}: Server down`);
    expect(list).toContain(`href="/t/acme/desk/tickets/${number}"`);
    expect(list).not.toContain('Globex only');
    const [first, second] = await unread(acme, bertId);
    // Anna cannot mark Bert's, nor anyone another tenant's.
    expect((await post(`/t/acme/desk/notifications/${first!.id}/read`, {}, anna)).status).toBe(404);
    expect((await post(`/t/acme/desk/notifications/${globexNotification}/read`, {}, bert)).status).toBe(404);
    expect((await post(`/t/globex/desk/notifications/${first!.id}/read`, {}, globexAgent)).status).toBe(404);
    expect(await unread(acme, bertId)).toHaveLength(2);
    expect(await tenantScope(app.services.db, globex).selectFrom('notifications').select('read_at').where('id', '=', globexNotification).executeTakeFirstOrThrow()).toEqual({ read_at: null });
    expect((await post(`/t/acme/desk/notifications/${first!.id}/read`, {}, bert)).status).toBe(303);
    expect(await unread(acme, bertId)).toEqual([second]);
    expect(await count(bert)).toContain('>1<');
    expect((await post('/t/acme/desk/notifications/read-all', {}, bert)).status).toBe(303);
    expect(await unread(acme, bertId)).toEqual([]);
    expect(await unread(globex, (await app.services.db.selectFrom('users').select('id').where('email', '=', 'agent@globex.test').executeTakeFirstOrThrow()).id)).toHaveLength(1);
    expect(await count(globexAgent, 'globex')).toContain('>1<');
  });

  it('pages the list newest first', async () => {
    const now = Date.now();
    await tenantScope(app.services.db, acme).insertInto('notifications', Array.from({ length: 30 }, (_, i) => ({
      user_id: annaId, ticket_id: null, kind: 'assigned' as const, actor_label: 'system', summary: `Item ${i + 1}`, read_at: null, created_at: new Date(now + i * 1000).toISOString(),
    }))).execute();
    const first = await (await app.request('/t/acme/desk/notifications', { cookie: anna })).text();
    expect(first.indexOf('Item 30')).toBeLessThan(first.indexOf('Item 29'));
    expect(first).not.toContain('>Item 5<');
    expect(first).toContain('rel="next"');
    const second = await (await app.request('/t/acme/desk/notifications?page=2', { cookie: anna })).text();
    expect(second).toContain('>Item 5<');
  });

  it('stores the mail preference on the account page', async () => {
    expect(await (await app.request('/t/acme/account', { cookie: anna })).text()).toContain('Also send me notifications by mail');
    expect((await post('/t/acme/account/profile', { name: 'Anna', locale: '', notify_by_mail: '1' }, anna)).status).toBe(303);
    expect((await app.services.db.selectFrom('users').select('notify_by_mail').where('id', '=', annaId).executeTakeFirstOrThrow()).notify_by_mail).toBe(1);
    expect((await post('/t/acme/account/profile', { name: 'Anna', locale: '' }, anna)).status).toBe(303);
    expect((await app.services.db.selectFrom('users').select('notify_by_mail').where('id', '=', annaId).executeTakeFirstOrThrow()).notify_by_mail).toBe(0);
  });
});
