import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/harness/test-app.js';
import { dialects } from '../../test/harness/test-database.js';
import { createReadiness } from './readiness.js';

describe.each(dialects)('liveness and readiness on %s', (dialect) => {
  const readiness = createReadiness(false);
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp(dialect, [], { readiness });
    const tenant = await app.createTenant('acme');
    await app.createStaff(tenant.id, 'agent', 'agent@acme.test');
  });
  afterAll(() => app.cleanup());

  it('is alive at once, and until ready answers every other route 503 with Retry-After (a page, or JSON for the API)', async () => {
    expect((await app.request('/healthz')).status).toBe(200);
    const ready = await app.request('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.headers.get('Retry-After')).toBe('2');
    expect(await ready.json()).toEqual({ status: 'starting' });
    const login = await app.request('/t/acme/login');
    expect(login.status).toBe(503);
    expect(login.headers.get('Retry-After')).toBe('2');
    const html = await login.text();
    expect(html).toContain('Tresen is starting');
    expect(html).toContain('Tresen startet gerade');
    const signIn = await app.request('/t/acme/login', { method: 'POST', body: new URLSearchParams({ email: 'agent@acme.test', password: 'whatever' }) });
    expect(signIn.status).toBe(503);
    const api = await app.request('/t/acme/api/v1/tickets', { headers: { Authorization: 'Bearer x' } });
    expect(api.status).toBe(503);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe('starting');
    // Static files still load (the starting page needs none, but a page open in a tab keeps its styles).
    expect((await app.request('/static/app.css')).status).toBe(200);
  });

  it('serves everything once marked ready', async () => {
    readiness.markReady();
    const ready = await app.request('/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
    expect((await app.request('/t/acme/login')).status).toBe(200);
    expect(await app.signIn('agent@acme.test', 'acme')).toContain('=');
  });
});
