import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantScope } from '../../tenancy/tenant-scope.js';
import { createTestApp, type TestApp } from '../../../test/harness/test-app.js';
import { dialects } from '../../../test/harness/test-database.js';

/**
 * Administration → Custom fields (/admin/fields) with only the core's kind: ticket fields made there are the ticket
 * forms' fields, limited by category; admins only; another tenant's field is 404; an unknown kind is 404.
 */
describe.each(dialects)('custom fields page on %s', (dialect) => {
  let app: TestApp;
  let acme: number;
  let admin: string;
  let agent: string;
  let globexAdmin: string;
  let globexField: number;

  const post = (path: string, values: Record<string, string | string[]>, cookie = admin) => {
    const body = new URLSearchParams();
    for (const [key, value] of Object.entries(values)) for (const item of Array.isArray(value) ? value : [value]) body.append(key, item);
    return app.request(path, { method: 'POST', body, cookie });
  };
  const fields = (tenantId: number) => tenantScope(app.services.db, tenantId).selectFrom('ticket_fields').select(['record_kind', 'key', 'label', 'type', 'categories', 'required', 'active']).orderBy('id').execute();

  beforeAll(async () => {
    app = await createTestApp(dialect);
    acme = (await app.createTenant('acme')).id;
    const globex = (await app.createTenant('globex')).id;
    await app.createStaff(acme, 'admin', 'admin@acme.test');
    await app.createStaff(acme, 'agent', 'agent@acme.test');
    await app.createStaff(globex, 'admin', 'admin@globex.test');
    [admin, agent, globexAdmin] = await Promise.all([app.signIn('admin@acme.test', 'acme'), app.signIn('agent@acme.test', 'acme'), app.signIn('admin@globex.test', 'globex')]);
    await tenantScope(app.services.db, acme).insertInto('ticket_categories', [{ name: 'Hardware', position: 0, active: 1 }, { name: 'Software', position: 1, active: 1 }]).execute();
    globexField = (await tenantScope(app.services.db, globex).insertInto('ticket_fields', { key: 'gx', label: 'Globex field', type: 'text' }).returning('id').executeTakeFirstOrThrow()).id;
  });
  afterAll(() => app.cleanup());

  it('is listed on the Administration page for admins, refused to agents', async () => {
    expect(await (await app.request('/t/acme/admin', { cookie: admin })).text()).toContain('href="/t/acme/admin/fields"');
    expect((await app.request('/t/acme/admin/fields', { cookie: agent })).status).toBe(403);
    expect((await post('/t/acme/admin/fields', { kind: 'ticket', key: 'x', label: 'X', type: 'text' }, agent)).status).toBe(403);
    expect((await app.request('/t/acme/admin/fields/new?kind=device', { cookie: admin })).status).toBe(404);
    expect((await post('/t/acme/admin/fields', { kind: 'device', key: 'x', label: 'X', type: 'text' })).status).toBe(404);
  });

  it('adds a ticket field limited to a category, which the ticket form offers for that category; the key and type stay on edit', async () => {
    expect((await post('/t/acme/admin/fields', { kind: 'ticket', key: 'serial', label: 'Serial', type: 'text', categories: ['Hardware'], required: '1' })).status).toBe(303);
    expect((await post('/t/acme/admin/fields', { kind: 'ticket', key: 'serial', label: 'Again', type: 'text' })).status).toBe(422);
    const unknown = await post('/t/acme/admin/fields', { kind: 'ticket', key: 'colour', label: 'Colour', type: 'text', categories: ['Nope'] });
    expect(unknown.status).toBe(422);
    expect(await unknown.text()).toContain('Please choose one of the offered values.');
    expect(await fields(acme)).toEqual([{ record_kind: 'ticket', key: 'serial', label: 'Serial', type: 'text', categories: '["Hardware"]', required: 1, active: 1 }]);
    const page = await (await app.request('/t/acme/admin/fields', { cookie: admin })).text();
    expect(page).toContain('id="field-ticket-serial"');
    // The ticket configuration page lists it as before and links to this page.
    const tickets = await (await app.request('/t/acme/admin/tickets', { cookie: admin })).text();
    expect(tickets).toContain('href="/t/acme/admin/fields"');
    expect(tickets).toContain('Serial');
    const form = await (await app.request('/t/acme/desk/tickets/new?category=Hardware', { cookie: admin })).text();
    expect(form).toContain('custom_fields.serial');
    const id = (await tenantScope(app.services.db, acme).selectFrom('ticket_fields').select('id').where('key', '=', 'serial').executeTakeFirstOrThrow()).id;
    expect((await post(`/t/acme/admin/fields/${id}`, { label: 'Serial number', type: 'number', categories: [], active: '' })).status).toBe(303);
    expect(await fields(acme)).toEqual([{ record_kind: 'ticket', key: 'serial', label: 'Serial number', type: 'text', categories: '[]', required: 0, active: 0 }]);
  });

  it('keeps tenants apart and speaks German', async () => {
    expect((await app.request(`/t/acme/admin/fields/${globexField}`, { cookie: admin })).status).toBe(404);
    expect((await post(`/t/acme/admin/fields/${globexField}`, { label: 'Taken', type: 'text' })).status).toBe(404);
    expect(await (await app.request('/t/globex/admin/fields', { cookie: globexAdmin })).text()).not.toContain('field-ticket-serial');
    await app.services.db.updateTable('users').set({ locale: 'de' }).where('email', '=', 'admin@acme.test').execute();
    const german = await (await app.request('/t/acme/admin/fields', { cookie: admin })).text();
    await app.services.db.updateTable('users').set({ locale: 'en' }).where('email', '=', 'admin@acme.test').execute();
    expect(german).toContain('Zusatzfelder');
    expect(german).toContain('Feld hinzufügen');
  });
});
