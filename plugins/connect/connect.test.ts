import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enablePlugin } from '../../core/plugin-host/plugin-switches.js';
import { pluginScope } from '../../core/tenancy/tenant-scope.js';
import { createTestApp, type TestApp } from '../../test/harness/test-app.js';
import { dialects } from '../../test/harness/test-database.js';
import type { ConnectDB } from './connect-db.js';
import { connectPlugin } from './index.js';

describe.each(dialects)('plugin connect on %s', (dialect) => {
  let app: TestApp;
  const tenants: Record<string, { id: number; admin: string }> = {};

  const names = async (slug: string) => (await pluginScope<ConnectDB>(app.services.db, tenants[slug]!.id).selectFrom('connect_items').select('name').orderBy('name').execute()).map((row) => row.name);
  const add = (slug: string, name: string, cookie = tenants[slug]!.admin) => app.request('/t/' + slug + '/p/connect/items', { method: 'POST', body: new URLSearchParams({ name }), cookie });

  beforeAll(async () => {
    app = await createTestApp(dialect, [connectPlugin]);
    for (const slug of ['one', 'two']) {
      const tenant = await app.createTenant(slug);
      await enablePlugin(app.services.db, app.services.registry, tenant.id, 'connect');
      await app.createStaff(tenant.id, 'admin', 'admin@' + slug + '.test');
      tenants[slug] = { id: tenant.id, admin: await app.signIn('admin@' + slug + '.test', slug) };
    }
  });
  afterAll(() => app.cleanup());

  it('adds an item on its admin page, with an audit entry, and lists it', async () => {
    const response = await add('one', '  First item ');
    expect(response.status).toBe(303);
    expect(await names('one')).toEqual(['First item']);
    const page = await (await app.request('/t/one/p/connect', { cookie: tenants.one!.admin })).text();
    expect(page).toContain('First item');
    const audit = await app.services.db.selectFrom('audit_log').select(['tenant_id', 'target']).where('action', '=', 'connect.item_created').execute();
    expect(audit).toEqual([{ tenant_id: tenants.one!.id, target: 'First item' }]);
  });

  it('refuses an empty, a too long and a taken name at the field, keeping the input and saving nothing', async () => {
    const before = await names('one');
    const empty = await add('one', '   ');
    expect(empty.status).toBe(422);
    expect(await empty.text()).toContain('Enter a name.');
    const long = await add('one', 'x'.repeat(121));
    expect(long.status).toBe(422);
    expect(await long.text()).toContain('A name has at most 120 characters.');
    const taken = await add('one', 'First item');
    expect(taken.status).toBe(409);
    expect(await taken.text()).toMatch(/name="name" type="text" value="First item"/);
    expect(await names('one')).toEqual(before);
  });

  it('keeps each tenant\'s items to itself', async () => {
    expect((await add('two', 'First item')).status).toBe(303);
    expect(await names('two')).toEqual(['First item']);
    const other = await (await app.request('/t/two/p/connect', { cookie: tenants.two!.admin })).text();
    expect(other.match(/First item/g)).toHaveLength(1);
    // One tenant's session opens nothing of another's.
    expect((await app.request('/t/two/p/connect/items', { cookie: tenants.one!.admin })).status).not.toBe(200);
    await add('two', 'Sneaky', tenants.one!.admin);
    expect(await names('two')).toEqual(['First item']);
  });
});
