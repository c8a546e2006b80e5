import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, dialects, type TestDatabase } from '../../test/harness/test-database.js';
import { tenantScope } from './tenant-scope.js';

describe.each(dialects)('tenant scope on %s', (dialect) => {
  let database: TestDatabase;
  let tenantA: number;
  let tenantB: number;

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    const rows = await database.db.insertInto('tenants').values([{ slug: 'a', name: 'A' }, { slug: 'b', name: 'B' }]).returning('id').execute();
    tenantA = rows[0]!.id;
    tenantB = rows[1]!.id;
  });
  afterAll(() => database.cleanup());

  it('stamps inserts and filters reads, updates and deletes by tenant', async () => {
    const a = tenantScope(database.db, tenantA);
    const b = tenantScope(database.db, tenantB);
    await a.insertInto('organisations', { name: 'Alpha GmbH' }).execute();
    await b.insertInto('organisations', { name: 'Beta AG' }).execute();

    expect((await a.selectFrom('organisations').select('name').execute()).map((r) => r.name)).toEqual(['Alpha GmbH']);
    const beta = await b.selectFrom('organisations').select('id').executeTakeFirstOrThrow();

    // Tenant A cannot reach B's row even by id.
    expect(await a.selectFrom('organisations').select('name').where('id', '=', beta.id).executeTakeFirst()).toBeUndefined();
    const updated = await a.updateTable('organisations').set({ name: 'hijacked' }).where('id', '=', beta.id).executeTakeFirst();
    expect(Number(updated.numUpdatedRows)).toBe(0);
    const deleted = await a.deleteFrom('organisations').where('id', '=', beta.id).executeTakeFirst();
    expect(Number(deleted.numDeletedRows)).toBe(0);
    expect((await b.selectFrom('organisations').select('name').executeTakeFirstOrThrow()).name).toBe('Beta AG');
  });

  it('keeps the scope inside a transaction', async () => {
    await database.db.transaction().execute(async (trx) => {
      await tenantScope(database.db, tenantA).withDb(trx).insertInto('support_groups', { name: '1st Level', level: 'first' }).execute();
    });
    const groups = await tenantScope(database.db, tenantA).selectFrom('support_groups').select(['name', 'tenant_id']).execute();
    expect(groups).toEqual([{ name: '1st Level', tenant_id: tenantA }]);
  });
});
