import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updatePluginSettings } from '../../core/plugin-host/plugin-switches.js';
import { pluginScope } from '../../core/tenancy/tenant-scope.js';
import { createTestApp, type TestApp } from '../../test/harness/test-app.js';
import { dialects } from '../../test/harness/test-database.js';
import type { HardwareDB } from './hardware-db.js';
import { hardwareWorld, type HardwareWorld } from './hardware-fixture.js';
import { hardwarePlugin } from './index.js';
import { installationStore } from './installation-store.js';
import { DEVICE_FIELD } from './portal-devices.js';
import { installedPlugin } from '../../test/harness/installed-plugin.js';

type Json = { data: Array<Record<string, unknown>>; error: { fields: Record<string, string> } };

/**
 * Named parts of installations in the portal (a customer says a request is about a part of their organisation's
 * installation) and in the REST API (installations with their components; choosing a part on a ticket), across
 * organisations and tenants (issue 12 points 3 and 7).
 */
describe.each(dialects)('hardware parts in the portal and the REST API on %s', (dialect) => {
  let app: TestApp;
  let a: HardwareWorld;
  let b: HardwareWorld;
  const parts: Record<string, number> = {};
  const post = (path: string, values: Record<string, string>, cookie: string) => app.request(path, { method: 'POST', body: new URLSearchParams(values), cookie });
  const page = async (path: string, cookie: string) => (await app.request(path, { cookie })).text();
  const api = (w: HardwareWorld, method: string, path: string, cookie: string, body?: unknown) => app.request(`/t/${w.slug}/api/v1${path}`, {
    method, cookie, ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } }),
  });
  const chosen = (w: HardwareWorld) => pluginScope<HardwareDB>(app.services.db, w.tenant.id).selectFrom('hardware_ticket_parts').select(['ticket_id', 'component_id']).orderBy('id').execute();
  const partId = async (w: HardwareWorld, installationId: number, name: string) => (await pluginScope<HardwareDB>(app.services.db, w.tenant.id)
    .selectFrom('hardware_installation_components').select('id').where('installation_id', '=', installationId).where('name', '=', name).executeTakeFirstOrThrow()).id;

  async function installation(w: HardwareWorld, organisationId: number, name: string, components: Array<{ inventory?: string; part?: string }>) {
    const store = installationStore(app.services, w.tenant.id);
    const id = await store.create({ name, organisation_id: String(organisationId), location_id: '', notes: '' }, w.actor);
    for (const component of components) await store.addComponent(id, { inventory_number: component.inventory ?? '', name: component.part ?? '', level_id: '' }, null, w.actor);
    return id;
  }

  beforeAll(async () => {
    app = await createTestApp(dialect, [installedPlugin('portal'), hardwarePlugin]);
    a = await hardwareWorld(app, 'hp-a');
    b = await hardwareWorld(app, 'hp-b');
    await a.device({ inventory_number: 'INV-1', person: a.emails.colleague });
    await a.device({ inventory_number: 'INV-2' });
    await a.device({ inventory_number: 'GX-1', organisation_id: String(a.organisations.globex) });
    await b.device({ inventory_number: 'INV-1' });
    // Acme: the server room holds Carl's printer and a UPS; the hall holds a crane and none of Carl's devices. Globex has a boiler.
    const serverRoom = await installation(a, a.organisations.acme, 'Server room', [{ inventory: 'INV-1' }, { part: 'UPS' }]);
    const hall = await installation(a, a.organisations.acme, 'Hall', [{ inventory: 'INV-2' }, { part: 'Crane' }]);
    const plant = await installation(a, a.organisations.globex, 'Plant', [{ inventory: 'GX-1' }, { part: 'Boiler' }]);
    const other = await installation(b, b.organisations.acme, 'Server room', [{ part: 'UPS' }]);
    parts.ups = await partId(a, serverRoom, 'UPS');
    parts.crane = await partId(a, hall, 'Crane');
    parts.boiler = await partId(a, plant, 'Boiler');
    parts.otherTenant = await partId(b, other, 'UPS');
    await updatePluginSettings(app.services.db, app.services.registry, a.tenant.id, 'hardware', { portalPick: true });
  });
  afterAll(() => app.cleanup());

  it('offers a portal user the parts of the installations they may see beside their devices: a manager the organisation\'s, others those their devices stand in', async () => {
    const carl = await page('/t/hp-a/portal/requests/new', await a.signIn(a.emails.colleague));
    expect(carl).toContain('<optgroup label="Devices"><option value="INV-1">INV-1 · HP LaserJet 4000</option></optgroup>');
    expect(carl).toContain(`<optgroup label="Parts of installations"><option value="part:${parts.ups}">Server room · UPS</option></optgroup>`);
    expect(carl).toContain('Device or part concerned');
    expect(carl).not.toContain(`part:${parts.crane}`);
    expect(carl).not.toContain(`part:${parts.boiler}`);
    await a.scope.updateTable('people').set({ locale: 'de' }).where('id', '=', a.people.manager).execute();
    const mia = await page('/t/hp-a/portal/requests/new', await a.signIn(a.emails.manager));
    await a.scope.updateTable('people').set({ locale: 'en' }).where('id', '=', a.people.manager).execute();
    expect(mia).toContain('Betroffenes Gerät oder Anlagenteil');
    expect(mia).toContain('<optgroup label="Teile von Anlagen">');
    expect(mia).toContain(`<option value="part:${parts.crane}">Hall · Crane</option>`);
    expect(mia).toContain(`<option value="part:${parts.ups}">Server room · UPS</option>`);
    expect(mia).not.toContain(`part:${parts.boiler}`);
    // Another tenant's portal offers its own part only.
    await updatePluginSettings(app.services.db, app.services.registry, b.tenant.id, 'hardware', { portalPick: true });
    const other = await page('/t/hp-b/portal/requests/new', await b.signIn(b.emails.manager));
    expect(other).toContain(`part:${parts.otherTenant}`);
    expect(other).not.toContain(`part:${parts.ups}`);
  });

  it('chooses a picked part on the new ticket; refuses another organisation\'s or tenant\'s part, or one the user does not see, at the field, saving nothing', async () => {
    const carl = await a.signIn(a.emails.colleague);
    const request = { subject: 'The UPS beeps', description: 'Since the night', category: 'Software' };
    const tickets = async () => (await a.scope.selectFrom('tickets').select('id').execute()).length;
    const before = { tickets: await tickets(), parts: (await chosen(a)).length };
    for (const foreign of [`part:${parts.crane}`, `part:${parts.boiler}`, `part:${parts.otherTenant}`, 'part:999999', 'part:x']) {
      const refused = await post('/t/hp-a/portal/requests', { ...request, [DEVICE_FIELD]: foreign }, carl);
      expect(refused.status, foreign).toBe(422);
      expect(await refused.text()).toContain(`id="${DEVICE_FIELD}-error"`);
    }
    expect({ tickets: await tickets(), parts: (await chosen(a)).length }).toEqual(before);
    const saved = await post('/t/hp-a/portal/requests', { ...request, [DEVICE_FIELD]: `part:${parts.ups}` }, carl);
    expect(saved.status).toBe(303);
    const ticket = await a.scope.selectFrom('tickets').select(['id', 'number']).orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect((await chosen(a)).at(-1)).toEqual({ ticket_id: ticket.id, component_id: parts.ups });
    // The agent sees the part on the ticket's panel.
    expect(await page(`/t/hp-a/desk/tickets/${ticket.number}`, await a.agentCookie())).toContain('Server room · UPS');
  });

  it('lists installations with their devices and parts over the REST API, each tenant its own', async () => {
    const admin = await a.admin();
    const list = (await (await api(a, 'GET', `/installations?organisation=${a.organisations.acme}`, admin)).json()) as Json;
    expect(list.data.map((row) => row.name)).toEqual(['Hall', 'Server room']);
    const room = list.data.find((row) => row.name === 'Server room')!;
    expect(room.component_count).toBe(2);
    expect(room.components).toEqual([
      { id: expect.any(Number), kind: 'device', name: null, device_id: expect.any(Number), inventory_number: 'INV-1', model: 'HP LaserJet 4000', sla_level_id: null },
      { id: parts.ups, kind: 'part', name: 'UPS', device_id: null, inventory_number: null, model: null, sla_level_id: null },
    ]);
    const others = (await (await api(b, 'GET', '/installations', await b.admin())).json()) as Json;
    expect(others.data.flatMap((row) => (row.components as Array<{ id: number }>).map((c) => c.id))).toEqual([parts.otherTenant]);
    // A's session does not reach B's API.
    expect((await api(b, 'GET', '/installations', admin)).status).toBeGreaterThanOrEqual(401);
  });

  it('chooses and removes a part on a ticket over the REST API; another organisation\'s or tenant\'s part is refused at component_id', async () => {
    const agent = await a.agentCookie();
    const ticket = await a.ticketFor(a.people.manager, a.organisations.acme, 'Crane stuck');
    for (const foreign of [parts.boiler, parts.otherTenant, 999999]) {
      const refused = await api(a, 'POST', `/tickets/${ticket.number}/parts`, agent, { component_id: foreign });
      expect(refused.status, String(foreign)).toBe(422);
      expect(Object.keys(((await refused.json()) as Json).error.fields)).toEqual(['component_id']);
    }
    expect((await api(a, 'POST', `/tickets/${ticket.number}/parts`, agent, { part: 1 })).status).toBe(422);
    const created = await api(a, 'POST', `/tickets/${ticket.number}/parts`, agent, { component_id: parts.crane });
    expect(created.status).toBe(201);
    expect(((await created.json()) as Json).data).toEqual([{ component_id: parts.crane, name: 'Crane', installation: 'Hall', sla_level_id: null }]);
    expect((await api(a, 'POST', `/tickets/${ticket.number}/parts`, agent, { component_id: parts.crane })).status).toBe(422);
    expect(((await (await api(a, 'GET', `/tickets/${ticket.number}/parts`, agent)).json()) as Json).data).toHaveLength(1);
    // Another tenant's ticket of the same number knows nothing of it; the unknown ticket is 404.
    const bTicket = await b.ticketFor(b.people.manager, b.organisations.acme, 'Elsewhere');
    expect(((await (await api(b, 'GET', `/tickets/${bTicket.number}/parts`, await b.agentCookie())).json()) as Json).data).toEqual([]);
    expect((await api(a, 'GET', '/tickets/1999-999999/parts', agent)).status).toBe(404);
    expect((await api(b, 'DELETE', `/tickets/${bTicket.number}/parts/${parts.crane}`, await b.agentCookie())).status).toBe(404);
    expect((await api(a, 'DELETE', `/tickets/${ticket.number}/parts/${parts.crane}`, agent)).status).toBe(204);
    expect((await api(a, 'DELETE', `/tickets/${ticket.number}/parts/${parts.crane}`, agent)).status).toBe(404);
    expect(((await (await api(a, 'GET', `/tickets/${ticket.number}/parts`, agent)).json()) as Json).data).toEqual([]);
  });
});
