import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enablePlugin } from '../../core/plugin-host/plugin-switches.js';
import { definePlugin, pluginScope, tenantTicketService, type TicketActor } from '../../core/plugin-api.js';
import { createTestApp, type TestApp } from '../../test/harness/test-app.js';
import { dialects } from '../../test/harness/test-database.js';
import { recomputeJob } from './clock-events.js';
import { SLA_COMPONENT_LEVELS } from './extension-points.js';
import { slaPlugin } from './index.js';
import type { SlaDB } from './sla-db.js';
import { installedPlugin } from '../../test/harness/installed-plugin.js';

const MINUTE = 60_000;
const ICS = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN',
  'BEGIN:VEVENT', 'UID:a@test', 'DTSTART;VALUE=DATE:20261225', 'RRULE:FREQ=YEARLY', 'SUMMARY:Christmas', 'END:VEVENT',
  'BEGIN:VEVENT', 'UID:b@test', 'DTSTART;VALUE=DATE:20270405', 'SUMMARY:Easter Monday', 'END:VEVENT', 'END:VCALENDAR'].join('\r\n');

/** A stand-in for the hardware plugin: tickets about "Device …" concern a component with the level named "Component". */
const componentFixture = definePlugin({
  id: 'sla-components', version: '1.0.0', core: '^1.0.0', name: 'slaComponents.name', dependsOn: ['sla'],
  messages: { en: { 'slaComponents.name': 'Components' }, de: { 'slaComponents.name': 'Komponenten' } },
  register(api) {
    api.provide(SLA_COMPONENT_LEVELS, {
      async levelFor({ ticketId, scope }) {
        const ticket = await scope.selectFrom('tickets').select('subject').where('id', '=', ticketId).executeTakeFirst();
        if (!ticket?.subject.startsWith('Device')) return null;
        const level = await pluginScope<SlaDB>(scope.db, scope.tenantId).selectFrom('sla_levels').select('id').where('name', '=', 'Component').executeTakeFirst();
        return level ? { levelId: level.id, label: 'Router SN-7' } : null;
      },
    });
  },
});

describe.each(dialects)('plugin sla on %s', (dialect) => {
  let app: TestApp;
  // The app's clock, minutes away from the real one (lists compare due times with the real time).
  const base = Math.floor(Date.now() / MINUTE) * MINUTE;
  let offset = 0;
  const setClock = (minutes: number) => { offset = minutes * MINUTE; };
  type World = Awaited<ReturnType<typeof world>>;
  let a: World;
  let b: World;

  async function world(slug: string) {
    const tenant = await app.createTenant(slug);
    for (const id of ['helpdesk', 'sla', 'sla-components']) await enablePlugin(app.services.db, app.services.registry, tenant.id, id);
    const adminId = await app.createStaff(tenant.id, 'admin', `admin@${slug}.test`);
    await app.createStaff(tenant.id, 'supervisor', `super@${slug}.test`);
    await app.createStaff(tenant.id, 'agent', `agent@${slug}.test`);
    const scope = pluginScope<SlaDB>(app.services.db, tenant.id);
    const [acme, globex] = (await scope.insertInto('organisations', [
      { name: 'ACME', number: 'K-1', email_domains: '', phone: null, address: null, notes: null },
      { name: 'Globex', number: 'K-2', email_domains: '', phone: null, address: null, notes: null },
    ]).returning('id').execute()).map((row) => row.id) as [number, number];
    const contract = (await scope.insertInto('contracts', { organisation_id: acme, name: 'ACME Gold', number: 'V-1', valid_from: null, valid_to: null }).returning('id').executeTakeFirstOrThrow()).id;
    const actor: TicketActor = { kind: 'user', id: adminId, label: 'Admin', can: () => true };
    const personId = (await scope.insertInto('people', {
      organisation_id: globex, name: 'Gus Globex', email: `gus@${slug}.test`, phone: null, portal_role: 'customer', is_org_manager: 0, password_hash: null, locale: 'en', active: 1,
    }).returning('id').executeTakeFirstOrThrow()).id;
    const customer: TicketActor = { kind: 'person', id: personId, label: 'Gus Globex' };
    return {
      tenant, slug, scope, acme, globex, contract, actor, customer, personId,
      admin: await app.signIn(`admin@${slug}.test`, slug),
      supervisor: await app.signIn(`super@${slug}.test`, slug),
      agent: await app.signIn(`agent@${slug}.test`, slug),
      service: () => tenantTicketService(app.services, tenant.id),
    };
  }

  const post = (w: World, path: string, values: Record<string, string>, cookie = w.admin) => app.request(`/t/${w.slug}/p/sla${path}`, { method: 'POST', body: new URLSearchParams(values), cookie });
  const page = async (w: World, path: string, cookie = w.agent) => (await app.request(`/t/${w.slug}${path}`, { cookie })).text();
  const idAfter = (response: Response) => Number(/\/(\d+)$/.exec(response.headers.get('location') ?? '')?.[1]);
  const week = (hours: string) => Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((day) => [`hours.${day}`, hours]));
  const targets = (first: number, update: number, solution: number) => Object.fromEntries([1, 2, 3, 4].flatMap((p) => [
    [`target.first_response.${p}`, String(first)], [`target.update.${p}`, String(update)], [`target.solution.${p}`, String(solution)],
  ]));
  const runJob = (w: World) => recomputeJob.run({ tenantId: w.tenant.id, payload: null, db: app.services.db, clock: app.services.clock, services: app.services });
  const clocks = async (w: World, ticketId: number) => Object.fromEntries((await w.scope.selectFrom('sla_clocks').selectAll().where('ticket_id', '=', ticketId).execute()).map((row) => [row.clock, row]));
  const calendarsOf = async (w: World) => (await w.scope.selectFrom('sla_calendars').select('name').orderBy('name').execute()).map((row) => row.name);

  beforeAll(async () => {
    app = await createTestApp(dialect, [installedPlugin('helpdesk'), slaPlugin, componentFixture], { clock: () => new Date(base + offset) });
    a = await world('sla-a');
    b = await world('sla-b');
  });
  afterAll(() => app.cleanup());

  it('creates calendars with several intervals a day, the 24/7 default on first use, holidays and an iCal import; refuses bad input at the fields', async () => {
    expect((await app.request('/t/sla-a/p/sla/calendars', { cookie: a.admin })).status).toBe(200);
    expect(await calendarsOf(a)).toEqual(['24/7']);
    const refused = await post(a, '/calendars', { name: 'Office', zone: 'Mars/Olympus', ...week(''), 'hours.1': '12:00-08:00', 'hours.2': '08:00-12:00, 11:00-13:00' });
    expect(refused.status).toBe(422);
    const html = await refused.text();
    for (const message of ['Enter a time zone such as Europe/Berlin.', 'An interval ends after it starts.', 'The intervals overlap.']) expect(html).toContain(message);
    expect(html).toMatch(/name="name" type="text" value="Office"/);
    expect(await calendarsOf(a)).toEqual(['24/7']);

    const created = await post(a, '/calendars', { name: 'Office', zone: 'Europe/Berlin', ...week(''), 'hours.1': '08:00-12:00, 13:00-17:00' });
    expect(created.status).toBe(303);
    const id = idAfter(created);
    expect(await page(a, `/p/sla/calendars/${id}`, a.admin)).toContain('value="08:00-12:00, 13:00-17:00"');
    const taken = await post(a, '/calendars', { name: 'Office', zone: 'UTC', ...week('00:00-24:00') });
    expect(taken.status).toBe(409);

    const badHoliday = await post(a, `/calendars/${id}/holidays`, { name: 'Every hour', date: '2026-02-30', rrule: 'FREQ=HOURLY' });
    expect(badHoliday.status).toBe(422);
    expect(await badHoliday.text()).toContain('Enter an RRULE that repeats at most daily');
    expect((await post(a, `/calendars/${id}/holidays`, { name: 'New Year', date: '2026-01-01', rrule: 'FREQ=YEARLY' })).status).toBe(303);
    const form = new FormData();
    form.set('file', new File([ICS], 'holidays.ics', { type: 'text/calendar' }));
    expect((await app.request(`/t/sla-a/p/sla/calendars/${id}/import`, { method: 'POST', body: form, cookie: a.admin })).status).toBe(303);
    const notIcs = new FormData();
    notIcs.set('file', new File(['hello'], 'x.ics'));
    expect((await app.request(`/t/sla-a/p/sla/calendars/${id}/import`, { method: 'POST', body: notIcs, cookie: a.admin })).status).toBe(422);
    const holidays = await a.scope.selectFrom('sla_holidays').select(['name', 'date', 'rrule']).where('calendar_id', '=', id).orderBy('date').execute();
    expect(holidays).toEqual([
      { name: 'New Year', date: '2026-01-01', rrule: 'FREQ=YEARLY' },
      { name: 'Christmas', date: '2026-12-25', rrule: 'FREQ=YEARLY' },
      { name: 'Easter Monday', date: '2027-04-05', rrule: null },
    ]);
    // Agents do not set up calendars.
    expect((await app.request('/t/sla-a/p/sla/calendars', { cookie: a.agent })).status).toBe(403);
  });

  it('refuses a level with bad targets at the fields and saves nothing', async () => {
    const refused = await post(a, '/levels', { name: '', calendarId: '999999', ...targets(60, 120, 480), 'target.solution.2': '-5' });
    expect(refused.status).toBe(422);
    const html = await refused.text();
    expect(html).toContain('Enter a name.');
    expect(html).toContain('Whole minutes from 1 to 525600, or empty.');
    expect(await a.scope.selectFrom('sla_levels').select('id').execute()).toEqual([]);
  });

  it('chooses the level by precedence (contract, organisation default, tenant default) and shows why on the ticket', async () => {
    const always = (await a.scope.selectFrom('sla_calendars').select('id').where('is_default', '=', 1).executeTakeFirstOrThrow()).id;
    const level = async (name: string, t = targets(60, 120, 480)) => idAfter(await post(a, '/levels', { name, calendarId: String(always), ...t }))
      || (await a.scope.selectFrom('sla_levels').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;
    const gold = await level('Gold');
    const silver = await level('Silver');
    const bronze = await level('Bronze');
    const component = await level('Component');
    const refusedSettings = await post(a, '/settings', { defaultLevelId: '999999', pausing: 'waiting' });
    expect(refusedSettings.status).toBe(422);
    expect(await refusedSettings.text()).toContain('Choose one of the service levels.');
    expect((await post(a, '/settings', { defaultLevelId: String(bronze), pausing: 'closed' })).status).toBe(422);
    expect(await app.services.tenants.pluginSettings(a.tenant.id, 'sla')).toEqual({ defaultLevelId: null, pausingStatuses: ['waiting'], lockIdleMinutes: 5 });
    expect((await post(a, '/settings', { defaultLevelId: String(bronze), pausing: 'waiting' })).status).toBe(303);
    // Agents may not pick a contract's level; supervisors may.
    expect((await post(a, `/organisations/${a.acme}/level`, { levelId: String(silver) }, a.agent)).status).toBe(403);
    expect((await post(a, `/organisations/${a.acme}/level`, { levelId: String(silver) }, a.supervisor)).status).toBe(303);
    expect((await post(a, `/contracts/${a.contract}/level`, { levelId: String(gold) }, a.supervisor)).status).toBe(303);
    expect((await post(a, `/contracts/${a.contract}/level`, { levelId: '999999' }, a.supervisor)).status).toBe(422);

    const service = await a.service();
    const onContract = await service.create({ subject: 'Printer', description: 'x', organisationId: a.acme, contractId: a.contract }, a.actor);
    const onOrganisation = await service.create({ subject: 'Scanner', description: 'x', organisationId: a.acme }, a.actor);
    const onTenant = await service.create({ subject: 'Phone', description: 'x', organisationId: a.globex }, a.actor);
    const onComponent = await service.create({ subject: 'Device down', description: 'x', organisationId: a.acme, contractId: a.contract }, a.actor);
    const chosen = async (ticketId: number) => a.scope.selectFrom('sla_tickets').select(['level_id', 'source', 'source_label']).where('ticket_id', '=', ticketId).executeTakeFirst();
    expect(await chosen(onContract.id)).toEqual({ level_id: gold, source: 'contract', source_label: 'V-1' });
    expect(await chosen(onOrganisation.id)).toEqual({ level_id: silver, source: 'organisation', source_label: 'ACME' });
    expect(await chosen(onTenant.id)).toEqual({ level_id: bronze, source: 'tenant', source_label: '' });
    // A component's level (from the extension point's provider) comes before the contract's.
    expect(await chosen(onComponent.id)).toEqual({ level_id: component, source: 'component', source_label: 'Router SN-7' });
    expect(await page(a, `/desk/tickets/${onComponent.number}`)).toContain('from component Router SN-7');
    const ticketPage = await page(a, `/desk/tickets/${onContract.number}`);
    expect(ticketPage).toContain('from contract V-1');
    expect(ticketPage).toContain('id="sla-badges"');
    expect(ticketPage).toContain('id="sla-badge-first_response"');
    expect(await page(a, `/desk/contracts/${a.contract}`, a.supervisor)).toContain('id="sla-contract-level-save"');

    // Taking the contract's level away queues its tickets; the job gives them the organisation's default.
    expect((await post(a, `/contracts/${a.contract}/level`, { levelId: '' }, a.supervisor)).status).toBe(303);
    expect(await a.scope.selectFrom('sla_recompute').select('ticket_id').where('ticket_id', '=', onContract.id).executeTakeFirst()).toBeDefined();
    await runJob(a);
    expect(await chosen(onContract.id)).toEqual({ level_id: silver, source: 'organisation', source_label: 'ACME' });
    expect(await a.scope.selectFrom('sla_recompute').select('ticket_id').execute()).toEqual([]);
  });

  it('rebuilds the clocks from the history: pauses while waiting, moves the due time with the calendar, continues after a reopen', async () => {
    const calendar = idAfter(await post(a, '/calendars', { name: 'Clock test', zone: 'UTC', ...week('00:00-24:00') }));
    const level = idAfter(await post(a, '/levels', { name: 'Clocked', calendarId: String(calendar), ...targets(60, 120, 600) }));
    expect((await post(a, `/organisations/${a.globex}/level`, { levelId: String(level) }, a.supervisor)).status).toBe(303);
    await runJob(a);
    const service = await a.service();
    setClock(-600);
    const ticket = await service.create({ subject: 'Clocks', description: 'x', organisationId: a.globex, requesterId: a.personId }, a.actor);
    const created = base - 600 * MINUTE;
    expect((await clocks(a, ticket.id)).solution).toMatchObject({ state: 'running', due_at: new Date(created + 600 * MINUTE).toISOString() });
    // Answered after 30 minutes, asking back: waiting for two hours, then the customer answers.
    setClock(-570);
    await service.addArticle(ticket.number, { kind: 'reply', body: 'Which model?', statusAfter: 'waiting' }, a.actor);
    expect((await clocks(a, ticket.id)).first_response).toMatchObject({ state: 'met', over_minutes: -30 });
    expect((await clocks(a, ticket.id)).solution).toMatchObject({ state: 'paused', due_at: null, remaining_minutes: 570 });
    setClock(-450);
    await service.addArticle(ticket.number, { kind: 'customer', body: 'Model 5' }, a.customer);
    let solution = (await clocks(a, ticket.id)).solution!;
    expect(solution).toMatchObject({ state: 'running', paused_minutes: 120, due_at: new Date(created + 720 * MINUTE).toISOString() });

    // The calendar loses its nights: the job moves the due time to where 570 minutes of 08:00-20:00 are left.
    expect((await post(a, `/calendars/${calendar}`, { name: 'Clock test', zone: 'UTC', ...week('08:00-20:00') })).status).toBe(303);
    await runJob(a);
    const moved = (await clocks(a, ticket.id)).solution!;
    expect(moved.due_at).not.toBe(solution.due_at);
    expect(Date.parse(moved.due_at!)).toBeGreaterThan(Date.parse(solution.due_at!));
    // Back to around the clock; solved after 60 more minutes, reopened an hour later: the clock continues where it stood.
    expect((await post(a, `/calendars/${calendar}`, { name: 'Clock test', zone: 'UTC', ...week('00:00-24:00') })).status).toBe(303);
    await runJob(a);
    setClock(-390);
    await service.changeStatus(ticket.number, 'solved', a.actor);
    expect((await clocks(a, ticket.id)).solution).toMatchObject({ state: 'met', over_minutes: -510 });
    setClock(-330);
    await service.changeStatus(ticket.number, 'open', a.actor);
    solution = (await clocks(a, ticket.id)).solution!;
    // 90 minutes used before the solve, the solved hour not counted: due 510 minutes after the reopen.
    expect(solution).toMatchObject({ state: 'running', achieved_at: null });
    expect(solution.due_at).toBe(new Date(base - 330 * MINUTE + 510 * MINUTE).toISOString());
    setClock(0);
  });

  it('shows the due column and filters overdue tickets and those breaking within an hour; refuses an unknown filter value', async () => {
    const service = await a.service();
    setClock(-600);
    const late = await service.create({ subject: 'Listed late', description: 'x', organisationId: a.globex }, a.actor);
    setClock(-30);
    const soon = await service.create({ subject: 'Listed soon', description: 'x', organisationId: a.globex }, a.actor);
    setClock(0);
    const calm = await service.create({ subject: 'Listed calm', description: 'x', organisationId: a.acme }, a.actor);
    await a.scope.updateTable('sla_clocks').set({ due_at: new Date(base + 5 * 3600_000).toISOString() }).where('ticket_id', '=', calm.id).execute();
    const list = await page(a, '/desk/tickets?queue=all&q=Listed');
    expect(list).toContain('data-column="sla.due"');
    expect(list).toContain('sla-tone-late');
    const overdue = await page(a, '/desk/tickets?queue=all&q=Listed&p.sla.due=overdue');
    expect(overdue).toContain(late.number);
    expect(overdue).not.toContain(soon.number);
    expect(overdue).not.toContain(calm.number);
    const within = await page(a, '/desk/tickets?queue=all&q=Listed&p.sla.due=soon');
    expect(within).toContain(soon.number);
    expect(within).not.toContain(late.number);
    expect(within).not.toContain(calm.number);
    const refused = await app.request('/t/sla-a/desk/tickets?queue=all&p.sla.due=later', { cookie: a.agent });
    expect(refused.status).toBe(422);
  });

  it('answers 404 to another tenant\'s ids on every route and changes nothing there', async () => {
    const calendar = (await a.scope.selectFrom('sla_calendars').select('id').where('name', '=', 'Office').executeTakeFirstOrThrow()).id;
    const holiday = (await a.scope.selectFrom('sla_holidays').select('id').where('calendar_id', '=', calendar).executeTakeFirstOrThrow()).id;
    const level = (await a.scope.selectFrom('sla_levels').select('id').where('name', '=', 'Gold').executeTakeFirstOrThrow()).id;
    const before = { calendars: await calendarsOf(a), holidays: await a.scope.selectFrom('sla_holidays').select('id').execute(), assignments: await a.scope.selectFrom('sla_assignments').selectAll().execute() };
    for (const path of [`/calendars/${calendar}`, `/levels/${level}`]) expect((await app.request(`/t/sla-b/p/sla${path}`, { cookie: b.admin })).status, path).toBe(404);
    const posts: Array<[string, Record<string, string>]> = [
      [`/calendars/${calendar}`, { name: 'Stolen', zone: 'UTC', ...week('00:00-24:00') }],
      [`/calendars/${calendar}/delete`, {}],
      [`/calendars/${calendar}/holidays`, { name: 'X', date: '2026-05-01', rrule: '' }],
      [`/calendars/${calendar}/holidays/${holiday}/delete`, {}],
      [`/calendars/${calendar}/import`, {}],
      [`/levels/${level}`, { name: 'Stolen', calendarId: String(calendar), ...targets(1, 1, 1) }],
      [`/levels/${level}/delete`, {}],
      [`/contracts/${a.contract}/level`, { levelId: '' }],
      [`/organisations/${a.acme}/level`, { levelId: '' }],
    ];
    for (const [path, values] of posts) expect((await post(b, path, values)).status, path).toBe(404);
    // B's own level cannot be put on A's... and A's level id is not one of B's.
    expect((await post(b, `/organisations/${b.acme}/level`, { levelId: String(level) }, b.supervisor)).status).toBe(422);
    expect({ calendars: await calendarsOf(a), holidays: await a.scope.selectFrom('sla_holidays').select('id').execute(), assignments: await a.scope.selectFrom('sla_assignments').selectAll().execute() }).toEqual(before);
  });
});
