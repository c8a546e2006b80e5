import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enablePlugin } from '../../core/plugin-host/plugin-switches.js';
import { isoToZoned, pluginScope, tenantTicketService, updatePluginSettings, type TicketActor } from '../../core/plugin-api.js';
import { createTestApp, type TestApp } from '../../test/harness/test-app.js';
import { dialects } from '../../test/harness/test-database.js';
import { slaPlugin } from './index.js';
import type { SlaDB } from './sla-db.js';
import { installedPlugin } from '../../test/harness/installed-plugin.js';

const MINUTE = 60_000;
const BASE = Date.parse('2026-11-10T09:00:00.000Z');
const ICS = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN',
  'BEGIN:VEVENT', 'UID:a@test', 'DTSTART;VALUE=DATE:20261225', 'RRULE:FREQ=YEARLY', 'SUMMARY:Christmas', 'END:VEVENT', 'END:VCALENDAR'].join('\r\n');

describe.each(dialects)('plugin sla REST API and reports on %s', (dialect) => {
  let app: TestApp;
  let offset = 0;
  const at = (minutes: number) => { offset = minutes * MINUTE; };
  type World = Awaited<ReturnType<typeof world>>;
  let a: World;
  let b: World;

  async function world(slug: string) {
    const tenant = await app.createTenant(slug);
    for (const id of ['helpdesk', 'sla']) await enablePlugin(app.services.db, app.services.registry, tenant.id, id);
    const adminId = await app.createStaff(tenant.id, 'admin', `admin@${slug}.test`);
    await app.createStaff(tenant.id, 'agent', `agent@${slug}.test`);
    await app.createStaff(tenant.id, 'supervisor', `super@${slug}.test`);
    const scope = pluginScope<SlaDB>(app.services.db, tenant.id);
    const actor: TicketActor = { kind: 'user', id: adminId, label: 'Admin', can: () => true };
    return {
      tenant, slug, scope, actor,
      admin: await app.signIn(`admin@${slug}.test`, slug),
      agent: await app.signIn(`agent@${slug}.test`, slug),
      supervisor: await app.signIn(`super@${slug}.test`, slug),
      service: () => tenantTicketService(app.services, tenant.id),
    };
  }
  const api = (w: World, method: string, path: string, body?: unknown, cookie = w.admin) => app.request(`/t/${w.slug}/api/v1${path}`, {
    method, cookie, ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } }),
  });
  const json = async (response: Response) => (await response.json()) as { data: Record<string, unknown> & Array<Record<string, unknown>>; error: { fields: Record<string, string> } };
  const week = (text: string) => Object.fromEntries(['1', '2', '3', '4', '5', '6', '7'].map((day) => [day, text]));

  beforeAll(async () => {
    app = await createTestApp(dialect, [installedPlugin('helpdesk'), slaPlugin], { clock: () => new Date(BASE + offset) });
    a = await world('api-a');
    b = await world('api-b');
  });
  afterAll(() => app.cleanup());

  it('creates, reads, changes and deletes calendars, imports holidays, refuses bad input at the body\'s paths', async () => {
    const refused = await api(a, 'POST', '/calendars', { name: '', time_zone: 'Mars/Olympus', hours: { 1: '12:00-08:00' } });
    expect(refused.status).toBe(422);
    expect(Object.keys((await json(refused)).error.fields).sort()).toEqual(['hours.1', 'name', 'time_zone']);
    expect((await api(a, 'POST', '/calendars', { name: 'Office', time_zone: 'Europe/Berlin', hours: {}, colour: 'red' })).status).toBe(422);
    expect((await api(a, 'POST', '/calendars', { name: 'Office', time_zone: 'Europe/Berlin', hours: { 1: '08:00-17:00' } }, a.agent)).status).toBe(403);

    const created = await api(a, 'POST', '/calendars', { name: 'Office', time_zone: 'Europe/Berlin', hours: { 1: '08:00-12:00, 13:00-17:00', 2: '08:00-17:00' } });
    expect(created.status).toBe(201);
    const calendar = (await json(created)).data;
    expect(created.headers.get('Location')).toBe(`/t/api-a/api/v1/calendars/${calendar.id}`);
    expect(calendar).toMatchObject({ name: 'Office', time_zone: 'Europe/Berlin', is_default: false, hours: { 1: '08:00-12:00, 13:00-17:00', 2: '08:00-17:00', 3: '' }, holidays: [] });

    const list = (await json(await api(a, 'GET', '/calendars', undefined, a.agent))).data.map((c) => c.name);
    expect(list).toEqual(['24/7', 'Office']);
    const patched = await api(a, 'PATCH', `/calendars/${calendar.id}`, { name: 'Office hours' });
    expect(patched.status).toBe(200);
    expect((await json(patched)).data).toMatchObject({ name: 'Office hours', hours: { 1: '08:00-12:00, 13:00-17:00' } });
    expect((await api(a, 'PATCH', `/calendars/${calendar.id}`, { hours: { 3: '9-5' } })).status).toBe(422);

    const imported = await api(a, 'POST', `/calendars/${calendar.id}/holidays/import`, { ics: ICS });
    expect(imported.status).toBe(200);
    expect((await json(imported)).data).toMatchObject({ imported: 1, calendar: { holidays: [{ name: 'Christmas', date: '2026-12-25', rrule: 'FREQ=YEARLY' }] } });
    const notIcs = await api(a, 'POST', `/calendars/${calendar.id}/holidays/import`, { ics: 'hello' });
    expect(notIcs.status).toBe(422);
    expect(Object.keys((await json(notIcs)).error.fields)).toEqual(['ics']);

    // Another tenant's calendar is not there.
    for (const [method, body] of [['GET', undefined], ['PATCH', { name: 'Mine' }], ['DELETE', undefined]] as const) expect((await api(b, method, `/calendars/${calendar.id}`, body)).status).toBe(404);
    expect((await api(b, 'POST', `/calendars/${calendar.id}/holidays/import`, { ics: ICS })).status).toBe(404);

    const always = (await json(await api(a, 'GET', '/calendars'))).data.find((c) => c.is_default)!;
    expect((await api(a, 'DELETE', `/calendars/${always.id}`)).status).toBe(409);
    const gone = await api(a, 'DELETE', `/calendars/${calendar.id}`);
    expect(gone.status).toBe(204);
    expect(await gone.text()).toBe('');
    expect((await api(a, 'GET', `/calendars/${calendar.id}`)).status).toBe(404);
    expect((await app.services.db.selectFrom('audit_log').select('action').where('tenant_id', '=', a.tenant.id).where('action', 'like', 'sla.%').execute()).map((r) => r.action))
      .toEqual(expect.arrayContaining(['sla.calendar_created', 'sla.calendar_changed', 'sla.holidays_imported', 'sla.calendar_deleted']));
  });

  it('manages service levels with targets per priority, refusing bad ones at targets.<clock>.<index>, 404 across tenants', async () => {
    const always = (await json(await api(a, 'GET', '/calendars'))).data.find((c) => c.is_default)!;
    const refused = await api(a, 'POST', '/service-levels', { name: 'Bad', calendar_id: 999999, targets: { solution: [60, -5, 60, 60] } });
    expect(refused.status).toBe(422);
    expect(Object.keys((await json(refused)).error.fields)).toEqual(['targets.solution.1']);
    const noCalendar = await api(a, 'POST', '/service-levels', { name: 'Bad', calendar_id: 999999 });
    expect(noCalendar.status).toBe(422);
    expect(Object.keys((await json(noCalendar)).error.fields)).toEqual(['calendar_id']);
    const created = await api(a, 'POST', '/service-levels', { name: 'Gold', calendar_id: always.id, targets: { first_response: [60, 60, 60, 60], solution: [240, 240, 240, 240] } });
    expect(created.status).toBe(201);
    const level = (await json(created)).data;
    expect(level).toMatchObject({ name: 'Gold', calendar_id: always.id, targets: { first_response: [60, 60, 60, 60], update: [null, null, null, null], solution: [240, 240, 240, 240] } });
    expect((await api(a, 'POST', '/service-levels', { name: 'Gold', calendar_id: always.id })).status).toBe(409);
    const patched = await api(a, 'PATCH', `/service-levels/${level.id}`, { targets: { update: [120, null, null, null] } });
    expect((await json(patched)).data).toMatchObject({ targets: { first_response: [60, 60, 60, 60], update: [120, null, null, null] } });
    expect((await json(await api(a, 'GET', '/service-levels', undefined, a.agent))).data.map((l) => l.name)).toEqual(['Gold']);
    for (const [method, body] of [['GET', undefined], ['PATCH', { name: 'Mine' }], ['DELETE', undefined]] as const) expect((await api(b, method, `/service-levels/${level.id}`, body)).status).toBe(404);
    const temp = (await json(await api(a, 'POST', '/service-levels', { name: 'Temp', calendar_id: always.id }))).data;
    expect((await api(a, 'DELETE', `/service-levels/${temp.id}`)).status).toBe(204);
    expect((await api(a, 'GET', `/service-levels/${temp.id}`)).status).toBe(404);
  });

  it('reports compliance by group with hand-computed numbers, the same on the page, in the CSV and from the API; a ticket\'s clocks', async () => {
    const gold = (await json(await api(a, 'GET', '/service-levels'))).data.find((l) => l.name === 'Gold')!;
    await api(a, 'PATCH', `/service-levels/${gold.id}`, { targets: { update: [null, null, null, null] } });
    await updatePluginSettings(app.services.db, app.services.registry, a.tenant.id, 'sla', { defaultLevelId: gold.id, pausingStatuses: ['waiting'] });
    const [x, y] = (await a.scope.insertInto('support_groups', [{ name: 'Desk X', level: 'first' }, { name: 'Desk Y', level: 'first' }]).returning('id').execute()).map((g) => g.id) as [number, number];
    const service = await a.service();
    // 24/7: business minutes are wall minutes. Targets: first response 60, solution 240.
    at(0);
    const t1 = await service.create({ subject: 'One', description: 'x', groupId: x }, a.actor);
    const t2 = await service.create({ subject: 'Two', description: 'x', groupId: y }, a.actor);
    const t3 = await service.create({ subject: 'Three', description: 'x', groupId: x }, a.actor);
    at(30); await service.addArticle(t1.number, { kind: 'reply', body: 'Which printer?', statusAfter: 'waiting' }, a.actor); // first response met in 30
    at(50); await service.changeStatus(t1.number, 'open', a.actor); // waited 20 minutes
    at(90); await service.addArticle(t2.number, { kind: 'reply', body: 'Late' }, a.actor); // first response breached: 90
    at(100); await service.changeStatus(t1.number, 'solved', a.actor); // solution met: 100 - 20 paused = 80
    at(300); await service.changeStatus(t2.number, 'solved', a.actor); // solution breached: 300
    at(400); // t3: neither answered nor solved, both clocks past due: breached

    const day = isoToZoned(new Date(BASE).toISOString(), a.tenant.time_zone).slice(0, 10);
    const report = await api(a, 'GET', `/reports/sla?from=${day}&to=${day}&groupBy=group`, undefined, a.supervisor);
    expect(report.status).toBe(200);
    const data = (await json(report)).data as unknown as { rows: unknown[]; total: unknown };
    expect(data.rows).toEqual([
      { key: String(x), label: 'Desk X', tickets: 2, met: 2, breached: 2, compliance: 50, paused_minutes: 20, first_response_median: 30, solution_median: 80 },
      { key: String(y), label: 'Desk Y', tickets: 1, met: 0, breached: 2, compliance: 0, paused_minutes: 0, first_response_median: 90, solution_median: 300 },
    ]);
    expect(data.total).toEqual({ key: 'total', label: 'All', tickets: 3, met: 2, breached: 4, compliance: 33.3, paused_minutes: 20, first_response_median: 60, solution_median: 190 });

    const csv = await app.request(`/t/api-a/p/sla/reports.csv?from=${day}&to=${day}&groupBy=group`, { cookie: a.supervisor });
    expect(csv.headers.get('Content-Type')).toContain('text/csv');
    expect(await csv.text()).toBe('Group,Tickets,Met,Breached,Compliance (%),Paused (business minutes),First response median (business minutes),Solution median (business minutes)\r\n'
      + 'Desk X,2,2,2,50,20,30,80\r\nDesk Y,1,0,2,0,0,90,300\r\nAll,3,2,4,33.3,20,60,190\r\n');
    const page = await (await app.request(`/t/api-a/p/sla/reports?from=${day}&to=${day}&groupBy=group`, { cookie: a.supervisor })).text();
    expect(page).toContain('id="sla-chart-compliance"');
    expect(page).toMatch(/<th scope="row">Desk X<\/th><td class="num">2<\/td><td class="num">2<\/td><td class="num">2<\/td><td class="num">50 %<\/td>/);
    expect((await app.request(`/t/api-a/p/sla/reports`, { cookie: a.agent })).status).toBe(403);
    // The statistics panel (this month by the real clock, which slot contexts read) is there for supervisors only.
    const stats = await (await app.request('/t/api-a/desk/statistics', { cookie: a.supervisor })).text();
    expect(stats).toContain('<h2 id="stat-sla-compliance-title">SLA compliance this month</h2>');
    expect(await (await app.request('/t/api-a/desk/statistics', { cookie: a.agent })).text()).not.toContain('id="stat-sla-compliance"');
    const bad = await app.request(`/t/api-a/p/sla/reports?from=2026-13-01&to=${day}`, { cookie: a.supervisor });
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain('Enter a date.');
    const reversed = await api(a, 'GET', `/reports/sla?from=${day}&to=2020-01-01&groupBy=nobody`, undefined, a.supervisor);
    expect(reversed.status).toBe(422);
    expect(Object.keys((await json(reversed)).error.fields).sort()).toEqual(['groupBy']);
    expect((await api(a, 'GET', `/reports/sla?from=${day}&to=${day}`, undefined, a.agent)).status).toBe(403);
    // Another tenant's report holds none of these tickets.
    expect((await json(await api(b, 'GET', `/reports/sla?from=${day}&to=${day}`))).data).toMatchObject({ rows: [], total: { tickets: 0 } });

    // Periods are days in the tenant's zone: a ticket opened at 23:30 UTC is the next day's in Berlin.
    expect(a.tenant.time_zone).toBe('Europe/Berlin');
    at(14 * 60 + 30);
    await service.create({ subject: 'Late in the evening', description: 'x', groupId: y }, a.actor);
    const sameDay = (await json(await api(a, 'GET', `/reports/sla?from=${day}&to=${day}&groupBy=group`, undefined, a.supervisor))).data as unknown as { total: { tickets: number } };
    expect(sameDay.total.tickets).toBe(3);
    const nextDay = (await json(await api(a, 'GET', '/reports/sla?from=2026-11-11&to=2026-11-11&groupBy=month', undefined, a.supervisor))).data as unknown as { rows: unknown[] };
    expect(nextDay.rows).toEqual([expect.objectContaining({ key: '2026-11', label: '2026-11', tickets: 1, met: 0, breached: 0 })]);

    const sla = await api(a, 'GET', `/tickets/${t1.number}/sla`, undefined, a.agent);
    expect((await json(sla)).data).toMatchObject({
      level: { id: gold.id, name: 'Gold', source: 'tenant' },
      clocks: expect.arrayContaining([
        expect.objectContaining({ clock: 'first_response', state: 'met', over_minutes: -30, left_minutes: null }),
        expect.objectContaining({ clock: 'solution', state: 'met', paused_minutes: 20, over_minutes: -160 }),
      ]),
    });
    expect((await api(b, 'GET', `/tickets/${t3.number}/sla`)).status).toBe(404);
  });

  it('lists the operations in openapi.json only while the plugin is on, and answers 404 while it is off', async () => {
    const paths = async (w: World) => Object.keys(((await (await api(w, 'GET', '/openapi.json')).json()) as { paths: Record<string, unknown> }).paths);
    const onDoc = (await (await api(a, 'GET', '/openapi.json')).json()) as { paths: Record<string, Record<string, { responses: Record<string, { content?: unknown }> }>> };
    // A DELETE answers 204 without a body, and the document says so.
    expect(onDoc.paths['/calendars/{id}']!.delete!.responses['204']).toMatchObject({ description: 'done; no content' });
    expect(onDoc.paths['/calendars/{id}']!.delete!.responses['204']!.content).toBeUndefined();
    expect(await paths(a)).toEqual(expect.arrayContaining(['/calendars', '/calendars/{id}', '/calendars/{id}/holidays/import', '/service-levels', '/service-levels/{id}', '/tickets/{number}/sla', '/reports/sla']));
    const off = await app.createTenant('api-off');
    await enablePlugin(app.services.db, app.services.registry, off.id, 'helpdesk');
    await app.createStaff(off.id, 'admin', 'admin@api-off.test');
    const cookie = await app.signIn('admin@api-off.test', 'api-off');
    const doc = (await (await app.request('/t/api-off/api/v1/openapi.json', { cookie })).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).not.toContain('/calendars');
    expect((await app.request('/t/api-off/api/v1/calendars', { cookie })).status).toBe(404);
    expect((await app.request('/t/api-off/p/sla/reports', { cookie })).status).toBe(404);
  });
});
