import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tenant, Ticket } from '../../core/db/schema.js';
import { disablePlugin, enablePlugin } from '../../core/plugin-host/plugin-switches.js';
import { tenantScope } from '../../core/tenancy/tenant-scope.js';
import { createTicketService, type TicketActor } from '../../core/tickets/ticket-service.js';
import { createTestApp, type TestApp } from '../harness/test-app.js';
import { dialects } from '../harness/test-database.js';
import { ASSET_FIELD, assetTagsPlugin, type AssetTagsProbe } from './asset-tags-plugin.js';

/** Ticket numbers in the order the table shows them. */
const numbersIn = (html: string) => [...html.matchAll(/data-number="([^"]+)"/g)].map((m) => m[1]!);
const cellsIn = (html: string) => [...html.matchAll(/<td class="col-plugin col-p-assets-tag[^"]*" data-column="assets.tag">/g)].length;
const HEADER = '<th scope="col" class="col-plugin col-p-assets-tag" data-column="assets.tag">Asset</th>';

describe.each(dialects)('plugin columns and filters of the ticket lists on %s', (dialect) => {
  let app: TestApp;
  let acme: Tenant;
  let globex: Tenant;
  let ada: string;
  let gina: string;
  const probe: AssetTagsProbe = { batches: [] };
  /** ACME's tickets by creation; every even one has the tag AB-1<index>. */
  const made: Ticket[] = [];
  const idOf = (number: string) => made.find((ticket) => ticket.number === number)!.id;

  const get = (path: string, cookie = ada, headers: Record<string, string> = {}) => app.request(path, { cookie, headers });

  beforeAll(async () => {
    app = await createTestApp(dialect, [assetTagsPlugin(probe)]);
    acme = await app.createTenant('acme');
    globex = await app.createTenant('globex');
    await enablePlugin(app.services.db, app.services.registry, acme.id, 'assets');
    const adaId = await app.createStaff(acme.id, 'agent', 'ada@acme.test');
    const ginaId = await app.createStaff(globex.id, 'agent', 'gina@globex.test');
    ada = await app.signIn('ada@acme.test', 'acme');
    gina = await app.signIn('gina@globex.test', 'globex');
    const { db, clock, events, files, hooks } = app.services;
    const service = (tenant: Tenant) => createTicketService({ db, dialect, clock, events, files, hooks }, tenant, app.services.catalog.translator('en'));
    const actor = (id: number): TicketActor => ({ kind: 'user', id, label: 'agent', can: () => true });
    for (let i = 0; i < 27; i++) {
      // Through the plugin's create filter, as a form would send the field (odd ones come without it, like mail).
      made.push(await service(acme).create({ subject: `Device ${i}`, description: 'x', ...(i % 2 === 0 ? { pluginFields: { [ASSET_FIELD]: `ab-${100 + i}` } } : {}) }, actor(adaId)));
    }
    await service(globex).create({ subject: 'Globex device', description: 'x' }, actor(ginaId));
    // A row of Globex's own with a tag ACME also uses: a filter must never reach across tenants.
    await (app.services.db as any).insertInto('assets_tags').values({ tenant_id: globex.id, ticket_id: (await tenantScope(app.services.db, globex.id).selectFrom('tickets').select('id').executeTakeFirstOrThrow()).id, tag: 'AB-104' }).execute();
  });
  afterAll(() => app.cleanup());

  it('stored the tags in the create transaction of the tickets that sent them', async () => {
    const rows = await (app.services.db as any).selectFrom('assets_tags').select(['ticket_id', 'tag']).where('tenant_id', '=', acme.id).orderBy('ticket_id').execute() as Array<{ ticket_id: number; tag: string }>;
    expect(rows).toEqual(made.filter((_, i) => i % 2 === 0).map((ticket, i) => ({ ticket_id: ticket.id, tag: `AB-${100 + 2 * i}` })));
  });

  it('adds the column to a queue, its cells loaded in one batch of the page\'s tickets, a dash where a ticket has none', async () => {
    probe.batches.length = 0;
    const html = await (await get('/t/acme/desk/tickets?queue=new')).text();
    expect(html).toContain(HEADER);
    const shown = numbersIn(html);
    expect(shown).toHaveLength(25);
    expect(cellsIn(html)).toBe(25);
    expect(probe.batches).toEqual([shown.map(idOf)]);
    // The oldest first in the new queue: Device 0 (tagged), Device 1 (not).
    expect(html).toMatch(/data-column="assets.tag"><span class="cell-label" aria-hidden="true">Asset<\/span><code class="asset-tag">AB-100<\/code><\/td>/);
    expect(html).toContain('<td class="col-plugin col-p-assets-tag cell-empty" data-column="assets.tag"><span class="cell-label" aria-hidden="true">Asset</span><span class="muted">—</span></td>');

    probe.batches.length = 0;
    const second = await (await get('/t/acme/desk/tickets?queue=new&page=2')).text();
    expect(numbersIn(second)).toHaveLength(2);
    expect(probe.batches).toEqual([numbersIn(second).map(idOf)]);
  });

  it('renders the column in the live refresh fragment too, and asks for no cells when a list is empty', async () => {
    const fragment = await (await get('/t/acme/desk/tickets?queue=new', ada, { 'HX-Request': 'true', 'HX-Target': 'ticket-results' })).text();
    expect(fragment).not.toContain('<html');
    expect(fragment).toContain(HEADER);
    expect(cellsIn(fragment)).toBe(25);
    probe.batches.length = 0;
    const empty = await (await get('/t/acme/desk/tickets?queue=support')).text();
    expect(empty).toContain('id="ticket-empty"');
    expect(probe.batches).toEqual([]);
  });

  it('filters ticket management by the plugin\'s parameter and keeps it in the sort links, the live refresh and the saved-view query', async () => {
    const response = await get('/t/acme/desk/tickets?queue=all&p.assets.tag=ab-104');
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(numbersIn(html)).toEqual([made[4]!.number]);
    expect(html).toMatch(/<input id="f-p.assets.tag" name="p.assets.tag" type="text" value="ab-104"/);
    expect(html).toContain('<label for="f-p.assets.tag">Asset tag</label>');
    // (`status=`: the list's "any status", which a plugin's filter alone keeps.)
    expect(html).toMatch(/hx-get="\/t\/acme\/desk\/tickets\?queue=all&amp;p.assets.tag=ab-104&amp;status="[^>]*data-live-list/);
    expect(html).toMatch(/data-sort="subject"/);
    expect(html).toContain('/t/acme/desk/tickets?queue=all&amp;sort=subject&amp;dir=asc&amp;p.assets.tag=ab-104');
    expect(html).toContain('name="query" form="save-view" value="p.assets.tag=ab-104"');
    const saved = await app.request('/t/acme/desk/views', { method: 'POST', body: new URLSearchParams({ view_name: 'Dock AB-104', view_group: '', query: 'p.assets.tag=ab-104' }), cookie: ada });
    expect(saved.status).toBe(303);
    expect(saved.headers.get('Location')).toBe('/t/acme/desk/tickets?queue=all&p.assets.tag=ab-104');
    // With the core's filters and a text search (which otherwise counts from the search index alone).
    expect(numbersIn(await (await get('/t/acme/desk/tickets?queue=all&status=new&q=device&p.assets.tag=AB-104')).text())).toEqual([made[4]!.number]);
    expect(numbersIn(await (await get('/t/acme/desk/tickets?queue=all&q=device&p.assets.tag=AB-999')).text())).toEqual([]);
    // A blank value filters nothing.
    expect(numbersIn(await (await get('/t/acme/desk/tickets?queue=all&p.assets.tag=')).text())).toHaveLength(25);
  });

  it('answers 422 at the filter\'s input for a value it refuses and shows the list without that filter', async () => {
    const response = await get('/t/acme/desk/tickets?queue=all&p.assets.tag=nonsense');
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html).toContain('<small id="p.assets.tag-error" class="field-error">An asset tag looks like AB-123.</small>');
    expect(html).toMatch(/name="p.assets.tag" type="text" value="nonsense"/);
    expect(numbersIn(html)).toHaveLength(25);
    // The refused value travels in no link.
    expect(html).not.toContain('p.assets.tag=nonsense');
  });

  it('speaks German', async () => {
    const html = await (await get('/t/acme/desk/tickets?queue=all&p.assets.tag=x', ada, { 'Accept-Language': 'de' })).text();
    expect(html).toContain('data-column="assets.tag">Gerät</th>');
    expect(html).toContain('<label for="f-p.assets.tag">Inventarnummer</label>');
    expect(html).toContain('Eine Inventarnummer sieht so aus: AB-123.');
  });

  it('shows nothing of the plugin where it is off, and drops its parameter like a stale one', async () => {
    probe.batches.length = 0;
    const html = await (await get('/t/globex/desk/tickets?queue=all&p.assets.tag=AB-104', gina)).text();
    expect(numbersIn(html)).toHaveLength(1);
    expect(html).not.toContain('data-column="assets.tag"');
    expect(html).not.toContain('name="p.assets.tag"');
    expect(html).not.toContain('p.assets.tag=');
    expect(probe.batches).toEqual([]);

    await disablePlugin(app.services.db, app.services.registry, acme.id, 'assets');
    try {
      const off = await get('/t/acme/desk/tickets?queue=all&p.assets.tag=AB-104');
      expect(off.status).toBe(200);
      const page = await off.text();
      expect(numbersIn(page)).toHaveLength(25);
      expect(page).not.toContain('data-column="assets.tag"');
      expect(probe.batches).toEqual([]);
    } finally {
      await enablePlugin(app.services.db, app.services.registry, acme.id, 'assets');
    }
  });
});
