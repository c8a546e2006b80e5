import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enablePlugin } from '../../core/plugin-host/plugin-switches.js';
import { KPI_BUSINESS_TIME, tenantTicketService, type TicketActor } from '../../core/plugin-api.js';
import { recountKpiFacts, storedKpiFacts } from '../../core/statistics/kpi-fact-store.js';
import { createTestApp, type TestApp } from '../../test/harness/test-app.js';
import { dialects } from '../../test/harness/test-database.js';
import { slaPlugin } from './index.js';
import { installedPlugin } from '../../test/harness/installed-plugin.js';

const H = 3600;

/**
 * The core's KPI report counts business time through its seam `core.kpiBusinessTime`, which the sla
 * plugin fills from the calendar of each ticket's service level; a tenant without sla counts wall time.
 * Friday 6 March 2026 16:00 UTC to Monday 09:00 is 65 hours on the clock and 2 in the office (08-17 UTC).
 */
describe.each(dialects)('KPI business time from the sla plugin on %s', (dialect) => {
  let app: TestApp;
  let now = Date.parse('2026-03-06T16:00:00Z');

  async function world(slug: string, sla: boolean) {
    const tenant = await app.createTenant(slug);
    if (sla) for (const id of ['helpdesk', 'sla']) await enablePlugin(app.services.db, app.services.registry, tenant.id, id);
    await app.services.db.updateTable('tenants').set({ time_zone: 'UTC' }).where('id', '=', tenant.id).execute();
    const adminId = await app.createStaff(tenant.id, 'admin', `admin@${slug}.test`);
    const session = await app.signIn(`admin@${slug}.test`, slug);
    if (sla) {
      const post = (path: string, values: Record<string, string>) => app.request(`/t/${slug}/p/sla${path}`, { method: 'POST', body: new URLSearchParams(values), cookie: session });
      const week = Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((day) => [`hours.${day}`, day <= 5 ? '08:00-17:00' : '']));
      const calendar = Number(/(\d+)$/.exec((await post('/calendars', { name: 'Office', zone: 'UTC', ...week })).headers.get('location') ?? '')![1]);
      const targets = Object.fromEntries([1, 2, 3, 4].flatMap((p) => [[`target.first_response.${p}`, '60'], [`target.update.${p}`, ''], [`target.solution.${p}`, '480']]));
      const level = Number(/(\d+)$/.exec((await post('/levels', { name: 'Standard', calendarId: String(calendar), ...targets })).headers.get('location') ?? '')![1]);
      expect((await post('/settings', { defaultLevelId: String(level), pausing: 'waiting' })).status).toBe(303);
    }
    const actor: TicketActor = { kind: 'user', id: adminId, label: 'Admin', can: () => true };
    now = Date.parse('2026-03-06T16:00:00Z');
    const service = () => tenantTicketService(app.services, tenant.id);
    const ticket = await (await service()).create({ subject: 'Printer', description: 'jam', channel: 'phone' }, actor);
    now = Date.parse('2026-03-09T09:00:00Z');
    await (await service()).addArticle(ticket.number, { kind: 'reply', body: 'On it' }, actor);
    now = Date.parse('2026-03-09T10:00:00Z');
    await (await service()).changeStatus(ticket.number, 'solved', actor);
    // Signed in again now: three days on, the first session has lapsed.
    return { tenant, session: await app.signIn(`admin@${slug}.test`, slug), ticket };
  }

  beforeAll(async () => {
    app = await createTestApp(dialect, [installedPlugin('helpdesk'), slaPlugin], { clock: () => new Date(now) });
  });
  afterAll(() => app?.cleanup());

  it('stores business seconds while sla is on and says so on the page; wall time otherwise', async () => {
    const office = await world('kpi-sla', true);
    const wall = await world('kpi-wall', false);
    const fact = async (tenantId: number, ticketId: number) => (await storedKpiFacts(app.services.db, tenantId)).get(ticketId);
    expect(await fact(office.tenant.id, office.ticket.id)).toMatchObject({ first_response_seconds: 65 * H, first_response_business: 2 * H, resolution_seconds: 66 * H, resolution_business: 3 * H });
    expect(await fact(wall.tenant.id, wall.ticket.id)).toMatchObject({ first_response_seconds: 65 * H, first_response_business: null, resolution_business: null });
    // The recount asks the same provider and agrees.
    const [provider] = await app.services.hooks.extensions(KPI_BUSINESS_TIME, office.tenant.id);
    expect(provider).toBeDefined();
    expect(await recountKpiFacts(app.services.db, office.tenant.id, 'UTC', provider)).toEqual(await storedKpiFacts(app.services.db, office.tenant.id));

    const page = async (w: typeof office) => (await app.request(`/t/${w.tenant.slug}/desk/statistics/kpi?from=2026-03-01&to=2026-03-10&groupBy=channel`, { cookie: w.session })).text();
    const withSla = await page(office);
    expect(withSla).toContain('Times in business hours');
    expect(withSla).toMatch(/<tr data-key="phone"><th scope="row">Phone<\/th><td class="num">1<\/td><td class="num">1<\/td><td class="num">2.0<\/td><td class="num">2.0<\/td><td class="num">2.0<\/td><td class="num">3.0<\/td>/);
    const withoutSla = await page(wall);
    expect(withoutSla).toContain('Times in wall-clock hours');
    expect(withoutSla).toMatch(/<tr data-key="phone"><th scope="row">Phone<\/th><td class="num">1<\/td><td class="num">1<\/td><td class="num">65.0<\/td>/);
  });
});
