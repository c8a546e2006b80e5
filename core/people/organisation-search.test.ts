import { CompiledQuery, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, dialects, type TestDatabase } from '../../test/harness/test-database.js';
import { tenantScope } from '../tenancy/tenant-scope.js';
import { loweredVariants, PICKER_LIMIT, prefixQuery, resolveOrganisationName, searchOrganisations } from './organisation-search.js';

describe.each(dialects)('organisation search for pickers on %s', (dialect) => {
  let database: TestDatabase;
  let acme: number;
  let globex: number;

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    const rows = await database.db.insertInto('tenants').values([{ slug: 'acme', name: 'ACME' }, { slug: 'globex', name: 'Globex' }]).returning('id').execute();
    acme = rows[0]!.id;
    globex = rows[1]!.id;
    const row = (name: string, number: string | null, domains: string) => ({ name, number, email_domains: domains, phone: null, address: null, notes: null });
    await tenantScope(database.db, acme).insertInto('organisations', [
      // 600 customers: more than any select could list.
      ...Array.from({ length: 600 }, (_, i) => row(`Kunde ${String(i + 1).padStart(4, '0')} GmbH`, `K-${i + 1}`, `kunde${i + 1}.test`)),
      row('Zeta Logistik', 'Z-1', 'zeta.test'),
      row('alpha zeta bau', null, ''),
      row('Müller 100% & Co_KG', null, 'mueller.test'),
      row('Northwind', 'N-7', 'northwind.example,nw.example'),
      row('Ärztekammer Nord', null, ''),
      row('Bäcker Äpfel & Söhne', null, ''),
      row('ÖKO PLAN', null, ''),
    ]).execute();
    await tenantScope(database.db, globex).insertInto('organisations', [row('Zeta Globex', 'Z-1', 'globex-zeta.test')]).execute();
  });
  afterAll(() => database.cleanup());

  const acmeScope = () => tenantScope(database.db, acme);
  const names = async (q: string, limit?: number) => (await searchOrganisations(acmeScope(), dialect, q, limit)).map((h) => h.name);

  it('finds names starting with the term first, then names, numbers and mail domains containing it, of this tenant only', async () => {
    expect(await names('zeta')).toEqual(['Zeta Logistik', 'alpha zeta bau']);
    expect(await names('ZET')).toEqual(['Zeta Logistik', 'alpha zeta bau']);
    expect(await names('@northwind.example')).toEqual(['Northwind']);
    expect(await names('nw.exa')).toEqual(['Northwind']);
    expect(await names('N-7')).toEqual(['Northwind']);
    // LIKE's wildcards are taken literally.
    expect(await names('100%')).toEqual(['Müller 100% & Co_KG']);
    expect(await names('co_k')).toEqual(['Müller 100% & Co_KG']);
    expect(await names('_')).toEqual(['Müller 100% & Co_KG']);
    expect(await names('   ')).toEqual([]);
    const globexHits = await searchOrganisations(tenantScope(database.db, globex), dialect, 'zeta');
    expect(globexHits.map((h) => h.name)).toEqual(['Zeta Globex']);
  });

  it('finds German capitals however they are typed, though SQLite\'s lower() leaves Ä, Ö, Ü alone', async () => {
    expect(loweredVariants('bäcker äpf')).toEqual(['bäcker äpf', 'bäcker Äpf', 'bÄcker Äpf']);
    for (const q of ['ärztekammer', 'Ärztekammer', 'ÄRZTE', 'ärzte']) expect(`${q}: ${await names(q)}`).toBe(`${q}: Ärztekammer Nord`);
    for (const q of ['bäcker äpf', 'Bäcker Äpfel', 'äpfel', 'söhne']) expect(`${q}: ${await names(q)}`).toBe(`${q}: Bäcker Äpfel & Söhne`);
    for (const q of ['öko', 'Öko Plan', 'ÖKO']) expect(`${q}: ${await names(q)}`).toBe(`${q}: ÖKO PLAN`);
    expect(await resolveOrganisationName(acmeScope(), dialect, 'ärztekammer nord')).toEqual({ id: (await searchOrganisations(acmeScope(), dialect, 'Ärztekammer'))[0]!.id });
  });

  it('reaches the 501st and the 600th customer and stops at the limit', async () => {
    expect(await names('kunde 0501')).toEqual(['Kunde 0501 GmbH']);
    expect(await names('Kunde 0600 G')).toEqual(['Kunde 0600 GmbH']);
    expect(await names('kunde600.test')).toEqual(['Kunde 0600 GmbH']);
    const many = await names('kunde');
    expect(many).toHaveLength(PICKER_LIMIT);
    expect(many[0]).toBe('Kunde 0001 GmbH');
    // Prefix hits fill the list; contains hits follow when the prefix alone does not.
    expect(await names('0 gmbh', 3)).toEqual(['Kunde 0010 GmbH', 'Kunde 0020 GmbH', 'Kunde 0030 GmbH']);
  });

  it('resolves a typed name: exact (case-insensitive), the only hit, none, or several', async () => {
    const id = (name: string) => acmeScope().selectFrom('organisations').select('id').where('name', '=', name).executeTakeFirstOrThrow().then((r) => r.id);
    expect(await resolveOrganisationName(acmeScope(), dialect, 'northwind')).toEqual({ id: await id('Northwind') });
    expect(await resolveOrganisationName(acmeScope(), dialect, 'Kunde 0501')).toEqual({ id: await id('Kunde 0501 GmbH') });
    expect(await resolveOrganisationName(acmeScope(), dialect, 'nobody here')).toEqual({ none: true });
    const several = await resolveOrganisationName(acmeScope(), dialect, 'zeta');
    expect(several).toEqual({ several: ['Zeta Logistik', 'alpha zeta bau'] });
    expect(await resolveOrganisationName(tenantScope(database.db, globex), dialect, 'northwind')).toEqual({ none: true });
  });

  it('answers the prefix search from the organisations_tenant_lower_name index', async () => {
    const compiled = prefixQuery(acmeScope(), dialect, 'kunde 05', PICKER_LIMIT).compile();
    const plan = await database.db.transaction().execute(async (trx) => {
      if (dialect === 'postgres') {
        await sql`analyze organisations`.execute(trx);
        await sql`set local enable_seqscan = off`.execute(trx);
        const result = await trx.executeQuery(CompiledQuery.raw(`explain ${compiled.sql}`, [...compiled.parameters]));
        return result.rows.map((r) => String(Object.values(r as object)[0])).join('\n');
      }
      const result = await trx.executeQuery(CompiledQuery.raw(`explain query plan ${compiled.sql}`, [...compiled.parameters]));
      return result.rows.map((r) => String((r as { detail: string }).detail)).join('\n');
    });
    expect(plan).toContain('organisations_tenant_lower_name');
  });
});
