import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_PASSWORD, type TestApp } from '../../test/harness/test-app.js';
import { dialects } from '../../test/harness/test-database.js';

/** Redirects after sign-in and after the language switch stay on the site, and bad input is no 500. */
describe.each(dialects)('redirect targets from requests on %s', (dialect) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp(dialect);
    const tenant = await app.createTenant('acme');
    await app.createStaff(tenant.id, 'agent', 'agent@acme.test');
  });
  afterAll(() => app.cleanup());

  const signIn = (next: string) => app.request('/t/acme/login', { method: 'POST', body: new URLSearchParams({ email: 'agent@acme.test', password: TEST_PASSWORD, next }) });

  it('signs in and goes to the desk, not off-site, for a next with a tab, a line break or two slashes', async () => {
    for (const next of ['/\t/evil.example/', '/x\r\nSet-Cookie: a=b', '//evil.example/x', '/\\evil.example', 'https://evil.example/']) {
      const response = await signIn(next);
      expect(`${JSON.stringify(next)} -> ${response.status} ${response.headers.get('Location')}`).toBe(`${JSON.stringify(next)} -> 303 /t/acme/desk`);
    }
    const local = await signIn('/t/acme/account?tab=1');
    expect(local.headers.get('Location')).toBe('/t/acme/account?tab=1');
  });

  it('switches the language and goes back only to a page of this site; an unparsable Referer goes home', async () => {
    const switchTo = (referer: string) => app.request('/t/acme/locale', { method: 'POST', body: new URLSearchParams({ locale: 'de' }), headers: { Referer: referer } });
    expect((await switchTo('http://tresen.test/t/acme/login?x=1')).headers.get('Location')).toBe('/t/acme/login?x=1');
    const doubleSlash = await switchTo('http://tresen.test//evil.example/x');
    expect(doubleSlash.status).toBe(303);
    expect(doubleSlash.headers.get('Location')).toBe('/evil.example/x');
    for (const referer of ['::not a url::', 'http://evil.example/t/acme/login']) {
      const response = await switchTo(referer);
      expect(`${referer} -> ${response.status} ${response.headers.get('Location')}`).toBe(`${referer} -> 303 /t/acme/`);
    }
  });
});
