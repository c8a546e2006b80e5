import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disablePlugin, enablePlugin } from '../../plugin-host/plugin-switches.js';
import { cataloguePlugin } from '../../../test/plugins/catalogue-plugin.js';
import { createTestApp, type TestApp } from '../../../test/harness/test-app.js';
import { dialects } from '../../../test/harness/test-database.js';

/** The Administration page's groups and their sections' ids, in order. */
function groups(html: string): string[] {
  return [...html.matchAll(/<section class="card admin-group" id="admin-group-([a-z-]+)"(.*?)<\/section>/gs)]
    .map((m) => `${m[1]}: ${[...m[2]!.matchAll(/id="admin-section-([a-z-]+)"/g)].map((s) => s[1]).join(', ')}`);
}
/** The ids of the top navigation's entries, and which one is current. */
function nav(html: string): string[] {
  return [...html.matchAll(/<li><a href="[^"]*" id="nav-([a-z-]+)"( aria-current="page")?>/g)].map((m) => (m[2] ? `${m[1]}*` : m[1]!));
}

describe.each(dialects)('the Administration page on %s', (dialect) => {
  let app: TestApp;
  let acme: number;
  const cookies: Record<'admin' | 'supervisor' | 'agent' | 'globex', string> = { admin: '', supervisor: '', agent: '', globex: '' };

  beforeAll(async () => {
    app = await createTestApp(dialect, [cataloguePlugin]);
    acme = (await app.createTenant('acme')).id;
    const globex = (await app.createTenant('globex')).id;
    await app.createStaff(acme, 'admin', 'admin@acme.test');
    await app.createStaff(acme, 'supervisor', 'sue@acme.test');
    await app.createStaff(acme, 'agent', 'agent@acme.test');
    await app.createStaff(globex, 'admin', 'admin@globex.test');
    cookies.admin = await app.signIn('admin@acme.test', 'acme');
    cookies.supervisor = await app.signIn('sue@acme.test', 'acme');
    cookies.agent = await app.signIn('agent@acme.test', 'acme');
    cookies.globex = await app.signIn('admin@globex.test', 'globex');
  });
  afterAll(() => app.cleanup());

  const page = async (path: string, who: keyof typeof cookies, tenant = 'acme') => (await app.request(`/t/${tenant}${path}`, { cookie: cookies[who] })).text();

  it('groups the core\'s sections for an admin; the plugin\'s stay away while it is off', async () => {
    const html = await page('/admin', 'admin');
    expect(groups(html)).toEqual(['customers: organisations, people', 'team: users, groups', 'tickets: tickets, fields, tags', 'tenant: branding, directory, audit']);
    expect(html).toContain('Support groups, their levels and members.');
    expect(html).not.toContain('catalogue');
    expect(nav(await page('/desk', 'admin'))).toEqual(['dashboard*', 'tickets', 'macros', 'timeline', 'directory', 'statistics', 'admin']);
  });

  it('shows a switched-on plugin\'s sections in their groups, one Administration entry in the nav, current on their pages', async () => {
    await enablePlugin(app.services.db, app.services.registry, acme, 'catalogue');
    const html = await page('/admin', 'admin');
    expect(groups(html)).toEqual([
      'customers: organisations, people', 'team: users, groups', 'tickets: tickets, fields, tags, catalogue-rules', 'tenant: branding, directory, audit', 'plugin-catalogue: catalogue-items',
    ]);
    expect(html).toContain('<h2 id="admin-group-plugin-catalogue-title">Device catalogue</h2>');
    expect(html).toContain('href="/t/acme/p/catalogue/rules" id="admin-section-catalogue-rules"');
    expect(html).toContain('Which device types tickets may name.');
    // No loose admin items: the plugin's pages are reached through Administration, which is current there.
    expect(nav(await page('/p/catalogue/items', 'admin'))).toEqual(['dashboard', 'tickets', 'macros', 'timeline', 'directory', 'statistics', 'admin*']);
    expect(nav(await page('/admin/organisations', 'admin'))).toEqual(['dashboard', 'tickets', 'macros', 'timeline', 'directory', 'statistics', 'admin*']);
    expect(nav(await page('/desk', 'admin'))).toEqual(['dashboard*', 'tickets', 'macros', 'timeline', 'directory', 'statistics', 'admin']);
  });

  it('speaks German', async () => {
    const html = await (await app.request('/t/acme/admin', { cookie: cookies.admin, headers: { 'Accept-Language': 'de' } })).text();
    expect(html).toContain('<h1>Verwaltung</h1>');
    expect(html).toContain('<h2 id="admin-group-tenant-title">Mandant</h2>');
    expect(html).toContain('<h2 id="admin-group-plugin-catalogue-title">Gerätekatalog</h2>');
    expect(html).toContain('Welche Gerätetypen Tickets nennen dürfen.');
    expect(html).toContain('Supportgruppen, ihre Stufen und Mitglieder.');
  });

  it('shows each section only to those with its permission; Administration only to who may open one', async () => {
    expect(groups(await page('/admin', 'supervisor'))).toEqual(['customers: organisations, people', 'tickets: catalogue-rules']);
    // The agent holds no core admin permission, only the plugin's catalogue one.
    expect(groups(await page('/admin', 'agent'))).toEqual(['plugin-catalogue: catalogue-items']);
    expect(nav(await page('/desk', 'agent'))).toContain('admin');
    expect((await app.request('/t/acme/p/catalogue/rules', { cookie: cookies.agent })).status).toBe(403);
  });

  it('leaves Administration out for a user who may open no section, and answers 403 there', async () => {
    await disablePlugin(app.services.db, app.services.registry, acme, 'catalogue');
    expect(nav(await page('/desk', 'agent'))).not.toContain('admin');
    expect((await app.request('/t/acme/admin', { cookie: cookies.agent })).status).toBe(403);
  });

  it('keeps another tenant\'s Administration free of a plugin only this tenant has on', async () => {
    await enablePlugin(app.services.db, app.services.registry, acme, 'catalogue');
    expect(await page('/admin', 'admin')).toContain('admin-section-catalogue-items');
    const globex = await page('/admin', 'globex', 'globex');
    expect(groups(globex)).toEqual(['customers: organisations, people', 'team: users, groups', 'tickets: tickets, fields, tags', 'tenant: branding, directory, audit']);
    expect((await app.request('/t/globex/p/catalogue/items', { cookie: cookies.globex })).status).toBe(404);
  });
});
