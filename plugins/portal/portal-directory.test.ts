import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/harness/test-app.js';
import { dialects } from '../../test/harness/test-database.js';
import { portalPlugin } from './index.js';
import { portalWorld, type PortalWorld } from '../../test/harness/portal-world.js';

describe.each(dialects)('the support directory in the portal on %s', (dialect) => {
  let app: TestApp;
  let world: PortalWorld;
  let other: PortalWorld;
  let anna: number;
  let admin: string;
  let carl: string;
  let gus: string;
  let otherCustomer: string;
  const page = async (path: string, cookie: string, headers: Record<string, string> = {}) => app.request(`/t/pd${path}`, { cookie, headers });
  const settings = async (fields: string[], extra: Record<string, string> = {}) => {
    const form = new URLSearchParams({ phone_country: 'DE', ...extra });
    for (const field of fields) form.append('portal_fields', field);
    const response = await app.request('/t/pd/admin/directory', { method: 'POST', cookie: admin, body: form });
    expect(response.status).toBe(303);
  };

  beforeAll(async () => {
    app = await createTestApp(dialect, [portalPlugin]);
    world = await portalWorld(app, 'pd');
    other = await portalWorld(app, 'pd-other');
    anna = await app.createStaff(world.tenant.id, 'agent', 'anna@pd.test');
    await app.createStaff(world.tenant.id, 'admin', 'admin@pd.test');
    admin = await app.signIn('admin@pd.test', 'pd');
    const card = new FormData();
    for (const [key, value] of Object.entries({ listed: '1', job_title: 'Hotline', phone: '030 1234567', mobile: '0171 7654321', sip: 'anna@pbx.pd.test', languages: 'de', availability: 'available' })) card.append(key, value);
    expect((await app.request('/t/pd/account/directory', { method: 'POST', cookie: await app.signIn('anna@pd.test', 'pd'), body: card })).status).toBe(303);
    carl = await world.signIn(world.emails.colleague);
    gus = await world.signIn(world.emails.stranger);
    otherCustomer = await other.signIn(other.emails.colleague);
  });
  afterAll(() => app.cleanup());

  it('stays closed (404, no navigation entry) until the tenant shows it to portal users', async () => {
    for (const path of ['/portal/directory', `/portal/directory/${anna}`, `/portal/directory/${anna}/vcard`]) expect((await page(path, carl)).status, path).toBe(404);
    expect((await page(`/portal/directory/${anna}/callback`, carl)).status).toBe(404);
    expect(await (await page('/portal/requests', carl)).text()).not.toContain('portal-nav-directory');
  });

  it('shows portal users only the name and the fields the tenant allows, in the page and the vCard', async () => {
    await settings(['phone', 'availability'], { portal_visible: '1' });
    const home = await (await page('/portal/requests', carl)).text();
    expect(home).toContain('id="portal-nav-directory"');
    expect(home).toContain('Support contacts');
    const html = await (await page('/portal/directory', carl)).text();
    expect(html).toContain(`directory-card-${anna}`);
    expect(html).toContain('href="tel:+49301234567"');
    expect(html).toContain('>Available<');
    for (const hidden of ['+491717654321', '0171', 'pbx.pd.test', 'anna@pd.test', 'Hotline', 'German', 'role.agent', '>Agent<']) expect(html, hidden).not.toContain(hidden);
    // A filter over a hidden field finds nothing: what is not shown cannot be guessed by searching.
    expect(await (await page('/portal/directory?q=hotline', carl)).text()).toContain('Nobody matches.');
    const vcard = new ICAL.Component(ICAL.parse(await (await page(`/portal/directory/${anna}/vcard`, carl)).text()));
    expect(vcard.getAllProperties('tel').map((p) => p.getFirstValue())).toEqual(['tel:+49301234567']);
    for (const name of ['impp', 'email', 'title', 'lang']) expect(vcard.getFirstProperty(name), name).toBeNull();
    expect((await page(`/portal/directory/${anna}/photo`, carl)).status).toBe(404);
    // Visitors sign in first; staff pages stay staff-only.
    expect((await app.request('/t/pd/portal/directory')).status).toBe(303);
    expect((await page('/desk/directory', carl)).status).toBe(303);
    expect((await page('/api/v1/directory', carl)).status).toBe(401);
  });

  it('refuses a callback without a usable number (422, kept input) and while callbacks are off (404)', async () => {
    expect(await (await page(`/portal/directory/${anna}`, carl)).text()).not.toContain('id="directory-callback"');
    const off = await app.request(`/t/pd/portal/directory/${anna}/callback`, { method: 'POST', cookie: carl, body: new URLSearchParams({ phone: '030 555555' }) });
    expect(off.status).toBe(404);
    await settings(['phone', 'availability'], { portal_visible: '1', portal_callback: '1' });
    const bad = await app.request(`/t/pd/portal/directory/${anna}/callback`, { method: 'POST', cookie: carl, body: new URLSearchParams({ phone: 'tomorrow', message: 'Printer' }) });
    expect(bad.status).toBe(422);
    const html = await bad.text();
    expect(html).toContain('id="phone-error"');
    expect(html).toContain('Printer');
    expect(await world.scope.selectFrom('tickets').select('id').where('channel', '=', 'phone').execute()).toEqual([]);
  });

  it('opens a phone request assigned to the contact on "request a callback", seen by its requester and never by another organisation', async () => {
    await settings(['phone', 'availability'], { portal_visible: '1', portal_callback: '1' });
    const card = await (await page(`/portal/directory/${anna}`, carl)).text();
    expect(card).toContain('id="directory-callback"');
    const response = await app.request(`/t/pd/portal/directory/${anna}/callback`, { method: 'POST', cookie: carl, body: new URLSearchParams({ phone: '(089) 123 456', message: 'The printer in room 4' }) });
    expect(response.status).toBe(303);
    const ticket = await world.scope.selectFrom('tickets').selectAll().where('channel', '=', 'phone').executeTakeFirstOrThrow();
    expect(ticket).toMatchObject({ subject: 'Callback request for anna', assignee_id: anna, requester_id: world.people.colleague, organisation_id: world.organisations.acme, status: 'new' });
    expect(ticket.description).toContain('+49 89 123456');
    expect(ticket.description).toContain('The printer in room 4');
    expect(response.headers.get('Location')).toBe(`/t/pd/portal/requests/${ticket.number}`);
    expect((await page(`/portal/requests/${ticket.number}`, carl)).status).toBe(200);
    // Another organisation's customer: the directory yes, the request no.
    expect((await page('/portal/directory', gus)).status).toBe(200);
    expect((await page(`/portal/requests/${ticket.number}`, gus)).status).toBe(404);
    expect(await (await page('/portal/requests', gus)).text()).not.toContain(ticket.number);
    // German (a portal user's own language).
    await world.scope.updateTable('people').set({ locale: 'de' }).where('id', '=', world.people.stranger).execute();
    const german = await (await page(`/portal/directory/${anna}`, gus)).text();
    expect(german).toContain('Rückruf anfordern');
    expect(german).toContain('>Erreichbar<');
  });

  it('keeps every route to its tenant: another tenant\'s customer gets 404 for these cards, and callbacks there open nothing here', async () => {
    await app.createStaff(other.tenant.id, 'admin', 'admin@pd-other.test');
    const otherAdmin = await app.signIn('admin@pd-other.test', 'pd-other');
    const opened = await app.request('/t/pd-other/admin/directory', { method: 'POST', cookie: otherAdmin, body: new URLSearchParams({ phone_country: 'DE', portal_visible: '1', portal_callback: '1' }) });
    expect(opened.status).toBe(303);
    expect((await app.request('/t/pd-other/portal/directory', { cookie: otherCustomer })).status).toBe(200);
    for (const path of ['', '/vcard', '/photo']) {
      expect((await app.request(`/t/pd-other/portal/directory/${anna}${path}`, { cookie: otherCustomer })).status, path).toBe(404);
    }
    const before = await world.scope.selectFrom('tickets').select('id').execute();
    const callback = await app.request(`/t/pd-other/portal/directory/${anna}/callback`, { method: 'POST', cookie: otherCustomer, body: new URLSearchParams({ phone: '030 1111111' }) });
    expect(callback.status).toBe(404);
    expect(await world.scope.selectFrom('tickets').select('id').execute()).toEqual(before);
    // This tenant's portal session is not signed in on the other tenant.
    expect((await app.request(`/t/pd-other/portal/directory`, { cookie: carl })).status).toBe(303);
  });
});
