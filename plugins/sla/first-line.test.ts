import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enablePlugin } from '../../core/plugin-host/plugin-switches.js';
import { pluginScope, tenantTicketService, type TicketActor } from '../../core/plugin-api.js';
import { createTestApp, type TestApp } from '../../test/harness/test-app.js';
import { dialects } from '../../test/harness/test-database.js';
import type { WeeklyHours } from './business-calendar.js';
import { calendarTime } from './calendar-time.js';
import { recomputeJob } from './clock-events.js';
import { clockStore } from './clock-store.js';
import { computeFirstLine } from './first-line.js';
import { forwardOverdue } from './first-line-store.js';
import { slaPlugin } from './index.js';
import type { SlaDB } from './sla-db.js';
import { installedPlugin } from '../../test/harness/installed-plugin.js';

const MINUTE = 60_000;
const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();
const OFFICE: WeeklyHours = { 1: [[480, 1020]], 2: [[480, 1020]], 3: [[480, 1020]], 4: [[480, 1020]], 5: [[480, 1020]] };
const berlin = calendarTime({ zone: 'Europe/Berlin', hours: OFFICE, holidays: [] });
const rule = { minutes: 15, groupId: 1, forwardGroupId: 2 };

describe('first-line time box (business time)', () => {
  it('starts at acceptance and counts business minutes: accepted Friday 16:50 in Berlin, due Monday 08:05', () => {
    // Friday 4 December 2026, 16:50 Berlin = 15:50 UTC; created unassigned in first line at 16:40.
    const box = computeFirstLine(berlin, rule, { createdAt: at('2026-12-04T15:40:00Z'), groupId: 1, assigneeId: null },
      [{ at: at('2026-12-04T15:50:00Z'), field: 'assignee_id', value: '7' }], at('2026-12-05T10:00:00Z'));
    expect(box).toMatchObject({ acceptedAt: at('2026-12-04T15:50:00Z'), endedAt: null, state: 'running' });
    expect(iso(box!.dueAt)).toBe('2026-12-07T07:05:00.000Z');
    const late = computeFirstLine(berlin, rule, { createdAt: at('2026-12-04T15:40:00Z'), groupId: 1, assigneeId: null },
      [{ at: at('2026-12-04T15:50:00Z'), field: 'assignee_id', value: '7' }], at('2026-12-07T07:06:00Z'));
    expect(late?.state).toBe('over');
  });

  it('is met when the ticket leaves first line in time, over when later, and absent until accepted in first line', () => {
    const initial = { createdAt: at('2026-12-07T08:00:00Z'), groupId: 1, assigneeId: 7 };
    const met = computeFirstLine(berlin, rule, initial, [{ at: at('2026-12-07T08:10:00Z'), field: 'group_id', value: '2' }], at('2026-12-07T09:00:00Z'));
    expect(met).toMatchObject({ acceptedAt: initial.createdAt, state: 'met', endedAt: at('2026-12-07T08:10:00Z') });
    const over = computeFirstLine(berlin, rule, initial, [{ at: at('2026-12-07T08:20:00Z'), field: 'status', value: 'solved' }], at('2026-12-07T09:00:00Z'));
    expect(over).toMatchObject({ state: 'over', endedAt: at('2026-12-07T08:20:00Z') });
    // Assigned while in second line, never in first: no box.
    expect(computeFirstLine(berlin, rule, { createdAt: initial.createdAt, groupId: 2, assigneeId: null }, [{ at: at('2026-12-07T08:05:00Z'), field: 'assignee_id', value: '7' }], at('2026-12-07T09:00:00Z'))).toBeNull();
  });
});

// Monday 2 March 2026, 09:00 UTC; the office calendar is Monday to Friday 08:00-17:00 UTC.
const MONDAY = Date.parse('2026-03-02T09:00:00Z');

describe.each(dialects)('first-line time box on %s', (dialect) => {
  let app: TestApp;
  let now = MONDAY;

  async function world(slug: string) {
    const tenant = await app.createTenant(slug);
    for (const id of ['helpdesk', 'sla']) await enablePlugin(app.services.db, app.services.registry, tenant.id, id);
    const adminId = await app.createStaff(tenant.id, 'admin', `admin@${slug}.test`);
    await app.createStaff(tenant.id, 'supervisor', `lead@${slug}.test`);
    const agentId = await app.createStaff(tenant.id, 'agent', `agent@${slug}.test`);
    const scope = pluginScope<SlaDB>(app.services.db, tenant.id);
    const [firstLine, secondLine] = (await scope.insertInto('support_groups', [{ name: 'First line', level: 'first', email: null }, { name: 'Second line', level: 'second', email: null }]).returning('id').execute()).map((r) => r.id) as [number, number];
    await scope.insertInto('group_members', { group_id: firstLine, user_id: agentId }).execute();
    const session = { admin: await app.signIn(`admin@${slug}.test`, slug), lead: await app.signIn(`lead@${slug}.test`, slug) };
    const post = (path: string, values: Record<string, string>) => app.request(`/t/${slug}/p/sla${path}`, { method: 'POST', body: new URLSearchParams(values), cookie: session.admin });
    const week = Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((day) => [`hours.${day}`, day <= 5 ? '08:00-17:00' : '']));
    const calendar = Number(/(\d+)$/.exec((await post('/calendars', { name: 'Office', zone: 'UTC', ...week })).headers.get('location') ?? '')![1]);
    const targets = Object.fromEntries([1, 2, 3, 4].flatMap((p) => [[`target.first_response.${p}`, '60'], [`target.update.${p}`, ''], [`target.solution.${p}`, '480']]));
    const level = Number(/(\d+)$/.exec((await post('/levels', { name: 'Standard', calendarId: String(calendar), ...targets })).headers.get('location') ?? '')![1]);
    expect((await post('/settings', { defaultLevelId: String(level), pausing: 'waiting' })).status).toBe(303);
    const actor: TicketActor = { kind: 'user', id: adminId, label: 'Admin', can: () => true };
    return { tenant, slug, scope, agentId, firstLine, secondLine, session, post, level, actor, service: () => tenantTicketService(app.services, tenant.id) };
  }
  type World = Awaited<ReturnType<typeof world>>;
  let a: World;
  let b: World;
  const drain = (w: World) => recomputeJob.run({ tenantId: w.tenant.id, payload: null, db: app.services.db, clock: app.services.clock, services: app.services });
  const boxOf = (w: World, ticketId: number) => w.scope.selectFrom('sla_first_line').selectAll().where('ticket_id', '=', ticketId).executeTakeFirst();

  beforeAll(async () => {
    app = await createTestApp(dialect, [installedPlugin('helpdesk'), slaPlugin], { clock: () => new Date(now) });
    a = await world('fl-a');
    b = await world('fl-b');
  });
  afterAll(() => app.cleanup());

  it('refuses a bad box at the fields (another tenant\'s group included), saves a good one, and answers 404 for another tenant\'s level', async () => {
    const refused = await a.post(`/levels/${a.level}/first-line`, { firstLineMinutes: '0', firstLineGroupId: String(b.firstLine), firstLineForwardGroupId: 'x' });
    expect(refused.status).toBe(422);
    const html = await refused.text();
    for (const message of ['Enter whole minutes from 1 to 1440', 'Choose the first-line group.', 'Choose one of the groups, or nobody.']) expect(html).toContain(message);
    expect((await a.post(`/levels/${a.level}/first-line`, { firstLineMinutes: '15', firstLineGroupId: String(a.firstLine), firstLineForwardGroupId: String(a.firstLine) })).status).toBe(422);
    expect(await a.scope.selectFrom('sla_levels').select('first_line_minutes').where('id', '=', a.level).executeTakeFirstOrThrow()).toEqual({ first_line_minutes: null });
    expect((await a.post(`/levels/${b.level}/first-line`, { firstLineMinutes: '15', firstLineGroupId: String(a.firstLine) })).status).toBe(404);
    expect((await a.post(`/levels/${a.level}/first-line`, { firstLineMinutes: '15', firstLineGroupId: String(a.firstLine), firstLineForwardGroupId: '' })).status).toBe(303);
    const page = await (await app.request(`/t/fl-a/p/sla/levels/${a.level}`, { cookie: a.session.admin })).text();
    expect(page).toContain('id="sla-first-line"');
    // German labels on the same page.
    const de = await (await app.request(`/t/fl-a/p/sla/levels/${a.level}`, { cookie: a.session.admin, headers: { 'Accept-Language': 'de' } })).text();
    expect(de).toMatch(/First-Level-Zeitfenster|First-line time box/);
  });

  it('shows a ticket overdue to the first-line lead (badge, filter, at-risk view) in business time when nobody forwards it', async () => {
    now = MONDAY;
    const service = await a.service();
    const ticket = await service.create({ subject: 'Printer offline', description: 'x', groupId: a.firstLine }, a.actor);
    expect(await boxOf(a, ticket.id)).toBeUndefined();
    now = MONDAY + 5 * MINUTE;
    await service.forward(ticket.number, { groupId: a.firstLine, assigneeId: a.agentId }, a.actor);
    const box = await boxOf(a, ticket.id);
    expect(box).toMatchObject({ accepted_at: iso(MONDAY + 5 * MINUTE), due_at: iso(MONDAY + 20 * MINUTE), state: 'running', ended_at: null });
    // Friday 16:55 acceptance: due Monday 08:10 (business time).
    const friday = Date.parse('2026-03-06T16:55:00Z');
    now = friday;
    const late = await service.create({ subject: 'Late on Friday', description: 'x', groupId: a.firstLine, assigneeId: a.agentId }, a.actor);
    expect((await boxOf(a, late.id))?.due_at).toBe('2026-03-09T08:10:00.000Z');
    // Never accepted in first line: no box.
    const unaccepted = await service.create({ subject: 'Nobody took it', description: 'x', groupId: a.firstLine }, a.actor);

    now = MONDAY + 30 * MINUTE;
    const list = await app.request(`/t/fl-a/desk/tickets?queue=all&p.sla.due=first_line`, { cookie: a.session.lead });
    expect(list.status).toBe(200);
    const listHtml = await list.text();
    // (List filters compare with the real time, so the Friday ticket of March is over there too.)
    expect(listHtml).toContain(`data-number="${ticket.number}"`);
    expect(listHtml).not.toContain(`data-number="${unaccepted.number}"`);
    const risk = await app.request('/t/fl-a/p/sla/at-risk?within=1', { cookie: a.session.lead });
    expect(risk.status).toBe(200);
    const riskHtml = await risk.text();
    expect(riskHtml).toMatch(new RegExp(`data-ticket="${ticket.number}"[^]*?First-line time box`));
    expect(riskHtml).not.toContain(`data-ticket="${late.number}"`);
    expect(await forwardOverdue(app.services, a.tenant.id, new Date(now))).toBe(0);
    expect((await app.request('/t/fl-a/p/sla/at-risk?within=3', { cookie: a.session.lead })).status).toBe(422);
  });

  it('forwards to the next level once when the box runs out, even with two runners, and the box is then over', async () => {
    now = MONDAY + 60 * MINUTE;
    expect((await a.post(`/levels/${a.level}/first-line`, { firstLineMinutes: '15', firstLineGroupId: String(a.firstLine), firstLineForwardGroupId: String(a.secondLine) })).status).toBe(303);
    await drain(a);
    // The earlier ticket of this level overdue in first line goes now (the Friday one is due next week).
    expect(await forwardOverdue(app.services, a.tenant.id, new Date(now))).toBe(1);
    const service = await a.service();
    const ticket = await service.create({ subject: 'Mail down', description: 'x', groupId: a.firstLine, assigneeId: a.agentId }, a.actor);
    now += 10 * MINUTE;
    expect(await forwardOverdue(app.services, a.tenant.id, new Date(now))).toBe(0);
    now += 10 * MINUTE;
    const runs = await Promise.all([forwardOverdue(app.services, a.tenant.id, new Date(now)), forwardOverdue(app.services, a.tenant.id, new Date(now))]);
    expect(runs.reduce((x, y) => x + y, 0)).toBeGreaterThanOrEqual(1);
    const forwarded = await a.scope.selectFrom('ticket_history').select('new_value').where('ticket_id', '=', ticket.id).where('field', '=', 'group_id').execute();
    expect(forwarded).toEqual([{ new_value: String(a.secondLine) }]);
    expect(await boxOf(a, ticket.id)).toMatchObject({ state: 'over', ended_at: iso(now) });
    expect(await forwardOverdue(app.services, a.tenant.id, new Date(now + MINUTE))).toBe(0);
    // A level change queues its tickets for the recompute job; its progress shows on the level and calendar pages.
    const progress = async (w: World) => (await app.request(`/t/${w.slug}/p/sla/recompute-progress`, { cookie: w.session.admin })).text();
    expect(await progress(a)).toContain('data-state="idle"');
    expect((await a.post(`/levels/${a.level}/first-line`, { firstLineMinutes: '30', firstLineGroupId: String(a.firstLine), firstLineForwardGroupId: String(a.secondLine) })).status).toBe(303);
    const queued = (await a.scope.selectFrom('sla_recompute').select('ticket_id').execute()).length;
    expect(queued).toBeGreaterThanOrEqual(3);
    expect(await progress(a)).toContain(`data-done="0" data-total="${queued}"`);
    expect(await progress(a)).toContain(`Recomputing ticket clocks: 0 of ${queued} tickets (0 %).`);
    expect(await progress(b)).toContain('data-state="idle"');
    await clockStore(app.services, a.tenant.id).recompute(ticket.id);
    expect(await progress(a)).toContain(`data-done="1" data-total="${queued}"`);
    expect(await (await app.request(`/t/fl-a/p/sla/levels/${a.level}`, { cookie: a.session.admin })).text()).toContain('id="sla-progress"');
    await drain(a);
    expect(await progress(a)).toContain('All ticket clocks are up to date.');
    expect(app.services.catalog.translator('de')('sla.progress', { done: 1, total: 2, percent: 50 })).toBe('Ticket-Uhren werden neu berechnet: 1 von 2 Tickets (50 %).');
    // The other tenant saw nothing of it.
    expect(await b.scope.selectFrom('sla_first_line').select('id').execute()).toEqual([]);
  });
});
