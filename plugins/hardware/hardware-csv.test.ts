import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pluginScope } from '../../core/tenancy/tenant-scope.js';
import { createTestApp, type TestApp } from '../../test/harness/test-app.js';
import { dialects } from '../../test/harness/test-database.js';
import { CSV_COLUMNS } from './device-csv.js';
import { hardwareWorld, type HardwareWorld } from './hardware-fixture.js';
import type { HardwareDB } from './hardware-db.js';
import { hardwarePlugin } from './index.js';
import { installedPlugin } from '../../test/harness/installed-plugin.js';

/** CSV export of the filtered device list, and the import: mapping, preview, dry run with every bad row, all or nothing. */
describe.each(dialects)('hardware CSV on %s', (dialect) => {
  let app: TestApp;
  let a: HardwareWorld;
  let b: HardwareWorld;
  let adminA: string;
  let adminB: string;

  const raw = async (response: Response) => new TextDecoder('utf-8', { ignoreBOM: true }).decode(await response.arrayBuffer());
  const devices = (world: HardwareWorld) => pluginScope<HardwareDB>(app.services.db, world.tenant.id).selectFrom('hardware_devices')
    .select(['inventory_number', 'state', 'serial_number']).orderBy('inventory_number').execute();
  const upload = (slug: string, text: string, cookie: string) => {
    const form = new FormData();
    form.set('file', new File([text], 'devices.csv', { type: 'text/csv' }));
    return app.request(`/t/${slug}/p/hardware/import`, { method: 'POST', body: form, cookie });
  };
  /** The second step's form: the text, the export's own column order as the mapping, and the button pressed. */
  const step = (slug: string, text: string, button: 'dry' | 'import', cookie: string) => app.request(`/t/${slug}/p/hardware/import`, {
    method: 'POST', cookie, body: new URLSearchParams({ csv: text, step: button, ...Object.fromEntries(CSV_COLUMNS.map((column, index) => [`map.${column}`, String(index)])) }),
  });

  beforeAll(async () => {
    app = await createTestApp(dialect, [installedPlugin('portal'), hardwarePlugin]);
    a = await hardwareWorld(app, 'hc-a');
    b = await hardwareWorld(app, 'hc-b');
    adminA = await a.admin();
    adminB = await b.admin();
    await a.device({ inventory_number: 'INV-1', serial_number: 'SN, "one"', person: a.emails.colleague, location_id: String(a.locations.room), purchased_on: '2024-01-02', notes: '=cmd' });
    await a.device({ inventory_number: 'INV-2', model_id: String(a.models.notebook), state: 'in_stock', host: 'nb-2' });
  });
  afterAll(() => app.cleanup());

  it('exports the filtered list with every column, quoted where needed and formulas defused', async () => {
    const all = await app.request('/t/hc-a/p/hardware/devices.csv', { cookie: await a.agentCookie() });
    expect(all.status).toBe(200);
    expect(all.headers.get('content-disposition')).toContain('devices.csv');
    expect(await raw(all)).toBe('\uFEFFinventory_number,serial_number,model,organisation,person,location,state,purchased_on,warranty_until,host,notes\r\n'
      + `INV-1,"SN, ""one""",HP LaserJet 4000,K-1,${a.emails.colleague},Campus › House A › Room 101,in_service,2024-01-02,,,'=cmd\r\n`
      + 'INV-2,,Lenovo ThinkPad T14,K-1,,,in_stock,,,nb-2,\r\n');
    const notebooks = await raw(await app.request(`/t/hc-a/p/hardware/devices.csv?model=${a.models.notebook}`, { cookie: adminA }));
    expect(notebooks).toContain('INV-2');
    expect(notebooks).not.toContain('INV-1');
    expect((await app.request('/t/hc-a/p/hardware/devices.csv?state=broken', { cookie: adminA })).status).toBe(422);
    // Another tenant's export holds none of A's devices.
    expect(await raw(await app.request('/t/hc-b/p/hardware/devices.csv', { cookie: adminB }))).not.toContain('INV-1');
  });

  it('reads a file (semicolons, German headers), guesses the mapping and previews the first rows', async () => {
    const text = 'Inventarnummer;Modell;Kunde;Zustand;Notizen\nNEW-1;HP LaserJet 4000;ACME;In Betrieb;"a; b"\n';
    const response = await upload('hc-a', text, adminA);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toMatch(/<select id="f-map-inventory_number" name="map.inventory_number">.*?<option value="0" selected="">Inventarnummer<\/option>/s);
    expect(html).toMatch(/<select id="f-map-organisation" name="map.organisation">.*?<option value="2" selected="">Kunde<\/option>/s);
    expect(html).toMatch(/<select id="f-map-serial_number" name="map.serial_number"><option value="-1">/);
    expect(html).toContain('<td>a; b</td>');
    expect(await devices(a)).toHaveLength(2);
  });

  it('lists every bad row with its line and reason in a dry run and on import, and saves nothing', async () => {
    const header = CSV_COLUMNS.join(',');
    const text = [
      header,
      'OK-1,,HP LaserJet 4000,K-1,,,in_service,,,,',
      'BAD-MODEL,,Unknown Thing,K-1,,,,,,,',
      '"MULTI-LINE",,HP LaserJet 4000,ACME,,,,,,,"line one',
      'line two"',
      'OK-1,,HP LaserJet 4000,K-1,,,,,,,',
      'INV-1,,HP LaserJet 4000,K-1,,,,2024-02-30,,,',
      ',,HP LaserJet 4000,Nobody Inc,,Mars,flying,,,,',
    ].join('\r\n');
    for (const button of ['dry', 'import'] as const) {
      const response = await step('hc-a', text, button, adminA);
      expect(response.status, button).toBe(422);
      const html = await response.text();
      expect(html).toContain('Rows with problems: 4');
      expect(html).toContain(button === 'dry' ? 'Dry run: nothing was saved.' : 'Nothing was imported.');
      const line = (n: number) => new RegExp(`<li id="hardware-import-line-${n}">(.*?)</li>`, 's').exec(html)?.[1] ?? '';
      expect(line(3)).toContain('Line 3:');
      expect(line(3)).toContain('Model: Not found.');
      expect(line(6)).toContain('Inventory number: This inventory number appears twice in the file.');
      expect(line(7)).toContain('Inventory number: Another device has this inventory number.');
      expect(line(7)).toContain('Purchased on: Enter a date as YYYY-MM-DD.');
      for (const reason of ['Inventory number: Fill this in.', 'Customer: Not found.', 'Location: Not found.', 'State: Not found.']) expect(line(8)).toContain(reason);
      expect(html).not.toContain('id="hardware-import-line-2"');
      expect(html).not.toContain('id="hardware-import-line-4"');
    }
    expect(await devices(a)).toEqual([
      { inventory_number: 'INV-1', state: 'in_service', serial_number: 'SN, "one"' },
      { inventory_number: 'INV-2', state: 'in_stock', serial_number: null },
    ]);
  });

  it('imports a clean file in one go (a dry run first), with history lines; an export of one tenant reads into another', async () => {
    const exported = await raw(await app.request(`/t/hc-a/p/hardware/devices.csv?model=${a.models.notebook}`, { cookie: adminA }));
    const text = `${exported}NEW-2,S-2,HP LaserJet 4000,ACME,,Campus,In service,2024-05-01,2026-05-01,10.0.0.7,"two\nlines"\r\n`;
    const dry = await step('hc-b', text, 'dry', adminB);
    expect(dry.status).toBe(200);
    expect(await dry.text()).toContain('All 2 rows can be imported.');
    expect(await devices(b)).toEqual([]);
    const saved = await step('hc-b', text, 'import', adminB);
    expect(saved.status).toBe(303);
    expect(await devices(b)).toEqual([
      { inventory_number: 'INV-2', state: 'in_stock', serial_number: null },
      { inventory_number: 'NEW-2', state: 'in_service', serial_number: 'S-2' },
    ]);
    const history = await pluginScope<HardwareDB>(app.services.db, b.tenant.id).selectFrom('hardware_device_history').select('field').where('field', '=', 'state').execute();
    expect(history).toHaveLength(2);
    // A's devices are untouched, and agents may not import.
    expect(await devices(a)).toHaveLength(2);
    expect((await step('hc-a', text, 'import', await a.agentCookie())).status).toBe(403);
  });

  it('refuses malformed files and speaks German', async () => {
    const broken = await upload('hc-a', 'inventory_number,notes\nX-1,"open', adminA);
    expect(broken.status).toBe(422);
    expect(await broken.text()).toContain('Line 2: a quoted field is not closed.');
    expect((await upload('hc-a', 'inventory_number\n', adminA)).status).toBe(422);
    await app.services.db.updateTable('users').set({ locale: 'de' }).where('email', '=', a.adminEmail).execute();
    const german = await (await app.request('/t/hc-a/p/hardware/import', { cookie: adminA })).text();
    const refused = await (await step('hc-a', 'inventory_number,model,organisation\nINV-9,Nope,K-1', 'dry', adminA)).text();
    await app.services.db.updateTable('users').set({ locale: 'en' }).where('email', '=', a.adminEmail).execute();
    expect(german).toContain('Geräte importieren');
    expect(refused).toContain('Zeile 2:');
    expect(refused).toContain('Nicht gefunden.');
  });
});
