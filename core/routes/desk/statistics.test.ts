import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TicketStatus } from '../../db/schema.js';
import { enablePlugin } from '../../plugin-host/plugin-switches.js';
import { tenantScope } from '../../tenancy/tenant-scope.js';
import { tallyPlugin } from '../../../test/plugins/tally-plugin.js';
import { createTestApp, type TestApp } from '../../../test/harness/test-app.js';
import { dialects } from '../../../test/harness/test-database.js';

/** The table row of one status in the tickets-by-status panel. */
const row = (label: string, count: number) => `<th scope="row">${label}</th><td class="num">${count}</td>`;

describe.each(dialects)('statistics page on %s', (dialect) => {
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
    const now = new Date().toISOString();
    const tickets = (tenantId: number, prefix: string, statuses: Array<TicketStatus | 'deleted'>) => tenantScope(app.services.db, tenantId).insertInto('tickets', statuses.map((status, index) => ({
      number: `${prefix}-${index + 1}`, subject: `Ticket ${index + 1}`, status: status === 'deleted' ? 'new' : status,
      created_at: now, updated_at: now, deleted_at: status === 'deleted' ? now : null,
    }))).execute();
    // Closed and deleted tickets are not counted, as on the dashboard.
    await tickets(acme, 'A', ['new', 'new', 'open', 'solved', 'solved', 'solved', 'closed', 'deleted']);
    await tickets(globex, 'G', ['new', 'new', 'new', 'new', 'new']);
  });
  afterAll(() => app.cleanup());

  it('shows the core\'s tickets-by-status panel first: an SVG bar chart with the numbers in a table, then the plugins\' panels', async () => {
    const text = await html('acme', cookies.admin);
    expect(text).toContain('<h1>Statistics</h1>');
    expect(text).toContain('<h2 id="stat-core-tickets-by-status-title">Tickets by status</h2>');
    expect(text).toMatch(/<svg class="bar-chart"[^>]*role="img" aria-label="Bar chart of tickets by status"/);
    expect(text).toContain('<text class="bar-value"');
    for (const [label, count] of [['New', 2], ['Customer waits', 1], ['Support waits', 0], ['Solved', 3]] as const) expect(text).toContain(row(label, count));
    expect(text).toContain('<th scope="row">Total</th><td class="num">6</td>');
    expect(text).toContain('<td class="num">50%</td>');
    // The plugin's panel comes after the core's, with its label and its tenant-scoped content.
    expect(text).toContain('<h2 id="stat-tally-tallies-title">Tallies</h2>');
    expect(text.indexOf('id="stat-core-tickets-by-status"')).toBeLessThan(text.indexOf('id="stat-tally-tallies"'));
    expect(text).toContain('<p id="tally-count">0 tickets counted</p>');
    expect(text.indexOf('id="stat-tally-summary"')).toBeLessThan(text.indexOf('id="stat-tally-tallies"'));
  });

  it('speaks German', async () => {
    const text = await html('acme', cookies.admin, 'de');
    expect(text).toContain('<h1>Statistik</h1>');
    expect(text).toContain('>Tickets nach Status</h2>');
    expect(text).toContain('aria-label="Balkendiagramm der Tickets nach Status"');
    expect(text).toContain(row('Kunde wartet', 1));
    expect(text).toContain('<th scope="row">Gesamt</th>');
    expect(text).toContain('>Strichlisten</h2>');
    expect(text).toContain('<p id="tally-count">0 Tickets gezählt</p>');
  });

  it('shows a plugin\'s panel only to viewers with its permission', async () => {
    const text = await html('acme', cookies.supervisor);
    expect(text).toContain('id="stat-core-tickets-by-status"');
    expect(text).toContain('<h2 id="stat-tally-summary-title">Tally summary</h2>');
    expect(text).not.toContain('stat-tally-tallies');
  });

  it('shows another tenant its own counts and not the panels of a plugin it has off', async () => {
    const text = await html('globex', cookies.globexAdmin);
    expect(text).toContain(row('New', 5));
    expect(text).toContain(row('Solved', 0));
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
    expect(await agent.text()).not.toContain('stat-core-tickets-by-status');
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
