import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pluginScope } from '../../core/tenancy/tenant-scope.js';
import { createTestApp, type TestApp } from '../../test/harness/test-app.js';
import { dialects } from '../../test/harness/test-database.js';
import { addDeviceField } from './device-field-fixture.js';
import { hardwareWorld, type HardwareWorld } from './hardware-fixture.js';
import type { HardwareDB } from './hardware-db.js';
import { hardwarePlugin } from './index.js';
import { installedPlugin } from '../../test/harness/installed-plugin.js';

/**
 * The device CSV carries the custom fields (issue 12 point 6): a column per field key after the fixed ones; the
 * import maps them, checks them with the form's rules (by the model's type) and reports bad rows by line and reason.
 */
describe.each(dialects)('hardware CSV with custom fields on %s', (dialect) => {
  let app: TestApp;
  let a: HardwareWorld;
  let b: HardwareWorld;
  let adminA: string;
  let adminB: string;
  const FIXED = 'inventory_number,serial_number,model,organisation,person,location,state,purchased_on,warranty_until,host,notes';

  const raw = async (response: Response) => new TextDecoder('utf-8', { ignoreBOM: true }).decode(await response.arrayBuffer());
  const stored = (world: HardwareWorld) => pluginScope<HardwareDB>(app.services.db, world.tenant.id).selectFrom('hardware_devices')
    .select(['inventory_number', 'custom_fields']).orderBy('inventory_number').execute();
  const upload = (slug: string, text: string, cookie: string) => {
    const form = new FormData();
    form.set('file', new File([text], 'devices.csv', { type: 'text/csv' }));
    return app.request(`/t/${slug}/p/hardware/import`, { method: 'POST', body: form, cookie });
  };
  /** The second step with the header's own order as the mapping (custom columns by `map.custom.<key>`). */
  const step = (slug: string, text: string, button: 'dry' | 'import', cookie: string) => {
    const header = text.replace(/^\uFEFF/, '').split(/\r?\n/)[0]!.split(',');
    const map = header.map((name, index) => [`map.${name.startsWith('custom.') || !FIXED.split(',').includes(name) ? (name.startsWith('custom.') ? name : `custom.${name}`) : name}`, String(index)]);
    return app.request(`/t/${slug}/p/hardware/import`, { method: 'POST', cookie, body: new URLSearchParams({ csv: text, step: button, ...Object.fromEntries(map) }) });
  };
  const fields = async (world: HardwareWorld) => {
    await addDeviceField(app.services, world.tenant.id, { key: 'toner', label: 'Toner', type: 'select', options: ['black', 'colour'], required: true, typeIds: [world.typeId('printer')], position: 1 });
    await addDeviceField(app.services, world.tenant.id, { key: 'cost', label: 'Cost centre', type: 'number', position: 2 });
    await addDeviceField(app.services, world.tenant.id, { key: 'leased', label: 'Leased', type: 'checkbox', position: 3 });
    await addDeviceField(app.services, world.tenant.id, { key: 'inspected', label: 'Inspected on', type: 'date', position: 4 });
    // A key that is also a fixed column's name: its column is headed custom.notes.
    await addDeviceField(app.services, world.tenant.id, { key: 'notes', label: 'Extra notes', type: 'text', position: 5 });
    await addDeviceField(app.services, world.tenant.id, { key: 'old', label: 'Switched off', type: 'text', position: 6, active: false });
  };

  beforeAll(async () => {
    app = await createTestApp(dialect, [installedPlugin('portal'), hardwarePlugin]);
    a = await hardwareWorld(app, 'hcf-a');
    b = await hardwareWorld(app, 'hcf-b');
    adminA = await a.admin();
    adminB = await b.admin();
    await fields(a);
    await fields(b);
    await a.device({ inventory_number: 'INV-1', custom: { toner: 'colour', cost: '4711', leased: '1', inspected: '2026-03-01', notes: 'x, "y"' } });
    await a.device({ inventory_number: 'INV-2', model_id: String(a.models.notebook), state: 'in_stock' });
  });
  afterAll(() => app.cleanup());

  it('exports a column per active field key, a checkbox as true/false, nothing for a value not set', async () => {
    const text = await raw(await app.request('/t/hcf-a/p/hardware/devices.csv', { cookie: adminA }));
    const [header, first, second] = text.replace(/^\uFEFF/, '').split('\r\n');
    expect(header).toBe(`${FIXED},toner,cost,leased,inspected,custom.notes`);
    expect(first).toMatch(/^INV-1,.*,colour,4711,true,2026-03-01,"x, ""y"""$/);
    expect(second).toMatch(/^INV-2,.*,in_stock(,){9}$/);
  });

  it('maps the custom columns by key or label on the preview', async () => {
    const html = await (await upload('hcf-a', 'Inventory number;Model;Customer;Toner;cost;custom.notes\nN-1;HP LaserJet 4000;K-1;black;1;x\n', adminA)).text();
    expect(html).toMatch(/<select id="f-map-custom.toner" name="map.custom.toner">.*?<option value="3" selected="">Toner<\/option>/s);
    expect(html).toMatch(/<select id="f-map-custom.cost" name="map.custom.cost">.*?<option value="4" selected="">cost<\/option>/s);
    expect(html).toMatch(/<select id="f-map-custom.notes" name="map.custom.notes">.*?<option value="5" selected="">custom.notes<\/option>/s);
    expect(html).toMatch(/<select id="f-map-notes" name="map.notes"><option value="-1" selected="">|<select id="f-map-notes" name="map.notes"><option value="-1">/);
  });

  it('checks the custom columns with the form\'s rules by the model\'s type, lists every bad row with line and reason, saves nothing', async () => {
    const text = [
      'inventory_number,model,organisation,toner,cost,leased,inspected',
      'OK-1,HP LaserJet 4000,K-1,black,12,1,2026-01-31',
      'NO-TONER,HP LaserJet 4000,K-1,,,,',
      'BAD,HP LaserJet 4000,K-1,purple,twelve,,2026-02-30',
      'NB-OK,Lenovo ThinkPad T14,K-1,,3.5,false,',
    ].join('\n');
    for (const button of ['dry', 'import'] as const) {
      const response = await step('hcf-a', text, button, adminA);
      expect(response.status, button).toBe(422);
      const html = await response.text();
      expect(html).toContain('Rows with problems: 2');
      const line = (n: number) => new RegExp(`<li id="hardware-import-line-${n}">(.*?)</li>`, 's').exec(html)?.[1] ?? '';
      expect(line(3)).toContain('Toner: Please fill in this field.');
      expect(line(4)).toContain('Toner: Please choose one of the offered values.');
      expect(line(4)).toMatch(/Cost centre: [^;]+number/i);
      expect(line(4)).toMatch(/Inspected on: [^;]+date/i);
      expect(html).not.toContain('id="hardware-import-line-2"');
      expect(html).not.toContain('id="hardware-import-line-5"');
    }
    expect((await stored(a)).map((row) => row.inventory_number)).toEqual(['INV-1', 'INV-2']);
  });

  it('imports the values (a notebook needs no toner) with history lines, and an export reads back into another tenant unchanged', async () => {
    const saved = await step('hcf-a', 'inventory_number,model,organisation,toner,cost,leased\nOK-1,HP LaserJet 4000,K-1,black,12,on\nNB-1,Lenovo ThinkPad T14,K-1,,3.5,\n', 'import', adminA);
    expect(saved.status).toBe(303);
    const rows = new Map((await stored(a)).map((row) => [row.inventory_number, JSON.parse(row.custom_fields) as unknown]));
    expect(rows.get('OK-1')).toEqual({ toner: 'black', cost: 12, leased: true });
    expect(rows.get('NB-1')).toEqual({ cost: 3.5, leased: false });
    const history = await pluginScope<HardwareDB>(app.services.db, a.tenant.id).selectFrom('hardware_device_history')
      .innerJoin('hardware_devices', 'hardware_devices.id', 'hardware_device_history.device_id')
      .select(['hardware_device_history.field', 'hardware_device_history.new_value']).where('hardware_devices.inventory_number', '=', 'OK-1').where('field', 'like', 'custom.%').orderBy('field').execute();
    expect(history).toEqual([{ field: 'custom.cost', new_value: '12' }, { field: 'custom.leased', new_value: 'true' }, { field: 'custom.toner', new_value: 'black' }]);

    const exported = await raw(await app.request('/t/hcf-a/p/hardware/devices.csv', { cookie: adminA }));
    const into = await step('hcf-b', exported.replace(/^\uFEFF/, ''), 'import', adminB);
    expect(into.status).toBe(303);
    const copied = new Map((await stored(b)).map((row) => [row.inventory_number, JSON.parse(row.custom_fields) as unknown]));
    expect(copied.get('INV-1')).toEqual({ toner: 'colour', cost: 4711, leased: true, inspected: '2026-03-01', notes: 'x, "y"' });
    expect(copied.get('OK-1')).toEqual({ toner: 'black', cost: 12, leased: true });
    // The export of B equals A's, but for the checkbox a device of A never had set: the import stores it unchecked, as the form does.
    const again = await raw(await app.request('/t/hcf-b/p/hardware/devices.csv', { cookie: adminB }));
    expect(exported).toContain('INV-2,,Lenovo ThinkPad T14,K-1,,,in_stock,,,,,,,,,\r\n');
    expect(again).toBe(exported.replace('INV-2,,Lenovo ThinkPad T14,K-1,,,in_stock,,,,,,,,,\r\n', 'INV-2,,Lenovo ThinkPad T14,K-1,,,in_stock,,,,,,,false,,\r\n'));
  });

  it('names the custom field in German too', async () => {
    await app.services.db.updateTable('users').set({ locale: 'de' }).where('email', '=', a.adminEmail).execute();
    const html = await (await step('hcf-a', 'inventory_number,model,organisation,toner\nDE-1,HP LaserJet 4000,K-1,\n', 'dry', adminA)).text();
    await app.services.db.updateTable('users').set({ locale: 'en' }).where('email', '=', a.adminEmail).execute();
    expect(html).toContain('Zeile 2:');
    expect(html).toContain('Toner: Bitte füllen Sie dieses Feld aus.');
  });
});
