import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { portalPlugin } from '../../plugins/portal/index.js';
import { portalWorld, type PortalWorld } from '../harness/portal-world.js';
import { tenantScope } from '../../core/tenancy/tenant-scope.js';
import { createTestApp, type TestApp } from '../harness/test-app.js';
import { dialects } from '../harness/test-database.js';
import { ASSET_FIELD, assetTagsPlugin } from './asset-tags-plugin.js';

const HX = { 'HX-Request': 'true' };
const FIELD_ERROR = (message: string) => `<small id="${ASSET_FIELD}-error" class="field-error">${message}</small>`;

describe.each(dialects)('plugin fields on the ticket create forms on %s', (dialect) => {
  let app: TestApp;
  let world: PortalWorld;
  let agent: string;
  let plainAgent: string;
  let carl: string;
  let plainId: number;

  const tags = async (tenantId: number) => (app.services.db as unknown as Kysely<any>).selectFrom('assets_tags').select(['ticket_id', 'tag'])
    .where('tenant_id', '=', tenantId).orderBy('id').execute() as Promise<Array<{ ticket_id: number; tag: string }>>;
  const tickets = (tenantId: number) => tenantScope(app.services.db, tenantId).selectFrom('tickets').select(['id', 'number', 'subject']).orderBy('id').execute();
  const post = (path: string, values: Record<string, string>, cookie: string, headers: Record<string, string> = {}) =>
    app.request(path, { method: 'POST', body: new URLSearchParams(values), cookie, headers });
  const desk = (values: Record<string, string>, headers: Record<string, string> = {}) => post(`${world.base}/desk/tickets/new`, values, agent, headers);
  const base = () => ({ subject: 'Laptop dead', description: 'No power', priority: '2', channel: 'phone', category: '', group_id: '', requester_id: String(world.people.colleague) });

  beforeAll(async () => {
    app = await createTestApp(dialect, [portalPlugin, assetTagsPlugin()]);
    // The portal's world switches on every installed plugin: the portal and the asset tags.
    world = await portalWorld(app, 'acme');
    agent = await app.signIn(world.agentEmail, 'acme');
    carl = await world.signIn(world.emails.colleague);
    plainId = (await app.createTenant('plain')).id;
    await app.createStaff(plainId, 'agent', 'agent@plain.test');
    plainAgent = await app.signIn('agent@plain.test', 'plain');
  });
  afterAll(() => app.cleanup());

  it('renders the plugin\'s input on the desk\'s new ticket as the phone form, and as the agent\'s for another channel', async () => {
    const html = await (await app.request(`${world.base}/desk/tickets/new`, { cookie: agent })).text();
    expect(html).toContain('<div id="ticket-plugin-fields" class="plugin-fields stack" data-surface="phone">');
    expect(html).toContain(`<label for="f-${ASSET_FIELD}">Asset tag *</label>`);
    expect(html).toContain(`hx-get="/t/acme/desk/tickets/new/plugin-fields" hx-trigger="change" hx-target="#ticket-plugin-fields"`);
    // The desk's forms carry no person: the plugin's portal-only hint is absent.
    expect(html).not.toContain('A device of');
    const swapped = await (await app.request(`${world.base}/desk/tickets/new/plugin-fields?channel=mail&${ASSET_FIELD}=AB-7`, { cookie: agent, headers: HX })).text();
    expect(swapped).toContain('data-surface="agent"');
    expect(swapped).toMatch(new RegExp(`name="${ASSET_FIELD}" type="text" value="AB-7"`));
    expect(swapped).not.toContain('<html');
  });

  it('refuses a create without the field at the field (422), keeps every input and saves nothing, not even the new caller', async () => {
    const [ticketsBefore, tagsBefore] = [await tickets(world.tenant.id), await tags(world.tenant.id)];
    const people = async () => (await world.scope.selectFrom('people').select('id').execute()).length;
    const peopleBefore = await people();
    const response = await desk({ ...base(), requester_id: '', new_person_name: 'Nina Neu', new_person_email: 'nina@acme-acme.test', [ASSET_FIELD]: '  ' });
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html).toContain(FIELD_ERROR('Enter the asset tag.'));
    expect(html).toContain('Please correct the marked fields.');
    expect(html).toMatch(/name="subject" type="text" value="Laptop dead"/);
    expect(html).toMatch(/name="new_person_name" type="text" value="Nina Neu"/);
    expect(html).toContain('data-surface="phone"');
    expect(await tickets(world.tenant.id)).toEqual(ticketsBefore);
    expect(await tags(world.tenant.id)).toEqual(tagsBefore);
    expect(await people()).toBe(peopleBefore);

    const bad = await desk({ ...base(), channel: 'mail', [ASSET_FIELD]: 'laptop' }, { 'Accept-Language': 'de' });
    expect(bad.status).toBe(422);
    const german = await bad.text();
    expect(german).toContain(FIELD_ERROR('Eine Inventarnummer sieht so aus: AB-123.'));
    expect(german).toMatch(new RegExp(`name="${ASSET_FIELD}" type="text" value="laptop"`));
    expect(german).toContain('data-surface="agent"');
    expect(await tickets(world.tenant.id)).toEqual(ticketsBefore);
  });

  it('saves the plugin\'s value together with the ticket', async () => {
    const response = await desk({ ...base(), [ASSET_FIELD]: 'nb-4711' });
    expect(response.status).toBe(303);
    const created = (await tickets(world.tenant.id)).at(-1)!;
    expect(response.headers.get('Location')).toBe(`/t/acme/desk/tickets/${created.number}`);
    expect((await tags(world.tenant.id)).at(-1)).toEqual({ ticket_id: created.id, tag: 'NB-4711' });
  });

  it('does the same on the portal\'s new request', async () => {
    const form = await (await app.request(`${world.base}/portal/requests/new`, { cookie: carl })).text();
    expect(form).toContain('<div id="ticket-plugin-fields" class="plugin-fields stack" data-surface="portal">');
    // The portal's form hands the slot its signed-in viewer (the requester), in the viewer's language too.
    expect(form).toContain('A device of Carl Colleague');
    await world.scope.updateTable('people').set({ locale: 'de' }).where('id', '=', world.people.colleague).execute();
    const german = await (await app.request(`${world.base}/portal/requests/new`, { cookie: carl })).text();
    await world.scope.updateTable('people').set({ locale: 'en' }).where('id', '=', world.people.colleague).execute();
    expect(german).toContain('Ein Gerät von Carl Colleague');
    const before = await tickets(world.tenant.id);
    const missing = await post(`${world.base}/portal/requests`, { subject: 'Printer', description: 'Jams', [ASSET_FIELD]: '' }, carl);
    expect(missing.status).toBe(422);
    const again = await missing.text();
    expect(again).toContain(FIELD_ERROR('Enter the asset tag.'));
    expect(again).toContain('value="Printer"');
    expect(again).toContain('>Jams</textarea>');
    expect(await tickets(world.tenant.id)).toEqual(before);

    const saved = await post(`${world.base}/portal/requests`, { subject: 'Printer', description: 'Jams', [ASSET_FIELD]: 'PR-100' }, carl);
    expect(saved.status).toBe(303);
    const created = (await tickets(world.tenant.id)).at(-1)!;
    expect(saved.headers.get('Location')).toBe(`/t/acme/portal/requests/${created.number}`);
    expect((await tags(world.tenant.id)).at(-1)).toEqual({ ticket_id: created.id, tag: 'PR-100' });
  });

  it('leaves the forms as they were where the plugin is off: no block, no channel refresh, its field not checked', async () => {
    const html = await (await app.request('/t/plain/desk/tickets/new', { cookie: plainAgent })).text();
    expect(html).not.toContain('ticket-plugin-fields');
    expect(html).not.toContain(ASSET_FIELD);
    expect(html).not.toContain('/desk/tickets/new/plugin-fields');
    const plainPerson = (await tenantScope(app.services.db, plainId).insertInto('people', { name: 'Pia Plain', email: 'pia@plain.test', organisation_id: null }).returning('id').executeTakeFirstOrThrow()).id;
    const response = await post('/t/plain/desk/tickets/new', { ...base(), requester_id: String(plainPerson), [ASSET_FIELD]: '' }, plainAgent);
    expect(response.status).toBe(303);
    expect(await tickets(plainId)).toHaveLength(1);
    expect(await tags(plainId)).toEqual([]);
  });
});
