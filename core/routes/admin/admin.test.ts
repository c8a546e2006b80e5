import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantScope } from '../../tenancy/tenant-scope.js';
import { createTestApp, type TestApp } from '../../../test/harness/test-app.js';
import { dialects } from '../../../test/harness/test-database.js';

const PNG = Uint8Array.from(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64'));
const post = (values: Record<string, string>, cookie: string) => ({ method: 'POST', body: new URLSearchParams(values), cookie });

describe.each(dialects)('tenant administration on %s', (dialect) => {
  let app: TestApp;
  let acme: number;
  let admin: string;
  let adminId: number;
  let globexAgentId: number;

  beforeAll(async () => {
    app = await createTestApp(dialect);
    acme = (await app.createTenant('acme')).id;
    const globex = (await app.createTenant('globex')).id;
    adminId = await app.createStaff(acme, 'admin', 'admin@acme.test');
    await app.createStaff(acme, 'agent', 'agent@acme.test');
    globexAgentId = await app.createStaff(globex, 'agent', 'agent@globex.test');
    admin = await app.signIn('admin@acme.test', 'acme');
  });
  afterAll(() => app.cleanup());

  it('edits branding with validation; colours reach brand.css', async () => {
    const bad = await app.request('/t/acme/admin/branding', post({ name: '', locale: 'fr', primary_color: 'red', accent_color: '#000000', mail_from_name: '', mail_from_address: 'nope' }, admin));
    expect(bad.status).toBe(422);
    const html = await bad.text();
    expect(html).toContain('A colour such as #1f6f8b.');
    expect(html).toContain('Please enter a valid e-mail address.');
    expect((await app.services.tenants.byId(acme))!.name).toBe('ACME');
    const good = await app.request('/t/acme/admin/branding', post({ name: 'ACME Service', locale: 'en', primary_color: '#112233', accent_color: '#445566', mail_from_name: 'ACME Support', mail_from_address: 'help@acme.test' }, admin));
    expect(good.status).toBe(303);
    expect(await (await app.request('/t/acme/brand.css')).text()).toContain('--brand:#112233');
    expect((await app.services.tenants.byId(acme))).toMatchObject({ name: 'ACME Service', mail_from_address: 'help@acme.test' });
  });

  it('accepts a real PNG logo and refuses a text file named .png', async () => {
    const fields = { name: 'ACME Service', locale: 'en', primary_color: '#112233', accent_color: '#445566', mail_from_name: '', mail_from_address: '' };
    const upload = (file: File) => {
      const body = new FormData();
      for (const [k, v] of Object.entries(fields)) body.set(k, v);
      body.set('logo', file);
      return app.request('/t/acme/admin/branding', { method: 'POST', body, cookie: admin });
    };
    const fake = await upload(new File(['just text'], 'logo.png', { type: 'image/png' }));
    expect(fake.status).toBe(422);
    expect(await fake.text()).toContain('The logo must be a PNG, JPEG, WebP or SVG image.');
    expect((await upload(new File([PNG], 'logo.png', { type: 'image/png' }))).status).toBe(303);
    const logo = await app.request('/t/acme/logo');
    expect(logo.headers.get('Content-Type')).toBe('image/png');
    expect(new Uint8Array(await logo.arrayBuffer())).toEqual(PNG);
    expect((await app.request('/t/globex/logo')).status).toBe(404);
  });

  it('creates users with field errors for bad input and duplicates', async () => {
    const bad = await app.request('/t/acme/admin/users', post({ email: 'x', name: '', role: 'boss', password: 'short', locale: 'de' }, admin));
    expect(bad.status).toBe(422);
    expect(await app.request('/t/acme/admin/users', post({ email: 'new@acme.test', name: 'Nina', role: 'supervisor', password: 'long enough pw', locale: 'de' }, admin))).toHaveProperty('status', 303);
    const dup = await app.request('/t/acme/admin/users', post({ email: 'new@acme.test', name: 'Nina', role: 'agent', password: 'long enough pw', locale: 'de' }, admin));
    expect(dup.status).toBe(422);
    expect(await dup.text()).toContain('A user with this e-mail exists already.');
    await app.signIn('new@acme.test', 'acme', 'long enough pw');
  });

  it('edits role, groups and the active flag; a deactivated user cannot sign in; an admin cannot demote themselves', async () => {
    const group = await tenantScope(app.services.db, acme).insertInto('support_groups', { name: '1st', level: 'first' }).returning('id').executeTakeFirstOrThrow();
    const nina = await app.services.db.selectFrom('users').select('id').where('email', '=', 'new@acme.test').executeTakeFirstOrThrow();
    const session = await app.signIn('new@acme.test', 'acme', 'long enough pw');
    expect((await app.request(`/t/acme/admin/users/${nina.id}`, post({ name: 'Nina N', role: 'agent', groups: String(group.id) }, admin))).status).toBe(303);
    expect(await app.services.db.selectFrom('group_members').select('group_id').where('user_id', '=', nina.id).execute()).toEqual([{ group_id: group.id }]);
    expect((await app.request('/t/acme/desk', { cookie: session })).status).toBe(303);
    await expect(app.signIn('new@acme.test', 'acme', 'long enough pw')).rejects.toThrow('failed with 401');
    const self = await app.request(`/t/acme/admin/users/${adminId}`, post({ name: 'Me', role: 'agent', active: '1' }, admin));
    expect(self.status).toBe(422);
    expect((await app.services.db.selectFrom('users').select('role').where('id', '=', adminId).executeTakeFirstOrThrow()).role).toBe('admin');
  });

  it('never reaches another tenant\'s users, and agents are refused', async () => {
    expect((await app.request(`/t/acme/admin/users/${globexAgentId}`, { cookie: admin })).status).toBe(404);
    expect((await app.request(`/t/acme/admin/users/${globexAgentId}`, post({ name: 'hijacked', role: 'admin', active: '1' }, admin))).status).toBe(404);
    expect((await app.services.db.selectFrom('users').select(['name', 'role']).where('id', '=', globexAgentId).executeTakeFirstOrThrow())).toEqual({ name: 'agent', role: 'agent' });
    expect(await (await app.request('/t/acme/admin/users', { cookie: admin })).text()).not.toContain('agent@globex.test');
    const agent = await app.signIn('agent@acme.test', 'acme');
    for (const path of ['/admin', '/admin/users', '/admin/branding']) expect((await app.request(`/t/acme${path}`, { cookie: agent })).status, path).toBe(403);
    expect((await app.request('/t/acme/admin/branding', post({ name: 'x' }, agent))).status).toBe(403);
  });
});
