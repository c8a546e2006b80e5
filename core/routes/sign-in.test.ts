import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, cookiesOf, TEST_PASSWORD, type TestApp } from '../../test/harness/test-app.js';
import { dialects } from '../../test/harness/test-database.js';

function form(values: Record<string, string>) {
  return { method: 'POST', body: new URLSearchParams(values) };
}

describe.each(dialects)('sign-in, sessions and password reset on %s', (dialect) => {
  let app: TestApp;
  let now = new Date('2026-11-24T10:00:00Z');

  beforeAll(async () => {
    app = await createTestApp(dialect, [], { clock: () => now });
    const acme = await app.createTenant('acme');
    await app.createStaff(acme.id, 'agent', 'agent@acme.test');
    await app.createStaff(acme.id, 'agent', 'locked@acme.test');
    const globex = await app.createTenant('globex');
    await app.createStaff(globex.id, 'agent', 'agent@globex.test');
  });
  afterAll(() => app.cleanup());

  it('signs in with a fresh HttpOnly, SameSite=Lax session cookie and follows only local next paths', async () => {
    const response = await app.request('/t/acme/login', form({ email: 'AGENT@acme.test', password: TEST_PASSWORD, next: '/t/acme/account' }));
    expect(response.status).toBe(303);
    expect(response.headers.get('Location')).toBe('/t/acme/account');
    const setCookie = response.headers.getSetCookie().join('\n');
    expect(setCookie).toMatch(/tresen_s\d+=/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Lax');
    const evil = await app.request('/t/acme/login', form({ email: 'agent@acme.test', password: TEST_PASSWORD, next: '//evil.example/x' }));
    expect(evil.headers.get('Location')).toBe('/t/acme/desk');
  });

  it('rotates the session at sign-in: the old token no longer works', async () => {
    const first = await app.signIn('agent@acme.test', 'acme');
    const again = await app.request('/t/acme/login', { ...form({ email: 'agent@acme.test', password: TEST_PASSWORD }), cookie: first });
    const second = cookiesOf(again, first);
    expect(second).not.toBe(first);
    expect((await app.request('/t/acme/desk', { cookie: first })).status).toBe(303);
    expect((await app.request('/t/acme/desk', { cookie: second })).status).toBe(200);
  });

  it('refuses a wrong password, an unknown address and another tenant\'s user alike', async () => {
    for (const [email, password] of [['agent@acme.test', 'wrong password!'], ['nobody@acme.test', TEST_PASSWORD], ['agent@globex.test', TEST_PASSWORD]] as const) {
      const response = await app.request('/t/acme/login', form({ email, password }));
      expect(response.status).toBe(401);
      expect(await response.text()).toContain('E-mail or password is wrong.');
    }
  });

  it('gives field messages for a malformed form', async () => {
    const response = await app.request('/t/acme/login', form({ email: 'not-an-address', password: '' }));
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html).toContain('Please enter a valid e-mail address.');
    expect(html).toContain('value="not-an-address"');
  });

  it('throttles after five failures and lets the account in again when the lock has passed', async () => {
    for (let i = 0; i < 6; i++) await app.request('/t/acme/login', form({ email: 'locked@acme.test', password: `wrong ${i} password` }));
    const locked = await app.request('/t/acme/login', form({ email: 'locked@acme.test', password: TEST_PASSWORD }));
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('Retry-After'))).toBeGreaterThan(0);
    now = new Date(now.getTime() + 16 * 60 * 1000);
    const later = await app.request('/t/acme/login', form({ email: 'locked@acme.test', password: TEST_PASSWORD }));
    expect(later.status).toBe(303);
  });

  it('lists the user\'s sessions and ends another one', async () => {
    const laptop = await app.signIn('agent@acme.test', 'acme');
    const phone = await app.signIn('agent@acme.test', 'acme');
    const page = await (await app.request('/t/acme/account', { cookie: laptop })).text();
    expect(page).toContain('this session');
    const ids = [...page.matchAll(/name="id" value="([^"]+)"/g)].map((m) => m[1]!);
    expect(ids.length).toBeGreaterThanOrEqual(1);
    for (const id of ids) await app.request('/t/acme/account/sessions/end', { ...form({ id }), cookie: laptop });
    expect((await app.request('/t/acme/desk', { cookie: phone })).status).toBe(303);
    expect((await app.request('/t/acme/desk', { cookie: laptop })).status).toBe(200);
    // Someone else's session id is not found, not ended.
    const other = await app.signIn('agent@globex.test', 'globex');
    const otherPage = await (await app.request('/t/globex/account', { cookie: other })).text();
    expect(otherPage).not.toContain('name="id"');
    expect((await app.request('/t/acme/account/sessions/end', { ...form({ id: 'nope' }), cookie: laptop })).status).toBe(404);
  });

  it('names a session\'s browser briefly and keeps the whole header in its title', async () => {
    const ua = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';
    const response = await app.request('/t/acme/login', { ...form({ email: 'agent@acme.test', password: TEST_PASSWORD }), headers: { 'User-Agent': ua } });
    const page = await (await app.request('/t/acme/account', { cookie: cookiesOf(response) })).text();
    expect(page).toContain(`<td title="${ua}">Firefox · Windows`);
  });

  it('expires an idle session', async () => {
    const cookie = await app.signIn('agent@acme.test', 'acme');
    now = new Date(now.getTime() + 9 * 3600 * 1000);
    expect((await app.request('/t/acme/desk', { cookie })).status).toBe(303);
  });

  it('resets a password through a mailed single-use link', async () => {
    const requested = await app.request('/t/acme/password/forgot', form({ email: 'agent@acme.test' }));
    expect(requested.status).toBe(200);
    const unknown = await app.request('/t/acme/password/forgot', form({ email: 'ghost@acme.test' }));
    expect(await unknown.text()).toContain('a link is on its way');
    const mails = await app.database.db.selectFrom('mail_outbox').selectAll().where('to_address', '=', 'agent@acme.test').execute();
    expect(mails).toHaveLength(1);
    expect(mails[0]!.status).toBe('stored');
    expect(mails[0]!.headers).toContain('auto-generated');
    const link = /http:\/\/tresen\.test(\/t\/acme\/password\/reset\?token=\S+)/.exec(mails[0]!.text_body)![1]!;
    const token = decodeURIComponent(link.split('token=')[1]!);
    expect((await app.request(link)).status).toBe(200);

    const mismatch = await app.request('/t/acme/password/reset', form({ token, password: 'a new password 1', confirm: 'something else' }));
    expect(mismatch.status).toBe(422);
    expect(await mismatch.text()).toContain('The two passwords differ.');

    const done = await app.request('/t/acme/password/reset', form({ token, password: 'a new password 1', confirm: 'a new password 1' }));
    expect(done.status).toBe(303);
    expect((await app.request('/t/acme/login', form({ email: 'agent@acme.test', password: 'a new password 1' }))).status).toBe(303);
    const reused = await app.request('/t/acme/password/reset', form({ token, password: 'another password 2', confirm: 'another password 2' }));
    expect(reused.status).toBe(400);
    // A link for acme does nothing at globex.
    expect((await app.request(`/t/globex/password/reset?token=${encodeURIComponent(token)}`)).status).toBe(400);
  });
});
