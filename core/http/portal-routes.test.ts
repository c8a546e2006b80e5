import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definePlugin } from '../plugin-host/define-plugin.js';
import { disablePlugin, enablePlugin } from '../plugin-host/plugin-switches.js';
import { createTestApp, type TestApp } from '../../test/harness/test-app.js';
import { dialects } from '../../test/harness/test-database.js';

/** Two plugins that both contribute portal pages, each with a middleware of its own. */
const portalPlugin = (id: string) => definePlugin({
  id, version: '1.0.0', core: '^1.0.0', name: `${id}.name`,
  register(api) {
    api.portalRoutes((app) => {
      app.use('*', async (c, next) => {
        await next();
        c.header(`X-Seen-By-${id}`, '1');
      });
      app.get(`/${id}`, (c) => c.text(`${id} page`));
    });
  },
});

describe.each(dialects)('portal routes of several plugins on %s', (dialect) => {
  let app: TestApp;
  let tenantId: number;

  beforeAll(async () => {
    app = await createTestApp(dialect, [portalPlugin('alpha'), portalPlugin('beta')]);
    tenantId = (await app.createTenant('acme')).id;
  });
  afterAll(() => app.cleanup());

  it('a switched-off plugin neither answers nor hides the pages of one that is on', async () => {
    await enablePlugin(app.database.db, app.services.registry, tenantId, 'beta');
    const beta = await app.request('/t/acme/portal/beta');
    expect(beta.status).toBe(200);
    expect(await beta.text()).toBe('beta page');
    // alpha's middleware is skipped while alpha is off.
    expect(beta.headers.get('X-Seen-By-alpha')).toBeNull();
    // An old link to alpha's page tells the customer it is not offered, in their language; an unknown page is just not found.
    const off = await app.request('/t/acme/portal/alpha', { headers: { 'Accept-Language': 'en' } });
    expect(off.status).toBe(404);
    expect(await off.text()).toContain('is not offered here (any more)');
    const unknown = await app.request('/t/acme/portal/gamma', { headers: { 'Accept-Language': 'en' } });
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).not.toContain('not offered');
    expect(await (await app.request('/t/acme/portal/alpha', { headers: { 'Accept-Language': 'de' } })).text()).toContain('wird hier (nicht mehr) angeboten');

    await enablePlugin(app.database.db, app.services.registry, tenantId, 'alpha');
    const both = await app.request('/t/acme/portal/beta');
    expect(both.headers.get('X-Seen-By-alpha')).toBe('1');
    expect((await app.request('/t/acme/portal/alpha')).status).toBe(200);

    await disablePlugin(app.database.db, app.services.registry, tenantId, 'beta');
    expect((await app.request('/t/acme/portal/beta')).status).toBe(404);
    expect((await app.request('/t/acme/portal/alpha')).status).toBe(200);
  });
});
