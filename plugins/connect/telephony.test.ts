import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../core/auth/api-tokens.js';
import { saveDirectorySettings } from '../../core/directory/directory-settings.js';
import { disablePlugin, enablePlugin } from '../../core/plugin-host/plugin-switches.js';
import { pluginScope } from '../../core/tenancy/tenant-scope.js';
import { tenantTicketService } from '../../core/tickets/ticket-context.js';
import { createTestApp, type TestApp } from '../../test/harness/test-app.js';
import { dialects } from '../../test/harness/test-database.js';
import { fetchRecordingsJob } from './call-recording.js';
import type { ConnectDB } from './connect-db.js';
import { connectPlugin } from './index.js';
import { saveTelephonySettings } from './telephony-settings.js';

const fixture = (name: string) => readFileSync(new URL(`../../test/fixtures/telephony/${name}`, import.meta.url), 'utf8').trim();
const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

describe.each(dialects)('connect telephony on %s', (dialect) => {
  let app: TestApp;
  let now = new Date('2026-12-07T09:00:00Z');
  const tenants: Record<string, { id: number; admin: string; agent: string; agentId: number; api: string; token: string; groupId: number }> = {};

  const scope = (slug: string) => pluginScope<ConnectDB>(app.services.db, tenants[slug]!.id);
  const hook = (slug: string, body: string | FormData, type: string | null, token: string | undefined = tenants[slug]?.token, path = '/hooks/telephony') =>
    app.request(`/t/${slug}${path}`, { method: 'POST', body, headers: { ...(type ? { 'Content-Type': type } : {}), ...(token === undefined ? {} : { Authorization: `Bearer ${token}` }) } });
  const outcome = async (response: Response) => ((await response.json()) as { data: { outcome: string; match?: string } }).data;
  const api = (slug: string, path: string, init: RequestInit = {}) => app.request(`/t/${slug}/api/v1${path}`, { ...init, headers: { Authorization: `Bearer ${tenants[slug]!.api}`, 'Content-Type': JSON_TYPE } });
  const call = (slug: string, callId: string) => scope(slug).selectFrom('connect_calls').selectAll().where('call_id', '=', callId).executeTakeFirstOrThrow();
  const later = (seconds: number) => { now = new Date(now.getTime() + seconds * 1000); };

  beforeAll(async () => {
    app = await createTestApp(dialect, [connectPlugin], { clock: () => now });
    for (const slug of ['one', 'two']) {
      const tenant = await app.createTenant(slug);
      await enablePlugin(app.services.db, app.services.registry, tenant.id, 'connect');
      const adminId = await app.createStaff(tenant.id, 'admin', `admin@${slug}.test`);
      const agentId = await app.createStaff(tenant.id, 'agent', `agent@${slug}.test`);
      const { token: apiToken } = await createApiToken(app.services.db, { tenantId: tenant.id, userId: adminId, name: 'test' });
      const s = pluginScope<ConnectDB>(app.services.db, tenant.id);
      const group = await s.insertInto('support_groups', { name: 'Callbacks', level: 'first' }).returning('id').executeTakeFirstOrThrow();
      await s.insertInto('group_members', { group_id: group.id, user_id: agentId }).execute();
      tenants[slug] = { id: tenant.id, admin: await app.signIn(`admin@${slug}.test`, slug), agent: await app.signIn(`agent@${slug}.test`, slug), agentId, api: apiToken, token: '', groupId: group.id };
      const created = await api(slug, '/connect/sources', { method: 'POST', body: JSON.stringify({ kind: 'telephony' }) });
      expect(created.status).toBe(201);
      tenants[slug]!.token = ((await created.json()) as { data: { token: string } }).data.token;
      await saveTelephonySettings(app.services, tenant.id, { missedGroup: String(group.id), extensions: `21; agent@${slug}.test\n22; admin@${slug}.test` }, { id: adminId, label: 'admin' });
    }
    // Tenant one knows the first caller as a person and the second only as an organisation's switchboard.
    const one = scope('one');
    const acme = await one.insertInto('organisations', { name: 'Acme GmbH', email_domains: '', phone: '+49 (0)221 47103-34' }).returning('id').executeTakeFirstOrThrow();
    const person = await one.insertInto('people', { name: 'Erika Mustermann', phone: '+49 30 5557160-0', organisation_id: acme.id, portal_role: 'customer', is_org_manager: 0, active: 1 }).returning('id').executeTakeFirstOrThrow();
    const tickets = await tenantTicketService(app.services, tenants.one!.id);
    await tickets.create({ subject: 'Printer jams again', description: 'It jams.', channel: 'phone', requesterId: person.id, organisationId: acme.id }, { kind: 'system', label: 'test' });
    // Tenant two has the same person's number: it must never show in tenant one, nor the other way round.
    await scope('two').insertInto('people', { name: 'Other Tenant Person', phone: '+4930555716 00', portal_role: 'customer', is_org_manager: 0, active: 1 }).execute();
  });
  afterAll(() => app.cleanup());

  it('refuses a missing or wrong token (401), a bad body (400/422 at the field, logged raw), writing no call', async () => {
    expect((await hook('one', fixture('generic-newcall-in.form'), FORM, 'tc_wrong')).status).toBe(401);
    expect((await hook('one', fixture('generic-newcall-in.form'), FORM, tenants.two!.token)).status).toBe(401);
    expect((await hook('one', '{oops', JSON_TYPE)).status).toBe(400);
    const bad = await hook('one', JSON.stringify({ event: 'ring', callId: 'x' }), JSON_TYPE);
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { error: { fields: Record<string, string> } }).error.fields).toHaveProperty('event');
    const noId = await hook('one', 'event=newCall&from=1&to=2', FORM);
    expect(noId.status).toBe(422);
    expect(((await noId.json()) as { error: { fields: Record<string, string> } }).error.fields).toHaveProperty('callId');
    expect((await hook('one', JSON.stringify({ event: 'newCall', callId: 'x', from: '1', to: '2', direction: 'sideways' }), JSON_TYPE)).status).toBe(422);
    expect((await hook('one', JSON.stringify({ Event: 'Hangup', Linkedid: '1.1', Cause: 'x' }), JSON_TYPE)).status).toBe(422);
    expect((await hook('one', JSON.stringify({ event: 'newCall', callId: 'x', from: 'a'.repeat(300 * 1024), to: '2' }), JSON_TYPE)).status).toBe(413);
    for (const body of ['', 'null', '[]', '"x"', '{"event":["newCall"]}', '{"event":"newCall","callId":{},"from":"1","to":"2"}', '{"event":"answer","callId":"c","user":[' + '"1",'.repeat(30) + '"1"]}']) {
      expect([400, 422], body).toContain((await hook('one', body, JSON_TYPE)).status);
    }
    expect(await scope('one').selectFrom('connect_calls').select('id').execute()).toEqual([]);
    const logged = await scope('one').selectFrom('connect_events').select(['outcome', 'kind']).where('kind', '=', 'telephony').execute();
    expect(logged.length).toBeGreaterThanOrEqual(5);
    expect(logged.every((row) => row.outcome === 'invalid')).toBe(true);
  });

  it('follows newCall → answer → hangup: known caller, the agent\'s pop-up, the duration', async () => {
    const seen: string[] = [];
    const unsubscribe = app.services.events.subscribe(tenants.one!.id, (event) => seen.push(event.type));
    const rang = await outcome(await hook('one', fixture('generic-newcall-in.form'), FORM));
    unsubscribe();
    // Only the rung agent's pages are told to reload their pop-up.
    expect(seen.filter((type) => type.startsWith('connect-call'))).toEqual([`connect-call-${tenants.one!.agentId}`]);
    expect(rang).toMatchObject({ outcome: 'ringing', match: 'known' });
    const row = await call('one', '7f0b6c1e2d3a4b5c');
    expect(row).toMatchObject({ direction: 'in', number: '+493055571600', extension: '21', user_id: tenants.one!.agentId, match: 'known', state: 'ringing' });
    const popup = await (await app.request('/t/one/p/connect/calls/popup', { cookie: tenants.one!.agent })).text();
    expect(popup).toContain('Erika Mustermann');
    expect(popup).toContain('Acme GmbH');
    expect(popup).toContain('Printer jams again');
    expect(popup).toContain('New phone ticket');
    expect(popup).toContain(`p.connect.call=${row.id}`);
    const opened = await app.request(`/t/one/p/connect/calls/${row.id}/ticket`, { method: 'POST', cookie: tenants.one!.agent, body: new URLSearchParams({ next: 'https://evil.test/' }) });
    expect(opened.headers.get('Location')).toBe('/t/one/desk/tickets/new');
    // The admin (extension 22) was not rung: nothing in their pop-up.
    expect(await (await app.request('/t/one/p/connect/calls/popup', { cookie: tenants.one!.admin })).text()).not.toContain('Erika');
    // Every staff page carries the pop-up's box.
    expect(await (await app.request('/t/one/desk', { cookie: tenants.one!.agent })).text()).toContain('id="connect-call-popup"');
    later(7);
    expect((await outcome(await hook('one', fixture('generic-answer-in.form'), FORM))).outcome).toBe('answered');
    later(95);
    expect((await outcome(await hook('one', fixture('generic-hangup-in.form'), FORM))).outcome).toBe('ended');
    expect(await call('one', '7f0b6c1e2d3a4b5c')).toMatchObject({ state: 'ended', missed: 0, duration_s: 95, cause: 'normalClearing', todo_open: 0 });
    // A repeated hangup changes nothing.
    expect((await outcome(await hook('one', fixture('generic-hangup-in.form'), FORM))).outcome).toBe('ignored');
  });

  it('makes newCall → hangup a missed call: a to-do of the group until a ticket is made for it', async () => {
    expect(await outcome(await hook('one', fixture('generic-newcall-missed.json'), JSON_TYPE))).toMatchObject({ outcome: 'ringing', match: 'maybe' });
    later(20);
    expect((await outcome(await hook('one', fixture('generic-hangup-missed.json'), JSON_TYPE))).outcome).toBe('missed');
    const missed = await call('one', '9f1840cb-8be9-4d3a-8200-3da2937085f0');
    expect(missed).toMatchObject({ number: '+492214710334', missed: 1, todo_open: 1, group_id: tenants.one!.groupId, duration_s: null });
    const log = await (await app.request('/t/one/p/connect/calls', { cookie: tenants.one!.agent })).text();
    expect(log).toContain(`id="todo-${missed.id}"`);
    expect(log).toContain('+49 221 4710334');
    expect(await (await app.request('/t/one/desk', { cookie: tenants.one!.agent })).text()).toMatch(/id="connect-missed-tile"><a class="stat-link" href="\/t\/one\/p\/connect\/calls"><span class="stat-value">1<\/span>/);
    expect(await (await app.request('/t/one/desk', { cookie: tenants.one!.admin })).text()).not.toContain('connect-missed-tile');
    // The admin is not in the call-back group: the to-do is not theirs.
    expect(await (await app.request('/t/one/p/connect/calls', { cookie: tenants.one!.admin })).text()).not.toContain(`id="todo-${missed.id}"`);
    // The form the to-do links to carries the call; creating the ticket links it and ends the to-do.
    const form = await (await app.request(`/t/one/desk/tickets/new?organisation_id=${missed.organisation_id}&p.connect.call=${missed.id}&subject=Call+back`, { cookie: tenants.one!.agent })).text();
    expect(form).toContain(`name="p.connect.call" value="${missed.id}"`);
    const created = await app.request('/t/one/desk/tickets/new', { method: 'POST', cookie: tenants.one!.agent, body: new URLSearchParams({
      organisation_id: String(missed.organisation_id), subject: 'Call back Acme', description: 'Missed call', priority: '2', channel: 'phone', 'p.connect.call': String(missed.id),
    }) });
    expect(created.status).toBe(303);
    const linked = await call('one', '9f1840cb-8be9-4d3a-8200-3da2937085f0');
    expect(linked.ticket_id).not.toBeNull();
    expect(linked.todo_open).toBe(0);
    expect(await (await app.request('/t/one/desk', { cookie: tenants.one!.agent })).text()).not.toContain('connect-missed-tile');
    // A second ticket for the same call is refused at the field, nothing saved.
    const before = await scope('one').selectFrom('tickets').select('id').execute();
    const again = await app.request('/t/one/desk/tickets/new', { method: 'POST', cookie: tenants.one!.agent, body: new URLSearchParams({
      organisation_id: String(missed.organisation_id), subject: 'Again', description: 'x', priority: '2', channel: 'phone', 'p.connect.call': String(missed.id),
    }) });
    expect(again.status).toBe(422);
    expect(await scope('one').selectFrom('tickets').select('id').execute()).toHaveLength(before.length);
  });

  it('reads Asterisk AMI events: Newchannel, DialBegin, DialEnd ANSWER, Hangup', async () => {
    for (const name of ['asterisk-newchannel.json', 'asterisk-dialbegin.json']) expect((await hook('one', fixture(name), JSON_TYPE)).status).toBe(202);
    expect(await call('one', '1765065600.66')).toMatchObject({ number: '+4930555716', match: 'none', extension: '21', user_id: tenants.one!.agentId, state: 'ringing' });
    later(4);
    expect((await outcome(await hook('one', fixture('asterisk-dialend-answer.json'), JSON_TYPE))).outcome).toBe('answered');
    later(30);
    expect((await outcome(await hook('one', fixture('asterisk-hangup.json'), JSON_TYPE))).outcome).toBe('ended');
    expect(await call('one', '1765065600.66')).toMatchObject({ state: 'ended', duration_s: 30, cause: 'normalClearing', missed: 0 });
  });

  it('logs an outgoing call placed from an extension, never missed', async () => {
    expect((await outcome(await hook('one', fixture('generic-newcall-out.json'), JSON_TYPE))).outcome).toBe('ringing');
    later(10);
    expect((await outcome(await hook('one', JSON.stringify({ event: 'hangup', callId: 'out-2026-12-07-0001', direction: 'out', cause: 'noAnswer' }), JSON_TYPE))).outcome).toBe('ended');
    expect(await call('one', 'out-2026-12-07-0001')).toMatchObject({ direction: 'out', number: '+4315321234', missed: 0, todo_open: 0, user_id: tenants.one!.agentId });
  });

  it('attaches an uploaded recording to the call\'s ticket; refuses one without ticket, of another tenant, of a wrong type', async () => {
    const missedCall = '9f1840cb-8be9-4d3a-8200-3da2937085f0';
    const wav = new Uint8Array([82, 73, 70, 70, 0, 0, 0, 0, 87, 65, 86, 69]);
    const upload = (slug: string, callId: string, name = 'call.wav', token?: string) => {
      const form = new FormData();
      form.set('call_id', callId);
      form.set('file', new File([wav], name, { type: 'audio/wav' }));
      return hook(slug, form, null, token ?? tenants[slug]!.token, '/hooks/telephony/recordings');
    };
    expect((await upload('one', missedCall, 'call.wav', 'tc_wrong')).status).toBe(401);
    expect((await upload('two', missedCall)).status).toBe(404);
    expect((await upload('one', '7f0b6c1e2d3a4b5c')).status).toBe(409);
    expect((await upload('one', missedCall, 'call.exe')).status).toBe(422);
    const attached = await upload('one', missedCall);
    expect(attached.status).toBe(201);
    const { ticket_id } = await call('one', missedCall);
    const files = await scope('one').selectFrom('ticket_articles as a').innerJoin('ticket_attachments as f', 'f.article_id', 'a.id').select(['f.filename', 'a.body_text'])
      .where('a.ticket_id', '=', ticket_id!).execute();
    expect(files).toMatchObject([{ filename: 'call.wav', body_text: 'Recording of the call with +492214710334.' }]);
  });

  it('fetches a recording announced by URL once the call has a ticket (size-limited, no redirect)', async () => {
    const server: Server = createServer((request, response) => {
      if (request.url === '/rec/answer.mp3') {
        response.writeHead(200, { 'Content-Type': 'audio/mpeg' });
        response.end(Buffer.from('ID3fake-mp3-bytes'));
      } else {
        response.writeHead(302, { Location: 'http://127.0.0.1:1/elsewhere.mp3' });
        response.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as { port: number }).port;
      // The answered call gets a ticket first (through the form, as from its pop-up).
      const answered = await call('one', '7f0b6c1e2d3a4b5c');
      const created = await app.request('/t/one/desk/tickets/new', { method: 'POST', cookie: tenants.one!.agent, body: new URLSearchParams({
        requester_id: String(answered.person_id), subject: 'Call from Erika', description: 'x', priority: '2', channel: 'phone', 'p.connect.call': String(answered.id),
      }) });
      expect(created.status).toBe(303);
      const announce = (callId: string, url: string) => hook('one', JSON.stringify({ call_id: callId, url }), JSON_TYPE, undefined, '/hooks/telephony/recordings');
      expect((await announce('7f0b6c1e2d3a4b5c', 'ftp://x/y.mp3')).status).toBe(422);
      expect((await announce('7f0b6c1e2d3a4b5c', `http://127.0.0.1:${port}/rec/answer.mp3`)).status).toBe(202);
      expect((await announce('1765065600.66', `http://127.0.0.1:${port}/rec/moved.mp3`)).status).toBe(202);
      await scope('one').updateTable('connect_calls').set({ ticket_id: answered.ticket_id ?? (await call('one', '7f0b6c1e2d3a4b5c')).ticket_id }).where('call_id', '=', '1765065600.66').execute();
      await fetchRecordingsJob.run({ tenantId: tenants.one!.id, payload: null, db: app.services.db, clock: () => now, services: app.services });
      expect((await call('one', '7f0b6c1e2d3a4b5c')).recording).toBe('attached');
      expect((await call('one', '1765065600.66')).recording).toMatch(/^failed: /);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('lists calls over the API with filters, and keeps each tenant\'s calls to itself', async () => {
    const all = (await (await api('one', '/calls')).json()) as { data: Array<{ call_id: string; missed: boolean; direction: string }> };
    expect(all.data.map((c) => c.call_id).sort()).toEqual(['1765065600.66', '7f0b6c1e2d3a4b5c', '9f1840cb-8be9-4d3a-8200-3da2937085f0', 'out-2026-12-07-0001']);
    const missed = (await (await api('one', '/calls?missed=true')).json()) as { data: Array<{ call_id: string }> };
    expect(missed.data.map((c) => c.call_id)).toEqual(['9f1840cb-8be9-4d3a-8200-3da2937085f0']);
    const out = (await (await api('one', '/calls?direction=out')).json()) as { data: Array<{ call_id: string }> };
    expect(out.data.map((c) => c.call_id)).toEqual(['out-2026-12-07-0001']);
    expect(((await (await api('one', '/calls?from=2026-12-08')).json()) as { data: unknown[] }).data).toEqual([]);
    expect(((await (await api('one', '/calls?from=2026-12-07&to=2026-12-07')).json()) as { data: unknown[] }).data).toHaveLength(4);
    expect((await api('one', '/calls?from=yesterday')).status).toBe(422);
    expect((await api('one', '/calls?direction=up')).status).toBe(422);
    // Tenant two sees none of it: API, log, pop-up; it cannot close or tick off tenant one's calls.
    expect(((await (await api('two', '/calls')).json()) as { data: unknown[] }).data).toEqual([]);
    expect(await (await app.request('/t/two/p/connect/calls', { cookie: tenants.two!.agent })).text()).not.toContain('+49 221 4710334');
    const first = await call('one', '1765065600.66');
    await app.request(`/t/two/p/connect/calls/${first.id}/close`, { method: 'POST', cookie: tenants.two!.agent });
    expect((await call('one', '1765065600.66')).popup_closed).toBe(0);
    // Tenant one's agent cookie does not open tenant two's pages.
    expect((await app.request('/t/two/p/connect/calls', { cookie: tenants.one!.agent })).status).not.toBe(200);
    // The same number in tenant two is tenant two's caller only.
    expect((await outcome(await hook('two', JSON.stringify({ event: 'newCall', callId: 'same-number', from: '+49 30 5557160 0', to: '1', user: ['21'] }), JSON_TYPE))).match).toBe('known');
    expect(await (await app.request('/t/two/p/connect/calls/popup', { cookie: tenants.two!.agent })).text()).toContain('Other Tenant Person');
    // A ticket form of tenant two cannot claim tenant one's call.
    const refused = await app.request('/t/two/desk/tickets/new', { method: 'POST', cookie: tenants.two!.agent, body: new URLSearchParams({
      new_person_name: 'X', subject: 'x', description: 'x', priority: '2', channel: 'phone', 'p.connect.call': String(first.id),
    }) });
    expect(refused.status).toBe(422);
  });

  it('closes a pop-up card of the viewer only', async () => {
    const c = await call('two', 'same-number');
    expect((await app.request(`/t/two/p/connect/calls/${c.id}/close`, { method: 'POST', cookie: tenants.two!.admin })).status).toBe(303);
    expect((await call('two', 'same-number')).popup_closed).toBe(0);
    const closed = await app.request(`/t/two/p/connect/calls/${c.id}/close`, { method: 'POST', cookie: tenants.two!.agent, headers: { 'HX-Request': 'true' } });
    expect(await closed.text()).not.toContain('Other Tenant Person');
    expect((await call('two', 'same-number')).popup_closed).toBe(1);
  });

  it('answers 429 beyond the minute\'s events and takes them again a minute later', async () => {
    // The minute's 600 events spent (the limiter the API and the monitoring hook share, a window per tenant).
    for (let i = 0; i < 600; i++) await app.services.apiLimiter.take(`connect-telephony:${tenants.two!.id}`, 600);
    const refused = await hook('two', JSON.stringify({ event: 'newCall', callId: 'busy', from: '1', to: '2' }), JSON_TYPE);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('Retry-After'))).toBeGreaterThan(0);
    expect((await hook('one', JSON.stringify({ event: 'newCall', callId: 'not-busy', from: '1', to: '2' }), JSON_TYPE)).status).toBe(202);
    later(61);
    expect((await hook('two', JSON.stringify({ event: 'newCall', callId: 'busy', from: '1', to: '2' }), JSON_TYPE)).status).toBe(202);
  });

  it('shows the queue figures on the Statistics page, the call log and settings in German and English', async () => {
    const stats = await (await app.request('/t/one/desk/statistics?preset=custom&from=2026-12-07&to=2026-12-07', { cookie: tenants.one!.admin })).text();
    expect(stats).toContain('id="stat-connect-calls"');
    expect(stats).toMatch(/data-figure="incoming"><th scope="row">Incoming calls<\/th><td>4<\/td>/);
    expect(stats).toMatch(/data-figure="missed-share"><th scope="row">Share missed<\/th><td>25 %<\/td>/);
    expect(stats).toMatch(/data-figure="agents"><th scope="row">[^<]+<\/th><td>2 \/ 2<\/td>/);
    await app.services.db.updateTable('users').set({ locale: 'de' }).where('email', '=', 'admin@one.test').execute();
    const german = await (await app.request('/t/one/p/connect/calls', { cookie: tenants.one!.admin })).text();
    expect(german).toContain('Verpasste Anrufe zum Zurückrufen');
    expect(german).toContain('Eingehend');
    expect(await (await app.request('/t/one/p/connect/telephony', { cookie: tenants.one!.admin })).text()).toContain('Durchwahlen');
    expect(await (await app.request('/t/one/p/connect/calls', { cookie: tenants.one!.agent })).text()).toContain('Missed calls to call back');
    const events = await (await app.request('/t/one/p/connect/events', { cookie: tenants.one!.admin })).text();
    expect(events).toContain('Anruf verpasst');
  });

  it('saves telephony settings from the form, refusing a stranger\'s e-mail at the field', async () => {
    const save = (extensions: string) => app.request('/t/one/p/connect/telephony', { method: 'POST', cookie: tenants.one!.admin, body: new URLSearchParams({ missedGroup: '', extensions }) });
    expect((await save('21; agent@two.test')).status).toBe(422);
    expect((await save('21; agent@one.test\n21; admin@one.test')).status).toBe(422);
    expect((await save('21; agent@one.test\n22; admin@one.test')).status).toBe(303);
    expect(await scope('one').selectFrom('connect_phone_settings').selectAll().executeTakeFirst()).toMatchObject({ missed_group_id: null });
    expect(Object.keys((await scope('one').selectFrom('connect_phone_settings').selectAll().executeTakeFirstOrThrow()))).not.toContain('country_code');
    expect(await scope('two').selectFrom('connect_phone_settings').select('missed_group_id').executeTakeFirst()).toEqual({ missed_group_id: tenants.two!.groupId });
  });

  it('reads national numbers with the tenant\'s one phone country (core\'s, set under Support contacts), which the page names and links', async () => {
    const page = await (await app.request('/t/one/p/connect/telephony', { cookie: tenants.one!.admin })).text();
    expect(page).toContain('id="connect-phone-country"');
    expect(page).toContain('(+49)');
    expect(page).toContain('href="/t/one/admin/directory"');
    expect(page).not.toContain('name="countryCode"');
    const ring = (slug: string, callId: string) => hook(slug, JSON.stringify({ event: 'newCall', callId, from: '01 5321234', to: '21', user: ['21'] }), JSON_TYPE);
    const saveCountry = (slug: string, phoneCountry: string) => saveDirectorySettings(app.services.db, tenants[slug]!.id, { phoneCountry, portalVisible: false, portalFields: [], portalCallback: false }, now);
    await saveCountry('one', 'AT');
    try {
      expect(await (await app.request('/t/one/p/connect/telephony', { cookie: tenants.one!.admin })).text()).toContain('(+43)');
      expect((await ring('one', 'national-at')).status).toBe(202);
      expect((await ring('two', 'national-de')).status).toBe(202);
      expect((await call('one', 'national-at')).number).toBe('+4315321234');
      // Tenant two keeps its own (the default, Germany).
      expect((await call('two', 'national-de')).number).toBe('+4915321234');
    } finally {
      await saveCountry('one', 'DE');
    }
  });

  it('answers 404 on the hook, the pages and the API while the plugin is off; its panel and pop-up are gone', async () => {
    await disablePlugin(app.services.db, app.services.registry, tenants.two!.id, 'connect');
    expect((await hook('two', JSON.stringify({ event: 'newCall', callId: 'off', from: '1', to: '2' }), JSON_TYPE)).status).toBe(404);
    expect((await api('two', '/calls')).status).toBe(404);
    expect((await app.request('/t/two/p/connect/calls', { cookie: tenants.two!.agent })).status).toBe(404);
    const desk = await (await app.request('/t/two/desk', { cookie: tenants.two!.agent })).text();
    expect(desk).not.toContain('connect-call-popup');
    expect(await (await app.request('/t/two/desk/statistics', { cookie: tenants.two!.admin })).text()).not.toContain('stat-connect-calls');
    await enablePlugin(app.services.db, app.services.registry, tenants.two!.id, 'connect');
  });

  it('lists /calls in openapi.json while on', async () => {
    const spec = await (await api('one', '/openapi.json')).json() as { paths: Record<string, unknown> };
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/calls', '/alerts']));
  });
});
