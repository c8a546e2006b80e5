import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disablePlugin, updatePluginSettings } from '../../core/plugin-host/plugin-switches.js';
import { pluginScope } from '../../core/tenancy/tenant-scope.js';
import { createTestApp, type TestApp } from '../harness/test-app.js';
import { dialects } from '../harness/test-database.js';
import { helpdeskPlugin } from '../../plugins/helpdesk/index.js';
import { portalPlugin } from '../../plugins/portal/index.js';
import { slaPlugin } from '../../plugins/sla/index.js';
import type { SlaDB } from '../../plugins/sla/sla-db.js';
import { hardwareWorld, type HardwareWorld } from '../../plugins/hardware/hardware-fixture.js';
import type { HardwareDB } from '../../plugins/hardware/hardware-db.js';
import { hardwarePlugin } from '../../plugins/hardware/index.js';
import { DEVICE_FIELD } from '../../plugins/hardware/portal-devices.js';

/** Installations with components and their service levels, end to end with the sla plugin; without it, no level field. */
describe.each(dialects)('hardware installations on %s', (dialect) => {
  let app: TestApp;
  let a: HardwareWorld;
  let b: HardwareWorld;
  let off: HardwareWorld;
  let adminA: string;
  let adminB: string;
  let agentA: string;
  const ids: Record<string, number> = {};
  const levels: Record<string, number> = {};

  const post = (path: string, values: Record<string, string>, cookie: string) => app.request(path, { method: 'POST', body: new URLSearchParams(values), cookie });
  const page = async (path: string, cookie: string) => (await app.request(path, { cookie })).text();
  const idAfter = (response: Response) => Number(/\/(\d+)(#.*)?$/.exec(response.headers.get('location') ?? '')?.[1]);
  const hw = (world: HardwareWorld) => pluginScope<HardwareDB>(app.services.db, world.tenant.id);
  const components = (world: HardwareWorld) => hw(world).selectFrom('hardware_installation_components').select(['installation_id', 'device_id', 'name', 'sla_level_id']).orderBy('id').execute();
  const chosen = (world: HardwareWorld, ticketId: number) => pluginScope<SlaDB>(app.services.db, world.tenant.id).selectFrom('sla_tickets')
    .select(['level_id', 'source', 'source_label']).where('ticket_id', '=', ticketId).executeTakeFirst();

  /** A service level through the sla plugin's own admin pages (on its 24/7 default calendar). */
  async function slaLevel(world: HardwareWorld, cookie: string, name: string): Promise<number> {
    await app.request(`/t/${world.slug}/p/sla/levels`, { cookie });
    const calendar = (await pluginScope<SlaDB>(app.services.db, world.tenant.id).selectFrom('sla_calendars').select('id').where('is_default', '=', 1).executeTakeFirstOrThrow()).id;
    const targets = Object.fromEntries([1, 2, 3, 4].flatMap((p) => [[`target.first_response.${p}`, '60'], [`target.update.${p}`, '120'], [`target.solution.${p}`, '480']]));
    expect((await post(`/t/${world.slug}/p/sla/levels`, { name, calendarId: String(calendar), ...targets }, cookie)).status).toBe(303);
    return (await pluginScope<SlaDB>(app.services.db, world.tenant.id).selectFrom('sla_levels').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;
  }

  beforeAll(async () => {
    app = await createTestApp(dialect, [helpdeskPlugin, slaPlugin, portalPlugin, hardwarePlugin]);
    a = await hardwareWorld(app, 'hi-a');
    b = await hardwareWorld(app, 'hi-b');
    off = await hardwareWorld(app, 'hi-off');
    await disablePlugin(app.services.db, app.services.registry, off.tenant.id, 'sla');
    adminA = await a.admin();
    adminB = await b.admin();
    agentA = await a.agentCookie();
    ids.printer = (await a.device({ inventory_number: 'INV-1', serial_number: 'SN-1', person: a.emails.colleague })).id;
    ids.notebook = (await a.device({ inventory_number: 'INV-2', model_id: String(a.models.notebook) })).id;
    ids.globex = (await a.device({ inventory_number: 'GX-1', organisation_id: String(a.organisations.globex) })).id;
    ids.other = (await b.device({ inventory_number: 'INV-1' })).id;
    levels.gold = await slaLevel(a, adminA, 'Gold');
    levels.contract = await slaLevel(a, adminA, 'Contract');
    levels.otherTenant = await slaLevel(b, adminB, 'Foreign');
    // ACME's contract V-1 runs under "Contract": the level a ticket has without a component.
    expect((await post(`/t/hi-a/p/sla/contracts/${a.contracts.gold}/level`, { levelId: String(levels.contract) }, adminA)).status).toBe(303);
  });
  afterAll(() => app.cleanup());

  it('creates an installation for a customer, refusing bad input at the fields (422, nothing saved), in German too', async () => {
    const refused = await post('/t/hi-a/p/hardware/installations', { name: '', organisation_id: '999999', location_id: '', notes: '' }, adminA);
    expect(refused.status).toBe(422);
    const html = await refused.text();
    expect(html).toContain('id="name-error"');
    expect(html).toContain('id="organisation_id-error"');
    expect(await hw(a).selectFrom('hardware_installations').select('id').execute()).toEqual([]);

    const created = await post('/t/hi-a/p/hardware/installations', { name: 'Main hall', organisation_id: String(a.organisations.acme), location_id: String(a.locations.building), notes: 'Print room' }, adminA);
    expect(created.status).toBe(303);
    ids.hall = idAfter(created);
    const shown = await page(`/t/hi-a/p/hardware/installations/${ids.hall}`, agentA);
    expect(shown).toContain('Installation Main hall');
    expect(shown).toContain('Campus › House A');
    expect(shown).not.toContain('id="hardware-component-form"');
    expect(await page('/t/hi-a/p/hardware/installations', agentA)).toContain(`id="hardware-installation-${ids.hall}"`);

    await app.services.db.updateTable('users').set({ locale: 'de' }).where('email', '=', a.adminEmail).execute();
    const twice = await post('/t/hi-a/p/hardware/installations', { name: 'Main hall', organisation_id: String(a.organisations.acme), location_id: '', notes: '' }, adminA);
    await app.services.db.updateTable('users').set({ locale: 'en' }).where('email', '=', a.adminEmail).execute();
    expect(twice.status).toBe(422);
    expect(await twice.text()).toContain('Dieser Kunde hat schon eine Anlage mit diesem Namen.');
    // Agents see installations but do not change them.
    expect((await post('/t/hi-a/p/hardware/installations', { name: 'Agent', organisation_id: String(a.organisations.acme), location_id: '', notes: '' }, agentA)).status).toBe(403);
    expect((await hw(a).selectFrom('hardware_installations').select('name').execute()).map((row) => row.name)).toEqual(['Main hall']);
  });

  it('adds the customer\'s devices and named parts as components with a service level; refuses others at the field and saves nothing', async () => {
    const path = `/t/hi-a/p/hardware/installations/${ids.hall}/components`;
    const form = await page(`/t/hi-a/p/hardware/installations/${ids.hall}`, adminA);
    expect(form).toContain('name="level_id"');
    expect(form).toContain(`<option value="${levels.gold}">Gold</option>`);
    for (const [values, message] of [
      [{ inventory_number: 'GX-1', name: '', level_id: '' }, 'This device belongs to another customer.'],
      [{ inventory_number: 'NOPE', name: '', level_id: '' }, 'No device has this inventory number.'],
      [{ inventory_number: '', name: '', level_id: '' }, 'Enter a device&#39;s inventory number or the name of a part.'],
      [{ inventory_number: 'INV-1', name: '', level_id: String(levels.otherTenant) }, 'Choose one from the list.'],
      [{ inventory_number: 'INV-1', name: '', level_id: '999999' }, 'Choose one from the list.'],
    ] as const) {
      const refused = await post(path, values, adminA);
      expect(refused.status, values.inventory_number).toBe(422);
      expect(await refused.text()).toContain(message);
    }
    expect(await components(a)).toEqual([]);

    expect((await post(path, { inventory_number: 'INV-1', name: 'Main printer', level_id: String(levels.gold) }, adminA)).status).toBe(303);
    expect((await post(path, { inventory_number: '', name: 'UPS', level_id: '' }, adminA)).status).toBe(303);
    const taken = await post(path, { inventory_number: 'INV-1', name: '', level_id: '' }, adminA);
    expect(taken.status).toBe(422);
    expect(await taken.text()).toContain('This device is part of an installation already.');
    expect(await components(a)).toEqual([
      { installation_id: ids.hall, device_id: ids.printer, name: 'Main printer', sla_level_id: levels.gold },
      { installation_id: ids.hall, device_id: null, name: 'UPS', sla_level_id: null },
    ]);
    const shown = await page(`/t/hi-a/p/hardware/installations/${ids.hall}`, agentA);
    expect(shown).toContain('Main printer');
    expect(shown).toContain('Part without a device');
    expect(await page(`/t/hi-a/p/hardware/devices/${ids.printer}`, agentA)).toContain('id="hardware-device-installation"');
  });

  it('gives a ticket the level of the component its linked device is, before the contract\'s, and follows links and level changes', async () => {
    const ticket = await a.service().create({ subject: 'Printer jams', description: 'x', requesterId: a.people.colleague, organisationId: a.organisations.acme, contractId: a.contracts.gold, channel: 'web' }, a.agent);
    expect(await chosen(a, ticket.id)).toEqual({ level_id: levels.contract, source: 'contract', source_label: 'V-1' });
    // An agent links the printer: the ticket now concerns the component with its own level.
    expect((await post(`/t/hi-a/p/hardware/tickets/${ticket.id}/links`, { device_id: String(ids.printer), reason: 'defect' }, agentA)).status).toBe(303);
    expect(await chosen(a, ticket.id)).toEqual({ level_id: levels.gold, source: 'component', source_label: 'Main hall · Main printer INV-1 (SN-1)' });
    expect(await page(`/t/hi-a/desk/tickets/${ticket.number}`, agentA)).toContain('from component Main hall · Main printer INV-1 (SN-1)');

    // The component's level changes: the linked live ticket follows.
    const component = (await hw(a).selectFrom('hardware_installation_components').select('id').where('device_id', '=', ids.printer!).executeTakeFirstOrThrow()).id;
    expect((await post(`/t/hi-a/p/hardware/installations/${ids.hall}/components/${component}`, { name: 'Main printer', level_id: String(levels.contract) }, adminA)).status).toBe(303);
    expect((await chosen(a, ticket.id))?.source).toBe('component');
    expect((await chosen(a, ticket.id))?.level_id).toBe(levels.contract);
    expect((await post(`/t/hi-a/p/hardware/installations/${ids.hall}/components/${component}`, { name: 'Main printer', level_id: String(levels.gold) }, adminA)).status).toBe(303);
    expect((await chosen(a, ticket.id))?.level_id).toBe(levels.gold);

    // Unlinked, it falls back to the contract's level.
    expect((await post(`/t/hi-a/p/hardware/tickets/${ticket.id}/links/${ids.printer}/delete`, {}, agentA)).status).toBe(303);
    expect(await chosen(a, ticket.id)).toEqual({ level_id: levels.contract, source: 'contract', source_label: 'V-1' });

    // A device outside any installation gives no level of its own.
    expect((await post(`/t/hi-a/p/hardware/tickets/${ticket.id}/links`, { device_id: String(ids.notebook), reason: 'defect' }, agentA)).status).toBe(303);
    expect((await chosen(a, ticket.id))?.source).toBe('contract');
  });

  it('gives a portal request the component\'s level when the customer picks the device', async () => {
    await updatePluginSettings(app.services.db, app.services.registry, a.tenant.id, 'hardware', { portalPick: true });
    const carl = await a.signIn(a.emails.colleague);
    const saved = await post('/t/hi-a/portal/requests', { subject: 'Printer broken', description: 'It jams', [DEVICE_FIELD]: 'INV-1' }, carl);
    expect(saved.status).toBe(303);
    const ticket = await a.scope.selectFrom('tickets').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(await chosen(a, ticket.id)).toEqual({ level_id: levels.gold, source: 'component', source_label: 'Main hall · Main printer INV-1 (SN-1)' });
    await updatePluginSettings(app.services.db, app.services.registry, a.tenant.id, 'hardware', { portalPick: false });
  });

  it('gives a ticket the level of a named part chosen on it, only among the ticket customer\'s parts, and follows the part\'s level', async () => {
    const ticket = await a.service().create({ subject: 'Power cut', description: 'x', requesterId: a.people.colleague, organisationId: a.organisations.acme, contractId: a.contracts.gold, channel: 'web' }, a.agent);
    expect(await chosen(a, ticket.id)).toEqual({ level_id: levels.contract, source: 'contract', source_label: 'V-1' });
    const ups = (await hw(a).selectFrom('hardware_installation_components').select('id').where('name', '=', 'UPS').where('device_id', 'is', null).executeTakeFirstOrThrow()).id;
    expect((await post(`/t/hi-a/p/hardware/installations/${ids.hall}/components/${ups}`, { name: 'UPS', level_id: String(levels.gold) }, adminA)).status).toBe(303);
    // The panel offers the customer's parts (not the devices: those are linked as devices).
    const before = await page(`/t/hi-a/desk/tickets/${ticket.number}`, agentA);
    expect(before).toContain('id="hardware-part-form"');
    expect(before).toContain(`<option value="${ups}">Main hall · UPS</option>`);
    expect((await post(`/t/hi-a/p/hardware/tickets/${ticket.id}/parts`, { component_id: String(ups) }, agentA)).status).toBe(303);
    expect(await chosen(a, ticket.id)).toEqual({ level_id: levels.gold, source: 'component', source_label: 'Main hall · UPS' });
    const after = await page(`/t/hi-a/desk/tickets/${ticket.number}`, agentA);
    expect(after).toContain(`id="hardware-part-${ups}"`);
    expect(after).toContain('chose part Main hall · UPS');

    // Twice, a device's component, another customer's ticket, another tenant: refused, nothing saved.
    const parts = () => hw(a).selectFrom('hardware_ticket_parts').select(['ticket_id', 'component_id']).orderBy('id').execute();
    const saved = await parts();
    const twice = await post(`/t/hi-a/p/hardware/tickets/${ticket.id}/parts`, { component_id: String(ups) }, agentA);
    expect(twice.status).toBe(422);
    expect(await twice.text()).toContain('This part is chosen for the ticket already.');
    const printer = (await hw(a).selectFrom('hardware_installation_components').select('id').where('device_id', '=', ids.printer!).executeTakeFirstOrThrow()).id;
    expect((await post(`/t/hi-a/p/hardware/tickets/${ticket.id}/parts`, { component_id: String(printer) }, agentA)).status).toBe(422);
    expect((await post(`/t/hi-a/p/hardware/tickets/${ticket.id}/parts`, { component_id: 'x' }, agentA)).status).toBe(422);
    const globexTicket = await a.ticketFor(a.people.stranger, a.organisations.globex, 'Globex power');
    const elsewhere = await post(`/t/hi-a/p/hardware/tickets/${globexTicket.id}/parts`, { component_id: String(ups) }, agentA);
    expect(elsewhere.status).toBe(422);
    expect(await elsewhere.text()).toContain('Choose a part of the customer&#39;s installations.');
    expect(await page(`/t/hi-a/desk/tickets/${globexTicket.number}`, agentA)).not.toContain('id="hardware-part-form"');
    const agentB = await b.agentCookie();
    expect((await post(`/t/hi-b/p/hardware/tickets/${ticket.id}/parts`, { component_id: String(ups) }, agentB)).status).toBe(404);
    expect((await post(`/t/hi-b/p/hardware/tickets/${ticket.id}/parts/${ups}/delete`, {}, agentB)).status).toBe(404);
    const ticketB = await b.ticketFor(b.people.colleague, b.organisations.acme, 'B power');
    expect((await post(`/t/hi-b/p/hardware/tickets/${ticketB.id}/parts`, { component_id: String(ups) }, agentB)).status).toBe(422);
    expect(await parts()).toEqual(saved);
    expect(await hw(b).selectFrom('hardware_ticket_parts').select('id').execute()).toEqual([]);

    // The part's level changes: the ticket follows; removed from the ticket, the contract's level again.
    expect((await post(`/t/hi-a/p/hardware/installations/${ids.hall}/components/${ups}`, { name: 'UPS', level_id: String(levels.contract) }, adminA)).status).toBe(303);
    expect(await chosen(a, ticket.id)).toEqual({ level_id: levels.contract, source: 'component', source_label: 'Main hall · UPS' });
    expect((await post(`/t/hi-a/p/hardware/tickets/${ticket.id}/parts/${ups}/delete`, {}, agentA)).status).toBe(303);
    expect(await chosen(a, ticket.id)).toEqual({ level_id: levels.contract, source: 'contract', source_label: 'V-1' });
    expect((await post(`/t/hi-a/p/hardware/tickets/${ticket.id}/parts/${ups}/delete`, {}, agentA)).status).toBe(404);
    expect((await post(`/t/hi-a/p/hardware/installations/${ids.hall}/components/${ups}`, { name: 'UPS', level_id: '' }, adminA)).status).toBe(303);
  });

  it('answers 404 for another tenant\'s installation and component on every route and changes nothing', async () => {
    const before = await components(a);
    const component = (await hw(a).selectFrom('hardware_installation_components').select('id').where('device_id', '=', ids.printer!).executeTakeFirstOrThrow()).id;
    expect((await app.request(`/t/hi-b/p/hardware/installations/${ids.hall}`, { cookie: adminB })).status).toBe(404);
    expect((await app.request(`/t/hi-b/p/hardware/installations/${ids.hall}/edit`, { cookie: adminB })).status).toBe(404);
    expect((await post(`/t/hi-b/p/hardware/installations/${ids.hall}`, { name: 'Taken over', organisation_id: String(b.organisations.acme), location_id: '', notes: '' }, adminB)).status).toBe(404);
    expect((await post(`/t/hi-b/p/hardware/installations/${ids.hall}/components`, { inventory_number: 'INV-1', name: '', level_id: '' }, adminB)).status).toBe(404);
    expect((await post(`/t/hi-b/p/hardware/installations/${ids.hall}/components/${component}`, { name: 'x', level_id: '' }, adminB)).status).toBe(404);
    expect((await post(`/t/hi-b/p/hardware/installations/${ids.hall}/components/${component}/delete`, {}, adminB)).status).toBe(404);
    // B's own installation cannot reach A's component either.
    const own = idAfter(await post('/t/hi-b/p/hardware/installations', { name: 'B hall', organisation_id: String(b.organisations.acme), location_id: '', notes: '' }, adminB));
    expect((await post(`/t/hi-b/p/hardware/installations/${own}/components/${component}/delete`, {}, adminB)).status).toBe(404);
    expect(await components(a)).toEqual(before);
    expect(await page('/t/hi-b/p/hardware/installations', adminB)).not.toContain('Main hall');
  });

  it('has no level field while the tenant has sla off, and keeps a component\'s level untouched', async () => {
    const device = await off.device({ inventory_number: 'OFF-1' });
    const admin = await off.admin();
    const hall = idAfter(await post('/t/hi-off/p/hardware/installations', { name: 'Hall', organisation_id: String(off.organisations.acme), location_id: '', notes: '' }, admin));
    const shown = await page(`/t/hi-off/p/hardware/installations/${hall}`, admin);
    expect(shown).toContain('id="hardware-component-form"');
    expect(shown).not.toContain('level_id');
    expect(shown).not.toContain('Service level');
    expect((await post(`/t/hi-off/p/hardware/installations/${hall}/components`, { inventory_number: 'OFF-1', name: '', level_id: '12345' }, admin)).status).toBe(303);
    expect(await components(off)).toEqual([{ installation_id: hall, device_id: device.id, name: null, sla_level_id: null }]);
    await app.services.db.updateTable('users').set({ locale: 'de' }).where('email', '=', off.adminEmail).execute();
    const german = await page(`/t/hi-off/p/hardware/installations/${hall}`, admin);
    await app.services.db.updateTable('users').set({ locale: 'en' }).where('email', '=', off.adminEmail).execute();
    expect(german).toContain('Anlage Hall');
    expect(german).toContain('Komponente hinzufügen');
    expect(german).not.toContain('Service-Level');
  });
});
