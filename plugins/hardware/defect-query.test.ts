import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pluginScope, type TenantScope } from '../../core/tenancy/tenant-scope.js';
import { createTestApp, type TestApp } from '../../test/harness/test-app.js';
import { dialects } from '../../test/harness/test-database.js';
import { GROUP_BYS, periodMonths, type GroupBy } from './defect-period.js';
import { defectCounts } from './defect-query.js';
import { defectFigures, type Month } from './defect-stats.js';
import { hardwareWorld, type HardwareWorld } from './hardware-fixture.js';
import type { HardwareDB } from './hardware-db.js';
import { hardwarePlugin } from './index.js';
import { refreshServiceSpans } from './service-spans.js';
import { installedPlugin } from '../../test/harness/installed-plugin.js';

const STATES = ['in_service', 'in_stock', 'in_repair', 'retired', 'in_service'] as const;

/**
 * The database's counting (defect-query.ts) against the in-memory one (defect-stats.ts, the reference the
 * hand-computed fixture in hardware-defects.test.ts pins) over the same rows: many devices with histories that
 * repeat "in service", leave and come back at one instant, change twice at one instant, start before or inside
 * the period or after it; defects inside, before and after the period, on deleted tickets and as questions.
 */
describe.each(dialects)('defect counting in the database on %s', (dialect) => {
  let app: TestApp;
  let a: HardwareWorld;
  let hw: TenantScope<HardwareDB>;

  /** The figures as the page counted them before: every device, state line and defect read, counted in memory. */
  async function inMemory(months: Month[], groupBy: GroupBy) {
    const end = new Date(months.at(-1)!.end).toISOString();
    const devices = await hw.selectFrom('hardware_devices').innerJoin('hardware_models', 'hardware_models.id', 'hardware_devices.model_id')
      .select(['hardware_devices.id', 'hardware_devices.model_id', 'hardware_devices.location_id', 'hardware_devices.organisation_id', 'hardware_models.type_id', 'hardware_models.manufacturer_id']).execute();
    const states = await hw.selectFrom('hardware_device_history').select(['device_id', 'at', 'new_value']).where('field', '=', 'state').where('at', '<', end).orderBy('id').execute();
    const defects = await hw.selectFrom('hardware_ticket_links').innerJoin('tickets', 'tickets.id', 'hardware_ticket_links.ticket_id')
      .select(['hardware_ticket_links.device_id', 'hardware_ticket_links.ticket_date']).where('hardware_ticket_links.reason', '=', 'defect').where('tickets.deleted_at', 'is', null).execute();
    const key = (row: (typeof devices)[number]) => ({
      type: String(row.type_id), model: String(row.model_id), manufacturer: String(row.manufacturer_id),
      location: row.location_id === null ? 'none' : String(row.location_id), organisation: String(row.organisation_id),
    })[groupBy];
    const groupOf = new Map(devices.map((row) => [row.id, key(row)]));
    return defectFigures({
      months,
      states: states.map((row) => ({ deviceId: row.device_id, at: Date.parse(row.at), state: row.new_value ?? '' })),
      defects: defects.map((row) => ({ deviceId: row.device_id, at: Date.parse(row.ticket_date) })),
      groupOf: (id) => groupOf.get(id),
    });
  }

  beforeAll(async () => {
    app = await createTestApp(dialect, [installedPlugin('portal'), hardwarePlugin]);
    a = await hardwareWorld(app, 'dq-a');
    const b = await hardwareWorld(app, 'dq-b');
    hw = pluginScope<HardwareDB>(app.services.db, a.tenant.id);
    // A deterministic sequence (no Math.random: a failure must repeat).
    let seed = 12_345;
    const next = (n: number) => { seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648; return seed % n; };
    const base = Date.parse('2023-11-01T00:00:00.000Z');
    const ids: number[] = [];
    for (let n = 0; n < 24; n++) {
      const device = await a.device({
        inventory_number: `DQ-${n}`, model_id: String(n % 3 ? a.models.printer : a.models.notebook),
        organisation_id: String(n % 2 ? a.organisations.acme : a.organisations.globex), location_id: n % 4 ? String(a.locations.room) : '',
      });
      ids.push(device.id);
    }
    // Another tenant's device in service with defects: never counted for tenant A.
    const other = await b.device({ inventory_number: 'DQ-B' });
    await hw.deleteFrom('hardware_device_history').where('field', '=', 'state').execute();
    const lines: Array<{ device_id: number; at: string; actor_id: null; actor_label: string; field: string; old_value: null; new_value: string }> = [];
    const line = (device: number, at: number, state: string) => lines.push({ device_id: device, at: new Date(at).toISOString(), actor_id: null, actor_label: 'test', field: 'state', old_value: null, new_value: state });
    for (const [index, device] of ids.entries()) {
      let at = base + next(200) * 86_400_000 + next(86_400) * 1000;
      for (let k = 0; k < 1 + (index % 6); k++) {
        const state = STATES[next(STATES.length)]!;
        line(device, at, state);
        // Now and then a second line at the same instant, or the same state again.
        if (next(5) === 0) line(device, at, STATES[next(STATES.length)]!);
        if (next(6) === 0) line(device, at + 3_600_000, state);
        at += next(120) * 86_400_000 + next(3) * 3_600_000;
      }
    }
    line(ids[0]!, Date.parse('2024-02-10T23:00:00.000Z'), 'in_stock');
    line(ids[0]!, Date.parse('2024-02-10T23:00:00.000Z'), 'in_service'); // back at the instant it left
    await hw.insertInto('hardware_device_history', lines).execute();
    const hwB = pluginScope<HardwareDB>(app.services.db, b.tenant.id);
    await hwB.insertInto('hardware_device_history',
      { device_id: other.id, at: '2023-01-01T00:00:00.000Z', actor_id: null, actor_label: 'test', field: 'state', old_value: null, new_value: 'in_service' }).execute();
    // Written by hand: the kept periods in service are counted again, as the store does with its own lines.
    await refreshServiceSpans(hw, ids);
    await refreshServiceSpans(hwB, [other.id]);
    for (let n = 0; n < 40; n++) {
      const ticket = await a.ticketFor(a.people.colleague, a.organisations.acme, `Defect ${n}`);
      if (n % 11 === 5) await a.scope.updateTable('tickets').set({ deleted_at: '2024-03-01T00:00:00.000Z' }).where('id', '=', ticket.id).execute();
      const date = new Date(base + next(420) * 86_400_000 + next(86_400) * 1000).toISOString();
      await hw.insertInto('hardware_ticket_links', {
        ticket_id: ticket.id, device_id: ids[next(ids.length)]!, reason: n % 7 === 3 ? 'question' : 'defect', ticket_date: date, linked_at: date, linked_by: null,
      }).execute();
    }
    const ticketB = await b.ticketFor(b.people.colleague, b.organisations.acme, 'Other tenant');
    await pluginScope<HardwareDB>(app.services.db, b.tenant.id).insertInto('hardware_ticket_links',
      { ticket_id: ticketB.id, device_id: other.id, reason: 'defect', ticket_date: '2024-02-01T10:00:00.000Z', linked_at: '2024-02-01T10:00:00.000Z', linked_by: null }).execute();
  });
  afterAll(() => app.cleanup());

  for (const [from, to, zone] of [['2024-01-01', '2024-12-31', 'Europe/Berlin'], ['2023-12-15', '2024-03-31', 'America/New_York'], ['2024-03-31', '2024-03-31', 'Europe/Berlin']] as const) {
    it(`counts as the in-memory reference from ${from} to ${to} in ${zone}, for every grouping`, async () => {
      const months = periodMonths(from, to, zone);
      for (const groupBy of GROUP_BYS) {
        const expected = await inMemory(months, groupBy);
        if (to === '2024-12-31') expect(expected.total.defects).toBeGreaterThan(3);
        expect(await defectCounts(hw, months, groupBy), groupBy).toEqual(expected);
      }
    });
  }
});
