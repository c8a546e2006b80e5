import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tenant } from '../db/schema.js';
import { tenantScope } from '../tenancy/tenant-scope.js';
import type { TicketActor } from '../tickets/ticket-service.js';
import { dialects, type TestDatabase } from '../../test/harness/test-database.js';
import { ticketWorld, type Staff, type TicketWorld } from '../../test/harness/ticket-world.js';
import { rebuildKpiFacts, rebuildStaleKpiFacts, recountKpiFacts, storedKpiFacts } from './kpi-fact-store.js';
import { kpiReport, kpiQuerySchema, type KpiQuery } from './kpi-queries.js';
import { resolvePeriod } from './hotline-queries.js';

const H = 3600;

describe.each(dialects)('KPI facts and report on %s', (dialect) => {
  let world: TicketWorld;
  let database: TestDatabase;
  let tenant: Tenant;
  let other: Tenant;
  let ada: Staff;
  let bob: Staff;
  let gus: TicketActor;
  let hotline: number;
  let experts: number;
  const service = (forTenant: Tenant) => world.service(forTenant);
  const at = (iso: string) => world.at(iso);
  const report = (forTenant: Tenant, from: string, to: string, query: Partial<KpiQuery> = {}) => {
    const resolved = resolvePeriod({ from, to }, world.now(), forTenant.time_zone);
    if (!('period' in resolved)) throw new Error('bad period');
    return kpiReport(tenantScope(database.db, forTenant.id), { period: resolved.period, zone: forTenant.time_zone, query: { ...kpiQuerySchema.parse({}), ...query }, businessTime: false, now: world.now() });
  };

  beforeAll(async () => {
    world = await ticketWorld(dialect);
    ({ database, tenant, other } = world);
    const db = database.db;
    ada = await world.staff(tenant, 'ada');
    bob = await world.staff(tenant, 'bob');
    gus = await world.staff(other, 'gus');
    hotline = await world.group(tenant, 'Hotline', 'first');
    experts = await world.group(tenant, 'Experts', 'second');
    await tenantScope(db, tenant.id).insertInto('ticket_categories', { name: 'Printer' }).execute();
    // Ada works in both groups (she keeps a ticket she moves to the experts), Bob among the experts.
    await tenantScope(db, tenant.id).insertInto('group_members', [{ group_id: hotline, user_id: ada.id }, { group_id: experts, user_id: ada.id }, { group_id: experts, user_id: bob.id }]).execute();
  });
  afterAll(() => database.cleanup());

  it('measures a hand-computed fixture: answered, solved, reopened, forwarded, moved between groups, deleted; per agent, group, level, channel', async () => {
    const s = service(tenant);
    // Berlin is UTC+1 in early March: 2026-03-01T20:00Z is already the 1st, 21:00 local, outside the period.
    at('2026-03-01T20:00:00Z');
    const t4 = await s.create({ subject: 'Never answered', description: 'x', groupId: hotline, channel: 'phone' }, ada);
    at('2026-03-02T08:00:00Z');
    const t1 = await s.create({ subject: 'Printer', description: 'jam', groupId: hotline, channel: 'phone', category: 'Printer' }, ada);
    at('2026-03-02T08:30:00Z');
    await s.accept(t1.number, ada);
    at('2026-03-02T09:00:00Z');
    await s.addArticle(t1.number, { kind: 'reply', body: 'On it' }, ada); // first response after 1 h
    const t2 = await s.create({ subject: 'VPN', description: 'down', groupId: hotline, assigneeId: ada.id, channel: 'mail' }, ada);
    at('2026-03-02T10:00:00Z');
    const t3 = await s.create({ subject: 'Portal', description: 'login', channel: 'web' }, ada);
    const t5 = await s.create({ subject: 'Mistake', description: 'x', channel: 'web' }, ada);
    const spam = await s.create({ subject: 'Cheap pills', description: 'x', channel: 'mail' }, ada);
    const duplicate = await s.create({ subject: 'Printer (again)', description: 'x', channel: 'phone' }, ada);
    await s.spam(spam.number, ada);
    await s.merge(duplicate.number, t1.number, ada);
    at('2026-03-02T10:30:00Z');
    await s.accept(t3.number, ada);
    await s.addArticle(t3.number, { kind: 'reply', body: 'Try again' }, ada); // 30 min
    // Globex: answered in the period too, never in ACME's figures.
    const g1 = await service(other).create({ subject: 'Elsewhere', description: 'x', channel: 'phone' }, gus);
    await service(other).addArticle(g1.number, { kind: 'reply', body: 'hi' }, gus);
    at('2026-03-02T11:00:00Z');
    await s.addArticle(t2.number, { kind: 'reply', body: 'Restart it' }, ada); // 2 h
    await s.remove(t5.number, ada);
    at('2026-03-02T12:00:00Z');
    await s.changeStatus(t1.number, 'solved', ada); // first solved after 4 h
    await s.forward(t2.number, { groupId: experts }, ada); // moved, stays with ada, unresolved
    at('2026-03-02T16:00:00Z');
    await s.changeStatus(t3.number, 'solved', ada); // 6 h, no group
    at('2026-03-03T10:00:00Z');
    await s.changeStatus(t1.number, 'open', ada); // reopened
    at('2026-03-03T11:00:00Z');
    await s.forward(t1.number, { groupId: experts, assigneeId: bob.id }, ada);
    at('2026-03-04T08:00:00Z');
    await s.changeStatus(t1.number, 'solved', bob); // resolved again after 48 h, by bob in Experts

    at('2026-03-05T12:00:00Z');
    const byAgent = await report(tenant, '2026-03-02', '2026-03-04');
    const row = (r: Awaited<ReturnType<typeof report>>, key: string | null) => r.rows.find((x) => x.key === key)!;
    expect(byAgent.rows.map((r) => [r.key, r.name])).toEqual([[String(ada.id), 'ada'], [String(bob.id), 'bob'], [null, null]]);
    const a = row(byAgent, String(ada.id));
    expect(a.created).toBe(2); // t2, t3 (t1 counts for bob, who resolved it)
    expect(a.firstResponse).toEqual({ count: 2, average: 4500, median: 4500, p90: 6660 });
    expect(a.resolution).toEqual({ count: 1, average: 6 * H, median: 6 * H, p90: 6 * H });
    expect([a.firstSolved, a.reopened]).toEqual([1, 0]);
    expect(a.backlog).toEqual([0, 1, 0, 0, 0]); // t2: 2 days 14 hours old at the period's end
    const b = row(byAgent, String(bob.id));
    expect(b.created).toBe(1);
    expect(b.firstResponse).toMatchObject({ count: 1, median: H });
    expect(b.resolution).toMatchObject({ count: 1, median: 48 * H });
    expect([b.firstSolved, b.reopened]).toEqual([1, 1]);
    expect(row(byAgent, null).backlog).toEqual([0, 0, 1, 0, 0]); // t4: 3 days 3 hours, nobody's
    expect(byAgent.total.created).toBe(3);
    expect(byAgent.total.firstResponse).toEqual({ count: 3, average: 4200, median: H, p90: 6480 });
    expect(byAgent.total.resolution).toMatchObject({ count: 2, median: 27 * H, p90: 157680 });
    expect([byAgent.total.firstSolved, byAgent.total.reopened]).toEqual([2, 1]);
    expect(byAgent.trend).toEqual({ unit: 'day', points: [
      { period: '2026-03-02', solved: 1, resolutionMedian: 6 * H, firstResponseMedian: H },
      { period: '2026-03-03', solved: 0, resolutionMedian: null, firstResponseMedian: null },
      { period: '2026-03-04', solved: 1, resolutionMedian: 48 * H, firstResponseMedian: null },
    ] });

    const byGroup = await report(tenant, '2026-03-02', '2026-03-04', { groupBy: 'group' });
    expect(byGroup.rows.map((r) => [r.name, r.created, r.resolution.count, r.backlog.reduce((x, y) => x + y)])).toEqual([['Experts', 2, 1, 1], ['Hotline', 0, 0, 1], [null, 1, 1, 0]]);
    const byLevel = await report(tenant, '2026-03-02', '2026-03-04', { groupBy: 'level' });
    expect(byLevel.rows.map((r) => [r.key, r.created, r.firstResponse.count])).toEqual([['first', 0, 0], ['second', 2, 2], [null, 1, 1]]);
    const byChannel = await report(tenant, '2026-03-02', '2026-03-04', { groupBy: 'channel' });
    expect(byChannel.rows.map((r) => [r.key, r.created])).toEqual([['mail', 1], ['phone', 1], ['web', 1]]);
    const byCategory = await report(tenant, '2026-03-02', '2026-03-04', { groupBy: 'category' });
    expect(byCategory.rows.map((r) => [r.key, r.created])).toEqual([['Printer', 1], [null, 2]]);
    // Filters: one group, one agent.
    expect((await report(tenant, '2026-03-02', '2026-03-04', { group: experts })).total.created).toBe(2);
    expect((await report(tenant, '2026-03-02', '2026-03-04', { agent: bob.id })).total.resolution.count).toBe(1);
    // One day alone: the 3rd had nothing but the reopen (which counts for the day t1 was first solved).
    expect((await report(tenant, '2026-03-03', '2026-03-03')).total).toMatchObject({ created: 0, firstSolved: 0 });

    // Globex sees only its own ticket.
    const globex = await report(other, '2026-03-02', '2026-03-04');
    expect(globex.total.created).toBe(1);
    expect(globex.rows.map((r) => r.name)).toEqual(['gus']);

    // The facts kept in the transactions equal a recount from the history, and the rebuild keeps them.
    expect(await storedKpiFacts(database.db, tenant.id)).toEqual(await recountKpiFacts(database.db, tenant.id, tenant.time_zone, undefined));
    for (const gone of [t5, spam, duplicate]) expect((await storedKpiFacts(database.db, tenant.id)).has(gone.id)).toBe(false);
    const before = await storedKpiFacts(database.db, tenant.id);
    expect(await rebuildKpiFacts(database.db, dialect, tenant.id, tenant.time_zone, undefined, world.now().toISOString())).toBe(4);
    expect(await storedKpiFacts(database.db, tenant.id)).toEqual(before);
    expect((await storedKpiFacts(database.db, other.id)).size).toBe(1);
    void t4;
  });

  it('heals facts a change past the ticket service left behind, in the weekly rebuild', async () => {
    const scope = tenantScope(database.db, tenant.id);
    // An import writes a solved ticket straight into the table.
    await scope.insertInto('tickets', { number: 'IMP-1', subject: 'Imported', status: 'solved', created_at: '2026-03-02T08:00:00.000Z', updated_at: '2026-03-02T08:00:00.000Z', solved_at: '2026-03-02T09:00:00.000Z' }).execute();
    const stored = await storedKpiFacts(database.db, tenant.id);
    const recount = await recountKpiFacts(database.db, tenant.id, tenant.time_zone, undefined);
    expect(recount.size).toBe(stored.size + 1);
    at('2026-03-05T13:00:00Z');
    expect(await rebuildStaleKpiFacts(database.db, dialect, world.now(), async () => undefined)).toEqual([other.id]); // acme was rebuilt an hour ago
    at('2026-03-12T13:00:00Z');
    expect(await rebuildStaleKpiFacts(database.db, dialect, world.now(), async () => undefined)).toEqual([tenant.id, other.id]);
    expect(await storedKpiFacts(database.db, tenant.id)).toEqual(recount);
    const imported = [...recount.values()].find((f) => f.resolution_seconds === H && f.first_response_at === null)!;
    expect(imported).toMatchObject({ resolved_at: '2026-03-02T09:00:00.000Z', first_solved_at: '2026-03-02T09:00:00.000Z', reopen_count: 0 });
  });
});
