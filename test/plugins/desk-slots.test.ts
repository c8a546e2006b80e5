import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tenant, Ticket } from '../../core/db/schema.js';
import { enablePlugin } from '../../core/plugin-host/plugin-switches.js';
import { createTicketService, type TicketActor } from '../../core/tickets/ticket-service.js';
import { createTestApp, type TestApp } from '../harness/test-app.js';
import { dialects } from '../harness/test-database.js';
import { ASSET_FIELD, assetTagsPlugin } from './asset-tags-plugin.js';

const HX = { 'HX-Request': 'true' };
const BADGE = '<span class="badge" id="assets-badge">Asset: AB-100</span>';

describe.each(dialects)('plugin slots of the agent desk (header badges, dashboard tiles, user menu) on %s', (dialect) => {
  let app: TestApp;
  let acme: Tenant;
  let plain: Tenant;
  let agent: string;
  let plainAgent: string;
  let tagged: Ticket;
  let untagged: Ticket;
  let plainTicket: Ticket;

  const page = async (path: string, cookie = agent, headers: Record<string, string> = {}) => {
    const response = await app.request(path, { cookie, headers });
    expect(response.status).toBe(200);
    return response.text();
  };
  const post = (path: string, values: Record<string, string>) => app.request(path, { method: 'POST', body: new URLSearchParams(values), cookie: agent, headers: HX });

  beforeAll(async () => {
    app = await createTestApp(dialect, [assetTagsPlugin()]);
    acme = await app.createTenant('acme');
    plain = await app.createTenant('plain');
    await enablePlugin(app.services.db, app.services.registry, acme.id, 'assets');
    const agentId = await app.createStaff(acme.id, 'agent', 'ada@acme.test');
    const plainId = await app.createStaff(plain.id, 'agent', 'paul@plain.test');
    agent = await app.signIn('ada@acme.test', 'acme');
    plainAgent = await app.signIn('paul@plain.test', 'plain');
    const { db, clock, events, files, hooks } = app.services;
    const service = (tenant: Tenant) => createTicketService({ db, dialect, clock, events, files, hooks }, tenant, app.services.catalog.translator('en'));
    const actor = (id: number): TicketActor => ({ kind: 'user', id, label: 'agent', can: () => true });
    tagged = await service(acme).create({ subject: 'Tagged', description: 'x', pluginFields: { [ASSET_FIELD]: 'AB-100' } }, actor(agentId));
    untagged = await service(acme).create({ subject: 'Untagged', description: 'x' }, actor(agentId));
    plainTicket = await service(plain).create({ subject: 'Plain', description: 'x' }, actor(plainId));
  });
  afterAll(() => app.cleanup());

  it('shows a plugin\'s badge in the ticket header, after the core\'s, only on the tickets it concerns', async () => {
    const html = await page(`/t/acme/desk/tickets/${tagged.number}`);
    expect(html).toMatch(new RegExp(`<div class="ticket-badges">.*id="ticket-priority".*${BADGE}</div>`, 's'));
    expect(await page(`/t/acme/desk/tickets/${untagged.number}`)).not.toContain('id="assets-badge"');
  });

  it('keeps the badge in the header that htmx actions and live refreshes swap', async () => {
    const accepted = await post(`/t/acme/desk/tickets/${tagged.number}/accept`, { priority: '3' });
    expect(accepted.status).toBe(200);
    const header = await accepted.text();
    expect(header).toMatch(/^<section id="ticket-header"/);
    expect(header).toContain(BADGE);
    const replied = await (await post(`/t/acme/desk/tickets/${tagged.number}/articles`, { kind: 'note', body: 'Checked the device' })).text();
    expect(replied).toContain('<section id="ticket-header" class="card ticket-header" hx-swap-oob="true">');
    expect(replied).toContain(BADGE);
    const live = await page(`/t/acme/desk/tickets/${tagged.number}/live?since=2000-01-01T00:00:00.000Z`, agent, HX);
    expect(live).toContain('hx-swap-oob="true"');
    expect(live).toContain(BADGE);
  });

  it('puts the plugin\'s tiles after the status counts, in both languages', async () => {
    const html = await page('/t/acme/desk');
    expect(html).toMatch(/id="status-counts".*<section class="card" id="dashboard-tiles" aria-labelledby="dashboard-tiles-title"><h2 id="dashboard-tiles-title">At a glance<\/h2>/s);
    expect(html).toContain('<li class="stat-slot"><div class="stat stat-tile stat-tone-info" id="assets-tile"><a class="stat-link" href="/t/acme/desk/tickets?queue=all"><span class="stat-value">1</span><span class="stat-label">Tickets with an asset</span></a></div></li>');
    const german = await page('/t/acme/desk', agent, { 'Accept-Language': 'de' });
    expect(german).toContain('>Auf einen Blick</h2>');
    expect(german).toContain('<span class="stat-label">Tickets mit Gerät</span>');
  });

  it('folds the account link and the plugin\'s entries into a menu under the user\'s name', async () => {
    const html = await page('/t/acme/desk/tickets');
    expect(html).toContain('<details class="user-menu-more" id="user-menu" data-menu=""><summary id="nav-user">ada</summary>'
      + '<ul class="user-menu-list" aria-label="User menu"><li><a href="/t/acme/account" id="nav-account">My account</a></li>'
      + '<li><a href="/t/acme/p/assets" id="assets-menu">My assets</a></li></ul></details>');
    const german = await page('/t/acme/desk/tickets', agent, { 'Accept-Language': 'de' });
    expect(german).toContain('aria-label="Benutzermenü"><li><a href="/t/acme/account" id="nav-account">Mein Konto</a></li><li><a href="/t/acme/p/assets" id="assets-menu">Meine Geräte</a></li>');
    // An htmx fragment carries no shell.
    expect(await page('/t/acme/desk/tickets?queue=new', agent, { ...HX, 'HX-Target': 'ticket-results' })).not.toContain('user-menu');
  });

  it('puts a plugin\'s overlay at the end of every staff page\'s body, never into an htmx fragment', async () => {
    for (const path of ['/t/acme/desk', '/t/acme/desk/tickets', `/t/acme/desk/tickets/${tagged.number}`]) {
      expect(await page(path)).toMatch(/<div id="assets-overlay" data-user="\d+"><\/div><\/body>/);
    }
    expect(await page('/t/acme/desk/tickets?queue=new', agent, { ...HX, 'HX-Target': 'ticket-results' })).not.toContain('assets-overlay');
    const signIn = await app.request('/t/acme/login');
    expect(await signIn.text()).not.toContain('assets-overlay');
  });

  it('renders none of it where the plugin is off: the pages are as before', async () => {
    const ticketPage = await page(`/t/plain/desk/tickets/${plainTicket.number}`, plainAgent);
    expect(ticketPage).toMatch(/<div class="ticket-badges"><span [^>]*id="ticket-status"[^>]*>[^<]*<\/span><span [^>]*id="ticket-priority"[^>]*>[^<]*<\/span><\/div>/);
    const dashboard = await page('/t/plain/desk', plainAgent);
    expect(dashboard).not.toContain('dashboard-tiles');
    expect(dashboard).not.toContain('assets');
    expect(dashboard).toContain('<div class="user-menu"><a href="/t/plain/account" id="nav-account">paul</a>');
    expect(dashboard).not.toContain('user-menu-more');
    expect(dashboard).not.toContain('assets-overlay');
  });
});
