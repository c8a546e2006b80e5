import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/harness/test-app.js';
import { dialects } from '../../test/harness/test-database.js';

const startLink = (html: string) => /<a href="([^"]*)" class="button" id="error-start">([^<]*)<\/a>/.exec(html)?.slice(1);

describe.each(dialects)('error page link back to the start on %s', (dialect) => {
  let app: TestApp;
  let agent: string;
  let operator: string;

  beforeAll(async () => {
    app = await createTestApp(dialect);
    const acme = (await app.createTenant('acme')).id;
    await app.createStaff(acme, 'agent', 'agent@acme.test');
    await app.createStaff(null, 'operator', 'op@platform.test');
    agent = await app.signIn('agent@acme.test', 'acme');
    operator = await app.signIn('op@platform.test');
  });
  afterAll(() => app.cleanup());

  it('leads staff to the desk, in their language', async () => {
    const english = await app.request('/t/acme/no-such-page', { cookie: agent, headers: { 'Accept-Language': 'en' } });
    expect(english.status).toBe(404);
    expect(startLink(await english.text())).toEqual(['/t/acme/desk', 'Back to the start page']);
    const german = await app.request('/t/acme/desk/tickets/999999', { cookie: agent, headers: { 'Accept-Language': 'de' } });
    expect(german.status).toBe(404);
    expect(startLink(await german.text())).toEqual(['/t/acme/desk', 'Zurück zur Startseite']);
  });

  it('leads a visitor who is not signed in to the tenant\'s root, and the operator to the platform', async () => {
    expect(startLink(await (await app.request('/t/acme/no-such-page')).text())?.[0]).toBe('/t/acme');
    const platform = await app.request('/platform/no-such-page', { cookie: operator });
    expect(platform.status).toBe(404);
    expect(startLink(await platform.text())?.[0]).toBe('/platform');
    expect(startLink(await (await app.request('/no-such-page')).text())?.[0]).toBe('/');
  });
});
