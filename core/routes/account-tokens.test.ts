import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../auth/session-store.js';
import { createApiToken } from '../auth/api-tokens.js';
import { createTestApp, type TestApp } from '../../test/harness/test-app.js';
import { dialects } from '../../test/harness/test-database.js';

const post = (values: Record<string, string>, cookie: string) => ({ method: 'POST', body: new URLSearchParams(values), cookie });
const tokenIn = (html: string) => /<code class="token-value">(trs_[A-Za-z0-9_-]+)<\/code>/.exec(html)?.[1];

describe.each(dialects)('API tokens on the account page on %s', (dialect) => {
  let app: TestApp;
  let acme: number;
  let agent: string;
  let otherUserTokenId: number;
  let otherUserToken: string;
  let globexTokenId: number;

  beforeAll(async () => {
    app = await createTestApp(dialect);
    acme = (await app.createTenant('acme')).id;
    const globex = (await app.createTenant('globex')).id;
    await app.createStaff(acme, 'agent', 'agent@acme.test');
    const colleague = await app.createStaff(acme, 'agent', 'bob@acme.test');
    const globexUser = await app.createStaff(globex, 'agent', 'agent@globex.test');
    ({ id: otherUserTokenId, token: otherUserToken } = await createApiToken(app.database.db, { tenantId: acme, userId: colleague, name: 'bob script' }));
    globexTokenId = (await createApiToken(app.database.db, { tenantId: globex, userId: globexUser, name: 'globex script' })).id;
    agent = await app.signIn('agent@acme.test', 'acme');
  });
  afterAll(() => app.cleanup());

  it('creates a named token, shows it once and stores only its hash; the token authenticates API calls', async () => {
    const bad = await app.request('/t/acme/account/tokens', post({ token_name: '  ' }, agent));
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain('Please fill in this field.');

    const created = await app.request('/t/acme/account/tokens', post({ token_name: 'Monitoring' }, agent));
    expect(created.status).toBe(200);
    expect(created.headers.get('Cache-Control')).toBe('no-store');
    const html = await created.text();
    const token = tokenIn(html);
    expect(token).toMatch(/^trs_[A-Za-z0-9_-]{43}$/);
    expect(html).toContain('Your new token “Monitoring”');
    const row = await app.database.db.selectFrom('api_tokens').selectAll().where('name', '=', 'Monitoring').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ tenant_id: acme, token_hash: hashToken(token!), last_used_at: null });

    const page = await (await app.request('/t/acme/account', { cookie: agent })).text();
    expect(tokenIn(page)).toBeUndefined();
    expect(page).toContain('Monitoring');
    expect(page).not.toContain('bob script');
    expect(page).not.toContain('globex script');
    expect(page).toContain('never');

    const api = await app.request('/t/acme/api/v1/tickets', { headers: { Authorization: `Bearer ${token}` } });
    expect(api.status).toBe(200);
    const used = await app.database.db.selectFrom('api_tokens').select('last_used_at').where('id', '=', row.id).executeTakeFirstOrThrow();
    expect(used.last_used_at).not.toBeNull();
    expect(await (await app.request('/t/acme/account', { cookie: agent })).text()).not.toContain('never');
  });

  it('revokes own tokens only: afterwards the token is refused; other users’ and tenants’ token ids answer 404', async () => {
    const { id, token } = await createApiToken(app.database.db, { tenantId: acme, userId: (await app.database.db.selectFrom('users').select('id').where('email', '=', 'agent@acme.test').executeTakeFirstOrThrow()).id, name: 'short-lived' });
    expect((await app.request('/t/acme/api/v1/tickets', { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);
    const revoked = await app.request('/t/acme/account/tokens/revoke', post({ id: String(id) }, agent));
    expect(revoked.status).toBe(303);
    expect(revoked.headers.get('Location')).toBe('/t/acme/account#tokens');
    expect((await app.request('/t/acme/api/v1/tickets', { headers: { Authorization: `Bearer ${token}` } })).status).toBe(401);

    for (const foreign of [otherUserTokenId, globexTokenId, 999999]) {
      expect((await app.request('/t/acme/account/tokens/revoke', post({ id: String(foreign) }, agent))).status).toBe(404);
    }
    expect((await app.request('/t/acme/account/tokens/revoke', post({ id: 'x' }, agent))).status).toBe(404);
    expect(await app.database.db.selectFrom('api_tokens').select('id').where('id', 'in', [otherUserTokenId, globexTokenId]).execute()).toHaveLength(2);
    expect((await app.request('/t/acme/api/v1/tickets', { headers: { Authorization: `Bearer ${otherUserToken}` } })).status).toBe(200);
  });

  it('needs a signed-in user and a same-origin form', async () => {
    expect((await app.request('/t/acme/account/tokens', { method: 'POST', body: new URLSearchParams({ token_name: 'x' }) })).status).toBe(303);
    const crossSite = await app.request('/t/acme/account/tokens', { method: 'POST', body: new URLSearchParams({ token_name: 'x' }), cookie: agent, headers: { Origin: 'http://evil.test' } });
    expect(crossSite.status).toBe(403);
    expect(await app.database.db.selectFrom('api_tokens').select('id').where('name', '=', 'x').execute()).toEqual([]);
  });
});
