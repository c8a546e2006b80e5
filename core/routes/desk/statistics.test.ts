import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TicketStatus } from '../../db/schema.js';
import { enablePlugin } from '../../plugin-host/plugin-switches.js';
import { tenantScope } from '../../tenancy/tenant-scope.js';
import { rebuildHotline } from '../../statistics/hotline-aggregate.js';
import { isoToZoned } from '../../i18n/time-zone.js';
import { tallyPlugin } from '../../../test/plugins/tally-plugin.js';
import { createTestApp, type TestApp } from '../../../test/harness/test-app.js';
import { dialects } from '../../../test/harness/test-database.js';

/** The status table's row: right now (count, share), created in the period (count, share). */
const row = (label: string, count: number, share = '') => `<th scope="row">${label}</th><td class="num">${count}</td>${share ? `<td class="num">${share}</td>` : ''}`;

describe.each(dialects)('statistics page on %s', (dialect) => {
  const seededAt = new Date(Date.now() - 8 * 86_400_000).toISOString();
  let app: TestApp;
  let acme: number;
  let globex: number;
  const cookies: Record<'admin' | 'supervisor' | 'agent' | 'globexAdmin', string> = { admin: '', supervisor: '', agent: '', globexAdmin: '' };

  const page = (slug: string, cookie: string, language = 'en') => app.request(`/t/${slug}/desk/statistics`, { cookie, headers: { 'Accept-Language': language } });
  const html = async (slug: string, cookie: string, language = 'en') => {
    const response = await page(slug, cookie, language);
    expect(response.status).toBe(200);
    return response.text();
  };

  beforeAll(async () => {
    app = await createTestApp(dialect, [tallyPlugin]);
    acme = (await app.createTenant('acme')).id;
    globex = (await app.createTenant('globex')).id;
    await enablePlugin(app.services.db, app.services.registry, acme, 'tally');
    await app.createStaff(acme, 'admin', 'admin@acme.test');
    await app.createStaff(acme, 'supervisor', 'super@acme.test');
    await app.createStaff(acme, 'agent', 'agent@acme.test');
    await app.createStaff(globex, 'admin', 'admin@globex.test');
    cookies.admin = await app.signIn('admin@acme.test', 'acme');
    cookies.supervisor = await app.signIn('super@acme.test', 'acme');
    cookies.agent = await app.signIn('agent@acme.test', 'acme');
    cookies.globexAdmin = await app.signIn('admin@globex.test', 'globex');
    // Seven days ago: in the 30-day period, not in the 7-day one.
    const now = seededAt;
    const tickets = (tenantId: number, prefix: string, statuses: Array<TicketStatus | 'deleted'>) => tenantScope(app.services.db, tenantId).insertInto('tickets', statuses.map((status, index) => ({
      number: `${prefix}-${index + 1}`, subject: `Ticket ${index + 1}`, status: status === 'deleted' ? 'new' : status,
      created_at: now, updated_at: now, deleted_at: status === 'deleted' ? now : null,
    }))).execute();
    // Deleted tickets are not counted. Written past the ticket service, so the aggregate is rebuilt (as the job does).
    await tickets(acme, 'A', ['new', 'new', 'open', 'solved', 'solved', 'solved', 'closed', 'deleted']);
    await tickets(globex, 'G', ['new', 'new', 'new', 'new', 'new']);
    for (const tenant of [acme, globex]) await rebuildHotline(app.services.db, dialect, tenant, 'Europe/Berlin', new Date().toISOString());
  });
  afterAll(() => app.cleanup());

  it('shows the core\'s hotline panel first: the period picker, an SVG chart with the numbers in a table, then the plugins\' panels', async () => {
    const text = await html('acme', cookies.admin);
    expect(text).toContain('<h1>Statistics</h1>');
    expect(text).toContain('<h2 id="stat-core-hotline-title">Hotline</h2>');
    expect(text).toMatch(/<svg class="bar-chart"[^>]*role="img" aria-label="Bar chart of the tickets by status right now"/);
    expect(text).toMatch(/<svg class="trend-chart" id="hotline-trend-chart"[^>]*role="img"/);
    // Right now: every status with its share; nothing was created in the default 7 days.
    for (const [label, count, share] of [['New', 2, '29%'], ['Customer waits', 1, '14%'], ['Support waits', 0, '0%'], ['Solved', 3, '43%'], ['Closed', 1, '14%']] as const) {
      expect(text).toContain(`${row(label, count, share)}<td class="num">0</td><td class="num">–</td>`);
    }
    expect(text).toContain('<th scope="row">Total</th><td class="num">7</td><td class="num">100%</td><td class="num">0</td>');
    expect(text).toMatch(/<a class="button" href="\/t\/acme\/desk\/statistics\?period=7d" aria-current="page" data-preset="7d">7 days<\/a>/);
    expect(text).toContain('href="/t/acme/desk/statistics/hotline.csv?period=7d"');
    // The plugin's panel comes after the core's, with its label and its tenant-scoped content.
    expect(text).toContain('<h2 id="stat-tally-tallies-title">Tallies</h2>');
    expect(text.indexOf('id="stat-core-hotline"')).toBeLessThan(text.indexOf('id="stat-tally-tallies"'));
    expect(text).toContain('<p id="tally-count">0 tickets counted</p>');
    expect(text.indexOf('id="stat-tally-summary"')).toBeLessThan(text.indexOf('id="stat-tally-tallies"'));
  });

  it('takes the period from the URL: 30 days counts the tickets created eight days ago; a custom range too; bad dates answer 422 with the field\'s message', async () => {
    const month = await html('acme', cookies.admin);
    expect(month).toContain('data-preset="30d">30 days</a>');
    const thirty = await (await app.request('/t/acme/desk/statistics?period=30d', { cookie: cookies.admin })).text();
    expect(thirty).toContain(`${row('Solved', 3, '43%')}<td class="num">3</td><td class="num">43%</td>`);
    expect(thirty).toMatch(/<tr data-flow="created"><th scope="row">Created<\/th><td class="num">7<\/td><\/tr>/);
    // The tenant's calendar day (Berlin) of the tickets' creation.
    const day = isoToZoned(seededAt, 'Europe/Berlin').slice(0, 10);
    const custom = await (await app.request(`/t/acme/desk/statistics?period=custom&from=${day}&to=${day}`, { cookie: cookies.admin })).text();
    expect(custom).toContain(`${row('New', 2, '29%')}<td class="num">2</td><td class="num">29%</td>`);
    const bad = await app.request('/t/acme/desk/statistics?period=custom&from=2026-02-30&to=2026-01-01', { cookie: cookies.admin });
    expect(bad.status).toBe(422);
    const badText = await bad.text();
    expect(badText).toContain('<small id="from-error" class="field-error">Enter a date as YYYY-MM-DD.</small>');
    const reversed = await (await app.request('/t/acme/desk/statistics?period=custom&from=2026-02-01&to=2026-01-01', { cookie: cookies.admin })).text();
    expect(reversed).toContain('The end lies before the start.');
    const forever = await app.request('/t/acme/desk/statistics?period=forever', { cookie: cookies.admin });
    expect(forever.status).toBe(422);
    expect(await forever.text()).toContain('<p class="field-error" id="period-error">');
  });

  it('exports the group table and the days as CSV, the tenant\'s own numbers only', async () => {
    const response = await app.request('/t/acme/desk/statistics/hotline.csv?period=30d', { cookie: cookies.admin });
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('text/csv; charset=utf-8');
    const lines = (await response.text()).split('\r\n');
    expect(lines[0]).toBe('Group,Level,Right now: New,Right now: Customer waits,Right now: Support waits,Right now: Solved,Right now: Closed,Period: Created,Period: Solved,Period: Forwarded or moved into a group');
    expect(lines).toContain('No group,,2,1,0,3,1,7,0,0');
    expect(lines).toContain('Total,,2,1,0,3,1,7,0,0');
    const trend = await (await app.request('/t/acme/desk/statistics/hotline-trend.csv?period=today', { cookie: cookies.admin })).text();
    expect(trend).toMatch(/^Day,Created,Solved\r\n\d{4}-\d{2}-\d{2},0,0\r\n$/);
    const globexCsv = await (await app.request('/t/globex/desk/statistics/hotline.csv?period=30d', { cookie: cookies.globexAdmin })).text();
    expect(globexCsv).toContain('Total,,5,0,0,0,0,5,0,0');
    expect((await app.request('/t/globex/desk/statistics/hotline.csv', { cookie: cookies.admin })).status).toBe(303);
    expect((await app.request('/t/acme/desk/statistics/hotline.csv', { cookie: cookies.agent })).status).toBe(403);
    expect((await app.request('/t/acme/desk/statistics/hotline.csv?from=nope', { cookie: cookies.admin })).status).toBe(422);
  });

  it('speaks German', async () => {
    const text = await html('acme', cookies.admin, 'de');
    expect(text).toContain('<h1>Statistik</h1>');
    expect(text).toContain('>Hotline</h2>');
    expect(text).toContain('data-preset="30d">30 Tage</a>');
    expect(text).toContain('aria-label="Balkendiagramm der Tickets nach Status, aktuell"');
    expect(text).toContain(row('Kunde wartet', 1, '14\u00a0%'));
    expect(text).toContain('<th scope="row">Gesamt</th>');
    expect(text).toContain('>Nach Gruppe</h3>');
    expect(text).toContain('>Strichlisten</h2>');
    expect(text).toContain('<p id="tally-count">0 Tickets gezählt</p>');
  });

  it('shows a plugin\'s panel only to viewers with its permission', async () => {
    const text = await html('acme', cookies.supervisor);
    expect(text).toContain('id="stat-core-hotline"');
    expect(text).toContain('<h2 id="stat-tally-summary-title">Tally summary</h2>');
    expect(text).not.toContain('stat-tally-tallies');
  });

  it('shows another tenant its own counts and not the panels of a plugin it has off', async () => {
    const text = await html('globex', cookies.globexAdmin);
    expect(text).toContain(row('New', 5, '100%'));
    expect(text).toContain(row('Solved', 0, '0%'));
    expect(text).not.toContain('stat-tally-');
    expect(text).not.toContain('Tall');
  });

  it('has a nav entry for those who may see it', async () => {
    const desk = async (cookie: string) => (await app.request('/t/acme/desk', { cookie })).text();
    expect(await desk(cookies.supervisor)).toContain('href="/t/acme/desk/statistics"');
    expect(await desk(cookies.agent)).not.toContain('href="/t/acme/desk/statistics"');
    const current = await html('acme', cookies.supervisor);
    expect(current).toMatch(/<a href="\/t\/acme\/desk\/statistics"[^>]*aria-current="page"/);
  });

  it('refuses an agent without the permission (403), and leads strangers, portal users and other tenants\' staff to the staff sign-in', async () => {
    const agent = await page('acme', cookies.agent);
    expect(agent.status).toBe(403);
    expect(await agent.text()).not.toContain('stat-core-hotline');
    const anonymous = await page('acme', '');
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('Location')).toBe('/t/acme/login?next=%2Ft%2Facme%2Fdesk%2Fstatistics');
    // Acme's admin is nobody in Globex.
    const crossTenant = await page('globex', cookies.admin);
    expect(crossTenant.status).toBe(303);
    expect(crossTenant.headers.get('Location')).toContain('/t/globex/login');
    // A portal user (a contact person's portal session) is no staff member.
    const person = await tenantScope(app.services.db, acme).insertInto('people', {
      organisation_id: null, name: 'Paula Portal', email: 'paula@customer.test', phone: null, portal_role: 'customer', is_org_manager: 0, password_hash: null, locale: 'en', active: 1,
    }).returning('id').executeTakeFirstOrThrow();
    const token = await app.services.sessions.create({ tenantId: acme, personId: person.id }, {});
    const portal = await page('acme', `tresen_p${acme}=${token}`);
    expect(portal.status).toBe(303);
    expect(portal.headers.get('Location')).toContain('/t/acme/login');
  });
});
