import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updatePluginSettings } from '../../core/plugin-host/plugin-switches.js';
import { pluginScope } from '../../core/tenancy/tenant-scope.js';
import { createTestApp, type TestApp } from '../../test/harness/test-app.js';
import { dialects } from '../../test/harness/test-database.js';
import { hardwareWorld, type HardwareWorld } from './hardware-fixture.js';
import type { HardwareDB } from './hardware-db.js';
import { hardwarePlugin } from './index.js';
import { DEVICE_FIELD } from './portal-devices.js';
import { installedPlugin } from '../../test/harness/installed-plugin.js';

/** Device-ticket links on the ticket page and the lists, and the portal's card and pick, across organisations and tenants. */
describe.each(dialects)('hardware links and portal on %s', (dialect) => {
  let app: TestApp;
  let a: HardwareWorld;
  let b: HardwareWorld;
  let agentA: string;
  let agentB: string;
  const ids: Record<string, number> = {};

  const post = (path: string, values: Record<string, string>, cookie: string) => app.request(path, { method: 'POST', body: new URLSearchParams(values), cookie });
  const page = async (path: string, cookie: string) => (await app.request(path, { cookie })).text();
  const links = (world: HardwareWorld) => pluginScope<HardwareDB>(app.services.db, world.tenant.id).selectFrom('hardware_ticket_links')
    .select(['ticket_id', 'device_id', 'reason', 'ticket_date']).orderBy('id').execute();

  beforeAll(async () => {
    app = await createTestApp(dialect, [installedPlugin('portal'), hardwarePlugin]);
    a = await hardwareWorld(app, 'hl-a');
    b = await hardwareWorld(app, 'hl-b');
    agentA = await a.agentCookie();
    agentB = await b.agentCookie();
    ids.printer = (await a.device({ inventory_number: 'INV-1', host: 'prn-1', person: a.emails.colleague })).id;
    ids.notebook = (await a.device({ inventory_number: 'INV-2', model_id: String(a.models.notebook), serial_number: 'PF-22' })).id;
    ids.globex = (await a.device({ inventory_number: 'GX-1', organisation_id: String(a.organisations.globex) })).id;
    ids.other = (await b.device({ inventory_number: 'INV-1' })).id;
  });
  afterAll(() => app.cleanup());

  it('opens each linked device as of the ticket\'s day in the tenant\'s zone', async () => {
    const ticket = await a.ticketFor(a.people.colleague, a.organisations.acme, 'Late at night');
    // 23:30 UTC on 19 January is 00:30 on the 20th in Berlin (the tenant's zone).
    await a.scope.updateTable('tickets').set({ created_at: '2026-01-19T23:30:00.000Z' }).where('id', '=', ticket.id).execute();
    expect((await post(`/t/hl-a/p/hardware/tickets/${ticket.id}/links`, { device_id: String(ids.globex), reason: 'question' }, agentA)).status).toBe(303);
    const html = await page(`/t/hl-a/desk/tickets/${ticket.number}`, agentA);
    expect(html).toContain(`href="/t/hl-a/p/hardware/devices/${ids.globex}?asOf=2026-01-20" id="hardware-asof-${ids.globex}"`);
    expect(html).toMatch(/as on [^<]*2026/);
    // The link opens the device page's replay of that day (the device did not exist yet: no state then).
    const asOf = await app.request(`/t/hl-a/p/hardware/devices/${ids.globex}?asOf=2026-01-20`, { cookie: agentA });
    expect(asOf.status).toBe(200);
    expect(await asOf.text()).toContain('As it was at the end of');
  });

  it('links devices to a ticket from its page, with the reason and the ticket\'s date; the device page lists the ticket with its status', async () => {
    const ticket = await a.ticketFor(a.people.colleague, a.organisations.acme, 'Printer jams');
    const before = await page(`/t/hl-a/desk/tickets/${ticket.number}`, agentA);
    expect(before).toContain('id="hardware-ticket-devices"');
    expect(before).toContain('id="hardware-linked-none"');
    // The picker offers the customer's devices first (without a search: only theirs), then matches of the search.
    const offered = await app.request(`/t/hl-a/p/hardware/tickets/${ticket.id}/pick`, { cookie: agentA, headers: { 'HX-Request': 'true' } });
    const fragment = await offered.text();
    expect(fragment).toContain('INV-1');
    expect(fragment).toContain('INV-2');
    expect(fragment).not.toContain('GX-1');
    const searched = await (await app.request(`/t/hl-a/p/hardware/tickets/${ticket.id}/pick?q=thinkpad`, { cookie: agentA, headers: { 'HX-Request': 'true' } })).text();
    expect(searched).toContain('INV-2');
    expect(searched).not.toContain('INV-1<');
    const bySerial = await (await app.request(`/t/hl-a/p/hardware/tickets/${ticket.id}/pick?q=pf-2`, { cookie: agentA, headers: { 'HX-Request': 'true' } })).text();
    expect(bySerial).toContain('INV-2');
    const byNumber = await (await app.request(`/t/hl-a/p/hardware/tickets/${ticket.id}/pick?q=`, { cookie: agentA })).text();
    expect(byNumber).toContain('<h1>Link a device</h1>');

    expect((await post(`/t/hl-a/p/hardware/tickets/${ticket.id}/links`, { device_id: String(ids.printer), reason: 'defect' }, agentA)).status).toBe(303);
    expect((await post(`/t/hl-a/p/hardware/tickets/${ticket.id}/links`, { device_id: String(ids.notebook), reason: 'maintenance' }, agentA)).status).toBe(303);
    const created = await a.scope.selectFrom('tickets').select('created_at').where('id', '=', ticket.id).executeTakeFirstOrThrow();
    expect((await links(a)).filter((l) => l.ticket_id === ticket.id)).toEqual([
      { ticket_id: ticket.id, device_id: ids.printer, reason: 'defect', ticket_date: created.created_at },
      { ticket_id: ticket.id, device_id: ids.notebook, reason: 'maintenance', ticket_date: created.created_at },
    ]);
    const after = await page(`/t/hl-a/desk/tickets/${ticket.number}`, agentA);
    expect(after).toContain(`id="hardware-linked-${ids.printer}"`);
    expect(after).toContain(`id="hardware-linked-${ids.notebook}"`);
    expect(after).toContain(`id="hardware-asof-${ids.notebook}"`);
    // The ticket's timeline says who linked which device and why.
    expect(after).toContain('linked device INV-1');
    expect(after).toMatch(/Reason:<\/span>\s*<ins>Defect<\/ins>/);
    const device = await page(`/t/hl-a/p/hardware/devices/${ids.printer}`, agentA);
    expect(device).toContain(`id="hardware-ticket-${ticket.id}"`);
    expect(device).toContain('New');
    expect(device).toContain('Defect');

    // Twice, a bad reason, another tenant's device: 422, nothing more saved.
    const count = (await links(a)).length;
    const twice = await post(`/t/hl-a/p/hardware/tickets/${ticket.id}/links`, { device_id: String(ids.printer), reason: 'defect' }, agentA);
    expect(twice.status).toBe(422);
    expect(await twice.text()).toContain('This device is linked to the ticket already.');
    expect((await post(`/t/hl-a/p/hardware/tickets/${ticket.id}/links`, { device_id: String(ids.globex), reason: 'broken' }, agentA)).status).toBe(422);
    expect((await post(`/t/hl-a/p/hardware/tickets/${ticket.id}/links`, { device_id: String(ids.other), reason: 'defect' }, agentA)).status).toBe(422);
    expect((await links(a)).length).toBe(count);

    expect((await post(`/t/hl-a/p/hardware/tickets/${ticket.id}/links/${ids.notebook}/delete`, {}, agentA)).status).toBe(303);
    expect((await links(a)).filter((l) => l.ticket_id === ticket.id).map((l) => l.device_id)).toEqual([ids.printer]);
    expect(await page(`/t/hl-a/desk/tickets/${ticket.number}`, agentA)).toContain('removed device INV-2');
  });

  it('shows the linked devices in a list column and filters ticket management by inventory number', async () => {
    const linked = await a.ticketFor(a.people.manager, a.organisations.acme, 'Filter linked');
    const plain = await a.ticketFor(a.people.manager, a.organisations.acme, 'Filter plain');
    await post(`/t/hl-a/p/hardware/tickets/${linked.id}/links`, { device_id: String(ids.notebook), reason: 'question' }, agentA);
    const list = await page('/t/hl-a/desk/tickets?queue=all', agentA);
    expect(list).toContain('data-column="hardware.devices"');
    expect(list).toContain('INV-2');
    const filtered = await page('/t/hl-a/desk/tickets?queue=all&p.hardware.device=INV-2', agentA);
    expect(filtered).toContain(linked.number);
    expect(filtered).not.toContain(plain.number);
    expect(await page('/t/hl-a/desk/tickets?queue=all&p.hardware.device=NOPE', agentA)).not.toContain(linked.number);
    const refused = await app.request('/t/hl-a/desk/tickets?queue=all&p.hardware.device=INV%202', { cookie: agentA });
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain('An inventory number has at most 60 characters and no spaces.');
    // Tenant B's device with the same number links none of A's tickets into B's list.
    expect(await page('/t/hl-b/desk/tickets?queue=all&p.hardware.device=INV-2', agentB)).not.toContain(linked.number);
  });

  it('answers 404 for another tenant\'s ticket on every link route and changes nothing', async () => {
    const ticket = await a.ticketFor(a.people.colleague, a.organisations.acme, 'Cross tenant');
    const count = (await links(a)).length;
    expect((await app.request(`/t/hl-b/p/hardware/tickets/${ticket.id}/pick`, { cookie: agentB })).status).toBe(404);
    expect((await post(`/t/hl-b/p/hardware/tickets/${ticket.id}/links`, { device_id: String(ids.other), reason: 'defect' }, agentB)).status).toBe(404);
    expect((await post(`/t/hl-b/p/hardware/tickets/${ticket.id}/links/${ids.printer}/delete`, {}, agentB)).status).toBe(404);
    expect((await links(a)).length).toBe(count);
  });

  it('shows a portal user only the devices they may see: a manager the organisation\'s, others their own, never another organisation\'s or tenant\'s', async () => {
    const manager = await page('/t/hl-a/portal', await a.signIn(a.emails.manager));
    expect(manager).toContain('id="hardware-portal-devices"');
    expect(manager).toContain(`id="hardware-portal-device-${ids.printer}"`);
    expect(manager).toContain(`id="hardware-portal-device-${ids.notebook}"`);
    expect(manager).not.toContain(`id="hardware-portal-device-${ids.globex}"`);
    const colleague = await page('/t/hl-a/portal', await a.signIn(a.emails.colleague));
    expect(colleague).toContain(`id="hardware-portal-device-${ids.printer}"`);
    expect(colleague).not.toContain(`id="hardware-portal-device-${ids.notebook}"`);
    const stranger = await page('/t/hl-a/portal', await a.signIn(a.emails.stranger));
    expect(stranger).not.toContain('GX-1');
    expect(stranger).not.toContain('INV-1');
    const otherTenant = await page('/t/hl-b/portal', await b.signIn(b.emails.manager));
    expect(otherTenant).toContain(`id="hardware-portal-device-${ids.other}"`);
    expect(otherTenant).not.toContain('INV-2');
    expect(await page('/t/hl-a/portal', '')).not.toContain('hardware-portal-devices');
  });

  it('lets a portal user pick a device on a new request when the tenant allows it, and refuses another organisation\'s at the field, saving nothing', async () => {
    const carl = await a.signIn(a.emails.colleague);
    const request = { subject: 'Printer broken', description: 'It jams', category: 'Software' };
    expect(await page('/t/hl-a/portal/requests/new', carl)).not.toContain('hardware-device-pick');
    await updatePluginSettings(app.services.db, app.services.registry, a.tenant.id, 'hardware', { portalPick: true });
    // The form renders the viewer's choice itself (a plain select: no JavaScript needed), nobody else's devices.
    const form = await page('/t/hl-a/portal/requests/new', carl);
    expect(form).toContain('id="hardware-device-pick"');
    expect(form).toContain('<option value="INV-1">INV-1 · HP LaserJet 4000</option>');
    expect(form).not.toContain('INV-2');
    expect(form).not.toContain('GX-1');
    expect(form).not.toContain('hx-get="/t/hl-a/portal/hardware');
    // A manager chooses among the organisation's devices, in German too; someone without a device gets no field.
    await a.scope.updateTable('people').set({ locale: 'de' }).where('id', '=', a.people.manager).execute();
    const managerForm = await page('/t/hl-a/portal/requests/new', await a.signIn(a.emails.manager));
    await a.scope.updateTable('people').set({ locale: 'en' }).where('id', '=', a.people.manager).execute();
    expect(managerForm).toContain('value="INV-2"');
    expect(managerForm).toContain('Kein bestimmtes Gerät');
    expect(managerForm).not.toContain('GX-1');
    expect(await page('/t/hl-a/portal/requests/new', await a.signIn(a.emails.stranger))).not.toContain('hardware-device-pick');
    expect((await app.request('/t/hl-a/portal/hardware/device-field', { cookie: carl })).status).toBe(404);

    const tickets = async () => (await a.scope.selectFrom('tickets').select('id').execute()).length;
    const before = { tickets: await tickets(), links: (await links(a)).length };
    for (const foreign of ['GX-1', 'INV-2', 'NOPE']) {
      const refused = await post('/t/hl-a/portal/requests', { ...request, [DEVICE_FIELD]: foreign }, carl);
      expect(refused.status, foreign).toBe(422);
      const html = await refused.text();
      expect(html).toContain(`id="${DEVICE_FIELD}-error"`);
      expect(html).toContain('Choose one of your devices or leave this empty.');
      // The form comes back with the viewer's own choice, the refused value not among it.
      expect(html).toContain('<option value="INV-1">');
    }
    expect({ tickets: await tickets(), links: (await links(a)).length }).toEqual(before);

    const saved = await post('/t/hl-a/portal/requests', { ...request, [DEVICE_FIELD]: 'INV-1' }, carl);
    expect(saved.status).toBe(303);
    const ticket = await a.scope.selectFrom('tickets').select(['id', 'created_at']).orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect((await links(a)).at(-1)).toEqual({ ticket_id: ticket.id, device_id: ids.printer, reason: 'question', ticket_date: ticket.created_at });
    // Left empty: a request without a device.
    expect((await post('/t/hl-a/portal/requests', { ...request, [DEVICE_FIELD]: '' }, carl)).status).toBe(303);
    await updatePluginSettings(app.services.db, app.services.registry, a.tenant.id, 'hardware', { portalPick: false });
  });
});
