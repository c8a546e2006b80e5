import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definePlugin } from '../plugin-host/define-plugin.js';
import { enablePlugin } from '../plugin-host/plugin-switches.js';
import { createTestApp, type TestApp } from '../../test/harness/test-app.js';
import { dialects } from '../../test/harness/test-database.js';

/** A plugin with a static folder of its own: `<id>.css`, and an icon in a subfolder. */
function pluginWithStatic(id: string) {
  const dir = mkdtempSync(join(tmpdir(), `tresen-${id}-`));
  mkdirSync(join(dir, 'icons'));
  writeFileSync(join(dir, `${id}.css`), `.${id}-card { border-color: var(--line); }\n`);
  writeFileSync(join(dir, 'icons', 'pin.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  return definePlugin({ id, version: '1.0.0', core: '^1.0.0', name: `${id}.name`, static: pathToFileURL(`${dir}/`), register: () => {} });
}

/** The plugin stylesheets a page links, in order. */
const pluginLinks = (html: string) => [...html.matchAll(/<link rel="stylesheet" href="(\/static\/p\/[^"]+)"/g)].map((m) => m[1]);

describe.each(dialects)('plugin static files on %s', (dialect) => {
  let app: TestApp;
  let notesCss: string;

  beforeAll(async () => {
    app = await createTestApp(dialect, [pluginWithStatic('notes'), pluginWithStatic('tags')]);
    const acme = await app.createTenant('acme');
    await app.createTenant('globex');
    await enablePlugin(app.database.db, app.services.registry, acme.id, 'notes');
    await app.createStaff(acme.id, 'agent', 'agent@acme.test');
    await app.createStaff(null, 'operator', 'op@platform.test');
    notesCss = app.services.assets.url('p/notes/notes.css');
  });
  afterAll(() => app.cleanup());

  it('serves a plugin\'s files under /static/p/<id>/ with a content hash, cache headers and their type', async () => {
    expect(notesCss).toMatch(/^\/static\/p\/notes\/notes\.css\?v=[0-9a-f]{12}$/);
    const css = await app.request(notesCss);
    expect(css.status).toBe(200);
    expect(css.headers.get('Content-Type')).toBe('text/css; charset=utf-8');
    expect(css.headers.get('Cache-Control')).toBe('public, max-age=31536000, immutable');
    expect(css.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(await css.text()).toBe('.notes-card { border-color: var(--line); }\n');
    const etag = css.headers.get('ETag')!;
    expect(etag).toBe(`"${notesCss.split('?v=')[1]}"`);
    expect((await app.request(notesCss, { headers: { 'If-None-Match': etag } })).status).toBe(304);
    // Without the hash (or with an old one) the browser must revalidate.
    expect((await app.request('/static/p/notes/notes.css')).headers.get('Cache-Control')).toBe('no-cache');
    expect((await app.request('/static/p/notes/notes.css?v=000000000000')).headers.get('Cache-Control')).toBe('no-cache');
    const icon = await app.request('/static/p/notes/icons/pin.svg');
    expect(icon.status).toBe(200);
    expect(icon.headers.get('Content-Type')).toBe('image/svg+xml');
  });

  it('answers 404 for an unknown plugin or file, a folder, and any path that tries to leave the folder', async () => {
    for (const path of [
      '/static/p/ghost/notes.css', '/static/p/notes/missing.css', '/static/p/notes/icons', '/static/p/notes',
      '/static/p/notes/..%2F..%2Fapp.css', '/static/p/notes/icons/..%2fnotes.css', '/static/p/notes/%2e%2e/%2e%2e/%2e%2e/package.json',
      '/static/p/notes/..%5C..%5Cpackage.json', '/static/p/notes/%2Fetc%2Fpasswd', '/static/p/notes/notes.css%00.svg',
    ]) {
      const response = await app.request(path);
      expect(`${path} -> ${response.status}`).toBe(`${path} -> 404`);
      expect(await response.text()).not.toContain('"name": "tresen"');
    }
  });

  it('links the stylesheets only of the plugins the tenant has on, after core\'s and before the brand', async () => {
    const staff = await app.signIn('agent@acme.test', 'acme');
    const desk = await (await app.request('/t/acme/desk', { cookie: staff })).text();
    expect(pluginLinks(desk)).toEqual([notesCss]);
    const order = ['/static/app.css', notesCss, '/t/acme/brand.css'].map((href) => desk.indexOf(`href="${href}`));
    expect(order.every((at, i) => at > 0 && (i === 0 || at > order[i - 1]!))).toBe(true);
    // The tenant's sign-in page shares the staff frame, so its plugins' CSS as well.
    expect(pluginLinks(await (await app.request('/t/acme/login')).text())).toEqual([notesCss]);
    // globex has no plugin on: no plugin stylesheet at all.
    expect(pluginLinks(await (await app.request('/t/globex/login')).text())).toEqual([]);
  });

  it('links no plugin stylesheet on platform pages, which belong to no tenant', async () => {
    const operator = await app.signIn('op@platform.test');
    const platform = await app.request('/platform', { cookie: operator });
    expect(platform.status).toBe(200);
    const html = await platform.text();
    expect(html).toContain('/static/app.css?v=');
    expect(pluginLinks(html)).toEqual([]);
    expect(pluginLinks(await (await app.request('/login')).text())).toEqual([]);
  });
});
