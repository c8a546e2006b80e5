import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../auth/api-tokens.js';
import { tenantScope } from '../tenancy/tenant-scope.js';
import { createTestApp, ORIGIN, type TestApp } from '../../test/harness/test-app.js';
import { createTestDatabase, dialects, type TestDatabase } from '../../test/harness/test-database.js';
import { createDatabase } from '../db/create-database.js';
import { createApiRateLimiter } from './api-rate-limit.js';

describe.each(dialects)('API rate limiter on %s', (dialect) => {
  let database: TestDatabase;
  beforeAll(async () => { database = await createTestDatabase(dialect); });
  afterAll(() => database.cleanup());

  it.each(['memory', 'database'])('counts per key within a window (in %s), refuses past the limit without counting, and starts afresh', async (where) => {
    let now = Date.parse('2026-11-25T10:00:00Z');
    const limiter = createApiRateLimiter(() => new Date(now), { perToken: 2, authFailuresPerIp: 1, windowMs: 60_000 }, where === 'database' ? database.db : undefined);
    await database.db.deleteFrom('rate_limits').execute();
    expect(await limiter.take('a', 2)).toEqual({ allowed: true, limit: 2, remaining: 1, resetSeconds: 60 });
    now += 15_500;
    expect(await limiter.take('a', 2)).toEqual({ allowed: true, limit: 2, remaining: 0, resetSeconds: 45 });
    expect(await limiter.take('a', 2)).toEqual({ allowed: false, limit: 2, remaining: 0, resetSeconds: 45 });
    expect(await limiter.take('a', 2)).toEqual({ allowed: false, limit: 2, remaining: 0, resetSeconds: 45 });
    expect((await limiter.take('b', 2)).allowed).toBe(true);
    now += 44_500;
    expect(await limiter.take('a', 2)).toEqual({ allowed: true, limit: 2, remaining: 1, resetSeconds: 60 });
  });

  it('shares one budget between instances and counts concurrent requests exactly', async () => {
    const clock = () => new Date('2026-11-25T11:00:00Z');
    const limits = { perToken: 10, authFailuresPerIp: 1, windowMs: 60_000 };
    // Two instances: two limiters (and, on PostgreSQL, two pools) on one database.
    const other = dialect === 'postgres' ? await createDatabase(database.url, { poolSize: 5 }) : undefined;
    try {
      const first = createApiRateLimiter(clock, limits, database.db);
      const second = createApiRateLimiter(clock, limits, other?.db ?? database.db);
      const decisions = await Promise.all(Array.from({ length: 25 }, (_, n) => (n % 2 ? first : second).take('shared', 10)));
      expect(decisions.filter((d) => d.allowed)).toHaveLength(10);
      expect((await second.take('shared', 10)).allowed).toBe(false);
      expect(await database.db.selectFrom('rate_limits').select('count').where('key', '=', 'shared').executeTakeFirst()).toEqual({ count: 11 });
    } finally {
      await other?.close();
    }
  });
});

describe.each(dialects)('API rate limits on %s', (dialect) => {
  let app: TestApp;
  let now = Date.parse('2026-11-25T10:00:00Z');
  let acme: number;
  let first: string;
  let second: string;

  const from = (ip: string, path: string, bearer: string, init: { method?: string; json?: unknown } = {}) => app.app.request(`${ORIGIN}${path}`, {
    method: init.method ?? 'GET',
    headers: { Authorization: `Bearer ${bearer}`, ...(init.json === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: init.json === undefined ? null : JSON.stringify(init.json),
  }, { incoming: { socket: { remoteAddress: ip } } });

  beforeAll(async () => {
    app = await createTestApp(dialect, [], { clock: () => new Date(now), config: { apiRateLimits: { perToken: 3, authFailuresPerIp: 2, windowMs: 60_000 } } });
    acme = (await app.createTenant('acme')).id;
    const agent = await app.createStaff(acme, 'agent', 'agent@acme.test');
    first = (await createApiToken(app.database.db, { tenantId: acme, userId: agent, name: 'first' })).token;
    second = (await createApiToken(app.database.db, { tenantId: acme, userId: agent, name: 'second' })).token;
  });
  afterAll(() => app.cleanup());

  it('answers 429 with Retry-After, RateLimit-* and a JSON error past a token’s budget; another token is unaffected; the next window serves again', async () => {
    const remaining: Array<string | null> = [];
    for (let i = 0; i < 3; i++) {
      const response = await from('10.0.0.1', '/t/acme/api/v1/tickets', first);
      expect(response.status).toBe(200);
      expect(response.headers.get('RateLimit-Limit')).toBe('3');
      expect(response.headers.get('RateLimit-Policy')).toBe('3;w=60');
      remaining.push(response.headers.get('RateLimit-Remaining'));
    }
    expect(remaining).toEqual(['2', '1', '0']);
    now += 20_000;
    const refused = await from('10.0.0.1', '/t/acme/api/v1/tickets', first, { method: 'POST', json: { subject: 'Over budget', body: 'x' } });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('Retry-After')).toBe('40');
    expect(refused.headers.get('RateLimit-Remaining')).toBe('0');
    expect(refused.headers.get('RateLimit-Reset')).toBe('40');
    expect(refused.headers.get('Content-Type')).toContain('application/json');
    expect(await refused.json()).toEqual({ error: { code: 'too_many_requests', message: 'Too many requests. Try again in 40 s.', fields: {} } });
    expect(await tenantScope(app.database.db, acme).selectFrom('tickets').select('id').where('subject', '=', 'Over budget').execute()).toEqual([]);

    const other = await from('10.0.0.1', '/t/acme/api/v1/tickets', second);
    expect(other.status).toBe(200);
    expect(other.headers.get('RateLimit-Remaining')).toBe('2');

    now += 40_000;
    const again = await from('10.0.0.1', '/t/acme/api/v1/tickets', first);
    expect(again.status).toBe(200);
    expect(again.headers.get('RateLimit-Remaining')).toBe('2');
  });

  it('limits failed bearer sign-ins per address; a valid token from that address and other addresses still pass', async () => {
    now += 120_000;
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await from('10.0.0.9', '/t/acme/api/v1/tickets', `trs_wrong${i}`)).status);
    expect(statuses).toEqual([401, 401, 429]);
    const blocked = await from('10.0.0.9', '/t/acme/api/v1/tickets', 'trs_wrong');
    expect(blocked.headers.get('Retry-After')).toBe('60');
    expect((await blocked.json() as { error: { code: string } }).error.code).toBe('too_many_requests');
    expect((await from('10.0.0.9', '/t/acme/api/v1/tickets', second)).status).toBe(200);
    expect((await from('10.0.0.10', '/t/acme/api/v1/tickets', 'trs_wrong')).status).toBe(401);
  });

  it('gives a browser session using the API a budget of its own, apart from the user’s tokens', async () => {
    now += 120_000;
    const cookie = await app.signIn('agent@acme.test', 'acme');
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await app.request('/t/acme/api/v1/tickets', { cookie })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect((await from('10.0.0.1', '/t/acme/api/v1/tickets', first)).status).toBe(200);
  });

  it('does not count requests outside the API', async () => {
    now += 120_000;
    for (let i = 0; i < 5; i++) await from('10.0.0.1', '/t/acme/desk', first);
    expect((await from('10.0.0.1', '/t/acme/api/v1/tickets', first)).headers.get('RateLimit-Remaining')).toBe('2');
  });
});
