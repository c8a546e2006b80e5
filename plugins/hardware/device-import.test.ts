import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pluginScope } from '../../core/tenancy/tenant-scope.js';
import { createTestApp, type TestApp } from '../../test/harness/test-app.js';
import { dialects } from '../../test/harness/test-database.js';
import type { DeviceInput } from './device-fields.js';
import { deviceStore } from './device-store.js';
import { hardwareWorld, type HardwareWorld } from './hardware-fixture.js';
import type { HardwareDB } from './hardware-db.js';
import { hardwarePlugin } from './index.js';
import { installedPlugin } from '../../test/harness/installed-plugin.js';

/** The batched import checks each row as the form does (references read once per file) and writes the form's history lines. */
describe.each(dialects)('hardware import batches on %s', (dialect) => {
  let app: TestApp;
  let a: HardwareWorld;
  let b: HardwareWorld;
  const input = (world: HardwareWorld, over: Partial<DeviceInput> & { inventory_number: string }): DeviceInput => ({
    serial_number: '', model_id: String(world.models.printer), organisation_id: String(world.organisations.acme), person: '', location_id: '', state: 'in_service',
    purchased_on: '', warranty_until: '', host: '', notes: '', ...over,
  });
  const history = (world: HardwareWorld, inventory: string) => pluginScope<HardwareDB>(app.services.db, world.tenant.id).selectFrom('hardware_device_history')
    .innerJoin('hardware_devices', 'hardware_devices.id', 'hardware_device_history.device_id')
    .select(['field', 'old_value', 'new_value', 'actor_label']).where('hardware_devices.inventory_number', '=', inventory).orderBy('hardware_device_history.id').execute();

  beforeAll(async () => {
    app = await createTestApp(dialect, [installedPlugin('portal'), hardwarePlugin]);
    a = await hardwareWorld(app, 'hi-a');
    b = await hardwareWorld(app, 'hi-b');
    await a.device({ inventory_number: 'TAKEN-1' });
  });
  afterAll(() => app.cleanup());

  it('refuses what the form refuses, by line, with references of another tenant unknown', async () => {
    const result = await deviceStore(app.services, a.tenant.id).importMany([
      { line: 2, input: input(a, { inventory_number: 'NEW-1', person: a.emails.colleague.toUpperCase() }) },
      { line: 3, input: input(a, { inventory_number: 'TAKEN-1' }) },
      { line: 4, input: input(a, { inventory_number: 'NEW-2', person: a.emails.stranger }) },
      { line: 5, input: input(a, { inventory_number: 'NEW-3', person: 'nobody@nowhere.test', model_id: String(b.models.printer) }) },
      { line: 6, input: input(a, { inventory_number: 'NEW-4', organisation_id: String(b.organisations.acme), location_id: String(b.locations.room) }) },
      { line: 7, input: input(a, { inventory_number: 'NEW-1' }), problems: { state: 'hardware.import.unknown' } },
    ], a.actor, true);
    expect(result).toEqual({
      count: 1, saved: false,
      refused: [
        { line: 3, fields: { inventory_number: 'hardware.device.inventoryTaken' } },
        { line: 4, fields: { person: 'hardware.device.personElsewhere' } },
        { line: 5, fields: { model_id: 'hardware.field.choose', person: 'hardware.device.personUnknown' } },
        { line: 6, fields: { organisation_id: 'hardware.field.choose', location_id: 'hardware.field.choose' } },
        { line: 7, fields: { state: 'hardware.import.unknown', inventory_number: 'hardware.import.twice' } },
      ],
    });
    expect(await history(a, 'NEW-1')).toEqual([]);
  });

  it('saves more rows than one chunk with the history lines the form writes', async () => {
    const rows = Array.from({ length: 1203 }, (_, n) => ({
      line: n + 2,
      input: input(a, { inventory_number: `BULK-${n}`, person: n === 1202 ? a.emails.colleague : '', location_id: n % 2 ? '' : String(a.locations.room), host: n % 3 ? '' : `h-${n}` }),
    }));
    // Another tenant's device of that number does not take it here.
    await b.device({ inventory_number: 'BULK-0' });
    expect(await deviceStore(app.services, a.tenant.id).importMany(rows, a.actor, false)).toEqual({ refused: [], count: 1203, saved: true });
    await a.device({ inventory_number: 'FORM-1202', person: a.emails.colleague, location_id: String(a.locations.room) });
    expect(await history(a, 'BULK-1202')).toEqual(await history(a, 'FORM-1202').then((lines) => lines.map((line) => (line.field === 'inventory_number' ? { ...line, new_value: 'BULK-1202' } : line))));
    expect((await history(a, 'BULK-0')).map((line) => line.field)).toEqual(['inventory_number', 'model_id', 'organisation_id', 'location_id', 'state', 'host']);
    const count = await pluginScope<HardwareDB>(app.services.db, a.tenant.id).selectFrom('hardware_devices').select((eb) => eb.fn.countAll<number>().as('n')).where('inventory_number', 'like', 'BULK-%').executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1203);
  });
});
