import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pluginScope } from '../../core/tenancy/tenant-scope.js';
import { createTestApp, type TestApp } from '../../test/harness/test-app.js';
import { dialects } from '../../test/harness/test-database.js';
import type { HardwareDB } from './hardware-db.js';
import { hardwareWorld, type HardwareWorld } from './hardware-fixture.js';
import { hardwarePlugin } from './index.js';
import { installedPlugin } from '../../test/harness/installed-plugin.js';

type Json = { data: Record<string, unknown>; error: { fields: Record<string, string> } };

/** Custom fields of devices: the admin page, the device form (422 at the field), the page, the history, the REST API. */
describe.each(dialects)('hardware custom fields on %s', (dialect) => {
  let app: TestApp;
  let a: HardwareWorld;
  let b: HardwareWorld;
  let adminA: string;
  let adminB: string;

  const post = (path: string, values: Record<string, string> | URLSearchParams, cookie: string) =>
    app.request(path, { method: 'POST', body: values instanceof URLSearchParams ? values : new URLSearchParams(values), cookie });
  const get = (path: string, cookie: string) => app.request(path, { cookie });
  const api = (method: string, path: string, body?: unknown) => app.request(`/t/hf-a/api/v1${path}`, {
    method, cookie: adminA, ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } }),
  });
  const stored = async (world: HardwareWorld, inventory: string) => JSON.parse((await pluginScope<HardwareDB>(app.services.db, world.tenant.id)
    .selectFrom('hardware_devices').select('custom_fields').where('inventory_number', '=', inventory).executeTakeFirstOrThrow()).custom_fields) as Record<string, unknown>;
  const form = (world: HardwareWorld, values: Record<string, string> = {}) => ({
    inventory_number: 'CF-1', serial_number: '', model_id: String(world.models.printer), organisation_id: String(world.organisations.acme), person: '',
    location_id: '', state: 'in_service', purchased_on: '', warranty_until: '', host: '', notes: '', ...values,
  });

  beforeAll(async () => {
    app = await createTestApp(dialect, [installedPlugin('portal'), hardwarePlugin], { clock: () => new Date('2026-06-15T10:00:00Z') });
    a = await hardwareWorld(app, 'hf-a');
    b = await hardwareWorld(app, 'hf-b');
    adminA = await a.admin();
    adminB = await b.admin();
  });
  afterAll(() => app.cleanup());

  it('adds device fields on the core\'s Custom fields page (admins only), refuses bad ones at their inputs and limits a field to device types', async () => {
    const bad = await post('/t/hf-a/admin/fields', { kind: 'device', key: 'Bad Key', label: '', type: 'select', options: '', position: 'x' }, adminA);
    expect(bad.status).toBe(422);
    const badPage = await bad.text();
    const invalid = (page: string, name: string) => expect(page).toMatch(new RegExp(`id="f-${name}"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="f-${name}"`));
    for (const name of ['key', 'label', 'position']) invalid(badPage, name);
    const noChoices = await post('/t/hf-a/admin/fields', { kind: 'device', key: 'colour', label: 'Colour', type: 'select', options: '' }, adminA);
    expect(noChoices.status).toBe(422);
    invalid(await noChoices.text(), 'options');
    expect((await post('/t/hf-a/admin/fields', { kind: 'device', key: 'x', label: 'X', type: 'text' }, await a.agentCookie())).status).toBe(403);
    // Another tenant's type id is no choice here.
    const foreign = new URLSearchParams({ kind: 'device', key: 'toner', label: 'Toner', type: 'select', options: 'black\ncolour', required: '1' });
    foreign.append('categories', String(b.typeId('printer')));
    expect((await post('/t/hf-a/admin/fields', foreign, adminA)).status).toBe(422);

    const toner = new URLSearchParams({ kind: 'device', key: 'toner', label: 'Toner', type: 'select', options: 'black\ncolour', required: '1', position: '1' });
    toner.append('categories', String(a.typeId('printer')));
    expect((await post('/t/hf-a/admin/fields', toner, adminA)).status).toBe(303);
    expect((await post('/t/hf-a/admin/fields', { kind: 'device', key: 'cost', label: 'Cost centre', type: 'number', position: '2' }, adminA)).status).toBe(303);
    expect((await post('/t/hf-a/admin/fields', { kind: 'device', key: 'leased', label: 'Leased', type: 'checkbox', position: '3' }, adminA)).status).toBe(303);
    expect((await post('/t/hf-a/admin/fields', { kind: 'device', key: 'cost', label: 'Again', type: 'text' }, adminA)).status).toBe(422);
    // The same key is free for tickets: kinds do not share keys.
    expect((await post('/t/hf-a/admin/fields', { kind: 'ticket', key: 'cost', label: 'Ticket cost', type: 'text' }, adminA)).status).toBe(303);
    const page = await (await get('/t/hf-a/admin/fields', adminA)).text();
    for (const key of ['toner', 'cost', 'leased']) expect(page).toContain(`id="field-device-${key}"`);
    expect(page).toContain('id="field-ticket-cost"');
    // The old address of the plugin's page leads there.
    expect((await get('/t/hf-a/p/hardware/fields', adminA)).headers.get('Location')).toContain('/admin/fields#kind-device');
    // Tenant b sees none of them, and a's field ids are unknown there.
    expect(await (await get('/t/hf-b/admin/fields', adminB)).text()).not.toContain('field-device-toner');
    const id = (await pluginScope<HardwareDB>(app.services.db, a.tenant.id).selectFrom('ticket_fields').select('id').where('record_kind', '=', 'device').where('key', '=', 'toner').executeTakeFirstOrThrow()).id;
    expect((await get(`/t/hf-b/admin/fields/${id}`, adminB)).status).toBe(404);
    expect((await post(`/t/hf-b/admin/fields/${id}`, { label: 'Stolen', type: 'select', options: 'x' }, adminB)).status).toBe(404);
    const edit = await (await get(`/t/hf-a/admin/fields/${id}`, adminA)).text();
    expect(edit).toMatch(/name="categories" value="\d+" checked/);
    // The ticket forms do not offer device fields.
    expect(await (await get('/t/hf-a/tickets/new', adminA)).text()).not.toContain('custom_fields.toner');
  });

  it('checks the values on the device form by the model\'s type (422 at the field, nothing saved), shows them and records old → new', async () => {
    const newForm = await (await get('/t/hf-a/p/hardware/devices/new', adminA)).text();
    // No model chosen yet: only the fields for every type.
    expect(newForm).toContain('name="custom_fields.cost"');
    expect(newForm).not.toContain('name="custom_fields.toner"');
    const refused = await post('/t/hf-a/p/hardware/devices', form(a, { 'custom_fields.cost': 'abc' }), adminA);
    expect(refused.status).toBe(422);
    const refusedPage = await refused.text();
    expect(refusedPage).toContain('name="custom_fields.toner"');
    expect(refusedPage).toMatch(/aria-invalid="true"/);
    expect(await pluginScope<HardwareDB>(app.services.db, a.tenant.id).selectFrom('hardware_devices').select('id').where('inventory_number', '=', 'CF-1').executeTakeFirst()).toBeUndefined();

    const saved = await post('/t/hf-a/p/hardware/devices', form(a, { 'custom_fields.toner': 'black', 'custom_fields.cost': '4711', 'custom_fields.leased': '1' }), adminA);
    expect(saved.status).toBe(303);
    expect(await stored(a, 'CF-1')).toEqual({ toner: 'black', cost: 4711, leased: true });
    const deviceId = Number(saved.headers.get('Location')!.split('/').at(-1));
    const edit = await (await get(`/t/hf-a/p/hardware/devices/${deviceId}/edit`, adminA)).text();
    expect(edit).toMatch(/<option value="black" selected/);

    expect((await post(`/t/hf-a/p/hardware/devices/${deviceId}`, form(a, { 'custom_fields.toner': 'colour', 'custom_fields.cost': '4712' }), adminA)).status).toBe(303);
    expect(await stored(a, 'CF-1')).toEqual({ toner: 'colour', cost: 4712, leased: false });
    const page = await (await get(`/t/hf-a/p/hardware/devices/${deviceId}`, adminA)).text();
    expect(page).toMatch(/id="hardware-custom-toner">colour</);
    expect(page).toMatch(/id="hardware-custom-leased">No</);
    expect(page).toContain('black → colour');
    expect(page).toContain('4711 → 4712');
    expect(page).toContain('Cost centre');
    // A notebook has no toner: the stored value stays, the form stops asking for it.
    expect((await post(`/t/hf-a/p/hardware/devices/${deviceId}`, form(a, { model_id: String(a.models.notebook), 'custom_fields.cost': '4712' }), adminA)).status).toBe(303);
    expect(await stored(a, 'CF-1')).toEqual({ toner: 'colour', cost: 4712, leased: false });
  });

  it('reads and writes custom_fields through the REST API: refusals at their paths, PATCH changes only the keys sent', async () => {
    const missing = await api('POST', '/devices', { inventory_number: 'CF-API', model_id: a.models.printer, organisation_id: a.organisations.acme, custom_fields: { cost: 'x', colour: 'red' } });
    expect(missing.status).toBe(422);
    expect(Object.keys(((await missing.json()) as Json).error.fields).sort()).toEqual(['custom_fields.colour', 'custom_fields.cost', 'custom_fields.toner']);
    const created = await api('POST', '/devices', { inventory_number: 'CF-API', model_id: a.models.printer, organisation_id: a.organisations.acme, custom_fields: { toner: 'black', cost: 12 } });
    expect(created.status).toBe(201);
    const device = ((await created.json()) as Json).data;
    expect(device.custom_fields).toEqual({ toner: 'black', cost: 12, leased: false });
    const patched = await api('PATCH', `/devices/${device.id}`, { custom_fields: { cost: 13 } });
    expect(patched.status).toBe(200);
    expect(((await patched.json()) as Json).data.custom_fields).toEqual({ toner: 'black', cost: 13, leased: false });
    const cleared = await api('PATCH', `/devices/${device.id}`, { custom_fields: { toner: null } });
    expect(cleared.status).toBe(422);
    expect(Object.keys(((await cleared.json()) as Json).error.fields)).toEqual(['custom_fields.toner']);
    expect(((await (await api('GET', `/devices/${device.id}`)).json()) as Json).data.custom_fields).toEqual({ toner: 'black', cost: 13, leased: false });
  });
});
