import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantScope } from '../../tenancy/tenant-scope.js';
import { ticketSettings } from '../../tickets/ticket-settings.js';
import { createTestApp, type TestApp } from '../../../test/harness/test-app.js';
import { dialects } from '../../../test/harness/test-database.js';

describe.each(dialects)('ticket configuration on %s', (dialect) => {
  let app: TestApp;
  let acme: number;
  let globex: number;
  let admin: string;
  let agent: string;
  let agentId: number;
  let globexAdmin: string;
  let globexCategory: number;
  let globexField: number;

  const post = (path: string, values: Record<string, string | string[]>, cookie = admin) => {
    const body = new URLSearchParams();
    for (const [key, value] of Object.entries(values)) for (const item of Array.isArray(value) ? value : [value]) body.append(key, item);
    return app.request(path, { method: 'POST', body, cookie });
  };
  const categories = (tenantId: number) => tenantScope(app.services.db, tenantId).selectFrom('ticket_categories').select(['id', 'name', 'position', 'active']).orderBy('id').execute();
  const fields = (tenantId: number) => tenantScope(app.services.db, tenantId).selectFrom('ticket_fields').selectAll().orderBy('id').execute();
  const field = { key: 'serial', label: 'Serial number', type: 'text', options: '', position: '1', required: '1' };

  beforeAll(async () => {
    app = await createTestApp(dialect);
    acme = (await app.createTenant('acme')).id;
    globex = (await app.createTenant('globex')).id;
    await app.createStaff(acme, 'admin', 'admin@acme.test');
    agentId = await app.createStaff(acme, 'agent', 'agent@acme.test');
    await app.createStaff(globex, 'admin', 'admin@globex.test');
    [admin, agent, globexAdmin] = await Promise.all([app.signIn('admin@acme.test', 'acme'), app.signIn('agent@acme.test', 'acme'), app.signIn('admin@globex.test', 'globex')]);
    const foreign = tenantScope(app.services.db, globex);
    globexCategory = (await foreign.insertInto('ticket_categories', { name: 'Globex cat', position: 0, active: 1 }).returning('id').executeTakeFirstOrThrow()).id;
    globexField = (await foreign.insertInto('ticket_fields', { key: 'gx', label: 'Globex field', type: 'text', options: '[]', required: 0, categories: '[]', position: 0, active: 1 }).returning('id').executeTakeFirstOrThrow()).id;
  });
  afterAll(() => app.cleanup());

  it('is for admins and linked from the administration', async () => {
    expect(await (await app.request('/t/acme/admin', { cookie: admin })).text()).toContain('href="/t/acme/admin/tickets"');
    expect((await app.request('/t/acme/admin/tickets', { cookie: admin })).status).toBe(200);
    expect((await app.request('/t/acme/admin/tickets', { cookie: agent })).status).toBe(403);
    expect((await post('/t/acme/admin/tickets/categories', { name: 'Sneaky' }, agent)).status).toBe(403);
    expect(await categories(acme)).toEqual([]);
  });

  it('adds, renames, orders and deactivates categories; a rename follows into tickets and fields', async () => {
    expect((await post('/t/acme/admin/tickets/categories', { name: 'Hardware' })).status).toBe(303);
    expect((await post('/t/acme/admin/tickets/categories', { name: 'Software' })).status).toBe(303);
    const dup = await post('/t/acme/admin/tickets/categories', { name: 'Hardware' });
    expect(dup.status).toBe(422);
    expect(await dup.text()).toContain('A category with this name exists already.');
    expect((await post('/t/acme/admin/tickets/categories', { name: '' })).status).toBe(422);
    const [hardware, software] = await categories(acme);
    expect([hardware!.position, software!.position]).toEqual([0, 1]);
    expect((await post('/t/acme/admin/tickets/fields', { ...field, categories: ['Hardware'] })).status).toBe(303);
    const scoped = tenantScope(app.services.db, acme);
    await scoped.insertInto('tickets', { number: '2026-000001', subject: 's', description: '', status: 'new', priority: 2, category: 'Hardware', channel: 'phone', organisation_id: null, requester_id: null, contract_id: null, assignee_id: null, group_id: null, custom_fields: '{}', created_at: new Date().toISOString(), updated_at: new Date().toISOString() }).execute();
    const renameTaken = await post(`/t/acme/admin/tickets/categories/${hardware!.id}`, { name: 'Software', position: '0', active: '1' });
    expect(renameTaken.status).toBe(422);
    expect((await post(`/t/acme/admin/tickets/categories/${hardware!.id}`, { name: 'Devices', position: '5', active: '1' })).status).toBe(303);
    expect((await post(`/t/acme/admin/tickets/categories/${software!.id}`, { name: 'Software', position: '1' })).status).toBe(303);
    expect(await categories(acme)).toEqual([
      { id: hardware!.id, name: 'Devices', position: 5, active: 1 },
      { id: software!.id, name: 'Software', position: 1, active: 0 },
    ]);
    expect((await scoped.selectFrom('tickets').select('category').executeTakeFirstOrThrow()).category).toBe('Devices');
    expect(JSON.parse((await fields(acme))[0]!.categories)).toEqual(['Devices']);
    // An inactive category is not offered for new tickets.
    const form = await (await app.request('/t/acme/desk/tickets/new', { cookie: agent })).text();
    expect(form).toContain('>Devices</option>');
    expect(form).not.toContain('>Software</option>');
  });

  it('validates custom fields: key format, duplicate key, select without options, unknown category', async () => {
    const badKey = await post('/t/acme/admin/tickets/fields', { ...field, key: 'Serial-No' });
    expect(badKey.status).toBe(422);
    expect(await badKey.text()).toContain('Lower-case letters, digits and _, starting with a letter (at most 40).');
    const dup = await post('/t/acme/admin/tickets/fields', { ...field, label: 'Again' });
    expect(dup.status).toBe(422);
    expect(await dup.text()).toContain('A field with this key exists already.');
    const noOptions = await post('/t/acme/admin/tickets/fields', { ...field, key: 'model', type: 'select', options: '\n  \n' });
    expect(noOptions.status).toBe(422);
    const noOptionsHtml = await noOptions.text();
    expect(noOptionsHtml).toContain('A selection needs at least one option.');
    expect(noOptionsHtml).toContain('value="model"');
    const unknownCategory = await post('/t/acme/admin/tickets/fields', { ...field, key: 'model', categories: ['Globex cat'] });
    expect(unknownCategory.status).toBe(422);
    expect(await fields(acme)).toHaveLength(1);
    expect((await post('/t/acme/admin/tickets/fields', { ...field, key: 'model', label: 'Model', type: 'select', options: 'A-1\nB-2\nA-1', required: '', categories: [] })).status).toBe(303);
    const model = (await fields(acme)).find((f) => f.key === 'model')!;
    expect(model).toMatchObject({ type: 'select', options: '["A-1","B-2"]', required: 0, categories: '[]', active: 1 });
    const edit = await post(`/t/acme/admin/tickets/fields/${model.id}`, { label: 'Model', type: 'select', options: '', position: '2' });
    expect(edit.status).toBe(422);
    expect((await post(`/t/acme/admin/tickets/fields/${model.id}`, { label: 'Device model', type: 'select', options: 'A-1\nC-3', position: '2', categories: ['Devices'] })).status).toBe(303);
    expect((await fields(acme)).find((f) => f.key === 'model')).toMatchObject({ label: 'Device model', options: '["A-1","C-3"]', categories: '["Devices"]', active: 0 });
    expect((await app.request(`/t/acme/admin/tickets/fields/${model.id}`, { cookie: admin })).status).toBe(200);
  });

  it('changes the ticket rules: own priority names, and agents may close once closing is not reserved', async () => {
    const number = '2026-000001';
    const scoped = tenantScope(app.services.db, acme);
    await scoped.updateTable('tickets').set({ status: 'solved', assignee_id: agentId }).where('number', '=', number).execute();
    const close = () => new URLSearchParams({ to: 'closed' });
    const refused = await app.request(`/t/acme/desk/tickets/${number}/status`, { method: 'POST', body: close(), cookie: agent, headers: { 'HX-Request': 'true' } });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('Only supervisors may close tickets in this helpdesk.');
    const tooLong = await post('/t/acme/admin/tickets/settings', { close_requires_supervisor: '1', priority_1: 'x'.repeat(41) });
    expect(tooLong.status).toBe(422);
    expect((await post('/t/acme/admin/tickets/settings', { priority_1: 'Whenever', priority_2: '', priority_3: '', priority_4: 'On fire' })).status).toBe(303);
    const settings = ticketSettings((await app.services.tenants.byId(acme))!);
    expect(settings).toMatchObject({ closeRequiresSupervisor: false, notifyRequester: false, priorityNames: ['Whenever', '', '', 'On fire'] });
    expect((await app.request(`/t/acme/desk/tickets/${number}/status`, { method: 'POST', body: close(), cookie: agent })).status).toBe(303);
    expect((await scoped.selectFrom('tickets').select('status').where('number', '=', number).executeTakeFirstOrThrow()).status).toBe('closed');
    const form = await (await app.request('/t/acme/desk/tickets/new', { cookie: agent })).text();
    expect(form).toContain('>Whenever</option>');
    expect(form).toContain('>On fire</option>');
    expect(ticketSettings((await app.services.tenants.byId(globex))!).closeRequiresSupervisor).toBe(true);
  });

  it('answers 404 for another tenant\'s categories and fields and changes nothing', async () => {
    expect((await post(`/t/acme/admin/tickets/categories/${globexCategory}`, { name: 'Hijacked', position: '0', active: '1' })).status).toBe(404);
    expect((await app.request(`/t/acme/admin/tickets/fields/${globexField}`, { cookie: admin })).status).toBe(404);
    expect((await post(`/t/acme/admin/tickets/fields/${globexField}`, { label: 'Hijacked', type: 'text', position: '0', active: '1' })).status).toBe(404);
    expect((await post('/t/acme/admin/tickets/settings', { priority_1: 'Foreign' }, globexAdmin)).status).toBe(303);
    expect(await categories(globex)).toEqual([{ id: globexCategory, name: 'Globex cat', position: 0, active: 1 }]);
    expect((await fields(globex))[0]).toMatchObject({ label: 'Globex field', active: 1 });
    expect(await (await app.request('/t/globex/admin/tickets', { cookie: globexAdmin })).text()).not.toContain('Devices');
    expect(ticketSettings((await app.services.tenants.byId(globex))!).priorityNames).toEqual(['', '', '', '']);
  });
});
