import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { createTestApp, type TestApp } from '../../test/harness/test-app.js';
import { dialects } from '../../test/harness/test-database.js';
import { installedPlugin } from '../../test/harness/installed-plugin.js';
import { coreFieldsMigration } from './core-fields-migration.js';
import { deviceStore } from './device-store.js';
import { hardwareWorld, type HardwareWorld } from './hardware-fixture.js';
import { hardwarePlugin } from './index.js';

/**
 * Migration 0009-hardware-core-fields: definitions in the old `hardware_fields` (as 0006 made them) move into the
 * core's definitions as kind 'device' (type ids as digits), per tenant; the devices' values stay as they are; down
 * brings the old table back with the same rows.
 */
describe.each(dialects)('hardware migration 0009-hardware-core-fields on %s', (dialect) => {
  let app: TestApp;
  let a: HardwareWorld;
  let b: HardwareWorld;
  let db: Kysely<any>;

  beforeAll(async () => {
    app = await createTestApp(dialect, [installedPlugin('portal'), hardwarePlugin], { clock: () => new Date('2026-06-15T10:00:00Z') });
    a = await hardwareWorld(app, 'mf-a');
    b = await hardwareWorld(app, 'mf-b');
    db = app.services.db as unknown as Kysely<any>;
  });
  afterAll(() => app.cleanup());

  const deviceFields = async () => db.selectFrom('ticket_fields').select(['tenant_id', 'key', 'label', 'type', 'options', 'required', 'categories', 'position', 'active'])
    .where('record_kind', '=', 'device').orderBy('tenant_id').orderBy('key').execute();

  it('moves each tenant\'s definitions into the core\'s, keeps the values on the devices, and goes back down', async () => {
    // The state before 0009: its own table (down recreates it), with the definitions as 0006 stored them.
    await coreFieldsMigration.down!(db);
    await db.insertInto('hardware_fields').values([
      { tenant_id: a.tenant.id, key: 'toner', label: 'Toner', type: 'select', options: '["black","colour"]', required: 1, type_ids: JSON.stringify([a.typeId('printer')]), position: 1, active: 1 },
      { tenant_id: a.tenant.id, key: 'cost', label: 'Cost centre', type: 'number', options: '[]', required: 0, type_ids: '[]', position: 2, active: 0 },
      { tenant_id: b.tenant.id, key: 'toner', label: 'Tonerart', type: 'text', options: '[]', required: 0, type_ids: '[]', position: 0, active: 1 },
    ]).execute();
    // A ticket field of the same key is another kind: untouched.
    await db.insertInto('ticket_fields').values({ tenant_id: a.tenant.id, record_kind: 'ticket', key: 'toner', label: 'Ticket toner', type: 'text' }).execute();
    const device = await deviceStore(app.services, a.tenant.id).create({
      inventory_number: 'MF-1', serial_number: '', model_id: String(a.models.printer), organisation_id: String(a.organisations.acme), person: '', location_id: '',
      state: 'in_service', purchased_on: '', warranty_until: '', host: '', notes: '',
    }, a.actor);
    await db.updateTable('hardware_devices').set({ custom_fields: '{"toner":"black","cost":4711}' }).where('id', '=', device.id).execute();

    await coreFieldsMigration.up(db);
    expect(await deviceFields()).toEqual([
      { tenant_id: a.tenant.id, key: 'cost', label: 'Cost centre', type: 'number', options: '[]', required: 0, categories: '[]', position: 2, active: 0 },
      { tenant_id: a.tenant.id, key: 'toner', label: 'Toner', type: 'select', options: '["black","colour"]', required: 1, categories: JSON.stringify([String(a.typeId('printer'))]), position: 1, active: 1 },
      { tenant_id: b.tenant.id, key: 'toner', label: 'Tonerart', type: 'text', options: '[]', required: 0, categories: '[]', position: 0, active: 1 },
    ]);
    expect((await db.selectFrom('ticket_fields').select('label').where('record_kind', '=', 'ticket').where('key', '=', 'toner').executeTakeFirstOrThrow()).label).toBe('Ticket toner');
    expect((await db.selectFrom('hardware_devices').select('custom_fields').where('id', '=', device.id).executeTakeFirstOrThrow()).custom_fields).toBe('{"toner":"black","cost":4711}');
    // The device page reads the moved definitions: the printer's toner field and its value.
    const page = await (await app.request(`/t/mf-a/p/hardware/devices/${device.id}`, { cookie: await a.admin() })).text();
    expect(page).toMatch(/id="hardware-custom-toner">black</);

    await coreFieldsMigration.down!(db);
    expect(await deviceFields()).toEqual([]);
    expect(await db.selectFrom('hardware_fields').select(['tenant_id', 'key', 'type_ids']).orderBy('tenant_id').orderBy('key').execute()).toEqual([
      { tenant_id: a.tenant.id, key: 'cost', type_ids: '[]' },
      { tenant_id: a.tenant.id, key: 'toner', type_ids: JSON.stringify([a.typeId('printer')]) },
      { tenant_id: b.tenant.id, key: 'toner', type_ids: '[]' },
    ]);
    await coreFieldsMigration.up(db);
    expect(await deviceFields()).toHaveLength(3);
  });
});
