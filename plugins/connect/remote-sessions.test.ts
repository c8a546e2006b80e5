import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createApiToken } from '../../core/auth/api-tokens.js';
import { disablePlugin, enablePlugin } from '../../core/plugin-host/plugin-switches.js';
import { pluginScope } from '../../core/tenancy/tenant-scope.js';
import { tenantTicketService } from '../../core/tickets/ticket-context.js';
import { createTestApp, type TestApp } from '../../test/harness/test-app.js';
import { dialects } from '../../test/harness/test-database.js';
import { connectPlugin } from './index.js';
import type { RemoteDB } from './remote-db.js';
import { remoteSecretBox } from './remote-secret.js';
import { wipeDueSessions } from './remote-wipe.js';

/** The secrets the run stores: none may appear in anything but a reveal's answer. */
const SECRETS = ['Sesam-7Q!x91', 'otp-448812-zz', 'Anydesk#Geheim42', 'late-Secret-0815'];

interface Tenant { id: number; agent: string; admin: string; supervisor: string; agentToken: string; adminToken: string; agentId: number }

describe.each(dialects)('connect remote sessions on %s', (dialect) => {
  let app: TestApp;
  let now = new Date('2026-12-07T09:00:00Z');
  const tenants: Record<string, Tenant> = {};
  /** Every body the run received, except the reveals' answers (which exist to carry the secret). */
  const seen: string[] = [];

  const remember = async (response: Response) => {
    seen.push(await response.clone().text());
    for (const [name, value] of response.headers) seen.push(`${name}: ${value}`);
    return response;
  };
  const web = async (path: string, cookie: string, init: RequestInit = {}) => remember(await app.request(path, { ...init, cookie }));
  const form = (path: string, cookie: string, values: Record<string, string>, headers: Record<string, string> = {}) =>
    web(path, cookie, { method: 'POST', body: new URLSearchParams(values), headers });
  const api = async (slug: string, token: string, path: string, init: RequestInit = {}) =>
    app.request(`/t/${slug}/api/v1${path}`, { ...init, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' } });
  const scope = (slug: string) => pluginScope<RemoteDB>(app.services.db, tenants[slug]!.id);
  const sessions = (slug: string) => scope(slug).selectFrom('connect_remote_sessions').selectAll().orderBy('id').execute();
  const system = { kind: 'system' as const, label: 'test' };
  const ticket = async (slug: string, subject: string) => (await tenantTicketService(app.services, tenants[slug]!.id)).create({ subject, description: 'Customer needs help' }, system);
  const audits = (slug: string, action: string) => app.services.db.selectFrom('audit_log').select(['actor_label', 'action', 'target', 'details', 'ip'])
    .where('tenant_id', '=', tenants[slug]!.id).where('action', '=', action).orderBy('id').execute();

  beforeAll(async () => {
    app = await createTestApp(dialect, [connectPlugin], { clock: () => now });
    for (const slug of ['one', 'two']) {
      const tenant = await app.createTenant(slug);
      await enablePlugin(app.services.db, app.services.registry, tenant.id, 'connect');
      const agentId = await app.createStaff(tenant.id, 'agent', `agent@${slug}.test`);
      const adminId = await app.createStaff(tenant.id, 'admin', `admin@${slug}.test`);
      await app.createStaff(tenant.id, 'supervisor', `super@${slug}.test`);
      tenants[slug] = {
        id: tenant.id, agentId,
        agent: await app.signIn(`agent@${slug}.test`, slug), admin: await app.signIn(`admin@${slug}.test`, slug), supervisor: await app.signIn(`super@${slug}.test`, slug),
        agentToken: (await createApiToken(app.services.db, { tenantId: tenant.id, userId: agentId, name: 'agent' })).token,
        adminToken: (await createApiToken(app.services.db, { tenantId: tenant.id, userId: adminId, name: 'admin' })).token,
      };
    }
  });
  afterAll(() => app.cleanup());

  it('stores a session from the ticket page sealed at rest, shows it masked, and reveals it to an agent who clicks (audited)', async () => {
    const t = await ticket('one', 'Printer driver');
    const stored = await form(`/t/one/p/connect/tickets/${t.id}/remote-sessions`, tenants.one!.agent, { tool: 'teamviewer', remote_id: '123 456 789', secret: SECRETS[0]!, valid_for: '8' });
    expect(stored.status).toBe(303);
    expect(stored.headers.get('Location')).toBe(`/t/one/desk/tickets/${t.number}#connect-remote-sessions`);
    const [row] = await sessions('one');
    expect(row).toMatchObject({ ticket_id: t.id, tool: 'teamviewer', remote_id: '123 456 789', valid_until: '2026-12-07T17:00:00.000Z', wiped_at: null, created_by: tenants.one!.agentId });
    expect(row!.secret_sealed).toMatch(/^r1:/);
    expect(row!.secret_sealed).not.toContain(SECRETS[0]);
    expect(Buffer.from(row!.secret_sealed!.slice(3), 'base64').toString('latin1')).not.toContain(SECRETS[0]);

    const page = await (await web(`/t/one/desk/tickets/${t.number}`, tenants.one!.agent)).text();
    expect(page).toContain('id="connect-remote-sessions"');
    expect(page).toContain(`id="connect-remote-${row!.id}"`);
    expect(page).toContain('123 456 789');
    expect(page).toContain('••••••••');
    expect(page).toContain(`/p/connect/remote-sessions/${row!.id}/reveal`);
    expect(page).toContain('Show password');

    // An admin sees the session but holds no reveal permission: no button, and the route refuses, unaudited.
    const adminPage = await (await web(`/t/one/desk/tickets/${t.number}`, tenants.one!.admin)).text();
    expect(adminPage).toContain(`id="connect-remote-${row!.id}"`);
    expect(adminPage).not.toContain(`/p/connect/remote-sessions/${row!.id}/reveal`);
    expect((await form(`/t/one/p/connect/remote-sessions/${row!.id}/reveal`, tenants.one!.admin, {})).status).toBe(403);
    expect(await audits('one', 'connect.remote_revealed')).toEqual([]);

    now = new Date('2026-12-07T09:05:00Z');
    const revealed = await app.request(`/t/one/p/connect/remote-sessions/${row!.id}/reveal`, { method: 'POST', cookie: tenants.one!.agent, headers: { 'HX-Request': 'true' } });
    expect(revealed.status).toBe(200);
    expect(revealed.headers.get('Cache-Control')).toBe('no-store');
    const fragment = await revealed.text();
    expect(fragment).toContain(`<code class="connect-remote-plain">${SECRETS[0]}</code>`);
    expect(fragment).toContain('this is recorded');
    const [audit] = await audits('one', 'connect.remote_revealed');
    expect(audit).toMatchObject({ actor_label: 'agent', target: t.number });
    expect(JSON.parse(audit!.details)).toEqual({ session: row!.id, tool: 'teamviewer', remoteId: '123 456 789' });
    // Without htmx the reveal is a page of its own (a supervisor: the second audit entry).
    const page2 = await app.request(`/t/one/p/connect/remote-sessions/${row!.id}/reveal`, { method: 'POST', cookie: tenants.one!.supervisor, headers: { Origin: 'http://tresen.test' } });
    expect(page2.status).toBe(200);
    expect(await page2.text()).toContain(SECRETS[0]);
    expect((await audits('one', 'connect.remote_revealed')).map((a) => a.actor_label)).toEqual(['agent', 'super']);
  });

  it('refuses a bad form at its fields and writes nothing, never echoing the password', async () => {
    const t = await ticket('one', 'Bad form');
    const before = (await sessions('one')).length;
    const missing = await form(`/t/one/p/connect/tickets/${t.id}/remote-sessions`, tenants.one!.agent, { tool: 'teamviewer', remote_id: '', secret: SECRETS[1]!, valid_for: '8' });
    expect(missing.status).toBe(422);
    const html = await missing.text();
    expect(html).toContain('id="connect-remote-remote_id-error"');
    expect(html).not.toContain(SECRETS[1]);
    const badTool = await form(`/t/one/p/connect/tickets/${t.id}/remote-sessions`, tenants.one!.agent, { tool: 'vnc', remote_id: 'x', secret: SECRETS[1]!, valid_for: '5' });
    expect(badTool.status).toBe(422);
    const text = await badTool.text();
    expect(text).toContain('Choose one of the listed tools.');
    expect(text).toContain('Give the end of the validity as a date and time.');
    expect((await sessions('one')).length).toBe(before);
  });

  it('lists and stores through the API without the password; reveals with the permission only', async () => {
    const t = await ticket('one', 'API session');
    const created = await api('one', tenants.one!.agentToken, `/tickets/${t.number}/remote-sessions`, {
      method: 'POST', body: JSON.stringify({ tool: 'anydesk', remote_id: '987654321', secret: SECRETS[2], valid_until: '2026-12-07T12:00:00+01:00' }),
    });
    await remember(created);
    expect(created.status).toBe(201);
    const body = await created.json() as { data: { id: number; active: boolean; valid_until: string; created_by: string } };
    expect(body.data).toMatchObject({ active: true, valid_until: '2026-12-07T11:00:00.000Z', created_by: 'agent' });
    const listed = await remember(await api('one', tenants.one!.agentToken, `/tickets/${t.number}/remote-sessions`));
    expect(listed.status).toBe(200);
    expect(((await listed.json()) as { data: Array<{ id: number }> }).data.map((s) => s.id)).toEqual([body.data.id]);

    for (const [values, field] of [
      [{ tool: 'anydesk', remote_id: '1', secret: '', valid_until: '2026-12-07T12:00:00Z' }, 'secret'],
      [{ tool: 'anydesk', remote_id: '1', secret: 'x', valid_until: '2026-12-06T12:00:00Z' }, 'valid_until'],
      [{ tool: 'anydesk', remote_id: '1', secret: 'x', valid_until: '2027-02-01T12:00:00Z' }, 'valid_until'],
      [{ tool: 'anydesk', remote_id: '1', secret: 'x', valid_until: 'tomorrow' }, 'valid_until'],
    ] as const) {
      const refused = await remember(await api('one', tenants.one!.agentToken, `/tickets/${t.number}/remote-sessions`, { method: 'POST', body: JSON.stringify(values) }));
      expect(refused.status).toBe(422);
      expect(Object.keys(((await refused.json()) as { error: { fields: Record<string, string> } }).error.fields)).toEqual([field]);
    }
    expect((await remember(await api('one', tenants.one!.agentToken, `/tickets/${t.number}/remote-sessions`, { method: 'POST', body: JSON.stringify({ tool: 'vnc', remote_id: '1', secret: 'x', valid_until: '2026-12-07T12:00:00Z' }) }))).status).toBe(422);
    expect((await api('one', tenants.one!.agentToken, '/tickets/2099-999999/remote-sessions')).status).toBe(404);

    expect((await remember(await api('one', tenants.one!.adminToken, `/remote-sessions/${body.data.id}/reveal`, { method: 'POST' }))).status).toBe(403);
    const revealed = await api('one', tenants.one!.agentToken, `/remote-sessions/${body.data.id}/reveal`, { method: 'POST' });
    expect(revealed.status).toBe(200);
    expect(revealed.headers.get('Cache-Control')).toBe('no-store');
    expect(await revealed.json()).toEqual({ data: { id: body.data.id, ticket_number: t.number, secret: SECRETS[2], valid_until: '2026-12-07T11:00:00.000Z' } });
    expect((await audits('one', 'connect.remote_revealed')).at(-1)).toMatchObject({ actor_label: 'agent', target: t.number });

    const spec = await (await app.request('/t/one/api/v1/openapi.json', { headers: { Authorization: `Bearer ${tenants.one!.agentToken}` } })).text();
    for (const path of ['/tickets/{number}/remote-sessions', '/remote-sessions/{id}/reveal']) expect(spec).toContain(`"${path}"`);
  });

  it('keeps tenants apart: another tenant reaches no session, ticket or reveal of this one', async () => {
    const t = await ticket('one', 'Tenant one only');
    await form(`/t/one/p/connect/tickets/${t.id}/remote-sessions`, tenants.one!.agent, { tool: 'rustdesk', remote_id: 'rd-1', secret: SECRETS[3]!, valid_for: '1' });
    const [row] = (await sessions('one')).filter((s) => s.remote_id === 'rd-1');
    expect((await form(`/t/two/p/connect/remote-sessions/${row!.id}/reveal`, tenants.two!.agent, {})).status).toBe(404);
    expect((await api('two', tenants.two!.agentToken, `/remote-sessions/${row!.id}/reveal`, { method: 'POST' })).status).toBe(404);
    expect((await form(`/t/two/p/connect/remote-sessions/${row!.id}/wipe`, tenants.two!.agent, {})).status).toBe(404);
    expect((await form(`/t/two/p/connect/tickets/${t.id}/remote-sessions`, tenants.two!.agent, { tool: 'rustdesk', remote_id: 'x', secret: 'y', valid_for: '1' })).status).toBe(404);
    // The same ticket number in tenant two is its own ticket: it lists none of tenant one's sessions.
    const own = await ticket('two', 'Tenant two');
    const listed = await api('two', tenants.two!.agentToken, `/tickets/${own.number}/remote-sessions`);
    expect(((await listed.json()) as { data: unknown[] }).data).toEqual([]);
    expect((await audits('two', 'connect.remote_revealed'))).toEqual([]);
    // A sealed value copied to another ticket's row does not open there.
    const box = remoteSecretBox(app.services.config.secret);
    expect(box.open(row!.secret_sealed!, tenants.one!.id, t.id)).toBe(SECRETS[3]);
    expect(() => box.open(row!.secret_sealed!, tenants.one!.id, own.id)).toThrow(/does not open/);
    expect(() => box.open(row!.secret_sealed!, tenants.two!.id, t.id)).toThrow(/does not open/);
    // A row altered in the database (here: another ticket's sealed value) is refused at the reveal, not a 500.
    const moved = box.seal('moved-value', tenants.one!.id, own.id);
    await scope('one').updateTable('connect_remote_sessions').set({ secret_sealed: moved }).where('id', '=', row!.id).execute();
    const refused = await api('one', tenants.one!.agentToken, `/remote-sessions/${row!.id}/reveal`, { method: 'POST' });
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain('cannot be opened');
  });

  it('wipes the password when the ticket is closed, when the validity ends (job or reveal), and by hand', async () => {
    const store = async (subject: string, secret: string, hours: string) => {
      const t = await ticket('one', subject);
      await form(`/t/one/p/connect/tickets/${t.id}/remote-sessions`, tenants.one!.agent, { tool: 'other', remote_id: subject, secret, valid_for: hours });
      return { t, row: (await sessions('one')).find((s) => s.remote_id === subject)! };
    };
    const closing = await store('close-me', 'close-secret-1', '24');
    const supervisor = { kind: 'user' as const, id: tenants.one!.agentId, label: 'super', can: () => true };
    const close = async (number: string) => {
      const tickets = await tenantTicketService(app.services, tenants.one!.id);
      await tickets.apply(number, { status: 'solved' }, supervisor);
      // Solving alone keeps the password (the customer may still need the session); closing wipes it.
      expect((await sessions('one')).filter((s) => s.ticket_id === closing.t.id && s.secret_sealed !== null).length).toBe(number === closing.t.number ? 1 : 0);
      await tickets.apply(number, { status: 'closed' }, supervisor);
    };
    await close(closing.t.number);
    const closed = (await sessions('one')).find((s) => s.id === closing.row.id)!;
    expect(closed).toMatchObject({ secret_sealed: null, wipe_reason: 'closed' });
    expect((await api('one', tenants.one!.agentToken, `/remote-sessions/${closing.row.id}/reveal`, { method: 'POST' })).status).toBe(409);
    const closedPage = await (await web(`/t/one/desk/tickets/${closing.t.number}`, tenants.one!.agent)).text();
    expect(closedPage).toContain('password wiped: ticket closed');
    expect(closedPage).not.toContain('id="connect-remote-form"');
    expect((await api('one', tenants.one!.agentToken, `/tickets/${closing.t.number}/remote-sessions`, { method: 'POST', body: JSON.stringify({ tool: 'other', remote_id: '1', secret: 'x', valid_until: '2026-12-07T20:00:00Z' }) })).status).toBe(409);

    const byJob = await store('expire-by-job', 'expire-secret-2', '1');
    const byReveal = await store('expire-by-reveal', 'expire-secret-3', '1');
    const byHand = await store('wipe-by-hand', 'hand-secret-4', '4');
    now = new Date(now.getTime() + 61 * 60_000);
    // The reveal after the end refuses and wipes it at once, before the job ran.
    expect((await api('one', tenants.one!.agentToken, `/remote-sessions/${byReveal.row.id}/reveal`, { method: 'POST' })).status).toBe(409);
    expect((await sessions('one')).find((s) => s.id === byReveal.row.id)).toMatchObject({ secret_sealed: null, wipe_reason: 'expired' });
    // Due now: this one-hour session and the one-hour RustDesk session of the tenant test (the others run longer).
    expect(await wipeDueSessions(app.services.db, tenants.one!.id, now)).toEqual({ expired: 2, closed: 0 });
    expect((await sessions('one')).find((s) => s.id === byJob.row.id)).toMatchObject({ secret_sealed: null, wipe_reason: 'expired' });
    expect((await sessions('one')).find((s) => s.id === byHand.row.id)!.secret_sealed).not.toBeNull();
    expect((await form(`/t/one/p/connect/remote-sessions/${byHand.row.id}/wipe`, tenants.one!.agent, {})).status).toBe(303);
    expect((await sessions('one')).find((s) => s.id === byHand.row.id)).toMatchObject({ secret_sealed: null, wipe_reason: 'removed' });
    expect((await audits('one', 'connect.remote_removed')).at(-1)).toMatchObject({ target: byHand.t.number });

    // A ticket closed while the plugin was off: the job catches up.
    const offClosed = await store('closed-while-off', 'off-secret-5', '24');
    await disablePlugin(app.services.db, app.services.registry, tenants.one!.id, 'connect');
    await close(offClosed.t.number);
    expect((await sessions('one')).find((s) => s.id === offClosed.row.id)!.secret_sealed).not.toBeNull();
    await enablePlugin(app.services.db, app.services.registry, tenants.one!.id, 'connect');
    expect(await wipeDueSessions(app.services.db, tenants.one!.id, now)).toEqual({ expired: 0, closed: 1 });
  });

  it('answers 404 everywhere while the plugin is off, and shows no panel', async () => {
    const t = await ticket('two', 'Off');
    await disablePlugin(app.services.db, app.services.registry, tenants.two!.id, 'connect');
    try {
      expect((await api('two', tenants.two!.agentToken, `/tickets/${t.number}/remote-sessions`)).status).toBe(404);
      expect((await api('two', tenants.two!.agentToken, `/tickets/${t.number}/remote-sessions`, { method: 'POST', body: '{}' })).status).toBe(404);
      expect((await api('two', tenants.two!.agentToken, '/remote-sessions/1/reveal', { method: 'POST' })).status).toBe(404);
      expect((await form(`/t/two/p/connect/tickets/${t.id}/remote-sessions`, tenants.two!.agent, { tool: 'other', remote_id: 'x', secret: 'y', valid_for: '1' })).status).toBe(404);
      expect((await form('/t/two/p/connect/remote-sessions/1/reveal', tenants.two!.agent, {})).status).toBe(404);
      expect(await (await web(`/t/two/desk/tickets/${t.number}`, tenants.two!.agent)).text()).not.toContain('connect-remote-sessions');
    } finally {
      await enablePlugin(app.services.db, app.services.registry, tenants.two!.id, 'connect');
    }
  });

  it('speaks German to a German agent', async () => {
    await app.services.db.updateTable('users').set({ locale: 'de' }).where('email', '=', 'agent@two.test').execute();
    const cookie = await app.signIn('agent@two.test', 'two');
    const t = await ticket('two', 'Deutsch');
    const html = await (await web(`/t/two/desk/tickets/${t.number}`, cookie)).text();
    expect(html).toContain('Fernwartungssitzung');
    expect(html).toContain('Keine Fernwartungssitzung gespeichert.');
    expect(html).toContain('Passwort oder Einmalcode');
    const refused = await form(`/t/two/p/connect/tickets/${t.id}/remote-sessions`, cookie, { tool: 'x', remote_id: 'y', secret: 'z', valid_for: '8' });
    expect(await refused.text()).toContain('Wählen Sie eines der genannten Werkzeuge.');
  });

  it('never lets a password out: not in any page, JSON, header, audit entry, history, mail or other table of the run', async () => {
    const everything = seen.join('\n');
    const history = await app.services.db.selectFrom('ticket_history').select(['old_value', 'new_value', 'note']).execute();
    const audit = await app.services.db.selectFrom('audit_log').select(['details', 'target']).execute();
    const mail = await app.services.db.selectFrom('mail_outbox').selectAll().execute();
    const articles = await app.services.db.selectFrom('ticket_articles').select(['body_text']).execute();
    const dump = JSON.stringify({ history, audit, mail, articles });
    // Every table's every row, as text: only sealed values, never a password.
    const tables = (await app.services.db.introspection.getTables()).map((table) => table.name);
    const rows: string[] = [];
    for (const name of tables) rows.push(JSON.stringify((await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(app.services.db)).rows));
    for (const secret of SECRETS) {
      expect(everything).not.toContain(secret);
      expect(dump).not.toContain(secret);
      expect(rows.join('\n')).not.toContain(secret);
    }
    expect(seen.length).toBeGreaterThan(20);
  });
});
