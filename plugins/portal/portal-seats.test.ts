import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveSeatSettings, seatUsage } from '../../core/auth/licence-seats.js';
import { cookiesOf, createTestApp, TEST_PASSWORD, type TestApp } from '../../test/harness/test-app.js';
import { dialects } from '../../test/harness/test-database.js';
import { portalPlugin } from './index.js';
import { lastMailTo, portalWorld, type PortalWorld } from '../../test/harness/portal-world.js';

describe.each(dialects)('portal sign-in against the licence seats on %s', (dialect) => {
  let app: TestApp;
  let world: PortalWorld;
  let other: PortalWorld;
  const now = new Date('2026-11-24T10:00:00Z');

  const signIn = (email: string, language = 'en') => app.request(`/t/${world.slug}/portal/login`, {
    method: 'POST', body: new URLSearchParams({ email, password: TEST_PASSWORD }), headers: { 'Accept-Language': language },
  });
  const portalSessions = async () => Number((await app.services.db.selectFrom('sessions').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('tenant_id', '=', world.tenant.id).where('person_id', 'is not', null).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    app = await createTestApp(dialect, [portalPlugin], { clock: () => now });
    world = await portalWorld(app, 'seats');
    other = await portalWorld(app, 'seats-other');
  });
  afterAll(() => app.cleanup());

  it('refuses a portal user beyond the seats with a message in both languages, and makes no session', async () => {
    await saveSeatSettings(app.services.db, world.tenant.id, { agentSeats: null, portalSeats: 1, portalPolicy: 'refuse', windowMinutes: 15 }, now);
    const manager = await world.signIn(world.emails.manager);
    const before = await portalSessions();
    const refused = await signIn(world.emails.colleague);
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain('Every portal licence is in use (1 of 1), so you cannot sign in right now.');
    expect(refused.headers.getSetCookie().join('\n')).not.toMatch(/tresen_p\d+=[^;]/);
    const german = await signIn(world.emails.colleague, 'de');
    expect(await german.text()).toContain('Alle Portal-Lizenzen sind belegt (1 von 1)');
    expect(await portalSessions()).toBe(before);
    // The manager holds the seat and keeps it; another tenant's portal is not affected.
    expect((await app.request(`${world.base}/portal/requests`, { cookie: manager })).status).toBe(200);
    expect((await signIn(world.emails.manager)).status).toBe(303);
    await other.signIn(other.emails.colleague);
    // Agents have seats of their own.
    expect((await app.request(`${world.base}/login`, { method: 'POST', body: new URLSearchParams({ email: world.agentEmail, password: TEST_PASSWORD }) })).status).toBe(303);
  });

  it('a sign-in link beyond the seats says why instead of calling the link invalid', async () => {
    await app.request(`${world.base}/portal/login/link`, { method: 'POST', body: new URLSearchParams({ email: world.emails.colleague }) });
    const { path } = await lastMailTo(app, world.emails.colleague);
    const token = new URL(`http://x${path}`).searchParams.get('token')!;
    const refused = await app.request(`${world.base}/portal/link`, { method: 'POST', body: new URLSearchParams({ token }) });
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain('Every portal licence is in use (1 of 1)');
    expect(cookiesOf(refused)).not.toMatch(/tresen_p/);
  });

  it('lets them in above the limit when the tenant chose allow-and-warn, and shows the excess', async () => {
    await saveSeatSettings(app.services.db, world.tenant.id, { agentSeats: null, portalSeats: 1, portalPolicy: 'warn', windowMinutes: 15 }, now);
    const colleague = await signIn(world.emails.colleague);
    expect(colleague.status).toBe(303);
    expect((await app.request(`${world.base}/portal/requests`, { cookie: cookiesOf(colleague) })).status).toBe(200);
    expect(await seatUsage(app.services.db, world.tenant.id, now)).toMatchObject({ portal: 2, portalSeats: 1 });
    expect(await seatUsage(app.services.db, other.tenant.id, now)).toMatchObject({ portal: 1, portalSeats: null });
  });
});
