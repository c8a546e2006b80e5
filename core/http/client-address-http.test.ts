import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, ORIGIN, type TestApp } from '../../test/harness/test-app.js';
import { dialects } from '../../test/harness/test-database.js';

/** TRUSTED_PROXIES at work: the per-address limit of failed bearer sign-ins counts the forwarded client only behind a trusted proxy. */
describe.each(dialects)('client address behind a trusted proxy on %s', (dialect) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp(dialect, [], { config: { trustedProxies: ['10.0.0.1'], apiRateLimits: { perToken: 100, authFailuresPerIp: 1, windowMs: 60_000 } } });
    await app.createTenant('acme');
  });
  afterAll(() => app.cleanup());

  const call = (peer: string, forwardedFor: string) => app.app.request(`${ORIGIN}/t/acme/api/v1/tickets`, {
    headers: { Authorization: 'Bearer trs_wrong', 'X-Forwarded-For': forwardedFor },
  }, { incoming: { socket: { remoteAddress: peer } } });

  it('counts each forwarded client on its own behind the trusted proxy', async () => {
    expect((await call('10.0.0.1', '198.51.100.1')).status).toBe(401);
    expect((await call('10.0.0.1', '198.51.100.1')).status).toBe(429);
    // Another client behind the same proxy is not locked out by the first one.
    expect((await call('10.0.0.1', '198.51.100.2')).status).toBe(401);
  });

  it('ignores the header from anyone else: a client cannot buy a fresh budget by writing another address', async () => {
    expect((await call('203.0.113.5', '192.0.2.1')).status).toBe(401);
    expect((await call('203.0.113.5', '192.0.2.2')).status).toBe(429);
  });
});
