import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tenant } from '../db/schema.js';
import { createTenant } from '../tenancy/tenant-service.js';
import { tenantScope } from '../tenancy/tenant-scope.js';
import { createTicketQueries, SEARCH_COUNT_CAP, type Viewer } from './ticket-queries.js';
import { rebuildTicketCounters } from './ticket-counters.js';
import { HIT_START, matchingTicketIds, writeSearchDocuments } from './ticket-search.js';
import { createTestDatabase, dialects, type TestDatabase } from '../../test/harness/test-database.js';

// A tenant with more matches than the count cap: the broad plan (index of the sort probes the
// matches), the narrow plan (few matches read by id) and the capped count must all give the
// answers the plain query would.
describe.each(dialects)('ticket search at scale on %s', (dialect) => {
  let database: TestDatabase;
  let tenant: Tenant;
  let other: Tenant;
  let viewer: Viewer;
  const many = SEARCH_COUNT_CAP + 100;

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    const { db } = database;
    tenant = await createTenant(db, { slug: 'acme', name: 'ACME', locale: 'en' });
    other = await createTenant(db, { slug: 'globex', name: 'Globex', locale: 'en' });
    const agent = await db.insertInto('users').values({ tenant_id: tenant.id, email: 'ada@acme.test', name: 'ada', role: 'agent' }).returning('id').executeTakeFirstOrThrow();
    viewer = { userId: agent.id, groupIds: [] };
    const base = Date.parse('2026-01-01T00:00:00.000Z');
    for (const owner of [tenant, other]) {
      for (let offset = 0; offset < many; offset += 500) {
        const size = Math.min(500, many - offset);
        const rows = await tenantScope(db, owner.id).insertInto('tickets', Array.from({ length: size }, (_, k) => {
          const n = offset + k;
          // Every ticket mentions the printer; every 100th also the plotter. Updated times run backwards against ids.
          return {
            number: `2026-${String(n + 1).padStart(6, '0')}`, subject: n % 100 === 0 ? `Plotter jam ${n}` : `Printer offline ${n}`, description: 'printer',
            status: n % 3 === 0 ? 'open' as const : 'closed' as const, priority: (n % 4) + 1, category: null, channel: 'web' as const,
            organisation_id: null, requester_id: null, contract_id: null, assignee_id: null, group_id: null, custom_fields: '{}',
            created_at: new Date(base + n * 60_000).toISOString(), updated_at: new Date(base + (many - n) * 60_000).toISOString(),
            first_response_at: null, solved_at: null, closed_at: null, deleted_at: n === 1 ? new Date(base).toISOString() : null,
          };
        })).returning(['id', 'subject']).execute();
        // Exactly SEARCH_COUNT_CAP + 1 documents (the deleted one among them) mention the kiosk.
        const body = (subject: string) => (Number(/\d+$/.exec(subject)![0]) <= SEARCH_COUNT_CAP ? 'The printer in the hall, kiosk' : 'The printer in the hall');
        await db.transaction().execute((trx) => writeSearchDocuments(trx, dialect, rows.map((r) => ({ ticketId: r.id, tenantId: owner.id, subject: r.subject, body: body(r.subject) }))));
      }
      // Written past the ticket service: the counters are recounted, as the job does.
      await rebuildTicketCounters(db, dialect, owner.id, new Date().toISOString());
    }
  }, 60_000);
  afterAll(() => database.cleanup());

  const queries = () => createTicketQueries(database.db, dialect, tenant.id);

  it('counts a common word up to the cap and says so; pages newest change first with snippets', async () => {
    const page = await queries().search({ q: 'printer' }, viewer);
    expect(page.totalCapped).toBe(true);
    expect(page.total).toBe(SEARCH_COUNT_CAP);
    expect(page.rows).toHaveLength(25);
    const updated = page.rows.map((r) => r.updated_at);
    expect([...updated].sort().reverse()).toEqual(updated);
    expect(page.rows[0]!.number).toBe('2026-000001');
    expect(page.rows.every((r) => r.snippet?.body.includes(`${HIT_START}printer`) || r.snippet?.body.includes(`${HIT_START}Printer`))).toBe(true);
  });

  it('counts up to the cap exactly when the deleted ticket is what tips the matches over it', async () => {
    expect(await queries().search({ q: 'kiosk' }, viewer)).toMatchObject({ total: SEARCH_COUNT_CAP, totalCapped: false });
    expect(await queries().search({ q: 'kiosk', sort: 'subject' }, viewer)).toMatchObject({ total: SEARCH_COUNT_CAP, totalCapped: false });
    expect(await queries().search({ q: 'hall' }, viewer)).toMatchObject({ total: SEARCH_COUNT_CAP, totalCapped: true });
  });

  it('gives exact counts below the cap, with filters and without the deleted ticket', async () => {
    const open = await queries().search({ q: 'printer', status: 'open' }, viewer);
    expect(open.totalCapped).toBe(false);
    expect(open.total).toBe(Math.ceil(many / 3));
    const active = await queries().search({ status: 'active' }, viewer, 5);
    expect(active).toMatchObject({ total: Math.ceil(many / 3), totalCapped: false });
    expect(active.rows.map((r) => r.number)).toEqual(['2026-000001', '2026-000004', '2026-000007', '2026-000010', '2026-000013']);
    const rare = await queries().search({ q: 'plotter' }, viewer);
    expect(rare).toMatchObject({ total: 11, totalCapped: false });
    expect(rare.rows.map((r) => r.subject)).toContain('Plotter jam 0');
    expect(rare.rows[0]!.snippet?.subject).toContain(`${HIT_START}Plotter`);
    const deletedOne = await queries().search({ q: 'offline 1' }, viewer);
    expect(deletedOne.rows.map((r) => r.number)).not.toContain('2026-000002');
    expect((await queries().search({ q: 'nothingmatches' }, viewer))).toMatchObject({ rows: [], total: 0, totalCapped: false });
  });

  it('sorts a broad search by priority, newest change first within a priority', async () => {
    const page = await queries().search({ q: 'printer', sort: 'priority', dir: 'desc' }, viewer);
    expect(page.rows.every((r) => r.priority === 4)).toBe(true);
    const updated = page.rows.map((r) => r.updated_at);
    expect([...updated].sort().reverse()).toEqual(updated);
    const last = await queries().search({ q: 'printer', sort: 'priority', dir: 'asc', page: 2 }, viewer);
    expect(last.rows.every((r) => r.priority === 1)).toBe(true);
  });

  it('keeps to the tenant: ids and matches of another tenant never show', async () => {
    const ids = await matchingTicketIds(database.db, dialect, tenant.id, ['plotter'], 100);
    const otherIds = await matchingTicketIds(database.db, dialect, other.id, ['plotter'], 100);
    expect(ids).toHaveLength(11);
    expect(otherIds).toHaveLength(11);
    expect(ids.some((id) => otherIds.includes(id))).toBe(false);
    const page = await queries().search({ q: 'printer', page: 40 }, viewer);
    const own = new Set((await database.db.selectFrom('tickets').select('id').where('tenant_id', '=', tenant.id).execute()).map((r) => r.id));
    expect(page.rows.every((r) => own.has(r.id))).toBe(true);
  });

  it('rewrites documents in bulk without duplicates', async () => {
    const ticket = await database.db.selectFrom('tickets').select('id').where('tenant_id', '=', tenant.id).where('number', '=', '2026-000005').executeTakeFirstOrThrow();
    await database.db.transaction().execute((trx) => writeSearchDocuments(trx, dialect, [{ ticketId: ticket.id, tenantId: tenant.id, subject: 'Scanner', body: 'zebrafinch' }]));
    expect(await matchingTicketIds(database.db, dialect, tenant.id, ['zebrafinch'], 10)).toEqual([ticket.id]);
    expect(await matchingTicketIds(database.db, dialect, tenant.id, ['offline', '4'], 2000)).not.toContain(ticket.id);
  });
});
