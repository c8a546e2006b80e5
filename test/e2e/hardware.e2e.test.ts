import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../core/auth/password.js';
import { createUser } from '../../core/people/user-service.js';
import { enablePlugin, updatePluginSettings } from '../../core/plugin-host/plugin-switches.js';
import { createTenant } from '../../core/tenancy/tenant-service.js';
import { tenantScope } from '../../core/tenancy/tenant-scope.js';
import { tenantTicketService } from '../../core/tickets/ticket-context.js';
import { catalogueStore } from '../../plugins/hardware/catalogue-store.js';
import { deviceFiles } from '../../plugins/hardware/device-files.js';
import { deviceStore } from '../../plugins/hardware/device-store.js';
import { addDeviceField } from '../../plugins/hardware/device-field-fixture.js';
import { installationStore } from '../../plugins/hardware/installation-store.js';
import { linkStore } from '../../plugins/hardware/link-store.js';
import { hardwarePlugin } from '../../plugins/hardware/index.js';
import { portalPlugin } from '../../plugins/portal/index.js';
import { DESKTOP, PHONE, POLL, hasHorizontalScroll, launchBrowser, newContext, signInThroughForm } from '../harness/browser.js';
import { startTestServer, type TestServer } from '../harness/test-server.js';

const PASSWORD = 'e2e password 1234';
const SHOTS = process.env.HARDWARE_SHOTS;

/** The hardware plugin's pages in a real browser, at phone and desktop width: nothing scrolls sideways, the ticket panel links by htmx. */
describe('the hardware plugin in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  let base: string;
  let deviceId: number;
  let ticketNumber: string;

  beforeAll(async () => {
    server = await startTestServer([portalPlugin, hardwarePlugin]);
    const { services } = server.tresen;
    const tenant = await createTenant(services.db, { slug: 'acme', name: 'ACME Service', locale: 'en' });
    const adminId = await createUser(services.db, { tenantId: tenant.id, email: 'ada@acme.test', name: 'Ada Admin', role: 'admin', password: PASSWORD }, services.config.scryptLogN);
    for (const id of ['portal', 'hardware']) await enablePlugin(services.db, services.registry, tenant.id, id);
    await updatePluginSettings(services.db, services.registry, tenant.id, 'hardware', { portalPick: true });
    const scope = tenantScope(services.db, tenant.id);
    const organisation = (await scope.insertInto('organisations', { name: 'Müller Logistik GmbH & Co. KG', number: 'K-1', email_domains: 'mueller.test', phone: null, address: null, notes: null })
      .returning('id').executeTakeFirstOrThrow()).id;
    const personId = (await scope.insertInto('people', {
      organisation_id: organisation, name: 'Mia Manager', email: 'mia@mueller.test', phone: null, portal_role: 'customer', is_org_manager: 1,
      password_hash: await hashPassword(PASSWORD, 10), locale: 'en', active: 1,
    }).returning('id').executeTakeFirstOrThrow()).id;
    const actor = { id: adminId, label: 'ada@acme.test' };
    const catalogue = catalogueStore(services, tenant.id);
    const printerType = (await catalogue.types()).find((t) => t.key === 'printer')!.id;
    const hp = await catalogue.addManufacturer('Hewlett-Packard Enterprise', actor);
    const model = await catalogue.addModel({ type_id: String(printerType), manufacturer_id: String(hp), name: 'Color LaserJet Enterprise MFP M776' }, actor);
    const site = await catalogue.addLocation({ kind: 'site', name: 'Hauptverwaltung Nord', parent_id: '' }, actor);
    const building = await catalogue.addLocation({ kind: 'building', name: 'Gebäude A', parent_id: String(site) }, actor);
    const room = await catalogue.addLocation({ kind: 'room', name: 'Druckerraum 1.017', parent_id: String(building) }, actor);
    const devices = deviceStore(services, tenant.id);
    const input = (n: number) => ({
      inventory_number: `INV-2026-${String(n).padStart(5, '0')}`, serial_number: `CNBJQ${n}7X2Z`, model_id: String(model), organisation_id: String(organisation), person: '',
      location_id: String(room), state: 'in_service', purchased_on: '2024-03-01', warranty_until: '2027-03-01', host: `prn-${n}.verwaltung.mueller-logistik.example`, notes: 'Papierfach 2 klemmt gelegentlich.',
    });
    // A custom field for every type and one for printers; the first device has values and a file.
    await addDeviceField(services, tenant.id, { key: 'cost_centre', label: 'Kostenstelle', type: 'text', position: 1 });
    await addDeviceField(services, tenant.id, { key: 'toner', label: 'Toner', type: 'select', options: ['Schwarz', 'Farbe'], position: 2, typeIds: [printerType] });
    deviceId = (await devices.create(input(1), actor)).id;
    const others: number[] = [];
    for (let n = 2; n <= 4; n++) others.push((await devices.create(input(n), actor)).id);
    await devices.update(deviceId, { ...input(1), state: 'in_repair', custom: { cost_centre: 'KST-4711 Verwaltung Nord', toner: 'Farbe' } }, actor);
    // An installation with device 1 and a named part, which the portal offers beside the devices.
    const installations = installationStore(services, tenant.id);
    const serverRoom = await installations.create({ name: 'Serverraum Halle 3', organisation_id: String(organisation), location_id: '', notes: '' }, actor);
    await installations.addComponent(serverRoom, { inventory_number: input(1).inventory_number, name: '', level_id: '' }, null, actor);
    await installations.addComponent(serverRoom, { inventory_number: '', name: 'USV (unterbrechungsfreie Stromversorgung)', level_id: '' }, null, actor);
    await deviceFiles(services, tenant.id).add(deviceId, [{ filename: 'Wartungsvertrag Hewlett-Packard 2024-2027 unterschrieben.pdf', bytes: new TextEncoder().encode('%PDF-1.4') }], actor);
    const tickets = await tenantTicketService(services, tenant.id);
    // Defects on the other devices, so the statistics page has a table and a chart.
    const links = linkStore(services, tenant.id);
    for (const [index, other] of others.entries()) {
      const defect = await tickets.create({ subject: `Defect ${index + 1}`, description: 'Jams', requesterId: personId, organisationId: organisation, channel: 'web' },
        { kind: 'user', id: adminId, label: 'Ada Admin', can: () => true });
      await links.link({ ticketId: defect.id, deviceId: String(other), reason: 'defect' }, actor);
    }
    ticketNumber = (await tickets.create({ subject: 'Printer on floor 1 keeps jamming', description: 'Since Monday', requesterId: personId, organisationId: organisation, channel: 'web' },
      { kind: 'user', id: adminId, label: 'Ada Admin', can: () => true })).number;
    base = `${server.url}/t/acme`;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const shoot = async (page: Page, name: string) => {
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
  };

  for (const [label, viewport] of [['phone', PHONE], ['desktop', DESKTOP]] as const) {
    it(`on a ${label}: list, device page, catalogue and ticket panel fit the width; the panel links a device by htmx`, async () => {
      const context = await newContext(browser, { viewport });
      const page = await context.newPage();
      await signInThroughForm(page, base, 'ada@acme.test', PASSWORD);
      for (const [name, path] of [['list', '/p/hardware'], ['device', `/p/hardware/devices/${deviceId}`], ['catalogue', '/p/hardware/admin'], ['new', '/p/hardware/devices/new'],
        ['fields', '/admin/fields'], ['field-new', '/admin/fields/new?kind=device'], ['statistics', '/p/hardware/statistics']] as const) {
        await page.goto(`${base}${path}`);
        expect(await hasHorizontalScroll(page), `${name} at ${label}`).toBe(false);
        await shoot(page, `${name}-${label}`);
      }
      // The import with the custom fields' columns: mapped from the header, a dry run lists a row's bad values by field.
      await page.goto(`${base}/p/hardware/import`);
      const csv = 'inventory_number,model,organisation,state,toner,cost_centre\nNEU-1,Hewlett-Packard Enterprise Color LaserJet Enterprise MFP M776,K-1,in_service,Magenta,KST-1\n';
      await page.setInputFiles('#f-file', { name: 'geraete.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
      await Promise.all([page.waitForLoadState('load'), page.click('#hardware-import-read')]);
      expect(await page.locator('#f-map-custom\\.toner').inputValue()).toBe('4');
      await Promise.all([page.waitForLoadState('load'), page.click('#hardware-import-dry')]);
      await expect.poll(() => page.locator('#hardware-import-line-2').textContent(), POLL).toContain('Toner: Please choose one of the offered values.');
      expect(await hasHorizontalScroll(page), `import at ${label}`).toBe(false);
      await shoot(page, `import-${label}`);
      await page.goto(`${base}/desk/tickets/${ticketNumber}`);
      // Without a search the panel offers the customer's devices.
      await expect.poll(() => page.locator('#hardware-candidates li').count(), POLL).toBeGreaterThan(0);
      await page.fill('#hardware-q', 'INV-2026-0000');
      await expect.poll(() => page.locator('#hardware-candidates li').count(), POLL).toBe(label === 'phone' ? 4 : 3);
      expect(await hasHorizontalScroll(page)).toBe(false);
      await shoot(page, `ticket-${label}`);
      const first = page.locator('#hardware-candidates li').first();
      await Promise.all([page.waitForURL((url) => url.pathname.endsWith(`/desk/tickets/${ticketNumber}`) && url.hash === '#hardware-ticket-devices'), first.locator('button').click()]);
      await expect.poll(() => page.locator('#hardware-linked li').count(), POLL).toBe(label === 'phone' ? 1 : 2);
      await context.close();
    });
  }

  it('on a phone: the portal shows the organisation\'s devices and offers them on the new request form', async () => {
    const context = await newContext(browser, { viewport: PHONE });
    const page = await context.newPage();
    await page.goto(`${base}/portal/login`);
    const form = page.locator('#portal-sign-in form').first();
    await form.locator('input[name=email]').fill('mia@mueller.test');
    await form.locator('input[name=password]').fill(PASSWORD);
    await Promise.all([page.waitForURL((url) => !url.pathname.endsWith('/login')), page.click('#portal-sign-in-submit')]);
    await page.goto(`${base}/portal`);
    await expect.poll(() => page.locator('#hardware-portal-devices li').count(), POLL).toBe(4);
    expect(await hasHorizontalScroll(page)).toBe(false);
    await shoot(page, 'portal-phone');
    await page.goto(`${base}/portal/requests/new`);
    // Four devices and the installation's part, in two groups, besides "no particular device".
    await expect.poll(() => page.locator('select[name="p.hardware.device"] option').count(), POLL).toBe(6);
    expect(await page.locator('select[name="p.hardware.device"] optgroup').count()).toBe(2);
    expect(await hasHorizontalScroll(page)).toBe(false);
    await shoot(page, 'portal-request-phone');
    // The part picked: the new request is about it.
    await page.fill('input[name=subject]', 'Die USV piept');
    await page.fill('textarea[name=description]', 'Seit heute Nacht piept die USV im Serverraum.');
    const part = await page.locator('select[name="p.hardware.device"] optgroup').nth(1).locator('option').first().getAttribute('value');
    await page.selectOption('select[name="p.hardware.device"]', part!);
    await Promise.all([page.waitForURL((url) => !url.pathname.endsWith('/new')), page.locator('form:has(select[name="p.hardware.device"]) button[type=submit]').last().click()]);
    expect(await page.locator('[id="p.hardware.device-error"]').count()).toBe(0);
    expect(page.url()).toMatch(/\/portal\/requests\/[^/]+$/);
    await context.close();
    const desktop = await newContext(browser, { viewport: DESKTOP });
    const wide = await desktop.newPage();
    await wide.goto(`${base}/portal/login`);
    const wideForm = wide.locator('#portal-sign-in form').first();
    await wideForm.locator('input[name=email]').fill('mia@mueller.test');
    await wideForm.locator('input[name=password]').fill(PASSWORD);
    await Promise.all([wide.waitForURL((url) => !url.pathname.endsWith('/login')), wide.click('#portal-sign-in-submit')]);
    await wide.goto(`${base}/portal/requests/new`);
    await shoot(wide, 'portal-request-desktop');
    await desktop.close();
  });
});
