import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disablePlugin } from '../../core/plugin-host/plugin-switches.js';
import { createTestApp, TEST_PASSWORD, type TestApp } from '../../test/harness/test-app.js';
import { dialects } from '../../test/harness/test-database.js';
import { portalPlugin } from './index.js';
import { portalWorld, type PortalWorld } from '../../test/harness/portal-world.js';

const form = (values: Record<string, string>) => ({ method: 'POST', body: new URLSearchParams(values) });

/** Credentials typed on the wrong sign-in page are pointed to the right one, never to a "wrong password". */
describe.each(dialects)('the wrong sign-in page on %s', (dialect) => {
  let app: TestApp;
  let world: PortalWorld;
  let other: PortalWorld;

  beforeAll(async () => {
    app = await createTestApp(dialect, [portalPlugin]);
    world = await portalWorld(app, 'doors');
    other = await portalWorld(app, 'doors-b');
  });
  afterAll(() => app.cleanup());

  it('a customer on the staff page is sent to the portal, in English and German; a wrong password is only wrong', async () => {
    const response = await app.request('/t/doors/login', form({ email: world.emails.colleague, password: TEST_PASSWORD }));
    expect(response.status).toBe(401);
    const html = await response.text();
    expect(html).toContain('id="sign-in-other-door"');
    expect(html).toContain('href="/t/doors/portal/login"');
    expect(html).not.toContain('E-mail or password is wrong.');
    expect(response.headers.getSetCookie()).toEqual([]);
    const german = await app.request('/t/doors/login', { ...form({ email: world.emails.colleague, password: TEST_PASSWORD }), headers: { 'Accept-Language': 'de' } });
    expect(await german.text()).toContain('Das sind die Zugangsdaten eines Kundenkontos.');
    const wrong = await (await app.request('/t/doors/login', form({ email: world.emails.colleague, password: 'not the password' }))).text();
    expect(wrong).toContain('E-mail or password is wrong.');
    expect(wrong).not.toContain('sign-in-other-door');
    // Another tenant's customer is nobody here.
    const foreign = await (await app.request('/t/doors/login', form({ email: other.emails.colleague, password: TEST_PASSWORD }))).text();
    expect(foreign).not.toContain('sign-in-other-door');
  });

  it('says nothing of the portal when the tenant has switched it off', async () => {
    await disablePlugin(app.services.db, app.services.registry, other.tenant.id, 'portal');
    const html = await (await app.request('/t/doors-b/login', form({ email: other.emails.colleague, password: TEST_PASSWORD }))).text();
    expect(html).toContain('E-mail or password is wrong.');
    expect(html).not.toContain('sign-in-other-door');
  });

  it('a staff member on the portal is sent to the staff page; a wrong password is only wrong', async () => {
    const response = await app.request('/t/doors/portal/login', form({ email: world.agentEmail, password: TEST_PASSWORD }));
    expect(response.status).toBe(401);
    const html = await response.text();
    expect(html).toContain('id="portal-other-door"');
    expect(html).toContain('href="/t/doors/login"');
    expect(html).not.toContain('E-mail or password is wrong.');
    const wrong = await (await app.request('/t/doors/portal/login', form({ email: world.agentEmail, password: 'not the password' }))).text();
    expect(wrong).toContain('E-mail or password is wrong.');
    expect(wrong).not.toContain('portal-other-door');
  });

  it('a tenant\'s staff member on the operator\'s page is shown their service desk\'s sign-in', async () => {
    const response = await app.request('/login', form({ email: world.agentEmail, password: TEST_PASSWORD }));
    expect(response.status).toBe(401);
    const html = await response.text();
    expect(html).toContain('id="sign-in-other-door"');
    expect(html).toContain('href="/t/doors/login"');
    expect(html).not.toContain('href="/t/doors-b/login"');
    expect(await (await app.request('/login', form({ email: world.emails.colleague, password: TEST_PASSWORD }))).text()).not.toContain('sign-in-other-door');
  });
});
