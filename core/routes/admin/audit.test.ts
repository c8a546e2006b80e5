import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness/test-app.js';
import { dialects } from '../../../test/harness/test-database.js';
import { tallyPlugin } from '../../../test/plugins/tally-plugin.js';
import { enablePlugin } from '../../plugin-host/plugin-switches.js';

describe.each(dialects)('audit log labels on %s', (dialect) => {
  let app: TestApp;
  let admin: string;
  let acme: number;

  beforeAll(async () => {
    app = await createTestApp(dialect);
    acme = (await app.createTenant('acme')).id;
    await app.createStaff(acme, 'admin', 'admin@acme.test');
    admin = await app.signIn('admin@acme.test', 'acme');
  });
  afterAll(() => app.cleanup());

  const page = async (language: string) => {
    const response = await app.request('/t/acme/admin/audit', { cookie: admin, headers: { 'Accept-Language': language } });
    expect(response.status).toBe(200);
    return response.text();
  };

  it('shows actions as readable labels in the reader\'s language and keeps the code', async () => {
    const english = await page('en');
    expect(english).toContain('title="auth.sign_in">Signed in <code');
    expect(english).toContain('<code class="audit-action-code muted">auth.sign_in</code>');
    const german = await page('de');
    expect(german).toContain('title="auth.sign_in">Angemeldet <code');
    expect(german).toContain('auth.sign_in');
  });

  it('shows an unknown action (its plugin was removed) as its code', async () => {
    await app.services.audit.record({ tenantId: acme, actor: { userId: null, label: 'gone' }, action: 'oldplugin.thing_done' });
    const html = await page('en');
    expect(html).toContain('<code class="audit-action-code">oldplugin.thing_done</code>');
  });
});

describe.each(dialects)('audit log labels of a plugin\'s actions on %s', (dialect) => {
  let app: TestApp;
  let acme: number;
  let globex: number;

  beforeAll(async () => {
    app = await createTestApp(dialect, [tallyPlugin]);
    acme = (await app.createTenant('acme')).id;
    globex = (await app.createTenant('globex')).id;
    await enablePlugin(app.services.db, app.services.registry, acme, 'tally');
    await app.createStaff(acme, 'admin', 'admin@acme.test');
    await app.createStaff(globex, 'admin', 'admin@globex.test');
    await app.createStaff(null, 'operator', 'op@tresen.test');
    await app.services.audit.record({ tenantId: acme, actor: { userId: null, label: 'tally' }, action: 'tally.counted', target: 'A-1' });
  });
  afterAll(() => app.cleanup());

  const read = async (path: string, cookie: string, language = 'en') => {
    const response = await app.request(path, { cookie, headers: { 'Accept-Language': language } });
    expect(response.status).toBe(200);
    return response.text();
  };

  it('labels the plugin\'s action from its declaration, in English and German, on the tenant\'s and the platform\'s page', async () => {
    const admin = await app.signIn('admin@acme.test', 'acme');
    expect(await read('/t/acme/admin/audit', admin)).toContain('title="tally.counted">Counted a ticket <code class="audit-action-code muted">tally.counted</code>');
    expect(await read('/t/acme/admin/audit', admin, 'de')).toContain('title="tally.counted">Ticket gezählt <code');
    const operator = await app.signIn('op@tresen.test');
    expect(await read('/platform/audit', operator)).toContain('title="tally.counted">Counted a ticket <code');
  });

  it('shows another tenant none of it', async () => {
    const globexAdmin = await app.signIn('admin@globex.test', 'globex');
    const html = await read('/t/globex/admin/audit', globexAdmin);
    expect(html).not.toContain('tally.counted');
    expect(html).toContain('auth.sign_in');
  });
});
