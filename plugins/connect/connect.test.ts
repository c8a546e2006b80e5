import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../core/auth/api-tokens.js';
import { disablePlugin, enablePlugin, updatePluginSettings } from '../../core/plugin-host/plugin-switches.js';
import { pluginScope } from '../../core/tenancy/tenant-scope.js';
import { ORIGIN, createTestApp, type TestApp } from '../../test/harness/test-app.js';
import { dialects } from '../../test/harness/test-database.js';
import type { ConnectDB } from './connect-db.js';
import { eventLog } from './event-log.js';
import { connectPlugin } from './index.js';

const fixture = (name: string) => readFileSync(new URL(`../../test/fixtures/monitoring/${name}`, import.meta.url), 'utf8');
const generic = (host: string, state: string, service = 'disk') => JSON.stringify({ host, service, state, output: `${host} ${state}` });

describe.each(dialects)('connect monitoring webhook on %s', (dialect) => {
  let app: TestApp;
  let now = new Date('2026-12-06T21:00:00Z');
  const tenants: Record<string, { id: number; admin: string; api: string; tokens: Record<string, string> }> = {};

  const scope = (slug: string) => pluginScope<ConnectDB>(app.services.db, tenants[slug]!.id);
  const post = (slug: string, source: string, body: string, token: string | undefined, type = 'application/json') =>
    app.request(`/t/${slug}/hooks/monitoring/${source}`, { method: 'POST', body, headers: { 'Content-Type': type, ...(token === undefined ? {} : { Authorization: `Bearer ${token}` }) } });
  const tickets = async (slug: string) => scope(slug).selectFrom('tickets').select(['id', 'number', 'subject', 'status', 'channel', 'group_id', 'priority']).orderBy('id').execute();
  const notes = async (slug: string, ticketId: number) => (await scope(slug).selectFrom('ticket_articles').select('body_text').where('ticket_id', '=', ticketId).where('kind', '=', 'note').orderBy('id').execute()).map((r) => r.body_text);
  const settings = (slug: string, values: Record<string, unknown>) => updatePluginSettings(app.services.db, app.services.registry, tenants[slug]!.id, 'connect', values);
  const api = (slug: string, path: string, init: RequestInit = {}) => app.request(`/t/${slug}/api/v1${path}`, { ...init, headers: { Authorization: `Bearer ${tenants[slug]!.api}`, 'Content-Type': 'application/json' } });

  beforeAll(async () => {
    app = await createTestApp(dialect, [connectPlugin], { clock: () => now });
    for (const slug of ['one', 'two']) {
      const tenant = await app.createTenant(slug);
      await enablePlugin(app.services.db, app.services.registry, tenant.id, 'connect');
      const adminId = await app.createStaff(tenant.id, 'admin', `admin@${slug}.test`);
      const { token } = await createApiToken(app.services.db, { tenantId: tenant.id, userId: adminId, name: 'test' });
      tenants[slug] = { id: tenant.id, admin: await app.signIn(`admin@${slug}.test`, slug), api: token, tokens: {} };
      for (const kind of ['nagios', 'icinga', 'checkmk', 'prometheus', 'generic']) {
        const response = await api(slug, '/connect/sources', { method: 'POST', body: JSON.stringify({ kind }) });
        expect(response.status).toBe(201);
        tenants[slug]!.tokens[kind] = ((await response.json()) as { data: { token: string } }).data.token;
      }
    }
  });
  afterAll(() => app.cleanup());

  it('shows a source\'s token once and stores only its hash; a second create is a conflict', async () => {
    const listed = await (await api('one', '/connect/sources')).json() as { data: Array<Record<string, unknown>> };
    expect(listed.data.map((s) => s.kind)).toEqual(['checkmk', 'generic', 'icinga', 'nagios', 'prometheus']);
    expect(JSON.stringify(listed)).not.toContain(tenants.one!.tokens.nagios);
    const stored = await scope('one').selectFrom('connect_sources').select('token_hash').execute();
    expect(stored.some((row) => row.token_hash.includes(tenants.one!.tokens.nagios!))).toBe(false);
    expect((await api('one', '/connect/sources', { method: 'POST', body: JSON.stringify({ kind: 'nagios' }) })).status).toBe(409);
    expect((await api('one', '/connect/sources', { method: 'POST', body: JSON.stringify({ kind: 'zabbix' }) })).status).toBe(422);
  });

  it('refuses a wrong or missing token (401), an unknown source (404), a bad body (400/422 at the field), writing no ticket', async () => {
    expect((await post('one', 'generic', generic('h', 'CRITICAL'), 'wrong')).status).toBe(401);
    expect((await post('one', 'generic', generic('h', 'CRITICAL'), undefined)).status).toBe(401);
    expect((await post('one', 'generic', generic('h', 'CRITICAL'), tenants.one!.tokens.nagios)).status).toBe(401);
    expect((await post('one', 'zabbix', generic('h', 'CRITICAL'), tenants.one!.tokens.generic)).status).toBe(404);
    // A real webhook has no Origin and no cookie: without a token core's CSRF check refuses it before the route.
    const bare = await app.app.request(`${ORIGIN}/t/one/hooks/monitoring/generic`, { method: 'POST', body: generic('h', 'CRITICAL'), headers: { 'Content-Type': 'application/json' } });
    expect(bare.status).toBe(403);
    const notJson = await post('one', 'generic', '{oops', tenants.one!.tokens.generic);
    expect(notJson.status).toBe(400);
    const badState = await post('one', 'generic', '{"host":"h","state":"PURPLE"}', tenants.one!.tokens.generic);
    expect(badState.status).toBe(422);
    expect(((await badState.json()) as { error: { fields: Record<string, string> } }).error.fields).toEqual({ state: 'Not a state this source sends.' });
    const big = await post('one', 'generic', JSON.stringify({ host: 'h', state: 'CRITICAL', output: 'x'.repeat(300 * 1024) }), tenants.one!.tokens.generic);
    expect(big.status).toBe(413);
    expect(await tickets('one')).toEqual([]);
    const logged = await scope('one').selectFrom('connect_events').select(['outcome', 'body']).orderBy('id').execute();
    expect(logged).toEqual([{ outcome: 'invalid', body: '{oops' }, { outcome: 'invalid', body: '{"host":"h","state":"PURPLE"}' }]);
  });

  it('answers every malformed body of every source with a 4xx and writes no ticket', async () => {
    const bodies = ['', 'null', '[]', '{}', '"text"', '123', '{"a":'.repeat(200), '\u0000\uffff', '{"alerts":"x"}', '{"alerts":[null]}',
      '{"alerts":[{"labels":null,"status":"firing"}]}', '{"type":"StateChange","host":"h","service":"s","state":1e309}', '{"type":"CheckResult","host":"h","check_result":null}',
      '{"NOTIFY_WHAT":"SERVICE","NOTIFY_HOSTNAME":"h"}', '{"host":["a"],"state":"OK"}', '{"host":"h","state":"OK","timestamp":99999999999999}', 'HOSTNAME=h&HOSTSTATE=SIDEWAYS'];
    const before = (await tickets('one')).length;
    for (const kind of ['nagios', 'icinga', 'checkmk', 'prometheus', 'generic']) {
      for (const body of bodies) {
        for (const type of ['application/json', 'application/x-www-form-urlencoded', 'text/plain']) {
          const response = await post('one', kind, body, tenants.one!.tokens[kind], type);
          expect([400, 422], `${kind} ${type} ${body.slice(0, 40)}`).toContain(response.status);
        }
      }
    }
    expect(await tickets('one')).toHaveLength(before);
    await scope('one').deleteFrom('connect_events').execute();
  });

  it('opens one ticket for 20 parallel identical alerts, the others adding to it', async () => {
    const responses = await Promise.all(Array.from({ length: 20 }, () => post('one', 'generic', generic('web-01', 'CRITICAL'), tenants.one!.tokens.generic)));
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(202));
    const outcomes = await Promise.all(responses.map(async (r) => ((await r.json()) as { data: Array<{ outcome: string }> }).data[0]!.outcome));
    expect(outcomes.filter((o) => o === 'opened')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'appended')).toHaveLength(19);
    const all = await tickets('one');
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ subject: 'CRITICAL: web-01 / disk', channel: 'monitoring', status: 'new' });
    expect(await notes('one', all[0]!.id)).toHaveLength(19);
    const alerts = await scope('one').selectFrom('connect_alerts').select(['events_count', 'open_key']).execute();
    expect(alerts).toEqual([{ events_count: 20, open_key: 'web-01\ndisk' }]);
  });

  it('notes a recovery and solves the ticket only when the tenant says so', async () => {
    const [ticket] = await tickets('one');
    const noted = await post('one', 'generic', generic('web-01', 'OK'), tenants.one!.tokens.generic);
    expect(((await noted.json()) as { data: Array<{ outcome: string }> }).data[0]!.outcome).toBe('recovered');
    expect((await tickets('one'))[0]!.status).toBe('new');
    await settings('one', { solveOnRecovery: true });
    await post('one', 'generic', generic('web-01', 'CRITICAL'), tenants.one!.tokens.generic);
    const solved = await post('one', 'generic', generic('web-01', 'OK'), tenants.one!.tokens.generic);
    expect(((await solved.json()) as { data: Array<{ outcome: string; ticket: string }> }).data[0]).toEqual({ outcome: 'solved', ticket: ticket!.number });
    expect((await tickets('one'))[0]!.status).toBe('solved');
    expect((await notes('one', ticket!.id)).at(-1)).toContain('web-01 / disk recovered (OK).');
    // The next problem is a new ticket; a recovery without an open alert does nothing.
    await post('one', 'generic', generic('web-01', 'CRITICAL'), tenants.one!.tokens.generic);
    expect(await tickets('one')).toHaveLength(2);
    const stray = await post('one', 'generic', generic('nowhere', 'OK'), tenants.one!.tokens.generic);
    expect(((await stray.json()) as { data: Array<{ outcome: string }> }).data[0]!.outcome).toBe('ignored');
  });

  it('opens on WARNING only when configured; maps group and priority from host rules', async () => {
    const group = await scope('one').insertInto('support_groups', { name: 'Servers', level: 'second' }).returning('id').executeTakeFirstOrThrow();
    await settings('one', { openOnWarning: false, rules: [{ pattern: 'fs-*', groupId: group.id, priority: 1, organisationId: null }] });
    const warn = await post('one', 'generic', generic('fs-9', 'WARNING'), tenants.one!.tokens.generic);
    expect(((await warn.json()) as { data: Array<{ outcome: string }> }).data[0]!.outcome).toBe('ignored');
    await settings('one', { openOnWarning: true, rules: [{ pattern: 'fs-*', groupId: group.id, priority: 1, organisationId: null }] });
    await post('one', 'generic', generic('FS-9', 'WARNING'), tenants.one!.tokens.generic);
    expect((await tickets('one')).at(-1)).toMatchObject({ subject: 'WARNING: FS-9 / disk', group_id: group.id, priority: 1 });
  });

  it('notes flapping instead of solving or opening anew', async () => {
    await settings('one', { solveOnRecovery: true, flapChanges: 3, flapMinutes: 30 });
    const states = ['CRITICAL', 'OK', 'CRITICAL', 'OK', 'CRITICAL', 'OK', 'CRITICAL', 'OK'];
    const outcomes: string[] = [];
    for (const state of states) {
      now = new Date(now.getTime() + 60_000);
      const response = await post('one', 'generic', generic('flappy', state, 'ping'), tenants.one!.tokens.generic);
      outcomes.push(((await response.json()) as { data: Array<{ outcome: string }> }).data[0]!.outcome);
    }
    // Three changes are allowed; from the fourth on, nothing is solved and nothing opened anew.
    expect(outcomes).toEqual(['opened', 'solved', 'opened', 'solved', 'opened', 'flapping', 'flapping', 'flapping']);
    const flappy = (await tickets('one')).filter((t) => t.subject.includes('flappy'));
    expect(flappy).toHaveLength(3);
    expect((await notes('one', flappy.at(-1)!.id)).at(-1)).toContain('flapping');
  });

  it('reads each source\'s real payload: Nagios form, Icinga 2, Checkmk, Alertmanager groups and resolves', async () => {
    const tokens = tenants.two!.tokens;
    await settings('two', { solveOnRecovery: true });
    expect((await post('two', 'nagios', fixture('nagios-service-problem.form'), tokens.nagios, 'application/x-www-form-urlencoded')).status).toBe(202);
    expect((await post('two', 'icinga', fixture('icinga-statechange.json'), tokens.icinga)).status).toBe(202);
    expect((await post('two', 'checkmk', fixture('checkmk-service-crit.json'), tokens.checkmk)).status).toBe(202);
    expect((await post('two', 'prometheus', fixture('alertmanager-firing.json'), tokens.prometheus)).status).toBe(202);
    expect((await tickets('two')).map((t) => t.subject)).toEqual([
      'CRITICAL: web-01.example.net / HTTP', 'CRITICAL: fs-03 / Filesystem /srv', 'CRITICAL: app-07.example.net / InstanceDown', 'CRITICAL: app-08.example.net / InstanceDown',
    ]);
    // Icinga's http and Nagios' HTTP on the same host are one check (case does not count): added, not opened.
    expect((await scope('two').selectFrom('connect_alerts').select('events_count').where('host', '=', 'web-01.example.net').executeTakeFirstOrThrow()).events_count).toBe(2);
    expect((await post('two', 'prometheus', fixture('alertmanager-resolved.json'), tokens.prometheus)).status).toBe(202);
    expect((await post('two', 'nagios', fixture('nagios-service-recovery.form'), tokens.nagios, 'application/x-www-form-urlencoded')).status).toBe(202);
    expect((await tickets('two')).map((t) => t.status)).toEqual(['solved', 'new', 'solved', 'new']);
  });

  it('keeps each tenant\'s sources, alerts and events to itself', async () => {
    // One tenant's token opens nothing in another.
    expect((await post('two', 'generic', generic('x', 'CRITICAL'), tenants.one!.tokens.generic)).status).toBe(401);
    const alerts = await (await api('one', '/alerts?state=open')).json() as { data: Array<{ host: string }> };
    expect(alerts.data.every((a) => !a.host.includes('example.net'))).toBe(true);
    const hostQuery = await (await api('two', '/alerts?host=fs-03')).json() as { data: Array<{ host: string; open: boolean }> };
    expect(hostQuery.data).toMatchObject([{ host: 'fs-03', open: true }]);
    const events = await (await app.request('/t/two/p/connect/events', { cookie: tenants.two!.admin })).text();
    expect(events).toContain('fs-03');
    expect(events).not.toContain('flappy');
    expect((await app.request('/t/two/p/connect/events', { cookie: tenants.one!.admin })).status).not.toBe(200);
    expect((await app.request('/t/one/p/connect/sources', { cookie: tenants.one!.admin })).status).toBe(200);
  });

  it('shows the pages in German and English', async () => {
    await app.services.db.updateTable('users').set({ locale: 'de' }).where('email', '=', 'admin@two.test').execute();
    const german = await (await app.request('/t/two/p/connect/events', { cookie: tenants.two!.admin })).text();
    expect(german).toContain('Empfangene Monitoring-Ereignisse');
    expect(german).toContain('Ticket eröffnet');
    const english = await (await app.request('/t/one/p/connect/events', { cookie: tenants.one!.admin })).text();
    expect(english).toContain('Ticket opened');
  });

  it('gives a source a new token on its admin page, shown once; the old one stops working', async () => {
    const old = tenants.one!.tokens.generic!;
    const page = await app.request('/t/one/p/connect/sources', { method: 'POST', body: new URLSearchParams({ kind: 'generic', replace: '1' }), cookie: tenants.one!.admin });
    expect(page.status).toBe(200);
    const html = await page.text();
    const token = /<code>(tc_[\w-]+)<\/code>/.exec(html)?.[1];
    expect(token).toBeDefined();
    expect(html).toContain('/t/one/hooks/monitoring/generic');
    expect((await post('one', 'generic', generic('x', 'OK'), old)).status).toBe(401);
    expect((await post('one', 'generic', generic('x', 'OK'), token)).status).toBe(202);
    tenants.one!.tokens.generic = token!;
    expect(await (await app.request('/t/one/p/connect/sources', { cookie: tenants.one!.admin })).text()).not.toContain(token!);
    const taken = await app.request('/t/one/p/connect/sources', { method: 'POST', body: new URLSearchParams({ kind: 'generic' }), cookie: tenants.one!.admin });
    expect(taken.status).toBe(409);
  });

  it('saves the settings form with rules by name, and refuses an unknown group at the field, saving nothing', async () => {
    const save = (rules: string, flapChanges = '5') => app.request('/t/one/p/connect/settings', { method: 'POST', cookie: tenants.one!.admin,
      body: new URLSearchParams({ openOnWarning: '1', solveOnRecovery: '1', flapChanges, flapMinutes: '30', eventsPerMinute: '30000', rules }) });
    expect((await save('fs-*; Servers; 1')).status).toBe(303);
    const form = await (await app.request('/t/one/p/connect/settings', { cookie: tenants.one!.admin })).text();
    expect(form).toContain('fs-*; Servers; 1');
    const unknown = await save('db-*; Nobody');
    expect(unknown.status).toBe(422);
    expect(await unknown.text()).toContain('A rule names a group this tenant does not have.');
    const range = await save('fs-*; Servers; 1', '1000');
    expect(range.status).toBe(422);
    expect(await (await app.request('/t/one/p/connect/settings', { cookie: tenants.one!.admin })).text()).toContain('fs-*; Servers; 1');
  });

  it('refuses a source\'s events over the tenant\'s limit a minute with 429 and Retry-After, each source and tenant counted apart', async () => {
    await settings('two', { eventsPerMinute: 10 });
    // A fresh minute (the window of the posts above is over); the limit counts before the body is read (these bodies are not Prometheus').
    now = new Date(now.getTime() + 61_000);
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await post('two', 'prometheus', generic(`rl-${i}`, 'CRITICAL'), tenants.two!.tokens.prometheus)).status);
    expect(statuses.slice(0, 10).every((status) => status !== 429)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
    const refused = await post('two', 'prometheus', generic('rl-x', 'CRITICAL'), tenants.two!.tokens.prometheus);
    expect(refused.headers.get('Retry-After')).toMatch(/^[1-9]\d*$/);
    expect(await refused.json()).toMatchObject({ error: { code: 'rate_limited' } });
    // Another source of the tenant, and the same source of another tenant, go on.
    expect((await post('two', 'generic', generic('rl-y', 'OK'), tenants.two!.tokens.generic)).status).toBe(202);
    expect((await post('one', 'prometheus', generic('rl-z', 'CRITICAL'), tenants.one!.tokens.prometheus)).status).not.toBe(429);
    await settings('two', {});
  });

  it('lists the operations in openapi.json while on', async () => {
    const spec = await (await api('one', '/openapi.json')).json() as { paths: Record<string, unknown> };
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/alerts', '/connect/sources']));
  });

  it('drops raw events after 7 days', async () => {
    const before = await scope('two').selectFrom('connect_events').select('id').execute();
    expect(before.length).toBeGreaterThan(0);
    expect(await eventLog(app.services.db, tenants.two!.id).prune(new Date(now.getTime() + 8 * 86_400_000))).toBe(before.length);
    expect(await scope('one').selectFrom('connect_events').select('id').execute()).not.toHaveLength(0);
  });

  it('answers 404 on the webhook, the pages and the API while the plugin is off', async () => {
    await disablePlugin(app.services.db, app.services.registry, tenants.two!.id, 'connect');
    expect((await post('two', 'generic', generic('x', 'CRITICAL'), tenants.two!.tokens.generic)).status).toBe(404);
    expect((await api('two', '/alerts')).status).toBe(404);
    expect((await api('two', '/connect/sources')).status).toBe(404);
    expect((await app.request('/t/two/p/connect/sources', { cookie: tenants.two!.admin })).status).toBe(404);
    await enablePlugin(app.services.db, app.services.registry, tenants.two!.id, 'connect');
  });
});
