import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installedPlugins } from '../../config/plugins.js';
import { enablePlugin } from '../plugin-host/plugin-switches.js';
import { createTestApp, type TestApp } from '../../test/harness/test-app.js';

/** The bar's entries in order, "more:" before those under More, and which one is current. */
function bar(html: string): string[] {
  const nav = html.slice(html.indexOf('<nav class="nav"'), html.indexOf('<div class="nav-tools">'));
  return [...nav.matchAll(/id="nav-([a-z-]+)"( aria-current="page")?/g)].map((m) => {
    const inMore = nav.lastIndexOf('class="nav-more-list"', m.index) > nav.lastIndexOf('</ul>', m.index) && m[1] !== 'more';
    return `${inMore ? 'more:' : ''}${m[1]}${m[2] ? '*' : ''}`;
  });
}

// Navigation (core/http/render.tsx, views/layouts/shell.tsx): with every plugin on, the bar took four
// lines at 1280 px; the plugins' secondary entries now sit under "More", their everyday ones stay.
describe('the top navigation with many plugins', () => {
  let app: TestApp;
  let admin = '';
  let few = '';

  beforeAll(async () => {
    app = await createTestApp('sqlite', [...installedPlugins]);
    const acme = (await app.createTenant('acme')).id;
    for (const plugin of installedPlugins) await enablePlugin(app.services.db, app.services.registry, acme, plugin.id);
    await app.createStaff(acme, 'admin', 'admin@acme.test');
    admin = await app.signIn('admin@acme.test', 'acme');
    const globex = (await app.createTenant('globex')).id;
    await app.createStaff(globex, 'admin', 'admin@globex.test');
    few = await app.signIn('admin@globex.test', 'globex');
  });
  afterAll(() => app.cleanup());

  it('keeps the core\'s and the plugins\' everyday entries in the bar, the rest under More, Administration last', async () => {
    const html = await (await app.request('/t/acme/desk', { cookie: admin })).text();
    const entries = bar(html);
    expect(entries.filter((e) => !e.startsWith('more:'))).toEqual(['dashboard*', 'tickets', 'macros', 'timeline', 'directory', 'statistics', 'helpdesk-mails', 'knowledge-knowledge', 'more', 'admin']);
    expect(entries.filter((e) => e.startsWith('more:'))).toContain('more:hardware-hardware');
    expect(entries.filter((e) => e.startsWith('more:')).length).toBeGreaterThan(8);
    expect(html).toContain('<summary id="nav-more">More</summary>');
  });

  it('marks More as current on a page under it, in the reader\'s language', async () => {
    const html = await (await app.request('/t/acme/p/hardware', { cookie: admin, headers: { 'Accept-Language': 'de' } })).text();
    expect(html).toContain('<summary id="nav-more" aria-current="page">Mehr</summary>');
    expect(bar(html)).toContain('more:hardware-hardware*');
  });

  it('has no More while the entries fit', async () => {
    const html = await (await app.request('/t/globex/desk', { cookie: few })).text();
    expect(html).not.toContain('nav-more');
    expect(bar(html)).toEqual(['dashboard*', 'tickets', 'macros', 'timeline', 'directory', 'statistics', 'admin']);
  });
});
