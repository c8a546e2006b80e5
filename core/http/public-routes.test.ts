import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definePlugin } from '../plugin-host/define-plugin.js';
import { disablePlugin, enablePlugin } from '../plugin-host/plugin-switches.js';
import { createTestApp, type TestApp } from '../../test/harness/test-app.js';
import { dialects } from '../../test/harness/test-database.js';

/** A plugin with a public page at the tenant's root. */
const publicPlugin = (id: string) => definePlugin({
  id, version: '1.0.0', core: '^1.0.0', name: `${id}.name`,
  register(api) {
    api.publicRoutes((app) => {
      app.get(`/${id}/:page`, (c) => c.text(`${id} ${c.req.param('page')} for ${c.var.tenant?.slug} (${c.var.user ? 'user' : 'anyone'})`));
    });
  },
});

describe.each(dialects)('public routes of plugins on %s', (dialect) => {
  let app: TestApp;
  let tenantId: number;

  beforeAll(async () => {
    app = await createTestApp(dialect, [publicPlugin('alpha'), publicPlugin('beta')]);
    tenantId = (await app.createTenant('acme')).id;
    await app.createTenant('other');
  });
  afterAll(() => app.cleanup());

  it('answers at the tenant\'s root without sign-in only while the tenant has the plugin on, and never outside a tenant', async () => {
    expect((await app.request('/t/acme/alpha/start')).status).toBe(404);
    await enablePlugin(app.database.db, app.services.registry, tenantId, 'alpha');
    const on = await app.request('/t/acme/alpha/start');
    expect(on.status).toBe(200);
    expect(await on.text()).toBe('alpha start for acme (anyone)');
    // Another plugin that is off neither answers nor hides it; another tenant without the plugin answers 404.
    expect((await app.request('/t/acme/beta/start')).status).toBe(404);
    expect((await app.request('/t/other/alpha/start')).status).toBe(404);
    expect((await app.request('/alpha/start')).status).toBe(404);
    await disablePlugin(app.database.db, app.services.registry, tenantId, 'alpha');
    expect((await app.request('/t/acme/alpha/start')).status).toBe(404);
  });
});
