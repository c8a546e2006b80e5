import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bumpConfigRevision } from '../../core/tenancy/tenant-directory.js';
import { cookiesOf, createTestApp, TEST_PASSWORD, type TestApp } from '../../test/harness/test-app.js';
import { dialects } from '../../test/harness/test-database.js';
import { portalPlugin } from './index.js';
import { lastMailTo, portalWorld, type PortalWorld } from '../../test/harness/portal-world.js';

const NEW_PASSWORD = 'a brand new passphrase';

describe.each(dialects)('portal sign-in, links, registration and reset on %s', (dialect) => {
  let app: TestApp;
  let world: PortalWorld;
  let now = Date.now();

  beforeAll(async () => {
    app = await createTestApp(dialect, [portalPlugin], { clock: () => new Date(now) });
    world = await portalWorld(app, 'auth', { registration: 'domains', registrationDomains: ['acme-auth.test'], welcomeEn: 'Welcome to ACME support!', welcomeDe: 'Willkommen beim ACME-Support!' });
  });
  afterAll(() => app.cleanup());

  const csrfForm = (body: Record<string, string>) => ({ method: 'POST', body: new URLSearchParams(body) });

  it('shows the branded front page with the welcome text in the visitor\'s language, and the sign-in form', async () => {
    const english = await app.request('/t/auth/portal', { headers: { 'Accept-Language': 'en' } });
    const html = await english.text();
    expect(english.status).toBe(200);
    expect(html).toContain('Welcome to ACME support!');
    expect(html).toContain('/t/auth/brand.css');
    expect(html).toContain('portal-sign-in');
    expect(html).not.toContain('id="nav-bell"');
    const german = await (await app.request('/t/auth/portal', { headers: { 'Accept-Language': 'de' } })).text();
    expect(german).toContain('Willkommen beim ACME-Support!');
    expect(german).toContain('Anmelden');
  });

  it('is the front door of the tenant\'s address for visitors; staff still reach their sign-in', async () => {
    const root = await app.request('/t/auth/');
    expect(root.status).toBe(303);
    expect(root.headers.get('Location')).toBe('/t/auth/portal');
    expect(await (await app.request('/t/auth/portal/login')).text()).toContain('href="/t/auth/login"');
    const staff = await app.signIn(world.agentEmail, 'auth');
    expect((await app.request('/t/auth/', { cookie: staff })).headers.get('Location')).toBe('/t/auth/desk');
  });

  it('serves the same portal at the tenant\'s own host name, with links without /t/<slug>', async () => {
    await app.services.db.insertInto('tenant_hosts').values({ host: 'support.acme-auth.test', tenant_id: world.tenant.id }).execute();
    await bumpConfigRevision(app.services.db);
    const root = await app.app.request('http://support.acme-auth.test/');
    expect(root.headers.get('Location')).toBe('/portal');
    const response = await app.app.request('http://support.acme-auth.test/portal', { headers: { 'Accept-Language': 'en' } });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('Welcome to ACME support!');
    expect(html).toContain('href="/brand.css');
    expect(html).toContain('action="/portal/login"');
    expect(html).not.toContain('/t/auth');
  });

  it('shows refusals in the portal\'s own frame', async () => {
    const cookie = await world.signIn(world.emails.colleague);
    const response = await app.request('/t/auth/portal/requests/2099-000001', { cookie });
    expect(response.status).toBe(404);
    const html = await response.text();
    expect(html).toContain('class="portal"');
    expect(html).not.toContain('id="nav-bell"');
  });

  it('signs in with a password into the portal cookie only, and signs out', async () => {
    const wrong = await app.request('/t/auth/portal/login', csrfForm({ email: world.emails.colleague, password: 'not the password' }));
    expect(wrong.status).toBe(401);
    const response = await app.request('/t/auth/portal/login', csrfForm({ email: world.emails.colleague, password: TEST_PASSWORD }));
    expect(response.status).toBe(303);
    expect(response.headers.get('Location')).toBe('/t/auth/portal/requests');
    const cookie = cookiesOf(response);
    expect(cookie).toMatch(new RegExp(`^tresen_p${world.tenant.id}=`));
    expect((await app.request('/t/auth/portal/requests', { cookie })).status).toBe(200);
    // A portal session is nobody on the agent side.
    expect((await app.request('/t/auth/desk', { cookie })).status).toBe(303);
    const out = await app.request('/t/auth/portal/logout', { method: 'POST', cookie });
    expect(out.status).toBe(303);
    expect((await app.request('/t/auth/portal/requests', { cookie })).status).toBe(303);
  });

  it('throttles repeated failures like the staff sign-in', async () => {
    const email = world.emails.stranger;
    for (let i = 0; i < 6; i++) await app.request('/t/auth/portal/login', csrfForm({ email, password: 'wrong wrong wrong' }));
    const locked = await app.request('/t/auth/portal/login', csrfForm({ email, password: TEST_PASSWORD }));
    expect(locked.status).toBe(429);
    expect(locked.headers.get('Retry-After')).toBeTruthy();
    now += 16 * 60 * 1000;
    expect((await app.request('/t/auth/portal/login', csrfForm({ email, password: TEST_PASSWORD }))).status).toBe(303);
  });

  it('sends a sign-in link that works once, only after a click, and not after 15 minutes', async () => {
    const sent = await app.request('/t/auth/portal/login/link', csrfForm({ email: world.emails.manager, next: '/t/auth/portal/requests/new' }));
    expect(sent.status).toBe(200);
    expect(await sent.text()).toContain('portal-link-sent');
    const { mail, path } = await lastMailTo(app, world.emails.manager);
    expect(mail?.subject).toContain('sign-in link');
    expect(path).toMatch(/^\/t\/auth\/portal\/link\?token=/);
    // Following the link (or a mail scanner fetching it) spends nothing.
    const confirm = await app.request(path!);
    expect(confirm.status).toBe(200);
    expect(confirm.headers.getSetCookie()).toEqual([]);
    const token = new URL(`http://x${path}`).searchParams.get('token')!;
    const signedIn = await app.request('/t/auth/portal/link', csrfForm({ token }));
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('Location')).toBe('/t/auth/portal/requests/new');
    expect((await app.request('/t/auth/portal/requests/new', { cookie: cookiesOf(signedIn) })).status).toBe(200);
    // Single use.
    expect((await app.request('/t/auth/portal/link', csrfForm({ token }))).status).toBe(400);

    await app.request('/t/auth/portal/login/link', csrfForm({ email: world.emails.colleague }));
    const second = await lastMailTo(app, world.emails.colleague);
    now += 16 * 60 * 1000;
    const expired = await app.request(second.path!);
    expect(expired.status).toBe(400);
    expect(await expired.text()).toContain('expired');
  });

  it('answers the same for unknown addresses and sends them nothing', async () => {
    const response = await app.request('/t/auth/portal/login/link', csrfForm({ email: 'nobody@acme-auth.test' }));
    expect(response.status).toBe(200);
    expect((await lastMailTo(app, 'nobody@acme-auth.test')).mail).toBeUndefined();
  });

  it('a link of one tenant signs nobody in at another', async () => {
    const other = await portalWorld(app, 'auth-other');
    await app.request('/t/auth/portal/login/link', csrfForm({ email: world.emails.stranger }));
    const { path } = await lastMailTo(app, world.emails.stranger);
    const token = new URL(`http://x${path}`).searchParams.get('token')!;
    expect((await app.request(`${other.base}/portal/link?token=${encodeURIComponent(token)}`)).status).toBe(400);
    expect((await app.request(`${other.base}/portal/link`, csrfForm({ token }))).status).toBe(400);
  });

  it('registers an address of an allowed domain by mail link, in the organisation of its domain', async () => {
    const refused = await app.request('/t/auth/portal/register', csrfForm({ name: 'Eve', email: 'eve@elsewhere.test' }));
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain('cannot register here');
    const missing = await app.request('/t/auth/portal/register', csrfForm({ name: '', email: 'not-an-address' }));
    expect(missing.status).toBe(422);

    const response = await app.request('/t/auth/portal/register', csrfForm({ name: 'Nina New', email: 'Nina@ACME-auth.test' }));
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('portal-register-sent');
    const { path } = await lastMailTo(app, 'nina@acme-auth.test');
    expect(path).toMatch(/^\/t\/auth\/portal\/password\/set\?token=/);
    expect((await app.request(path!)).status).toBe(200);
    const token = new URL(`http://x${path}`).searchParams.get('token')!;
    const short = await app.request('/t/auth/portal/password/set', csrfForm({ token, password: 'short', confirm: 'short' }));
    expect(short.status).toBe(422);
    const done = await app.request('/t/auth/portal/password/set', csrfForm({ token, password: NEW_PASSWORD, confirm: NEW_PASSWORD }));
    expect(done.status).toBe(303);
    const person = await world.scope.selectFrom('people').selectAll().where('email', '=', 'nina@acme-auth.test').executeTakeFirstOrThrow();
    expect(person).toMatchObject({ name: 'Nina New', organisation_id: world.organisations.acme, portal_role: 'customer', is_org_manager: 0, active: 1 });
    expect((await app.request('/t/auth/portal/requests', { cookie: cookiesOf(done) })).status).toBe(200);
    expect((await app.request('/t/auth/portal/password/set', csrfForm({ token, password: NEW_PASSWORD, confirm: NEW_PASSWORD }))).status).toBe(400);
    expect(await world.signIn('nina@acme-auth.test', NEW_PASSWORD)).toContain('tresen_p');
  });

  it('has no registration while the tenant has it off', async () => {
    const closed = await portalWorld(app, 'auth-closed');
    expect((await app.request(`${closed.base}/portal/register`)).status).toBe(404);
    expect((await app.request(`${closed.base}/portal/register`, csrfForm({ name: 'X', email: `x@acme-auth-closed.test` }))).status).toBe(404);
    expect(await (await app.request(`${closed.base}/portal/login`)).text()).not.toContain('portal-register-link');
  });

  it('resets a forgotten password by a single-use mail link and ends the other sessions', async () => {
    const before = await world.signIn(world.emails.colleague);
    const response = await app.request('/t/auth/portal/password/forgot', csrfForm({ email: world.emails.colleague }));
    expect(response.status).toBe(200);
    const { mail, path } = await lastMailTo(app, world.emails.colleague);
    expect(mail?.text_body).toContain('/t/auth/portal/password/set?token=');
    const token = new URL(`http://x${path}`).searchParams.get('token')!;
    const mismatch = await app.request('/t/auth/portal/password/set', csrfForm({ token, password: NEW_PASSWORD, confirm: 'something else entirely' }));
    expect(mismatch.status).toBe(422);
    const done = await app.request('/t/auth/portal/password/set', csrfForm({ token, password: NEW_PASSWORD, confirm: NEW_PASSWORD }));
    expect(done.status).toBe(303);
    expect((await app.request('/t/auth/portal/requests', { cookie: before })).status).toBe(303);
    expect(await world.signIn(world.emails.colleague, NEW_PASSWORD)).toContain('tresen_p');
    // A staff reset link is no portal link and the other way round.
    expect((await app.request(`/t/auth/password/reset?token=${encodeURIComponent(token)}`)).status).toBe(400);
  });

  it('a deactivated person can neither sign in nor use a link', async () => {
    await app.request('/t/auth/portal/login/link', csrfForm({ email: world.emails.manager }));
    const { path } = await lastMailTo(app, world.emails.manager);
    const cookie = await world.signIn(world.emails.manager);
    await world.scope.updateTable('people').set({ active: 0 }).where('id', '=', world.people.manager).execute();
    expect((await app.request('/t/auth/portal/requests', { cookie })).status).toBe(303);
    expect((await app.request('/t/auth/portal/login', csrfForm({ email: world.emails.manager, password: TEST_PASSWORD }))).status).toBe(401);
    expect((await app.request(path!)).status).toBe(400);
    await world.scope.updateTable('people').set({ active: 1 }).where('id', '=', world.people.manager).execute();
  });
});
