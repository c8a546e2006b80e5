import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, dialects, type TestDatabase } from '../../test/harness/test-database.js';
import { createDatabase } from '../db/create-database.js';
import { withStartupLock } from './startup-lock.js';
import { firstStart } from './first-start.js';
import { loadConfig } from '../../config/env.js';
import { createRegistry } from '../plugin-host/registry.js';
import { up as severalInstances } from '../../migrations/0009-several-instances.js';

describe.each(dialects)('several instances starting on %s', (dialect) => {
  let database: TestDatabase;
  beforeEach(async () => { database = await createTestDatabase(dialect); });
  afterEach(() => database.cleanup());

  it('refuses a second platform operator with the same e-mail; tenant staff may share it across tenants', async () => {
    const operator = { tenant_id: null as number | null, email: 'op@tresen.test', name: 'Op', role: 'operator' as const };
    await database.db.insertInto('users').values(operator).execute();
    await expect(database.db.insertInto('users').values(operator).execute()).rejects.toThrow(/unique|UNIQUE/);
    const a = await database.db.insertInto('tenants').values({ slug: 'a', name: 'A' }).returning('id').executeTakeFirstOrThrow();
    const b = await database.db.insertInto('tenants').values({ slug: 'b', name: 'B' }).returning('id').executeTakeFirstOrThrow();
    await database.db.insertInto('users').values([{ ...operator, tenant_id: a.id, role: 'agent' as const }, { ...operator, tenant_id: b.id, role: 'agent' as const }]).execute();
    await expect(database.db.insertInto('users').values({ ...operator, tenant_id: a.id, role: 'admin' as const }).execute()).rejects.toThrow(/unique|UNIQUE/);
  });

  it('stops the migration with the addresses when platform operators already share an e-mail, merging nothing', async () => {
    // As before the migration: no unique index on operators' e-mails, and two of them with one address.
    await database.db.schema.dropIndex('users_operator_email').execute();
    const operator = { tenant_id: null as number | null, email: 'twice@tresen.test', name: 'Op', role: 'operator' as const };
    await database.db.insertInto('users').values([operator, { ...operator, name: 'Op 2' }]).execute();
    await expect(severalInstances(database.db)).rejects.toThrow('platform operators share an e-mail address (twice@tresen.test ×2)');
    expect(await database.db.selectFrom('users').select('name').where('email', '=', 'twice@tresen.test').orderBy('name').execute()).toEqual([{ name: 'Op' }, { name: 'Op 2' }]);
  });

  it.runIf(dialect === 'postgres')('lets one instance at a time through the startup lock, each on its own connection', async () => {
    const others = await Promise.all([0, 1].map(() => createDatabase(database.url, { poolSize: 2 })));
    try {
      let inside = 0;
      let most = 0;
      const order: number[] = [];
      await Promise.all([database, ...others].map((instance, n) => withStartupLock(instance, async () => {
        inside++;
        most = Math.max(most, inside);
        order.push(n);
        await new Promise((r) => setTimeout(r, 100));
        inside--;
      })));
      expect(most).toBe(1);
      expect(order.sort()).toEqual([0, 1, 2]);
      // Released: nobody holds it afterwards.
      const held = await sql<{ n: number }>`select count(*)::int as n from pg_locks where locktype = 'advisory' and database = (select oid from pg_database where datname = current_database())`.execute(database.db);
      expect(held.rows).toEqual([{ n: 0 }]);
    } finally {
      await Promise.all(others.map((o) => o.close()));
    }
  });

  it.runIf(dialect === 'postgres')('three instances running the first start together under the lock seed one operator and one demo tenant, and none fails', async () => {
    const others = await Promise.all([0, 1].map(() => createDatabase(database.url, { poolSize: 2 })));
    const config = { ...loadConfig({ DATABASE_URL: database.url, TRESEN_DEMO: '1', TRESEN_ADMIN_EMAIL: 'operator@race.test', TRESEN_ADMIN_PASSWORD: 'operator-password', SECRET: 'startup-lock-test-secret-0123456789abcdef' }), scryptLogN: 10 };
    try {
      const reports = await Promise.all([database, ...others].map((instance) => withStartupLock(instance, () => firstStart(instance.db, 'postgres', createRegistry([]), config))));
      expect(reports.filter((r) => r.operator)).toHaveLength(1);
      expect(reports.filter((r) => r.demo)).toHaveLength(1);
      expect(await database.db.selectFrom('users').select('email').where('role', '=', 'operator').execute()).toEqual([{ email: 'operator@race.test' }]);
      expect(await database.db.selectFrom('tenants').select('slug').execute()).toEqual([{ slug: 'demo' }]);
    } finally {
      await Promise.all(others.map((o) => o.close()));
    }
  });
});
