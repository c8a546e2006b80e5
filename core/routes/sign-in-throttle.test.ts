import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, ORIGIN, TEST_PASSWORD, type TestApp } from '../../test/harness/test-app.js';
import { dialects } from '../../test/harness/test-database.js';

/** Nobody can lock someone else out: an attacker hammering an account slows only their own address. */
describe.each(dialects)('sign-in throttle over HTTP on %s', (dialect) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp(dialect);
    const tenant = await app.createTenant('acme');
    await app.createStaff(tenant.id, 'agent', 'owner@acme.test');
  });
  afterAll(() => app.cleanup());

  const signIn = (from: string, password: string) => app.app.request(`${ORIGIN}/t/acme/login`, {
    method: 'POST', headers: { Origin: ORIGIN, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email: 'owner@acme.test', password }),
  }, { incoming: { socket: { remoteAddress: from } } });

  it('lets the owner in at once from another address while the attacker\'s address waits', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await signIn('198.51.100.66', `guess ${i}`)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 429, 429]);
    const attacker = await signIn('198.51.100.66', TEST_PASSWORD);
    expect(attacker.status).toBe(429);
    expect(Number(attacker.headers.get('Retry-After'))).toBeGreaterThan(0);
    const owner = await signIn('203.0.113.10', TEST_PASSWORD);
    expect(owner.status).toBe(303);
  });

  it('answers failures sent all at once each with 401 or 429, never 500', async () => {
    const answers = await Promise.all(Array.from({ length: 9 }, (_, i) => signIn('192.0.2.77', `burst ${i}`)));
    expect(answers.every((response) => response.status === 401 || response.status === 429)).toBe(true);
    const row = await app.services.db.selectFrom('login_attempts').select('failures').where('key', '=', 'ip:192.0.2.77').executeTakeFirstOrThrow();
    expect(row.failures).toBe(9);
  });
});
