import type { KyselyPlugin, RootOperationNode } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, dialects, type TestDatabase } from '../../test/harness/test-database.js';
import { bumpConfigRevision, TenantDirectory } from './tenant-directory.js';

/** Counts the statements that read the `meta` table (where the config revision lives). */
function metaReads(): KyselyPlugin & { count: number } {
  const plugin = {
    count: 0,
    transformQuery({ node }: { node: RootOperationNode }) {
      if (node.kind === 'SelectQueryNode' && JSON.stringify(node.from).includes('"meta"')) plugin.count += 1;
      return node;
    },
    async transformResult<R>({ result }: { result: R }) { return result; },
  };
  return plugin;
}

describe.each(dialects)('tenant directory on %s', (dialect) => {
  let database: TestDatabase;
  let acme: number;

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    const rows = await database.db.insertInto('tenants').values([{ slug: 'acme', name: 'Acme' }, { slug: 'shop', name: 'Shop' }]).returning('id').execute();
    acme = rows[0]!.id;
    await database.db.insertInto('tenant_hosts').values({ tenant_id: rows[1]!.id, host: 'help.shop.test' }).execute();
    await database.db.insertInto('tenant_plugins').values({ tenant_id: acme, plugin_id: 'notes', enabled: 1, settings: '{}' }).execute();
  });
  afterAll(() => database.cleanup());

  it('resolves a request\'s tenant and its plugins with one revision read: a mapped host wins over the slug', async () => {
    const counter = metaReads();
    const directory = new TenantDirectory(database.db.withPlugin(counter));

    const bySlug = await directory.resolve('localhost', 'acme');
    expect(bySlug.tenant?.slug).toBe('acme');
    expect(bySlug.byHost).toBe(false);
    expect([...bySlug.enabledPlugins]).toEqual(['notes']);

    const byHost = await directory.resolve('HELP.shop.test:8443', 'acme');
    expect(byHost.tenant?.slug).toBe('shop');
    expect(byHost.byHost).toBe(true);
    expect(byHost.enabledPlugins.size).toBe(0);

    expect((await directory.resolve('localhost', 'nobody')).tenant).toBeUndefined();
    expect((await directory.resolve('localhost', undefined)).tenant).toBeUndefined();
    expect(counter.count).toBe(4);
  });

  it('sees a change on the next resolve once the revision moves', async () => {
    const directory = new TenantDirectory(database.db);
    expect((await directory.resolve('localhost', 'acme')).enabledPlugins.has('helpdesk')).toBe(false);
    await database.db.transaction().execute(async (trx) => {
      await trx.insertInto('tenant_plugins').values({ tenant_id: acme, plugin_id: 'helpdesk', enabled: 1, settings: '{}' }).execute();
      await bumpConfigRevision(trx);
    });
    expect((await directory.resolve('localhost', 'acme')).enabledPlugins.has('helpdesk')).toBe(true);
  });
});
