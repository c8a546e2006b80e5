import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantScope } from '../../tenancy/tenant-scope.js';
import { createTestApp, type TestApp } from '../../../test/harness/test-app.js';
import { dialects } from '../../../test/harness/test-database.js';

const post = (values: Record<string, string | string[]>, cookie: string) => {
  const body = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) for (const v of Array.isArray(value) ? value : [value]) body.append(key, v);
  return { method: 'POST', body, cookie };
};
const idFrom = (response: Response) => Number(/\/(\d+)$/.exec(response.headers.get('Location') ?? '')?.[1]);

describe.each(dialects)('support groups and the audit log on %s', (dialect) => {
  let app: TestApp;
  let acme: number;
  let globex: number;
  let admin: string;
  let supervisor: string;
  let agent: string;
  let agentId: number;
  let supervisorId: number;
  let retiredId: number;
  let globexGroup: number;
  let globexAgentId: number;

  beforeAll(async () => {
    app = await createTestApp(dialect);
    acme = (await app.createTenant('acme')).id;
    globex = (await app.createTenant('globex')).id;
    await app.createStaff(acme, 'admin', 'admin@acme.test');
    supervisorId = await app.createStaff(acme, 'supervisor', 'super@acme.test');
    agentId = await app.createStaff(acme, 'agent', 'agent@acme.test');
    retiredId = await app.createStaff(acme, 'agent', 'retired@acme.test');
    await app.services.db.updateTable('users').set({ active: 0 }).where('id', '=', retiredId).execute();
    globexAgentId = await app.createStaff(globex, 'agent', 'agent@globex.test');
    admin = await app.signIn('admin@acme.test', 'acme');
    supervisor = await app.signIn('super@acme.test', 'acme');
    agent = await app.signIn('agent@acme.test', 'acme');
    globexGroup = (await tenantScope(app.services.db, globex).insertInto('support_groups', { name: 'Globex desk', level: 'first' }).returning('id').executeTakeFirstOrThrow()).id;
    await tenantScope(app.services.db, globex).insertInto('group_members', { group_id: globexGroup, user_id: globexAgentId }).execute();
  });
  afterAll(() => app.cleanup());

  const acmeScope = () => tenantScope(app.services.db, acme);
  const members = async (groupId: number) => (await app.services.db.selectFrom('group_members').select('user_id').where('group_id', '=', groupId).orderBy('user_id').execute()).map((m) => m.user_id);

  it('creates a group with validation; names are unique ignoring case', async () => {
    const bad = await app.request('/t/acme/admin/groups', post({ name: '', level: 'fourth', email: 'x' }, admin));
    expect(bad.status).toBe(422);
    const html = await bad.text();
    expect(html).toContain('Please choose one of the offered values.');
    expect(html).toContain('Please enter a valid e-mail address.');
    expect(html).toContain('value="x"');
    const created = await app.request('/t/acme/admin/groups', post({ name: 'Servicedesk', level: 'first', email: 'Desk@Acme.test' }, admin));
    expect(created.status).toBe(303);
    const id = idFrom(created);
    expect(await acmeScope().selectFrom('support_groups').select(['name', 'level', 'email']).where('id', '=', id).executeTakeFirstOrThrow())
      .toEqual({ name: 'Servicedesk', level: 'first', email: 'desk@acme.test' });
    const dup = await app.request('/t/acme/admin/groups', post({ name: 'SERVICEDESK', level: 'second', email: '' }, admin));
    expect(dup.status).toBe(422);
    expect(await dup.text()).toContain('A support group with this name exists already.');
    // Globex has a group of that name too; that is no conflict for acme.
    expect((await app.request('/t/acme/admin/groups', post({ name: 'Globex desk', level: 'expert', email: '' }, admin))).status).toBe(303);
    const list = await (await app.request('/t/acme/admin/groups', { cookie: admin })).text();
    expect(list).toContain('Servicedesk');
    expect(list).toContain('Expert group');
  });

  it('edits a group and its members: only active staff of this tenant; a deactivated member stays', async () => {
    const id = (await acmeScope().selectFrom('support_groups').select('id').where('name', '=', 'Servicedesk').executeTakeFirstOrThrow()).id;
    await acmeScope().insertInto('group_members', { group_id: id, user_id: retiredId }).execute();
    const page = await (await app.request(`/t/acme/admin/groups/${id}`, { cookie: admin })).text();
    expect(page).toContain(`value="${agentId}"`);
    expect(page).not.toContain(`value="${retiredId}"`);
    expect(page).not.toContain('agent@globex.test');
    const saved = await app.request(`/t/acme/admin/groups/${id}`, post({ name: 'Servicedesk 1', level: 'second', email: '', members: [String(agentId), String(supervisorId), String(globexAgentId)] }, admin));
    expect(saved.status).toBe(303);
    expect(await members(id)).toEqual([supervisorId, agentId, retiredId].sort((a, b) => a - b));
    expect(await acmeScope().selectFrom('support_groups').select(['name', 'level', 'email']).where('id', '=', id).executeTakeFirstOrThrow())
      .toEqual({ name: 'Servicedesk 1', level: 'second', email: null });
    expect((await app.request(`/t/acme/admin/groups/${id}`, post({ name: 'Servicedesk 1', level: 'second', members: String(agentId) }, admin))).status).toBe(303);
    expect(await members(id)).toEqual([agentId, retiredId].sort((a, b) => a - b));
    const dup = await app.request(`/t/acme/admin/groups/${id}`, post({ name: 'globex DESK', level: 'second', members: String(supervisorId) }, admin));
    expect(dup.status).toBe(422);
    expect(await dup.text()).toMatch(new RegExp(`value="${supervisorId}" checked`));
    expect(await members(id)).toEqual([agentId, retiredId].sort((a, b) => a - b));
    expect(await members(globexGroup)).toEqual([globexAgentId]);
  });

  it('refuses to delete a group while a ticket refers to it, deletes it afterwards', async () => {
    const id = (await acmeScope().selectFrom('support_groups').select('id').where('name', '=', 'Servicedesk 1').executeTakeFirstOrThrow()).id;
    const now = new Date().toISOString();
    const ticket = await acmeScope().insertInto('tickets', { number: '2026-000001', subject: 'Printer', status: 'new', group_id: id, created_at: now, updated_at: now })
      .returning('id').executeTakeFirstOrThrow();
    const refused = await app.request(`/t/acme/admin/groups/${id}/delete`, post({}, admin));
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain('The group Servicedesk 1 cannot be deleted: 1 tickets belong to it.');
    expect(await acmeScope().selectFrom('support_groups').select('id').where('id', '=', id).executeTakeFirst()).toBeDefined();
    expect(await members(id)).not.toEqual([]);
    const htmx = await app.request(`/t/acme/admin/groups/${id}/delete`, { ...post({}, admin), headers: { 'HX-Request': 'true' } });
    expect(htmx.status).toBe(409);
    expect(htmx.headers.get('HX-Retarget')).toBe('#toasts');

    await acmeScope().updateTable('tickets').set({ group_id: null }).where('id', '=', ticket.id).execute();
    const deleted = await app.request(`/t/acme/admin/groups/${id}/delete`, post({}, admin));
    expect(deleted.status).toBe(303);
    expect(deleted.headers.get('Location')).toBe('/t/acme/admin/groups');
    expect(await acmeScope().selectFrom('support_groups').select('id').where('id', '=', id).executeTakeFirst()).toBeUndefined();
    expect(await members(id)).toEqual([]);
  });

  it('shows the tenant\'s own audit log, paginated, with every group change', async () => {
    const html = await (await app.request('/t/acme/admin/audit', { cookie: admin })).text();
    for (const action of ['admin.group_created', 'admin.group_updated', 'admin.group_deleted']) expect(html).toContain(action);
    expect(html).toContain('admin@acme.test');
    await app.services.audit.record({ tenantId: globex, actor: { userId: null, label: 'someone@globex.test' }, action: 'admin.group_created', target: 'Globex secret' });
    expect(await (await app.request('/t/acme/admin/audit', { cookie: admin })).text()).not.toContain('Globex secret');
    for (let i = 0; i < 60; i++) await app.services.audit.record({ tenantId: acme, actor: { userId: null, label: 'seed' }, action: 'admin.test', target: `entry ${i}` });
    const first = await (await app.request('/t/acme/admin/audit', { cookie: admin })).text();
    expect(first).toContain('entry 59');
    expect(first).not.toContain('entry 9<');
    expect(first).toContain('href="/t/acme/admin/audit?page=2"');
    expect(await (await app.request('/t/acme/admin/audit?page=2', { cookie: admin })).text()).toContain('entry 9<');
  });

  it('groups and the audit log are for admins: supervisors and agents get 403', async () => {
    const id = (await acmeScope().selectFrom('support_groups').select('id').where('name', '=', 'Globex desk').executeTakeFirstOrThrow()).id;
    for (const cookie of [supervisor, agent]) {
      for (const path of ['/admin/groups', `/admin/groups/${id}`, '/admin/audit']) expect((await app.request(`/t/acme${path}`, { cookie })).status, path).toBe(403);
      for (const path of ['/admin/groups', `/admin/groups/${id}`, `/admin/groups/${id}/delete`]) {
        expect((await app.request(`/t/acme${path}`, post({ name: 'taken over', level: 'first' }, cookie))).status, path).toBe(403);
      }
    }
    expect(await acmeScope().selectFrom('support_groups').select('name').where('id', '=', id).executeTakeFirstOrThrow()).toEqual({ name: 'Globex desk' });
    const index = await (await app.request('/t/acme/admin', { cookie: supervisor })).text();
    expect(index).toContain('href="/t/acme/admin/organisations"');
    expect(index).not.toContain('href="/t/acme/admin/groups"');
    expect(index).not.toContain('href="/t/acme/admin/audit"');
    const adminIndex = await (await app.request('/t/acme/admin', { cookie: admin })).text();
    for (const path of ['organisations', 'people', 'groups', 'users', 'branding', 'audit']) expect(adminIndex).toContain(`href="/t/acme/admin/${path}"`);
  });

  it('never reaches another tenant\'s groups', async () => {
    const before = await app.services.db.selectFrom('support_groups').selectAll().where('tenant_id', '=', globex).execute();
    expect((await app.request(`/t/acme/admin/groups/${globexGroup}`, { cookie: admin })).status).toBe(404);
    expect((await app.request(`/t/acme/admin/groups/${globexGroup}`, post({ name: 'hijacked', level: 'expert', members: String(agentId) }, admin))).status).toBe(404);
    expect((await app.request(`/t/acme/admin/groups/${globexGroup}/delete`, post({}, admin))).status).toBe(404);
    expect(await app.services.db.selectFrom('support_groups').selectAll().where('tenant_id', '=', globex).execute()).toEqual(before);
    expect(await members(globexGroup)).toEqual([globexAgentId]);
    expect(await (await app.request('/t/acme/admin/groups', { cookie: admin })).text()).not.toContain(`/admin/groups/${globexGroup}"`);
  });
});
