import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistry } from '../plugin-host/registry.js';
import { tenantScope } from '../tenancy/tenant-scope.js';
import { createTicketQueries } from '../tickets/ticket-queries.js';
import { seedDemoTenant, type DemoCredentials } from './demo-data.js';
import { createTestDatabase, dialects, type TestDatabase } from '../../test/harness/test-database.js';

describe.each(dialects)('demo tenant on %s', (dialect) => {
  let database: TestDatabase;
  let demo: DemoCredentials;

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    demo = await seedDemoTenant(database.db, dialect, createRegistry([]), 10);
  });
  afterAll(() => database.cleanup());

  it('has staff, a customer with two portal users and 30 tickets in every state, with correspondence', async () => {
    expect(demo.accounts.map((a) => a.role)).toEqual(['admin', 'supervisor', 'agent', 'agent', 'portal', 'portal']);
    const tenant = await database.db.selectFrom('tenants').select('id').where('slug', '=', 'demo').executeTakeFirstOrThrow();
    const scope = tenantScope(database.db, tenant.id);
    const byStatus = await scope.selectFrom('tickets').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('status').execute();
    expect(Object.fromEntries(byStatus.map((r) => [r.status, Number(r.n)]))).toEqual({ new: 6, open: 7, waiting: 5, solved: 6, closed: 6 });
    const articles = await scope.selectFrom('ticket_articles').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(articles.n)).toBeGreaterThan(40);
    // The support directory lists three colleagues with E.164 numbers and is open to the portal.
    const cards = await scope.selectFrom('directory_profiles').select(['phone', 'listed']).execute();
    expect(cards.map((c) => [c.listed, /^\+49\d+$/.test(c.phone ?? '')])).toEqual([[1, true], [1, true], [1, true]]);
    expect(await scope.selectFrom('directory_settings').select(['portal_visible', 'portal_callback']).executeTakeFirst()).toEqual({ portal_visible: 1, portal_callback: 1 });
  });

  it('is searchable from the start', async () => {
    const tenant = await database.db.selectFrom('tenants').select('id').where('slug', '=', 'demo').executeTakeFirstOrThrow();
    const queries = createTicketQueries(database.db, dialect, tenant.id);
    const result = await queries.search({ q: 'Drucker' }, { userId: 0, groupIds: [] });
    expect(result.total).toBeGreaterThan(0);
    expect((await queries.search({ q: 'Fernwartung' }, { userId: 0, groupIds: [] })).total).toBeGreaterThan(10);
  });
});
