import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness/test-app.js';
import { dialects } from '../../../test/harness/test-database.js';

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
