import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pluginScope, type TenantScope } from '../../core/tenancy/tenant-scope.js';
import { createTestApp, type TestApp } from '../../test/harness/test-app.js';
import { dialects } from '../../test/harness/test-database.js';
import type { DeviceInput } from './device-fields.js';
import { deviceStore } from './device-store.js';
import { hardwareWorld, type HardwareWorld } from './hardware-fixture.js';
import type { HardwareDB } from './hardware-db.js';
import { hardwarePlugin } from './index.js';
import { serviceSpans } from './service-spans.js';
import { installedPlugin } from '../../test/harness/installed-plugin.js';

/**
 * The kept periods in service (`hardware_service_spans`) always equal a recount of the state history: after the form's
 * creates and state changes (out of service and back, twice at one instant, an edit that leaves the state), an import
 * and a delete, in each tenant apart.
 */
describe.each(dialects)('kept periods in service on %s', (dialect) => {
  let app: TestApp;
  let a: HardwareWorld;
  let b: HardwareWorld;
  let now = Date.parse('2024-01-01T08:00:00.000Z');
  const tick = (ms: number) => { now += ms; };

  const input = (world: HardwareWorld, over: Partial<DeviceInput> & { inventory_number: string }): DeviceInput => ({
    serial_number: '', model_id: String(world.models.printer), organisation_id: String(world.organisations.acme), person: '', location_id: '', state: 'in_service',
    purchased_on: '', warranty_until: '', host: '', notes: '', ...over,
  });

  /** The spans kept and the spans a recount of the history gives, in one order. */
  async function keptAndRecounted(scope: TenantScope<HardwareDB>) {
    const kept = await scope.selectFrom('hardware_service_spans').select(['device_id', 'start_ms', 'end_ms', 'prev_end_ms'])
      .orderBy('device_id').orderBy('start_ms').execute();
    const lines = await scope.selectFrom('hardware_device_history').select(['device_id', 'at', 'new_value']).where('field', '=', 'state')
      .orderBy('device_id').orderBy('at').orderBy('id').execute();
    const recount = serviceSpans(lines.map((row) => ({ deviceId: row.device_id, at: Date.parse(row.at), state: row.new_value ?? '' })));
    return { kept: kept.map((row) => ({ ...row, start_ms: Number(row.start_ms), end_ms: row.end_ms === null ? null : Number(row.end_ms), prev_end_ms: row.prev_end_ms === null ? null : Number(row.prev_end_ms) })), recount };
  }

  beforeAll(async () => {
    app = await createTestApp(dialect, [installedPlugin('portal'), hardwarePlugin], { clock: () => new Date(now) });
    a = await hardwareWorld(app, 'ss-a');
    b = await hardwareWorld(app, 'ss-b');
  });
  afterAll(() => app.cleanup());

  it('follows the form: creates, state changes, edits that keep the state, and a delete', async () => {
    const store = deviceStore(app.services, a.tenant.id);
    const one = await a.device({ inventory_number: 'SS-1' });
    const two = await a.device({ inventory_number: 'SS-2', state: 'in_stock' });
    const gone = await a.device({ inventory_number: 'SS-3' });
    tick(86_400_000);
    await store.update(one.id, input(a, { inventory_number: 'SS-1', state: 'in_repair' }), a.actor);
    await store.update(two.id, input(a, { inventory_number: 'SS-2', state: 'in_service' }), a.actor);
    tick(40 * 86_400_000);
    await store.update(one.id, input(a, { inventory_number: 'SS-1', state: 'in_service' }), a.actor);
    await store.update(one.id, input(a, { inventory_number: 'SS-1', state: 'in_service', notes: 'moved' }), a.actor);
    await store.update(two.id, input(a, { inventory_number: 'SS-2', state: 'retired' }), a.actor);
    await store.update(two.id, input(a, { inventory_number: 'SS-2', state: 'in_service' }), a.actor); // back at the same instant
    tick(3_600_000);
    await store.remove(gone.id, a.actor);
    await b.device({ inventory_number: 'SS-B' });

    const scopeA = pluginScope<HardwareDB>(app.services.db, a.tenant.id);
    const { kept, recount } = await keptAndRecounted(scopeA);
    expect(kept).toEqual(recount);
    const start = Date.parse('2024-01-01T08:00:00.000Z');
    // SS-1: in service a day, then again from day 41 on (its earlier period ended on day 1); SS-2 from day 1 on, the
    // retirement and return at one instant continue it; SS-3 is gone with its spans; SS-B is the other tenant's.
    expect(kept).toEqual([
      { device_id: one.id, start_ms: start, end_ms: start + 86_400_000, prev_end_ms: null },
      { device_id: one.id, start_ms: start + 41 * 86_400_000, end_ms: null, prev_end_ms: start + 86_400_000 },
      { device_id: two.id, start_ms: start + 86_400_000, end_ms: null, prev_end_ms: null },
    ]);
    const other = await keptAndRecounted(pluginScope<HardwareDB>(app.services.db, b.tenant.id));
    expect(other.kept).toEqual(other.recount);
    expect(other.kept).toHaveLength(1);
  });

  it('follows an import: a span for each device imported in service, none for a refused file', async () => {
    const store = deviceStore(app.services, a.tenant.id);
    const scopeA = pluginScope<HardwareDB>(app.services.db, a.tenant.id);
    const before = await keptAndRecounted(scopeA);
    const refused = await store.importMany([
      { line: 2, input: input(a, { inventory_number: 'IM-1' }) },
      { line: 3, input: input(a, { inventory_number: 'IM-1' }) },
    ], a.actor, false);
    expect(refused.saved).toBe(false);
    expect((await keptAndRecounted(scopeA)).kept).toEqual(before.kept);
    tick(60_000);
    const saved = await store.importMany([
      { line: 2, input: input(a, { inventory_number: 'IM-1' }) },
      { line: 3, input: input(a, { inventory_number: 'IM-2', state: 'in_stock' }) },
      { line: 4, input: input(a, { inventory_number: 'IM-3', state: 'in_service' }) },
    ], a.actor, false);
    expect(saved.saved).toBe(true);
    const after = await keptAndRecounted(scopeA);
    expect(after.kept).toEqual(after.recount);
    expect(after.kept.length).toBe(before.kept.length + 2);
  });
});
