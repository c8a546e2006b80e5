import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disablePlugin } from '../../core/plugin-host/plugin-switches.js';
import { createTestApp, type TestApp } from '../../test/harness/test-app.js';
import { dialects } from '../../test/harness/test-database.js';
import { portalCardsPlugin } from '../../test/plugins/portal-cards-plugin.js';
import { portalPlugin } from './index.js';
import { portalWorld, type PortalWorld } from '../../test/harness/portal-world.js';

/** The portal navigation's entries (ids), the current one starred. */
const nav = (html: string) => [...html.matchAll(/<a href="[^"]*" id="portal-nav-([a-z-]+)"( aria-current="page")?>/g)].map((m) => (m[2] ? `${m[1]}*` : m[1]!));

describe.each(dialects)('portal home and navigation slots on %s', (dialect) => {
  let app: TestApp;
  let world: PortalWorld;
  let other: PortalWorld;
  const cookies = { manager: '', colleague: '', stranger: '', otherManager: '' };

  beforeAll(async () => {
    app = await createTestApp(dialect, [portalPlugin, portalCardsPlugin]);
    world = await portalWorld(app, 'cards');
    await world.ticketFor(world.people.manager, world.organisations.acme, 'ACME printer');
    await world.ticketFor(world.people.colleague, world.organisations.acme, 'ACME phone');
    await world.ticketFor(world.people.stranger, world.organisations.globex, 'Globex secret plans');
    // A second tenant with the portal on and the cards plugin off.
    other = await portalWorld(app, 'plain');
    await disablePlugin(app.services.db, app.services.registry, other.tenant.id, 'cards');
    await other.ticketFor(other.people.manager, other.organisations.acme, 'Plain tenant ticket');
    cookies.manager = await world.signIn(world.emails.manager);
    cookies.colleague = await world.signIn(world.emails.colleague);
    cookies.stranger = await world.signIn(world.emails.stranger);
    cookies.otherManager = await other.signIn(other.emails.manager);
  });
  afterAll(() => app.cleanup());

  const home = async (cookie: string, slug = 'cards') => (await app.request(`/t/${slug}/portal`, { cookie, headers: { 'Accept-Language': 'en' } })).text();

  it('gives the home page\'s plugin card the signed-in person: a manager sees their organisation\'s requests, never another\'s', async () => {
    const manager = await home(cookies.manager);
    expect(manager).toContain('Requests of Mia Manager');
    expect(manager).toContain('ACME printer | ACME phone');
    expect(manager).not.toContain('Globex secret plans');
    const stranger = await home(cookies.stranger);
    expect(stranger).toContain('Globex secret plans');
    expect(stranger).not.toContain('ACME printer');
    // A colleague who manages nothing gets their own requests only.
    const colleague = await home(cookies.colleague);
    expect(colleague).toContain('<p>ACME phone</p>');
  });

  it('renders the card for visitors with no person, and puts plugins\' entries into the navigation in order', async () => {
    const visitor = await home('');
    expect(visitor).toContain('Hello visitor');
    expect(visitor).not.toContain('id="cards-requests"');
    expect(nav(visitor)).toEqual(['cards-help']);
    expect(nav(await home(cookies.manager))).toEqual(['requests', 'cards-organisation', 'new']);
    const list = await (await app.request('/t/cards/portal/requests', { cookie: cookies.manager })).text();
    expect(nav(list)).toEqual(['requests*', 'cards-organisation', 'new']);
    expect(list).toContain('href="/t/cards/portal/cards" id="portal-nav-cards-organisation"');
    expect(await (await app.request('/t/cards/portal/cards', { cookie: cookies.manager })).text()).toBe('cards for Mia Manager');
  });

  it('speaks the plugin\'s German', async () => {
    await world.scope.updateTable('people').set({ locale: 'de' }).where('id', '=', world.people.stranger).execute();
    const german = await home(cookies.stranger);
    expect(german).toContain('Anfragen von Gus Globex');
    expect(german).toContain('id="portal-nav-cards-organisation">Unsere Organisation</a>');
    await world.scope.updateTable('people').set({ locale: 'en' }).where('id', '=', world.people.stranger).execute();
    // A visitor's language comes from the browser.
    const visitor = await (await app.request('/t/cards/portal', { headers: { 'Accept-Language': 'de' } })).text();
    expect(visitor).toContain('id="portal-nav-cards-help">Hilfe</a>');
  });

  it('shows nothing of a plugin the tenant has off', async () => {
    const html = await home(cookies.otherManager, 'plain');
    expect(html).toContain('Plain tenant ticket');
    expect(html).not.toContain('id="cards-');
    expect(nav(html)).toEqual(['requests', 'new']);
    expect(nav(await home('', 'plain'))).toEqual([]);
    expect((await app.request('/t/plain/portal/cards', { cookie: cookies.otherManager })).status).toBe(404);
  });
});
