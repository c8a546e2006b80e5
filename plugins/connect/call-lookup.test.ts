import { CompiledQuery } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { phoneKey } from '../../core/people/phone-key.js';
import { createRegistry } from '../../core/plugin-host/registry.js';
import { tenantScope } from '../../core/tenancy/tenant-scope.js';
import { createTestDatabase, dialects, type TestDatabase } from '../../test/harness/test-database.js';
import { lookUpCaller } from './call-lookup.js';
import { connectPlugin } from './index.js';
import { phoneKeys } from './phone-number.js';

describe.each(dialects)('caller lookup on %s', (dialect) => {
  let database: TestDatabase;
  let tenantId: number;
  let otherId: number;

  beforeAll(async () => {
    database = await createTestDatabase(dialect, createRegistry([connectPlugin]));
    const db = database.db;
    tenantId = (await db.insertInto('tenants').values({ slug: 'one', name: 'One' }).returning('id').executeTakeFirstOrThrow()).id;
    otherId = (await db.insertInto('tenants').values({ slug: 'two', name: 'Two' }).returning('id').executeTakeFirstOrThrow()).id;
    const org = await db.insertInto('organisations').values({ tenant_id: tenantId, name: 'Acme', phone: '0221 / 4710-334' }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('people').values([
      { tenant_id: tenantId, name: 'Plus', phone: '+49 30 1234567', organisation_id: org.id, active: 1 },
      { tenant_id: tenantId, name: 'Trunk', phone: '+49 (0)40 7654321', active: 1 },
      { tenant_id: tenantId, name: 'National', phone: '089-1112223', active: 1 },
      { tenant_id: tenantId, name: 'Gone', phone: '089 9998887', active: 0 },
      { tenant_id: tenantId, name: 'Vienna', phone: '0043 1 5321234', active: 1 },
      { tenant_id: otherId, name: 'Elsewhere', phone: '+49 30 1234567', active: 1 },
      ...Array.from({ length: 300 }, (_, i) => ({ tenant_id: tenantId, name: `Filler ${i}`, phone: `+49 69 ${1_000_000 + i}`, active: 1 })),
    ]).execute();
  });
  afterAll(() => database.cleanup());

  it('finds a person by any written form of their number, else the organisation, within the tenant only', async () => {
    const scope = tenantScope(database.db, tenantId);
    expect(await lookUpCaller(scope, '+49301234567', 'DE')).toMatchObject({ match: 'known', people: [{ name: 'Plus', organisation_name: 'Acme' }], organisation: { name: 'Acme' } });
    expect((await lookUpCaller(scope, '+49407654321', 'DE')).people.map((p) => p.name)).toEqual(['Trunk']);
    expect((await lookUpCaller(scope, '+49891112223', 'DE')).people.map((p) => p.name)).toEqual(['National']);
    expect((await lookUpCaller(scope, '+4315321234', 'DE')).people.map((p) => p.name)).toEqual(['Vienna']);
    expect(await lookUpCaller(scope, '+492214710334', 'DE')).toMatchObject({ match: 'maybe', people: [], organisation: { name: 'Acme' } });
    expect((await lookUpCaller(scope, '+49899998887', 'DE')).match).toBe('none');
    // "089…" is a national form only where the tenant's phone country is Germany.
    expect((await lookUpCaller(scope, '+49891112223', 'AT')).match).toBe('none');
    expect((await lookUpCaller(scope, '+4930999', 'DE')).match).toBe('none');
    expect((await lookUpCaller(tenantScope(database.db, otherId), '+49301234567', 'DE')).people.map((p) => p.name)).toEqual(['Elsewhere']);
    // With another home country, "089…" is not Munich any more.
    expect((await lookUpCaller(scope, '+49891112223', '43')).match).toBe('none');
  });

  it('reads the expression index of migration 0017, not the table', async () => {
    const scope = tenantScope(database.db, tenantId);
    const query = scope.selectFrom('people as p').select('p.id').where(phoneKey('p'), 'in', phoneKeys('+49301234567', 'DE')).compile();
    await database.db.executeQuery(CompiledQuery.raw('analyze'));
    const plan = await database.db.transaction().execute(async (trx) => {
      if (dialect === 'postgres') await trx.executeQuery(CompiledQuery.raw('set local enable_seqscan = off'));
      const rows = (await trx.executeQuery(CompiledQuery.raw(`${dialect === 'postgres' ? 'explain' : 'explain query plan'} ${query.sql}`, [...query.parameters]))).rows;
      return JSON.stringify(rows);
    });
    expect(plan, plan).toContain('people_tenant_phone_key');
  });
});
