import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enablePlugin, disablePlugin, PluginSwitchError, updatePluginSettings } from '../plugin-host/plugin-switches.js';
import { setTenantHosts } from '../tenancy/tenant-service.js';
import { createTestApp, cookiesOf, ORIGIN, type TestApp } from '../../test/harness/test-app.js';
import { dialects } from '../../test/harness/test-database.js';
import { checklistPlugin, notesPlugin } from '../../test/plugins/test-plugins.js';

describe.each(dialects)('app, tenancy and plugin host on %s', (dialect) => {
  let app: TestApp;
  let acme: number;
  let globex: number;
  let acmeAgent: string;

  beforeAll(async () => {
    app = await createTestApp(dialect, [notesPlugin, checklistPlugin]);
    acme = (await app.createTenant('acme')).id;
    globex = (await app.createTenant('globex')).id;
    await app.createStaff(acme, 'agent', 'agent@acme.test');
    await app.createStaff(acme, 'admin', 'admin@acme.test');
    await app.createStaff(globex, 'agent', 'agent@globex.test');
    await app.createStaff(null, 'operator', 'op@platform.test');
    acmeAgent = await app.signIn('agent@acme.test', 'acme');
  });
  afterAll(() => app.cleanup());

  it('answers /healthz with status, database and version', async () => {
    const response = await app.request('/healthz');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', database: 'ok', dialect, version: '0.0.0-test' });
  });

  it('sends security headers and a CSP without inline scripts', async () => {
    const response = await app.request('/t/acme/login');
    expect(response.headers.get('Content-Security-Policy')).toContain("script-src 'self'");
    expect(response.headers.get('Content-Security-Policy')).not.toContain('unsafe-inline');
    expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(response.headers.get('X-Frame-Options')).toBe('DENY');
  });

  it('resolves the tenant by /t/<slug>, and by a mapped host name', async () => {
    expect((await app.request('/t/nosuch/login')).status).toBe(404);
    await setTenantHosts(app.database.db, globex, ['help.globex.example']);
    const byHost = await app.app.request('http://help.globex.example/login');
    expect(byHost.status).toBe(200);
    expect(await byHost.text()).toContain('<title>Sign in · GLOBEX</title>');
  });

  it('redirects a path with a trailing slash to the page without it, keeping the query, never off the site', async () => {
    const slashed = await app.request('/t/acme/login/?next=x');
    expect(slashed.status).toBe(308);
    expect(slashed.headers.get('Location')).toBe('/t/acme/login?next=x');
    expect((await app.request('/t/acme/login//')).headers.get('Location')).toBe('/t/acme/login');
    const offSite = await app.app.request('http://localhost//evil.example/');
    expect(offSite.status).toBe(404);
    expect(offSite.headers.get('Location')).toBeNull();
    expect((await app.request('/t/acme/no-such-page/', { method: 'POST' })).status).not.toBe(308);
    expect((await app.request('/t/acme/login')).status).toBe(200);
  });

  it('keeps a session to its tenant: acme\'s cookie is nobody at globex', async () => {
    expect((await app.request('/t/acme/desk', { cookie: acmeAgent })).status).toBe(200);
    const atGlobex = await app.request('/t/globex/desk', { cookie: acmeAgent });
    expect(atGlobex.status).toBe(303);
    expect(atGlobex.headers.get('Location')).toBe('/t/globex/login?next=%2Ft%2Fglobex%2Fdesk');
  });

  it('refuses a cross-site POST and one without Origin or Sec-Fetch-Site', async () => {
    const crossSite = await app.request('/t/acme/logout', { method: 'POST', cookie: acmeAgent, headers: { Origin: 'https://evil.example' } });
    expect(crossSite.status).toBe(403);
    const bare = await app.app.request(`${ORIGIN}/t/acme/logout`, { method: 'POST', headers: { Cookie: acmeAgent } });
    expect(bare.status).toBe(403);
    const sameSite = await app.app.request(`${ORIGIN}/t/acme/account/sessions/end-others`, { method: 'POST', headers: { Cookie: acmeAgent, 'Sec-Fetch-Site': 'same-origin' } });
    expect(sameSite.status).toBe(303);
  });

  it('limits body sizes', async () => {
    const response = await app.request('/t/acme/login', { method: 'POST', body: 'x='.padEnd(2 * 1024 * 1024, 'a'), headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    expect(response.status).toBe(413);
  });

  it('a disabled plugin answers 404 and has no nav entry; enabling takes effect on the next request', async () => {
    expect((await app.request('/t/acme/p/notes', { cookie: acmeAgent })).status).toBe(404);
    expect(await (await app.request('/t/acme/desk', { cookie: acmeAgent })).text()).not.toContain('id="nav-notes-list"');

    await enablePlugin(app.database.db, app.services.registry, acme, 'notes');
    const page = await app.request('/t/acme/p/notes', { cookie: acmeAgent });
    expect(page.status).toBe(200);
    expect(await page.text()).toBe('Hello from notes of acme');
    expect(await (await app.request('/t/acme/desk', { cookie: acmeAgent })).text()).toContain('id="nav-notes-list"');
    // Another tenant is untouched.
    expect((await app.request('/t/globex/p/notes', { cookie: await app.signIn('agent@globex.test', 'globex') })).status).toBe(404);

    await disablePlugin(app.database.db, app.services.registry, acme, 'notes');
    expect((await app.request('/t/acme/p/notes', { cookie: acmeAgent })).status).toBe(404);
  });

  it('enabling needs the dependencies; disabling is refused while a dependent is on', async () => {
    const { db, registry } = app.services;
    await expect(enablePlugin(db, registry, acme, 'checklist')).rejects.toThrow('needs "notes" switched on first');
    await enablePlugin(db, registry, acme, 'notes');
    await enablePlugin(db, registry, acme, 'checklist');
    await expect(disablePlugin(db, registry, acme, 'notes')).rejects.toBeInstanceOf(PluginSwitchError);
    expect((await app.request('/t/acme/p/notes', { cookie: acmeAgent })).status).toBe(200);
    await disablePlugin(db, registry, acme, 'checklist');
    await disablePlugin(db, registry, acme, 'notes');
  });

  it('validates plugin settings with the plugin\'s schema and uses them live', async () => {
    const { db, registry } = app.services;
    await expect(updatePluginSettings(db, registry, acme, 'notes', { greeting: '' })).rejects.toMatchObject({ fields: { greeting: expect.any(String) } });
    await updatePluginSettings(db, registry, acme, 'notes', { greeting: 'Moin' });
    await enablePlugin(db, registry, acme, 'notes');
    expect(await (await app.request('/t/acme/p/notes', { cookie: acmeAgent })).text()).toBe('Moin from notes of acme');
    await disablePlugin(db, registry, acme, 'notes');
  });

  it('checks plugin permissions on the server', async () => {
    await enablePlugin(app.services.db, app.services.registry, acme, 'notes');
    expect((await app.request('/t/acme/p/notes', { method: 'POST', cookie: acmeAgent })).status).toBe(403);
    const admin = await app.signIn('admin@acme.test', 'acme');
    expect((await app.request('/t/acme/p/notes', { method: 'POST', cookie: admin })).status).toBe(201);
    await disablePlugin(app.services.db, app.services.registry, acme, 'notes');
  });

  it('shows the operator no tenant pages, and tenant staff no platform', async () => {
    const operator = await app.signIn('op@platform.test');
    const desk = await app.request('/t/acme/desk', { cookie: operator });
    expect(desk.status).toBe(303);
    expect((await app.request('/desk', { cookie: operator })).status).toBe(404);
  });

  it('answers htmx requests with the fragment only, and says so in Vary', async () => {
    const full = await app.request('/t/acme/desk', { cookie: acmeAgent });
    expect(full.headers.get('Vary')).toContain('HX-Request');
    expect(await full.text()).toContain('<!doctype html>');
    const fragment = await app.request('/t/acme/desk', { cookie: acmeAgent, headers: { 'HX-Request': 'true' } });
    const html = await fragment.text();
    expect(html).not.toContain('<html');
    expect(html).toContain('id="status-counts"');
    // Without toasts of its own it leaves the page's toast region alone (an empty one would wipe a toast showing).
    expect(html).not.toContain('id="toasts"');
    const restore = await app.request('/t/acme/desk', { cookie: acmeAgent, headers: { 'HX-Request': 'true', 'HX-History-Restore-Request': 'true' } });
    expect(await restore.text()).toContain('<!doctype html>');
  });

  it('serves tenant colours as a stylesheet and static files with cache busting', async () => {
    const css = await app.request('/t/acme/brand.css');
    expect(css.headers.get('Content-Type')).toContain('text/css');
    expect(await css.text()).toContain('--brand:#1f6f8b');
    const page = await (await app.request('/t/acme/login')).text();
    const htmx = /src="(\/static\/htmx\.min\.js\?v=[0-9a-f]+)"/.exec(page)?.[1];
    expect(htmx).toBeDefined();
    const script = await app.request(htmx!);
    expect(script.status).toBe(200);
    expect(script.headers.get('Cache-Control')).toContain('immutable');
    expect(cookiesOf(script)).toBe('');
  });
});
