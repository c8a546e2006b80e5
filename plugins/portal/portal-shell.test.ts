import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definePlugin } from '../../core/plugin-api.js';
import { disablePlugin } from '../../core/plugin-host/plugin-switches.js';
import { createTestApp, type TestApp } from '../../test/harness/test-app.js';
import { dialects } from '../../test/harness/test-database.js';
import { portalPlugin } from './index.js';
import { portalWorld, type PortalWorld } from '../../test/harness/portal-world.js';

/** Another plugin with a stylesheet, as one that adds to the portal through its extension points would have. */
function notesPlugin() {
  const dir = mkdtempSync(join(tmpdir(), 'tresen-notes-'));
  writeFileSync(join(dir, 'notes.css'), '.notes-card { color: var(--muted); }\n');
  return definePlugin({ id: 'notes', version: '1.0.0', core: '^1.0.0', name: 'notes.name', static: pathToFileURL(`${dir}/`), register: () => {} });
}

const stylesheets = (html: string) => [...html.matchAll(/<link rel="stylesheet" href="([^"]+)"/g)].map((m) => m[1]!.replace(/\?.*$/, ''));

describe.each(dialects)('the portal frame\'s stylesheets on %s', (dialect) => {
  let app: TestApp;
  let world: PortalWorld;

  beforeAll(async () => {
    app = await createTestApp(dialect, [portalPlugin, notesPlugin()]);
    world = await portalWorld(app, 'css');
  });
  afterAll(() => app.cleanup());

  it('links core\'s CSS, the portal\'s own portal.css and that of the tenant\'s other plugins, then the brand', async () => {
    const portalCss = app.services.assets.url('p/portal/portal.css');
    expect(portalCss).toMatch(/^\/static\/p\/portal\/portal\.css\?v=[0-9a-f]{12}$/);
    const front = await (await app.request('/t/css/portal')).text();
    expect(front).toContain(`href="${portalCss}"`);
    expect(stylesheets(front)).toEqual(['/static/app.css', '/static/p/portal/portal.css', '/static/p/notes/notes.css', '/t/css/brand.css']);
    const cookie = await world.signIn(world.emails.manager);
    expect(stylesheets(await (await app.request('/t/css/portal/requests', { cookie })).text())).toContain('/static/p/portal/portal.css');
    // portal.css holds the portal's frame; core's stylesheet no longer does.
    const served = await (await app.request(portalCss)).text();
    expect(served).toContain('.portal-bar {');
    expect(await (await app.request(app.services.assets.url('app.css'))).text()).not.toContain('.portal-bar');
  });

  it('leaves out the stylesheet of a plugin the tenant switches off', async () => {
    await disablePlugin(app.database.db, app.services.registry, world.tenant.id, 'notes');
    expect(stylesheets(await (await app.request('/t/css/portal')).text())).toEqual(['/static/app.css', '/static/p/portal/portal.css', '/t/css/brand.css']);
  });
});
