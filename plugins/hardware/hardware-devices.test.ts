import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pluginScope } from '../../core/tenancy/tenant-scope.js';
import { createTestApp, type TestApp } from '../../test/harness/test-app.js';
import { dialects } from '../../test/harness/test-database.js';
import { replayHistory } from './device-fields.js';
import { hardwareWorld, type HardwareWorld } from './hardware-fixture.js';
import type { HardwareDB } from './hardware-db.js';
import { hardwarePlugin } from './index.js';
import { installedPlugin } from '../../test/harness/installed-plugin.js';

describe('replayHistory', () => {
  it('applies the lines before the moment in order, and knows no device before its first line', () => {
    const rows = [
      { at: '2026-01-10T10:00:00.000Z', field: 'state', new_value: 'in_stock' },
      { at: '2026-01-10T10:00:00.000Z', field: 'inventory_number', new_value: 'INV-1' },
      { at: '2026-02-15T09:00:00.000Z', field: 'state', new_value: 'in_repair' },
    ];
    expect(replayHistory(rows, '2026-01-10T10:00:00.000Z')).toBeNull();
    expect(replayHistory(rows, '2026-02-01T00:00:00.000Z')).toMatchObject({ state: 'in_stock', inventory_number: 'INV-1', host: null });
    expect(replayHistory(rows, '2026-03-01T00:00:00.000Z')).toMatchObject({ state: 'in_repair' });
  });
});

/** Catalogue, devices, their history "as of" a day, and every route across tenants, in a tenant that has the plugin on. */
describe.each(dialects)('hardware devices on %s', (dialect) => {
  let app: TestApp;
  let now = new Date('2026-01-10T10:00:00.000Z');
  let a: HardwareWorld;
  let b: HardwareWorld;
  let adminA: string;
  let adminB: string;

  const post = (path: string, values: Record<string, string>, cookie: string) => app.request(path, { method: 'POST', body: new URLSearchParams(values), cookie });
  const get = (path: string, cookie: string) => app.request(path, { cookie });
  const devices = (world: HardwareWorld) => pluginScope<HardwareDB>(app.services.db, world.tenant.id).selectFrom('hardware_devices').select(['id', 'inventory_number', 'state']).orderBy('id').execute();
  const form = (world: HardwareWorld, values: Record<string, string> = {}) => ({
    inventory_number: 'INV-100', serial_number: 'SN-1', model_id: String(world.models.printer), organisation_id: String(world.organisations.acme), person: '',
    location_id: String(world.locations.room), state: 'in_stock', purchased_on: '2025-12-01', warranty_until: '2028-12-01', host: 'prn-100.acme.test', notes: '', ...values,
  });

  beforeAll(async () => {
    app = await createTestApp(dialect, [installedPlugin('portal'), hardwarePlugin], { clock: () => now });
    a = await hardwareWorld(app, 'hw-a');
    b = await hardwareWorld(app, 'hw-b');
    adminA = await a.admin();
    adminB = await b.admin();
  });
  afterAll(() => app.cleanup());

  /** Moves the app's clock; sessions idle out over weeks, so both admins sign in again. */
  const at = async (iso: string) => {
    now = new Date(iso);
    adminA = await a.admin();
    adminB = await b.admin();
  };

  it('seeds the device types once per tenant, in both languages, and shows the catalogue on one Administration page', async () => {
    const page = await (await get('/t/hw-a/p/hardware/admin', adminA)).text();
    for (const id of ['hardware-types', 'hardware-manufacturers', 'hardware-models', 'hardware-locations', 'hardware-settings']) expect(page).toContain(`id="${id}"`);
    expect(page).toContain('Printer');
    expect(page).toContain('Drucker');
    expect(page).toContain('Campus › House A');
    expect(await (await get('/t/hw-a/admin', adminA)).text()).toContain('/t/hw-a/p/hardware/admin');
    const types = await pluginScope<HardwareDB>(app.services.db, a.tenant.id).selectFrom('hardware_types').select('key').where('key', 'is not', null).execute();
    expect(types.length).toBeGreaterThanOrEqual(8);
    expect(new Set(types.map((t) => t.key)).size).toBe(types.length);
    // An agent sees the devices but not the catalogue.
    expect((await get('/t/hw-a/p/hardware/admin', await a.agentCookie())).status).toBe(403);
  });

  it('refuses bad catalogue input at its field and saves nothing', async () => {
    const before = await pluginScope<HardwareDB>(app.services.db, a.tenant.id).selectFrom('hardware_manufacturers').select('name').execute();
    const taken = await post('/t/hw-a/p/hardware/admin/manufacturers', { manufacturer_name: 'HP' }, adminA);
    expect(taken.status).toBe(422);
    expect(await taken.text()).toContain('<small id="manufacturer_name-error" class="field-error">This name is taken already.</small>');
    const room = await post('/t/hw-a/p/hardware/admin/locations', { location_kind: 'room', location_name: 'Loose room', location_parent_id: String(a.locations.site) }, adminA);
    expect(room.status).toBe(422);
    expect(await room.text()).toContain('A room lies in a building: choose one.');
    // Another tenant's type and manufacturer are unknown here.
    const foreign = await post('/t/hw-a/p/hardware/admin/models', { model_type_id: String(b.typeId('printer')), model_manufacturer_id: String(b.manufacturers.hp), model_name: 'X1' }, adminA);
    expect(foreign.status).toBe(422);
    const html = await foreign.text();
    expect(html).toContain('id="model_type_id-error"');
    expect(html).toContain('id="model_manufacturer_id-error"');
    expect(await pluginScope<HardwareDB>(app.services.db, a.tenant.id).selectFrom('hardware_manufacturers').select('name').execute()).toEqual(before);
    expect(await pluginScope<HardwareDB>(app.services.db, a.tenant.id).selectFrom('hardware_models').select('id').where('name', '=', 'X1').execute()).toEqual([]);
    const type = await post(`/t/hw-a/p/hardware/admin/types/${a.typeId('printer')}`, { type_name_en: 'Printer', type_name_de: 'Drucker (Netz)' }, adminA);
    expect(type.status).toBe(303);
    expect((await post(`/t/hw-b/p/hardware/admin/types/${a.typeId('printer')}`, { type_name_en: 'Hijack', type_name_de: 'x' }, adminB)).status).toBe(404);
    expect((await get(`/t/hw-b/p/hardware/admin/types/${a.typeId('printer')}`, adminB)).status).toBe(404);
  });

  it('creates a device with a history line per field, and refuses a taken inventory number at the field (422, input kept, nothing saved)', async () => {
    now = new Date('2026-01-10T10:00:00.000Z');
    const created = await post('/t/hw-a/p/hardware/devices', form(a), adminA);
    expect(created.status).toBe(303);
    const device = (await devices(a)).find((d) => d.inventory_number === 'INV-100')!;
    expect(created.headers.get('Location')).toBe(`/t/hw-a/p/hardware/devices/${device.id}`);
    const history = await pluginScope<HardwareDB>(app.services.db, a.tenant.id).selectFrom('hardware_device_history').select(['field', 'old_value', 'new_value', 'actor_label']).where('device_id', '=', device.id).execute();
    expect(history).toContainEqual({ field: 'inventory_number', old_value: null, new_value: 'INV-100', actor_label: a.adminEmail });
    expect(history.map((h) => h.field)).not.toContain('notes');

    const before = await devices(a);
    const taken = await post('/t/hw-a/p/hardware/devices', form(a, { serial_number: 'SN-2' }), adminA);
    expect(taken.status).toBe(422);
    const html = await taken.text();
    expect(html).toContain('<small id="inventory_number-error" class="field-error">Another device has this inventory number.</small>');
    expect(html).toMatch(/name="serial_number" type="text" value="SN-2"/);
    expect(await devices(a)).toEqual(before);
    // The same number in another tenant is fine.
    expect((await post('/t/hw-b/p/hardware/devices', form(b), adminB)).status).toBe(303);
  });

  it('refuses bad input with a message at each field and saves nothing', async () => {
    const before = await devices(a);
    const bad = await post('/t/hw-a/p/hardware/devices', form(a, {
      inventory_number: 'INV 7', host: 'bad host!', purchased_on: '2026-02-30', state: 'lost', model_id: String(b.models.printer), person: `gus@globex-hw-a.test`,
    }), adminA);
    expect(bad.status).toBe(422);
    const html = await bad.text();
    for (const field of ['inventory_number', 'host', 'purchased_on', 'state', 'model_id', 'person']) expect(html, field).toContain(`id="${field}-error"`);
    const order = await post('/t/hw-a/p/hardware/devices', form(a, { inventory_number: 'INV-8', purchased_on: '2026-02-01', warranty_until: '2026-01-01' }), adminA);
    expect(order.status).toBe(422);
    expect(await order.text()).toContain('The warranty cannot end before the purchase.');
    const foreignOrg = await post('/t/hw-a/p/hardware/devices', form(a, { inventory_number: 'INV-9', organisation_id: String(b.organisations.acme) }), adminA);
    expect(foreignOrg.status).toBe(422);
    expect(await devices(a)).toEqual(before);
  });

  it('records every change and shows the device as of a day, rebuilt from its history', async () => {
    const device = (await devices(a)).find((d) => d.inventory_number === 'INV-100')!;
    await at('2026-02-15T09:00:00.000Z');
    expect((await post(`/t/hw-a/p/hardware/devices/${device.id}`, form(a, { state: 'in_repair', person: a.emails.colleague }), adminA)).status).toBe(303);
    await at('2026-03-01T09:00:00.000Z');
    expect((await post(`/t/hw-a/p/hardware/devices/${device.id}`, form(a, { state: 'in_service', person: a.emails.colleague, location_id: '', host: '10.0.0.7' }), adminA)).status).toBe(303);
    // Saving the same values again writes no history.
    const lines = async () => (await pluginScope<HardwareDB>(app.services.db, a.tenant.id).selectFrom('hardware_device_history').select('id').where('device_id', '=', device.id).execute()).length;
    const count = await lines();
    expect((await post(`/t/hw-a/p/hardware/devices/${device.id}`, form(a, { state: 'in_service', person: a.emails.colleague, location_id: '', host: '10.0.0.7' }), adminA)).status).toBe(303);
    expect(await lines()).toBe(count);

    const value = (html: string, field: string) => new RegExp(`id="hardware-value-${field}">([^<]*)<`).exec(html)?.[1];
    const today = await (await get(`/t/hw-a/p/hardware/devices/${device.id}`, adminA)).text();
    expect(value(today, 'state')).toBe('In service');
    expect(value(today, 'host')).toBe('10.0.0.7');
    expect(today).toContain('In repair → In service');
    const january = await (await get(`/t/hw-a/p/hardware/devices/${device.id}?asOf=2026-01-20`, adminA)).text();
    expect(value(january, 'state')).toBe('In stock');
    expect(value(january, 'person_id')).toBe('—');
    expect(value(january, 'location_id')).toBe('Campus › House A › Room 101');
    expect(value(january, 'host')).toBe('prn-100.acme.test');
    const february = await (await get(`/t/hw-a/p/hardware/devices/${device.id}?asOf=2026-02-15`, adminA)).text();
    expect(value(february, 'state')).toBe('In repair');
    expect(value(february, 'person_id')).toBe('Carl Colleague');
    expect(await (await get(`/t/hw-a/p/hardware/devices/${device.id}?asOf=2026-01-09`, adminA)).text()).toContain('id="hardware-not-yet"');
    const bad = await get(`/t/hw-a/p/hardware/devices/${device.id}?asOf=2026-13-01`, adminA);
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain('Enter a date as YYYY-MM-DD.');
  });

  it('lists devices by every filter, paginated, and refuses a malformed filter', async () => {
    await at('2026-03-02T09:00:00.000Z');
    await a.device({ inventory_number: 'NB-1', model_id: String(a.models.notebook), organisation_id: String(a.organisations.globex), state: 'in_stock', host: 'nb-1' });
    await a.device({ inventory_number: 'NB-2', model_id: String(a.models.notebook), location_id: String(a.locations.room) });
    const rows = async (query: string) => [...(await (await get(`/t/hw-a/p/hardware?${query}`, adminA)).text()).matchAll(/id="hardware-device-\d+">\s*<th scope="row"><a [^>]*>([^<]+)</g)].map((m) => m[1]);
    expect(await rows('')).toEqual(['INV-100', 'NB-1', 'NB-2']);
    expect(await rows(`type=${a.typeId('notebook')}`)).toEqual(['NB-1', 'NB-2']);
    expect(await rows(`model=${a.models.printer}`)).toEqual(['INV-100']);
    expect(await rows(`organisation=${a.organisations.globex}`)).toEqual(['NB-1']);
    expect(await rows('state=in_stock')).toEqual(['NB-1']);
    expect(await rows(`location=${a.locations.site}`)).toEqual(['NB-2']);
    expect(await rows('q=nb-')).toEqual(['NB-1', 'NB-2']);
    expect(await rows('q=SN-')).toEqual(['INV-100']);
    expect(await rows('q=10.0.0')).toEqual(['INV-100']);
    expect(await rows(`model=${b.models.printer}`)).toEqual([]);
    const bad = await get('/t/hw-a/p/hardware?state=lost&model=x', adminA);
    expect(bad.status).toBe(422);
    const html = await bad.text();
    expect(html).toContain('id="state-error"');
    expect(html).toContain('id="model-error"');
  });

  it('pages the list by 50, in inventory order', async () => {
    for (let n = 1; n <= 51; n += 1) await b.device({ inventory_number: `P-${String(n).padStart(3, '0')}` });
    const first = await (await get('/t/hw-b/p/hardware?q=P-', adminB)).text();
    expect(first).toContain('>P-050<');
    expect(first).not.toContain('>P-051<');
    expect(first).toContain('rel="next"');
    const second = await (await get('/t/hw-b/p/hardware?q=P-&page=2', adminB)).text();
    expect(second).toContain('>P-051<');
    expect(second).not.toContain('>P-001<');
    // The links carry a cursor (keyset paging): "next" starts after page 1's last number, "previous" ends before page 2's first.
    const next = /<a class="button-small" href="([^"]+)" rel="next">/.exec(first)![1]!.replace(/&amp;/g, '&');
    expect(next).toContain('after=P-050');
    expect(next).toContain('page=2');
    const followed = await (await get(next, adminB)).text();
    expect(followed).toContain('>P-051<');
    expect(followed).not.toContain('>P-050<');
    expect(followed).toContain('Page 2 of 2');
    const previous = /<a class="button-small" href="([^"]+)" rel="prev">/.exec(followed)![1]!.replace(/&amp;/g, '&');
    expect(previous).not.toContain('before='); // page 1 needs no cursor
    expect(await (await get(previous, adminB)).text()).toContain('>P-001<');
    const before = await (await get('/t/hw-b/p/hardware?q=P-&page=1&before=P-051', adminB)).text();
    expect(before).toContain('>P-001<');
    expect(before).toContain('>P-050<');
    expect(before).not.toContain('>P-051<');
    // The cursor is one tenant's number compared within that tenant only; an over-long one is no cursor.
    const tooLong = await get(`/t/hw-b/p/hardware?q=P-&page=1&after=${'x'.repeat(61)}`, adminB);
    expect(tooLong.status).toBe(200);
    expect(await tooLong.text()).toContain('>P-001<');
  });

  it('answers 404 for another tenant\'s device on every device route and changes nothing', async () => {
    const device = (await devices(a)).find((d) => d.inventory_number === 'INV-100')!;
    for (const path of [`/p/hardware/devices/${device.id}`, `/p/hardware/devices/${device.id}/edit`, `/p/hardware/devices/${device.id}?asOf=2026-01-20`]) {
      expect((await get(`/t/hw-b${path}`, adminB)).status, path).toBe(404);
    }
    expect((await post(`/t/hw-b/p/hardware/devices/${device.id}`, form(b, { inventory_number: 'STOLEN' }), adminB)).status).toBe(404);
    expect((await devices(a)).find((d) => d.id === device.id)?.inventory_number).toBe('INV-100');
    // A session of one tenant is nobody in another.
    expect((await get(`/t/hw-a/p/hardware/devices/${device.id}`, adminB)).status).not.toBe(200);
  });

  it('speaks German', async () => {
    await app.services.db.updateTable('users').set({ locale: 'de' }).where('email', '=', a.adminEmail).execute();
    const german = await a.admin();
    const device = (await devices(a)).find((d) => d.inventory_number === 'INV-100')!;
    const page = await (await get(`/t/hw-a/p/hardware/devices/${device.id}`, german)).text();
    expect(page).toContain('Im Einsatz');
    expect(page).toContain('Inventarnummer');
    expect(await (await get('/t/hw-a/p/hardware/admin', german)).text()).toContain('Gerätetypen');
    await app.services.db.updateTable('users').set({ locale: null }).where('email', '=', a.adminEmail).execute();
  });
});
