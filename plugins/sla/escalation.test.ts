import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type Database } from '../../core/db/create-database.js';
import { enablePlugin } from '../../core/plugin-host/plugin-switches.js';
import { pluginScope, tenantTicketService, type Services, type TicketActor } from '../../core/plugin-api.js';
import { createTestApp, type TestApp } from '../../test/harness/test-app.js';
import { dialects } from '../../test/harness/test-database.js';
import { recomputeJob } from './clock-events.js';
import type { SlaEscalationDB } from './escalation-db.js';
import { LEASE_MS, sweepEscalations } from './escalation-sweep.js';
import { slaPlugin } from './index.js';
import { installedPlugin } from '../../test/harness/installed-plugin.js';

const MINUTE = 60_000;
// Monday 2 March 2026, 09:00 UTC; the office calendar is Monday to Friday 08:00-17:00 UTC.
const MONDAY = Date.parse('2026-03-02T09:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

describe.each(dialects)('sla escalation and on-call on %s', (dialect) => {
  let app: TestApp;
  let now = MONDAY;
  type World = Awaited<ReturnType<typeof world>>;
  let a: World;
  let b: World;

  async function world(slug: string) {
    const tenant = await app.createTenant(slug);
    for (const id of ['helpdesk', 'sla']) await enablePlugin(app.services.db, app.services.registry, tenant.id, id);
    const adminId = await app.createStaff(tenant.id, 'admin', `admin@${slug}.test`);
    const supervisorId = await app.createStaff(tenant.id, 'supervisor', `super@${slug}.test`);
    const agentId = await app.createStaff(tenant.id, 'agent', `agent@${slug}.test`);
    const scope = pluginScope<SlaEscalationDB>(app.services.db, tenant.id);
    const [firstLine, secondLine] = (await scope.insertInto('support_groups', [{ name: 'First line', level: 'first', email: null }, { name: 'Second line', level: 'second', email: null }]).returning('id').execute()).map((r) => r.id) as [number, number];
    await scope.insertInto('group_members', { group_id: firstLine, user_id: agentId }).execute();
    const session = { admin: await app.signIn(`admin@${slug}.test`, slug) };
    const post = (path: string, values: Record<string, string> | URLSearchParams, cookie = session.admin) => app.request(`/t/${slug}/p/sla${path}`, { method: 'POST', body: values instanceof URLSearchParams ? values : new URLSearchParams(values), cookie });
    const week = Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((day) => [`hours.${day}`, day <= 5 ? '08:00-17:00' : '']));
    const calendar = Number(/(\d+)$/.exec((await post('/calendars', { name: 'Office', zone: 'UTC', ...week })).headers.get('location') ?? '')![1]);
    const targets = Object.fromEntries([1, 2, 3, 4].flatMap((p) => [[`target.first_response.${p}`, '60'], [`target.update.${p}`, ''], [`target.solution.${p}`, '480']]));
    const level = Number(/(\d+)$/.exec((await post('/levels', { name: 'Standard', calendarId: String(calendar), ...targets })).headers.get('location') ?? '')![1]);
    expect((await post('/settings', { defaultLevelId: String(level), pausing: 'waiting' })).status).toBe(303);
    const actor: TicketActor = { kind: 'user', id: adminId, label: 'Admin', can: () => true };
    return { tenant, slug, scope, adminId, supervisorId, agentId, firstLine, secondLine, session, post, calendar, level, actor, service: () => tenantTicketService(app.services, tenant.id) };
  }

  const point = (values: Record<string, string | string[]>) => {
    const form = new URLSearchParams();
    for (const [key, value] of Object.entries(values)) for (const v of [value].flat()) form.append(key, v);
    return form;
  };
  const sweep = (w: World, services: Services = app.services, options = {}) => sweepEscalations(services, w.tenant.id, { now: new Date(now), ...options });
  const notes = (w: World, ticketId: number) => w.scope.selectFrom('notifications').select(['user_id', 'kind', 'summary']).where('ticket_id', '=', ticketId).where('kind', '=', 'sla.escalation').orderBy('user_id').execute();
  const firings = (w: World, ticketId: number) => w.scope.selectFrom('sla_escalation_firings').selectAll().where('ticket_id', '=', ticketId).execute();
  const clockOf = async (w: World, ticketId: number, clock: 'first_response' | 'solution' = 'first_response') => w.scope.selectFrom('sla_clocks').selectAll().where('ticket_id', '=', ticketId).where('clock', '=', clock).executeTakeFirstOrThrow();
  /** Sessions idle out on the app's clock: after a jump in time, sign in again. */
  const signInAgain = async (w: World) => { w.session.admin = await app.signIn(`admin@${w.slug}.test`, w.slug); };
  const drain = (w: World) => recomputeJob.run({ tenantId: w.tenant.id, payload: null, db: app.services.db, clock: app.services.clock, services: app.services });

  beforeAll(async () => {
    app = await createTestApp(dialect, [installedPlugin('helpdesk'), slaPlugin], { clock: () => new Date(now) });
    a = await world('esc-a');
    b = await world('esc-b');
  });
  afterAll(() => app.cleanup());

  it('refuses a bad escalation point at the fields and saves nothing; saves a good one and moves the level\'s clocks', async () => {
    const refused = await a.post(`/levels/${a.level}/points`, point({ clock: 'solution', offsetKind: 'percent', offsetValue: '150', recipients: ['nobody'], outsideHours: '1', forwardGroupId: String(b.firstLine) }));
    expect(refused.status).toBe(422);
    const html = await refused.text();
    for (const message of ['A whole percentage from 1 to 100.', 'Choose among the listed recipients.', 'Choose the rota whose on-call person is told.']) expect(html).toContain(message);
    expect((await a.post(`/levels/${a.level}/points`, point({ clock: 'first_response', offsetKind: 'percent', offsetValue: '75' }))).status).toBe(422);
    // Another tenant's group is not one of A's.
    const foreignGroup = await a.post(`/levels/${a.level}/points`, point({ clock: 'first_response', offsetKind: 'percent', offsetValue: '75', forwardGroupId: String(b.firstLine) }));
    expect(foreignGroup.status).toBe(422);
    expect(await foreignGroup.text()).toContain('Choose one of the groups.');
    expect(await a.scope.selectFrom('sla_escalation_points').select('id').execute()).toEqual([]);

    const saved = await a.post(`/levels/${a.level}/points`, point({ clock: 'first_response', offsetKind: 'percent', offsetValue: '75', notify: '1', recipients: ['assignee', 'group'] }));
    expect(saved.status).toBe(303);
    const page = await (await app.request(`/t/esc-a/p/sla/levels/${a.level}`, { cookie: a.session.admin })).text();
    expect(page).toContain('id="sla-point-list"');
    expect(page).toContain('at 75 % of the time');
  });

  it('fires a point at the right business time, exactly once with two runners at the same time, and never for a solved ticket', async () => {
    now = MONDAY;
    const service = await a.service();
    const ticket = await service.create({ subject: 'Printer', description: 'x', groupId: a.firstLine, assigneeId: a.agentId }, a.actor);
    const solved = await service.create({ subject: 'Solved one', description: 'x', groupId: a.firstLine, assigneeId: a.agentId }, a.actor);
    // 75 % of 60 business minutes after 09:00.
    expect((await clockOf(a, ticket.id)).next_escalation_at).toBe(iso(MONDAY + 45 * MINUTE));
    now = MONDAY + 44 * MINUTE;
    expect((await sweep(a)).fired).toBe(0);
    await service.changeStatus(solved.number, 'solved', a.actor);
    expect((await clockOf(a, solved.id)).next_escalation_at).toBeNull();
    // Even with a stale next escalation on its clock, a solved ticket gets nothing (and the stale time is cleared).
    await a.scope.updateTable('sla_clocks').set({ next_escalation_at: iso(MONDAY) }).where('ticket_id', '=', solved.id).execute();

    now = MONDAY + 46 * MINUTE;
    // Two runners on their own connections to the one database. On PostgreSQL they run at the same time (the second
    // insert of the firing waits for the first and then does nothing); better-sqlite3 waits for a lock synchronously,
    // so on SQLite two connections of one process take turns, and a third runner shares the first's connection at the same time.
    const second: Database = await createDatabase(app.database.url, { poolSize: 3 });
    try {
      const other = { ...app.services, db: second.db };
      const results = dialect === 'postgres'
        ? await Promise.all([sweep(a), sweep(a, other)])
        : [...await Promise.all([sweep(a), sweep(a)]), await sweep(a, other)];
      expect(results.map((r) => r.fired).sort()).toEqual(dialect === 'postgres' ? [0, 1] : [0, 0, 1]);
    } finally {
      await second.close();
    }
    expect(await notes(a, ticket.id)).toEqual([{ user_id: a.agentId, kind: 'sla.escalation', summary: 'Escalation: First response of #' + ticket.number + ' "Printer" is due 2026-03-02 11:00 (Europe/Berlin)' }]);
    expect(await firings(a, ticket.id)).toHaveLength(1);
    expect((await firings(a, ticket.id))[0]!.done_at).not.toBeNull();
    expect(await notes(a, solved.id)).toEqual([]);
    expect(await firings(a, solved.id)).toEqual([]);
    expect((await clockOf(a, solved.id)).next_escalation_at).toBeNull();
    // Nothing left to fire on this clock; a later sweep does nothing.
    expect((await clockOf(a, ticket.id)).next_escalation_at).toBeNull();
    now = MONDAY + 90 * MINUTE;
    expect((await sweep(a)).fired).toBe(0);
    expect(await notes(a, ticket.id)).toHaveLength(1);
    // A recompute (a change to the ticket) does not bring the fired point back.
    await service.update(ticket.number, { subject: 'Printer again' }, a.actor);
    expect((await clockOf(a, ticket.id)).next_escalation_at).toBeNull();
  });

  it('waits for business hours; a point marked "also outside" goes to the on-call person of the rota', async () => {
    const rota = await a.post('/rotas', point({ name: 'Nights', zone: 'UTC', freq: 'DAILY', interval: '1', handover: '08:00', startDate: '2026-03-01', participants: [String(a.supervisorId)] }));
    expect(rota.status).toBe(303);
    const rotaId = Number(/(\d+)$/.exec(rota.headers.get('location') ?? '')![1]);
    // Solution (480 business minutes): 30 real minutes after due, also outside, to the on-call person; at due, group only inside hours.
    expect((await a.post(`/levels/${a.level}/points`, point({ clock: 'solution', offsetKind: 'minutes', offsetValue: '30', notify: '1', recipients: ['assignee'], outsideHours: '1', rotaId: String(rotaId) }))).status).toBe(303);
    expect((await a.post(`/levels/${a.level}/points`, point({ clock: 'solution', offsetKind: 'minutes', offsetValue: '0', notify: '1', recipients: ['group'] }))).status).toBe(303);
    await drain(a);
    now = Date.parse('2026-03-03T09:00:00Z');
    const ticket = await (await a.service()).create({ subject: 'Server', description: 'x', groupId: a.firstLine, assigneeId: a.agentId }, a.actor);
    // Due at 17:00 the same day (eight business hours).
    expect((await clockOf(a, ticket.id, 'solution')).due_at).toBe('2026-03-03T17:00:00.000Z');
    expect((await clockOf(a, ticket.id, 'solution')).next_escalation_at).toBe('2026-03-03T17:00:00.000Z');
    now = Date.parse('2026-03-03T17:40:00Z');
    await sweep(a);
    // Outside hours: the on-call supervisor got the "also outside" point; the at-due point waits for 08:00.
    const solutionNotes = async () => (await notes(a, ticket.id)).filter((n) => n.summary.includes('Solution')).map((n) => n.user_id).sort();
    expect(await solutionNotes()).toEqual([a.supervisorId]);
    expect((await firings(a, ticket.id)).filter((f) => f.clock === 'solution').map((f) => f.outside)).toEqual([1]);
    expect((await clockOf(a, ticket.id, 'solution')).next_escalation_at).toBe('2026-03-04T08:00:00.000Z');
    now = Date.parse('2026-03-04T08:01:00Z');
    await sweep(a);
    expect(await solutionNotes()).toEqual([a.supervisorId, a.agentId].sort());
    expect((await firings(a, ticket.id)).filter((f) => f.clock === 'solution')).toHaveLength(2);
  });

  it('fires once when a sweep dies between the record and its follow-up: the next run after the lease finishes it (priority raised once)', async () => {
    now = Date.parse('2026-03-07T10:00:00Z');
    await signInAgain(a);
    const calendar = await a.post('/calendars', point({ name: 'Always', zone: 'UTC', ...Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((d) => [`hours.${d}`, '00:00-24:00'])) }));
    expect(calendar.status, await calendar.clone().text()).toBe(303);
    const levelTargets = Object.fromEntries([1, 2, 3, 4].flatMap((p) => [[`target.first_response.${p}`, '30'], [`target.update.${p}`, ''], [`target.solution.${p}`, '']]));
    const level = Number(/(\d+)$/.exec((await a.post('/levels', { name: 'Urgent', calendarId: /(\d+)$/.exec(calendar.headers.get('location')!)![1]!, ...levelTargets })).headers.get('location')!)![1]);
    expect((await a.post(`/levels/${level}/points`, point({ clock: 'first_response', offsetKind: 'minutes', offsetValue: '0', notify: '1', email: '1', recipients: ['assignee'], raisePriority: '1', forwardGroupId: String(a.secondLine) }))).status).toBe(303);
    expect((await a.post('/settings', { defaultLevelId: String(level), pausing: 'waiting' })).status).toBe(303);
    const ticket = await (await a.service()).create({ subject: 'Crash test', description: 'x', groupId: a.firstLine, assigneeId: a.agentId, priority: 2 }, a.actor);
    now += 31 * MINUTE;
    await expect(sweep(a, app.services, { onClaimed: () => { throw new Error('killed'); } })).rejects.toThrow('killed');
    expect(await notes(a, ticket.id)).toHaveLength(1);
    expect((await firings(a, ticket.id))[0]).toMatchObject({ done_at: null, raise_to: 3 });
    // A run within the lease neither repeats the notification nor takes the follow-up over.
    expect(await sweep(a)).toMatchObject({ fired: 0, resumed: 0 });
    now += LEASE_MS + MINUTE;
    expect((await sweep(a)).resumed).toBe(1);
    expect((await sweep(a)).resumed).toBe(0);
    const after = await (await a.service()).get(ticket.number);
    expect(after.priority).toBe(3);
    expect(after.group_id).toBe(a.secondLine);
    expect(await notes(a, ticket.id)).toHaveLength(1);
    const history = await a.scope.selectFrom('ticket_history').select(['field', 'new_value', 'actor_label']).where('ticket_id', '=', ticket.id).where('field', 'in', ['priority', 'group_id']).execute();
    expect(history).toEqual([{ field: 'priority', new_value: '3', actor_label: 'Service level escalation' }, { field: 'group_id', new_value: String(a.secondLine), actor_label: 'Service level escalation' }]);
    const mails = await app.services.db.selectFrom('mail_outbox').select(['to_address', 'subject']).where('tenant_id', '=', a.tenant.id).where('subject', 'like', `[#${ticket.number}] Escalation%`).execute();
    expect(mails).toEqual([{ to_address: 'agent@esc-a.test', subject: `[#${ticket.number}] Escalation: First response` }]);
    expect((await firings(a, ticket.id))[0]!.outcome).toContain('resumed');
    expect((await a.post('/settings', { defaultLevelId: String(a.level), pausing: 'waiting' })).status).toBe(303);
  });

  it('shows the rota\'s next 14 days and my on-call times with an iCal feed; a tampered or foreign link is refused', async () => {
    now = Date.parse('2026-03-10T12:00:00Z');
    await signInAgain(a);
    await signInAgain(b);
    const rotaId = (await a.scope.selectFrom('sla_rotas').select('id').where('name', '=', 'Nights').executeTakeFirstOrThrow()).id;
    const rotaResponse = await app.request(`/t/esc-a/p/sla/rotas/${rotaId}`, { cookie: a.session.admin });
    const rotaPage = await rotaResponse.text();
    expect(rotaResponse.status, rotaPage.slice(0, 300)).toBe(200);
    expect(rotaPage).toContain('id="sla-rota-schedule"');
    expect(rotaPage).toContain('2026-03-10 12:00 – 2026-03-24 12:00');
    const override = await a.post(`/rotas/${rotaId}/overrides`, { userId: String(a.agentId), from: '2026-03-12T18:00', until: '2026-03-12T08:00' });
    expect(override.status).toBe(422);
    expect(await override.text()).toContain('The end comes after the start.');
    expect(await a.scope.selectFrom('sla_rota_overrides').select('id').execute()).toEqual([]);
    expect((await a.post(`/rotas/${rotaId}/overrides`, { userId: String(a.agentId), from: '2026-03-12T18:00', until: '2026-03-13T08:00' })).status).toBe(303);

    const supervisor = await app.signIn('super@esc-a.test', 'esc-a');
    const mine = await (await app.request('/t/esc-a/p/sla/on-call', { cookie: supervisor })).text();
    expect(mine).toContain('id="sla-my-on-call"');
    expect(mine).toContain('2026-03-10 12:00 – 2026-03-12 18:00');
    expect(mine).toContain('2026-03-13 08:00 – 2026-03-24 12:00');
    const feed = /href="([^"]*\/portal\/sla\/on-call\/[^"]+)"/.exec(mine)![1]!.replace(/&amp;/g, '&');
    const ics = await app.request(feed);
    expect(ics.status).toBe(200);
    expect(ics.headers.get('content-type')).toContain('text/calendar');
    const text = await ics.text();
    expect(text).toContain('X-WR-CALNAME:On call: super');
    expect(text).toContain('DTSTART:20260303T120000Z\r\nDTEND:20260312T180000Z\r\nSUMMARY:Nights');
    expect(text).toContain('DTSTART:20260313T080000Z');
    const token = feed.split('/').at(-1)!.replace(/\.ics$/, '');
    const tampered = `${token.slice(0, -3)}${token.slice(-3) === 'AAA' ? 'BBB' : 'AAA'}`;
    expect((await app.request(feed.replace(token, tampered))).status).toBe(404);
    // The same link on another tenant's address is refused.
    expect((await app.request(feed.replace('/t/esc-a/', '/t/esc-b/'))).status).toBe(404);
  });

  it('answers 404 to another tenant\'s level, point, rota and override ids and changes nothing', async () => {
    const pointId = (await a.scope.selectFrom('sla_escalation_points').select('id').orderBy('id').executeTakeFirstOrThrow()).id;
    const rotaId = (await a.scope.selectFrom('sla_rotas').select('id').executeTakeFirstOrThrow()).id;
    const overrideId = (await a.scope.selectFrom('sla_rota_overrides').select('id').executeTakeFirstOrThrow()).id;
    const before = [await a.scope.selectFrom('sla_escalation_points').selectAll().execute(), await a.scope.selectFrom('sla_rotas').selectAll().execute(), await a.scope.selectFrom('sla_rota_overrides').selectAll().execute()];
    expect((await app.request(`/t/esc-b/p/sla/rotas/${rotaId}`, { cookie: b.session.admin })).status).toBe(404);
    const posts: Array<[string, Record<string, string>]> = [
      [`/levels/${a.level}/points`, { clock: 'first_response', offsetKind: 'percent', offsetValue: '50', notify: '1', recipients: 'assignee' }],
      [`/levels/${a.level}/points/${pointId}/delete`, {}],
      [`/levels/${b.level}/points/${pointId}/delete`, {}],
      [`/rotas/${rotaId}`, { name: 'Stolen', zone: 'UTC', freq: 'DAILY', interval: '1', handover: '08:00', startDate: '2026-03-01', participants: String(b.agentId) }],
      [`/rotas/${rotaId}/delete`, {}],
      [`/rotas/${rotaId}/overrides`, { userId: String(b.agentId), from: '2026-03-12T18:00', until: '2026-03-13T08:00' }],
      [`/rotas/${rotaId}/overrides/${overrideId}/delete`, {}],
    ];
    for (const [path, values] of posts) expect((await b.post(path, values)).status, path).toBe(404);
    // A's rota is not one B's points may name.
    const foreignRota = await b.post(`/levels/${b.level}/points`, point({ clock: 'solution', offsetKind: 'minutes', offsetValue: '0', notify: '1', recipients: ['oncall'], rotaId: String(rotaId) }));
    expect(foreignRota.status).toBe(422);
    expect([await a.scope.selectFrom('sla_escalation_points').selectAll().execute(), await a.scope.selectFrom('sla_rotas').selectAll().execute(), await a.scope.selectFrom('sla_rota_overrides').selectAll().execute()]).toEqual(before);
  });
});
