import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disablePlugin, enablePlugin } from '../../core/plugin-host/plugin-switches.js';
import { createTestApp, type TestApp } from '../../test/harness/test-app.js';
import { dialects } from '../../test/harness/test-database.js';
import { parseCsv } from './csv-parse.js';
import { hardwareWorld, type HardwareWorld } from './hardware-fixture.js';
import { hardwarePlugin } from './index.js';
import { installedPlugin } from '../../test/harness/installed-plugin.js';

type Json = { data: Record<string, unknown> & Array<Record<string, unknown>>; total: number; error: { fields: Record<string, string> } } & Record<string, unknown>;

/** Every hardware operation of the REST API: answers, refusals at the body's paths, other tenants' ids, the plugin off. */
describe.each(dialects)('hardware REST API on %s', (dialect) => {
  let app: TestApp;
  let a: HardwareWorld;
  let b: HardwareWorld;
  const cookies: Record<string, string> = {};
  const api = (w: HardwareWorld, method: string, path: string, body?: unknown, cookie = cookies[w.slug]!) => app.request(`/t/${w.slug}/api/v1${path}`, {
    method, cookie, ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } }),
  });
  const json = async (response: Response) => (await response.json()) as Json;

  beforeAll(async () => {
    app = await createTestApp(dialect, [installedPlugin('portal'), hardwarePlugin], { clock: () => new Date('2026-06-15T10:00:00Z') });
    a = await hardwareWorld(app, 'ha-a');
    b = await hardwareWorld(app, 'ha-b');
    cookies[a.slug] = await a.admin();
    cookies[b.slug] = await b.admin();
  });
  afterAll(() => app.cleanup());

  it('creates, lists with filters, reads, changes (with history) and deletes devices; refuses bad input at its paths', async () => {
    const bad = await api(a, 'POST', '/devices', { inventory_number: 'has space', model_id: a.models.printer, organisation_id: b.organisations.acme, purchased_on: '2026-02-30', colour: 'red' });
    expect(bad.status).toBe(422);
    expect(Object.keys((await json(bad)).error.fields)).toContain('colour');
    const refused = await api(a, 'POST', '/devices', { inventory_number: 'has space', model_id: a.models.printer, organisation_id: b.organisations.acme, purchased_on: '2026-02-30' });
    expect(refused.status).toBe(422);
    expect(Object.keys((await json(refused)).error.fields).sort()).toEqual(['inventory_number', 'organisation_id', 'purchased_on']);
    expect((await api(a, 'POST', '/devices', { inventory_number: 'X', model_id: a.models.printer, organisation_id: a.organisations.acme }, await a.agentCookie())).status).toBe(403);

    const created = await api(a, 'POST', '/devices', { inventory_number: 'API-1', model_id: a.models.printer, organisation_id: a.organisations.acme, host: 'prn-api', state: 'in_service' });
    expect(created.status).toBe(201);
    const device = (await json(created)).data;
    expect(created.headers.get('Location')).toBe(`/t/ha-a/api/v1/devices/${device.id}`);
    expect(device).toMatchObject({ inventory_number: 'API-1', model: 'HP LaserJet 4000', state: 'in_service', host: 'prn-api', location_id: null });
    await api(a, 'POST', '/devices', { inventory_number: 'API-2', model_id: a.models.notebook, organisation_id: a.organisations.globex, location_id: a.locations.room });
    expect((await api(a, 'POST', '/devices', { inventory_number: 'API-1', model_id: a.models.printer, organisation_id: a.organisations.acme })).status).toBe(422);

    const list = async (query: string) => ((await json(await api(a, 'GET', `/devices${query}`))).data as unknown as Array<{ inventory_number: string }>).map((d) => d.inventory_number);
    expect(await list('')).toEqual(['API-1', 'API-2']);
    expect(await list(`?type=${a.typeId('notebook')}`)).toEqual(['API-2']);
    expect(await list(`?model=${a.models.printer}`)).toEqual(['API-1']);
    expect(await list(`?organisation=${a.organisations.globex}`)).toEqual(['API-2']);
    expect(await list('?state=in_service')).toEqual(['API-1']);
    expect(await list(`?location=${a.locations.site}`)).toEqual(['API-2']);
    expect(await list('?q=prn')).toEqual(['API-1']);
    const badQuery = await api(a, 'GET', '/devices?state=flying&type=x');
    expect(badQuery.status).toBe(422);
    expect(Object.keys((await json(badQuery)).error.fields).sort()).toEqual(['state', 'type']);

    expect((await json(await api(a, 'GET', `/devices/${device.id}`))).data.inventory_number).toBe('API-1');
    const patched = await api(a, 'PATCH', `/devices/${device.id}`, { state: 'in_repair', notes: 'Fuser' });
    expect(patched.status).toBe(200);
    expect((await json(patched)).data).toMatchObject({ state: 'in_repair', notes: 'Fuser', host: 'prn-api' });
    const patchBad = await api(a, 'PATCH', `/devices/${device.id}`, { warranty_until: 'soon' });
    expect(patchBad.status).toBe(422);
    expect(Object.keys((await json(patchBad)).error.fields)).toEqual(['warranty_until']);
    const history = (await json(await api(a, 'GET', `/devices/${device.id}/history`))).data;
    expect(history.filter((h) => h.field === 'state').map((h) => [h.old_value, h.new_value])).toEqual([[null, 'in_service'], ['in_service', 'in_repair']]);

    // Another tenant's device is unknown everywhere.
    for (const [method, path, body] of [['GET', ''], ['PATCH', '', { notes: 'x' }], ['DELETE', ''], ['GET', '/tickets'], ['GET', '/history']] as const) {
      expect((await api(b, method, `/devices/${device.id}${path}`, body)).status, `${method} ${path}`).toBe(404);
    }
    expect((await json(await api(b, 'GET', '/devices'))).data).toEqual([]);

    expect((await api(a, 'DELETE', `/devices/${device.id}`)).status).toBe(204);
    expect((await api(a, 'GET', `/devices/${device.id}`)).status).toBe(404);
    expect((await api(a, 'DELETE', `/devices/${device.id}`)).status).toBe(404);
  });

  it('links devices to tickets by id or inventory number, lists them on both sides, unlinks; other tenants get 404', async () => {
    const printer = await a.device({ inventory_number: 'LNK-1' });
    const other = await b.device({ inventory_number: 'LNK-B' });
    const ticket = await a.ticketFor(a.people.colleague, a.organisations.acme, 'Paper jam');
    const linked = await api(a, 'POST', `/tickets/${ticket.number}/devices`, { inventory_number: 'LNK-1', reason: 'defect' });
    expect(linked.status).toBe(201);
    expect((await json(linked)).data).toMatchObject([{ device_id: printer.id, inventory_number: 'LNK-1', reason: 'defect', ticket_date: ticket.created_at }]);
    const again = await api(a, 'POST', `/tickets/${ticket.number}/devices`, { device_id: printer.id, reason: 'defect' });
    expect(again.status).toBe(422);
    expect(Object.keys((await json(again)).error.fields)).toEqual(['device_id']);
    const unknown = await api(a, 'POST', `/tickets/${ticket.number}/devices`, { inventory_number: 'LNK-B', reason: 'question' });
    expect(Object.keys((await json(unknown)).error.fields)).toEqual(['inventory_number']);
    const foreign = await api(a, 'POST', `/tickets/${ticket.number}/devices`, { device_id: other.id, reason: 'question' });
    expect(foreign.status).toBe(422);
    const badReason = await api(a, 'POST', `/tickets/${ticket.number}/devices`, { device_id: printer.id, reason: 'boredom' });
    expect(Object.keys((await json(badReason)).error.fields)).toEqual(['reason']);
    expect((await api(b, 'POST', `/tickets/${ticket.number}/devices`, { device_id: other.id, reason: 'defect' })).status).toBe(404);

    const tickets = (await json(await api(a, 'GET', `/devices/${printer.id}/tickets`))).data;
    expect(tickets).toEqual([{ ticket_number: ticket.number, subject: 'Paper jam', status: ticket.status, reason: 'defect', ticket_date: ticket.created_at }]);
    expect((await api(b, 'DELETE', `/tickets/${ticket.number}/devices/${printer.id}`)).status).toBe(404);
    expect((await api(a, 'DELETE', `/tickets/${ticket.number}/devices/${printer.id}`)).status).toBe(204);
    expect((await api(a, 'DELETE', `/tickets/${ticket.number}/devices/${printer.id}`)).status).toBe(404);
    expect((await json(await api(a, 'GET', `/devices/${printer.id}/tickets`))).data).toEqual([]);
  });

  it('lists and adds models and installations with refusals at their paths, in German too', async () => {
    const models = (await json(await api(a, 'GET', '/device-models'))).data;
    expect(models.map((m) => m.name)).toEqual(['LaserJet 4000', 'ThinkPad T14']);
    const added = await api(a, 'POST', '/device-models', { type_id: a.typeId('server'), manufacturer_id: a.manufacturers.hp, name: 'ProLiant' });
    expect(added.status).toBe(201);
    expect((await json(added)).data).toMatchObject({ name: 'ProLiant', manufacturer: 'HP', type: 'Server' });
    const twice = await api(a, 'POST', '/device-models', { type_id: a.typeId('server'), manufacturer_id: b.manufacturers.hp, name: '' });
    expect(Object.keys((await json(twice)).error.fields).sort()).toEqual(['manufacturer_id', 'name']);
    expect((await api(a, 'POST', '/device-models', { type_id: a.typeId('server'), manufacturer_id: a.manufacturers.hp, name: 'X' }, await a.agentCookie())).status).toBe(403);

    const created = await api(a, 'POST', '/installations', { name: 'Print room', organisation_id: a.organisations.acme, location_id: a.locations.room });
    expect(created.status).toBe(201);
    expect((await json(created)).data).toMatchObject({ name: 'Print room', organisation: 'ACME', location_id: a.locations.room });
    const refused = await app.request('/t/ha-a/api/v1/installations', {
      method: 'POST', cookie: cookies[a.slug]!, body: JSON.stringify({ name: 'Print room', organisation_id: a.organisations.acme, location_id: b.locations.room }),
      headers: { 'Content-Type': 'application/json', 'Accept-Language': 'de' },
    });
    expect(refused.status).toBe(422);
    const fields = (await json(refused)).error.fields;
    expect(Object.keys(fields).sort()).toEqual(['location_id', 'name']);
    expect((await json(await api(a, 'GET', `/installations?organisation=${a.organisations.acme}`))).data.map((i) => i.name)).toEqual(['Print room']);
    expect((await json(await api(b, 'GET', '/installations'))).data).toEqual([]);
  });

  it('answers the defect report with the page\'s numbers, refuses a bad period, and is 404 while the plugin is off', async () => {
    const device = await a.device({ inventory_number: 'DEF-1' });
    const ticket = await a.ticketFor(a.people.colleague, a.organisations.acme, 'Broken');
    await api(a, 'POST', `/tickets/${ticket.number}/devices`, { device_id: device.id, reason: 'defect' });
    const query = 'from=2026-01-01&to=2026-06-30&groupBy=model';
    const raw = await api(a, 'GET', `/reports/defects?${query}`);
    expect(raw.status, await raw.clone().text()).toBe(200);
    const report = (await json(await api(a, 'GET', `/reports/defects?${query}`))).data;
    const groups = report.groups as unknown as Array<{ label: string; defects: number; per_100: number | null; mtbf_days: number | null }>;
    const csv = await (await app.request(`/t/ha-a/p/hardware/statistics/defects.csv?${query}&table=groups`, { cookie: cookies[a.slug]! })).text();
    const rows = parseCsv(csv).slice(1).map((r) => r.fields);
    expect(groups.map((g) => [g.label, String(g.defects), g.per_100 === null ? '' : String(Math.round(g.per_100 * 100) / 100)]))
      .toEqual(rows.map((r) => [r[0], r[1], r[3]]));
    expect(groups.find((g) => g.label === 'HP LaserJet 4000')!.defects).toBe(1);
    const bad = await api(a, 'GET', '/reports/defects?from=2026-13-01&to=2026-01-01');
    expect(bad.status).toBe(422);
    expect(Object.keys((await json(bad)).error.fields)).toContain('from');
    expect((await api(a, 'GET', '/reports/defects', undefined, await a.agentCookie())).status).toBe(403);

    await disablePlugin(app.services.db, app.services.registry, a.tenant.id, 'hardware');
    for (const path of ['/devices', `/devices/${device.id}`, '/device-models', '/installations', '/reports/defects']) expect((await api(a, 'GET', path)).status, path).toBe(404);
    expect((await api(a, 'POST', `/tickets/${ticket.number}/devices`, { device_id: device.id, reason: 'defect' })).status).toBe(404);
    await enablePlugin(app.services.db, app.services.registry, a.tenant.id, 'hardware');
    expect((await api(a, 'GET', '/devices')).status).toBe(200);
    const spec = await (await app.request('/t/ha-a/api/v1/openapi.json', { cookie: cookies[a.slug]! })).json() as { paths: Record<string, Record<string, { operationId: string }>> };
    const operations = Object.values(spec.paths).flatMap((p) => Object.values(p).map((o) => o.operationId));
    for (const id of ['listDevices', 'createDevice', 'getDevice', 'updateDevice', 'deleteDevice', 'listDeviceTickets', 'listDeviceHistory', 'linkTicketDevice',
      'unlinkTicketDevice', 'listDeviceModels', 'createDeviceModel', 'listInstallations', 'createInstallation', 'getDefectReport']) expect(operations).toContain(id);
  });
});
