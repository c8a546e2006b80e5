import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../auth/api-tokens.js';
import { seatSettings } from '../../auth/licence-seats.js';
import { apiRouteList } from '../../api/api-routes.js';
import { createTestApp, TEST_PASSWORD, type TestApp } from '../../../test/harness/test-app.js';
import { dialects } from '../../../test/harness/test-database.js';

const MINUTE = 60_000;
const post = (values: Record<string, string>, cookie?: string, headers: Record<string, string> = {}) => ({ method: 'POST', body: new URLSearchParams(values), cookie, headers });

describe.each(dialects)('licence seats: sign-in, operator pages, statistics panel and API on %s', (dialect) => {
  let app: TestApp;
  let now = new Date('2026-11-24T10:00:00Z');
  let acme: number;
  let globex: number;
  let operator: string;
  let supervisor: string;
  let acmeToken: string;
  let globexToken: string;

  const seatForm = (values: Partial<Record<'agent_seats' | 'portal_seats' | 'portal_policy' | 'window_minutes', string>>) =>
    ({ agent_seats: '', portal_seats: '', portal_policy: 'refuse', window_minutes: '15', ...values });
  const sessionCount = async () => Number((await app.services.db.selectFrom('sessions').select((eb) => eb.fn.countAll<number>().as('n')).where('tenant_id', '=', acme).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    app = await createTestApp(dialect, [], { clock: () => now });
    acme = (await app.createTenant('acme', 'ACME GmbH')).id;
    globex = (await app.createTenant('globex', 'Globex AG')).id;
    await app.createStaff(null, 'operator', 'op@platform.test');
    await app.createStaff(acme, 'supervisor', 'super@acme.test');
    for (const name of ['a1', 'a2', 'a3']) await app.createStaff(acme, 'agent', `${name}@acme.test`);
    const globexAdmin = await app.createStaff(globex, 'admin', 'admin@globex.test');
    operator = await app.signIn('op@platform.test');
    supervisor = await app.signIn('super@acme.test', 'acme');
    const supervisorId = (await app.services.db.selectFrom('users').select('id').where('email', '=', 'super@acme.test').executeTakeFirstOrThrow()).id;
    acmeToken = (await createApiToken(app.services.db, { tenantId: acme, userId: supervisorId, name: 'seats' })).token;
    globexToken = (await createApiToken(app.services.db, { tenantId: globex, userId: globexAdmin, name: 'seats' })).token;
  });
  afterAll(() => app.cleanup());

  it('lets the operator set the seats, with field messages for nonsense and nothing saved then', async () => {
    const bad = await app.request(`/platform/tenants/${acme}/seats`, post(seatForm({ agent_seats: '0', portal_seats: '-1', portal_policy: 'maybe', window_minutes: '7' }), operator));
    expect(bad.status).toBe(422);
    const html = await bad.text();
    expect(html).toContain('value="-1"');
    expect(html.match(/field-error/g)?.length).toBeGreaterThanOrEqual(4);
    expect(await seatSettings(app.services.db, acme)).toMatchObject({ agentSeats: null, portalSeats: null });

    const saved = await app.request(`/platform/tenants/${acme}/seats`, post(seatForm({ agent_seats: '3', portal_seats: '', portal_policy: 'warn', window_minutes: '30' }), operator));
    expect(saved.status).toBe(303);
    expect(await seatSettings(app.services.db, acme)).toEqual({ agentSeats: 3, portalSeats: null, portalPolicy: 'warn', windowMinutes: 30 });
    const audit = await app.services.db.selectFrom('audit_log').select(['action', 'tenant_id']).where('action', '=', 'platform.seats_changed').execute();
    expect(audit).toEqual([{ action: 'platform.seats_changed', tenant_id: acme }]);
    await app.request(`/platform/tenants/${acme}/seats`, post(seatForm({ agent_seats: '3' }), operator));
  });

  it('refuses the agent beyond the seats with a clear message in both languages, and no session', async () => {
    // The supervisor holds one seat; two more agents fill the three.
    await app.signIn('a1@acme.test', 'acme');
    const a2 = await app.signIn('a2@acme.test', 'acme');
    const before = await sessionCount();
    const refused = await app.request('/t/acme/login', post({ email: 'a3@acme.test', password: TEST_PASSWORD }, undefined, { 'Accept-Language': 'en' }));
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain('Every agent licence is in use (3 of 3), so nobody else can sign in right now.');
    expect(refused.headers.getSetCookie().join('\n')).not.toMatch(/tresen_s\d+=[^;]/);
    const german = await app.request('/t/acme/login', post({ email: 'a3@acme.test', password: TEST_PASSWORD }, undefined, { 'Accept-Language': 'de' }));
    expect(german.status).toBe(409);
    expect(await german.text()).toContain('Alle Agenten-Lizenzen sind belegt (3 von 3)');
    expect(await sessionCount()).toBe(before);
    // A wrong password still says only that: the seat message is for people who proved who they are.
    const wrong = await app.request('/t/acme/login', post({ email: 'a3@acme.test', password: 'not the password' }));
    expect(wrong.status).toBe(401);
    // Signing in again from another browser takes no further seat.
    expect((await app.request('/t/acme/login', post({ email: 'a2@acme.test', password: TEST_PASSWORD }))).status).toBe(303);
    // Lowering the seats signs nobody out.
    await app.request(`/platform/tenants/${acme}/seats`, post(seatForm({ agent_seats: '1' }), operator));
    now = new Date(now.getTime() + 5 * MINUTE);
    expect((await app.request('/t/acme/desk', { cookie: a2 })).status).toBe(200);
    expect((await app.request('/t/acme/desk', { cookie: supervisor })).status).toBe(200);
  });

  it('shows the usage over the limit in red on the Statistics panel, with the daily peaks as chart and table', async () => {
    const response = await app.request('/t/acme/desk/statistics', { cookie: supervisor, headers: { 'Accept-Language': 'en' } });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('id="stat-core-licence-seats"');
    expect(html).toMatch(/id="seats-agents" data-level="full"/);
    expect(html).toContain('3 of 1');
    expect(html).toContain('2 above the limit: nobody is signed out');
    expect(html).toContain('class="seat-meter seat-full"');
    expect(html).toMatch(/data-day="2026-11-24"><th scope="row">[^<]+<\/th><td class="num">3<\/td><td class="num">0<\/td>/);
    expect(html).toContain('id="seats-chart"');
    const german = await (await app.request('/t/acme/desk/statistics', { cookie: supervisor, headers: { 'Accept-Language': 'de' } })).text();
    expect(german).toContain('Lizenzen belegt');
    expect(german).toContain('3 von 1');
    // Agents do not see the Statistics page at all.
    const agent = await app.signIn('a1@acme.test', 'acme');
    expect((await app.request('/t/acme/desk/statistics', { cookie: agent })).status).toBe(403);
    await app.request(`/platform/tenants/${acme}/seats`, post(seatForm({ agent_seats: '10' }), operator));
    const amber = await (await app.request('/t/acme/desk/statistics', { cookie: supervisor })).text();
    expect(amber).toMatch(/id="seats-agents" data-level="ok"/);
    await app.request(`/platform/tenants/${acme}/seats`, post(seatForm({ agent_seats: '3' }), operator));
    const full = await (await app.request('/t/acme/desk/statistics', { cookie: supervisor })).text();
    expect(full).toMatch(/id="seats-agents" data-level="full"/);
    expect(full).toContain('At the limit: further sign-ins are refused.');
  });

  it('answers GET /api/v1/statistics/seats for the token\'s tenant only, as documented', async () => {
    await app.request(`/platform/tenants/${acme}/seats`, post(seatForm({ agent_seats: '4', portal_seats: '20', portal_policy: 'refuse' }), operator));
    const response = await app.request('/t/acme/api/v1/statistics/seats?days=3', { headers: { Authorization: `Bearer ${acmeToken}` } });
    expect(response.status).toBe(200);
    const body = apiRouteList.find((r) => r.operationId === 'getSeatUsage')!.response.parse(await response.json()) as { data: Record<string, unknown> };
    expect(body.data).toEqual({
      signed_in: { agents: 3, portal_users: 0 }, seats: { agents: 4, portal_users: 20 }, level: { agents: 'ok', portal_users: 'ok' },
      portal_policy: 'refuse', window_minutes: 15, time_zone: 'Europe/Berlin',
      peaks: [{ day: '2026-11-22', agents: 0, portal_users: 0 }, { day: '2026-11-23', agents: 0, portal_users: 0 }, { day: '2026-11-24', agents: 3, portal_users: 0 }],
    });
    const globexBody = await (await app.request('/t/globex/api/v1/statistics/seats', { headers: { Authorization: `Bearer ${globexToken}` } })).json() as { data: { signed_in: { agents: number }; seats: { agents: number | null }; peaks: unknown[] } };
    expect(globexBody.data).toMatchObject({ signed_in: { agents: 0 }, seats: { agents: null } });
    expect(globexBody.data.peaks).toHaveLength(30);
    expect((await app.request('/t/globex/api/v1/statistics/seats', { headers: { Authorization: `Bearer ${acmeToken}` } })).status).toBe(401);
    expect((await app.request('/t/acme/api/v1/statistics/seats?days=0', { headers: { Authorization: `Bearer ${acmeToken}` } })).status).toBe(422);
    const agentId = (await app.services.db.selectFrom('users').select('id').where('email', '=', 'a1@acme.test').executeTakeFirstOrThrow()).id;
    const agentToken = (await createApiToken(app.services.db, { tenantId: acme, userId: agentId, name: 'agent' })).token;
    expect((await app.request('/t/acme/api/v1/statistics/seats', { headers: { Authorization: `Bearer ${agentToken}` } })).status).toBe(403);
  });

  it('shows the operator every tenant\'s usage on one page and each tenant\'s history; nobody else reaches them', async () => {
    const overview = await app.request('/platform/seats', { cookie: operator, headers: { 'Accept-Language': 'en' } });
    expect(overview.status).toBe(200);
    const html = await overview.text();
    expect(html).toMatch(new RegExp(`id="seat-tenant-${acme}"[\\s\\S]*?3 of 4[\\s\\S]*?0 of 20[\\s\\S]*?7 days: </span>3</td>`));
    expect(html).toMatch(new RegExp(`id="seat-tenant-${globex}"[\\s\\S]*?0 \\(no limit\\)`));
    const detail = await app.request(`/platform/tenants/${acme}/seats`, { cookie: operator, headers: { 'Accept-Language': 'de' } });
    const detailHtml = await detail.text();
    expect(detail.status).toBe(200);
    expect(detailHtml).toContain('Tageshöchstwerte von ACME GmbH');
    expect(detailHtml).toContain('id="seats-peaks"');
    expect((await app.request('/platform/tenants/999999/seats', { cookie: operator })).status).toBe(404);
    expect((await app.request('/platform/tenants/abc/seats', { cookie: operator })).status).toBe(404);
    // Tenant staff: the platform pages do not exist inside a tenant, and a tenant cookie is no operator.
    for (const path of ['/t/acme/platform/seats', `/t/acme/platform/tenants/${acme}/seats`]) {
      expect((await app.request(path, { cookie: supervisor })).status, path).toBe(404);
    }
    expect((await app.request('/platform/seats', { cookie: supervisor })).status).not.toBe(200);
    const change = await app.request(`/platform/tenants/${globex}/seats`, post(seatForm({ agent_seats: '1' }), supervisor));
    expect(change.headers.get('Location') ?? '').toMatch(/^\/login/);
    expect(await seatSettings(app.services.db, globex)).toMatchObject({ agentSeats: null });
  });
});
