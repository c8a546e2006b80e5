import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tenant, Ticket, TicketStatus } from '../db/schema.js';
import { tenantScope } from '../tenancy/tenant-scope.js';
import { countTicketsByStatus } from '../tickets/ticket-counts.js';
import { allowedTransitions } from '../tickets/ticket-lifecycle.js';
import { dialects, type TestDatabase } from '../../test/harness/test-database.js';
import { picker, random, ticketWorld, type Staff, type TicketWorld } from '../../test/harness/ticket-world.js';
import { rebuildHotline, rebuildStaleHotlines, recountHotline, storedHotline } from './hotline-aggregate.js';
import { hotlineFigures, hotlineNow, resolvePeriod, type HotlinePeriod } from './hotline-queries.js';


describe.each(dialects)('hotline aggregate on %s', (dialect) => {
  let world: TicketWorld;
  let database: TestDatabase;
  let tenant: Tenant;
  let other: Tenant;
  let agent: Staff;
  let otherAgent: Staff;
  let firstLevel: number;
  let secondLevel: number;
  const service = (forTenant: Tenant) => world.service(forTenant);
  const at = (iso: string) => world.at(iso);
  const period = (from: string, to: string): HotlinePeriod => {
    const resolved = resolvePeriod({ from, to }, world.now(), tenant.time_zone);
    if (!('period' in resolved)) throw new Error('bad period');
    return resolved.period;
  };

  beforeAll(async () => {
    world = await ticketWorld(dialect);
    ({ database, tenant, other } = world);
    agent = await world.staff(tenant, 'ada');
    otherAgent = await world.staff(other, 'gus');
    firstLevel = await world.group(tenant, 'Hotline', 'first');
    secondLevel = await world.group(tenant, 'Experts', 'second');
  });
  afterAll(() => database.cleanup());

  it('counts a hand-computed day: created, forwarded, solved, reopened, closed, merged, deleted, per group and level, in the tenant\'s days', async () => {
    const s = service(tenant);
    at('2026-03-02T08:00:00Z');
    const t1 = await s.create({ subject: 'Printer', description: 'jam', groupId: firstLevel }, agent);
    const t2 = await s.create({ subject: 'VPN', description: 'down', groupId: firstLevel }, agent);
    const t3 = await s.create({ subject: 'Spam-ish', description: 'x' }, agent);
    // Another tenant's ticket never shows.
    await service(other).create({ subject: 'Elsewhere', description: 'x' }, otherAgent);

    at('2026-03-03T09:00:00Z');
    await s.changeStatus(t1.number, 'open', agent);
    await s.forward(t2.number, { groupId: secondLevel, note: 'over to you' }, agent);
    await s.changeStatus(t2.number, 'solved', agent);
    await s.changeStatus(t1.number, 'solved', agent);

    at('2026-03-04T10:00:00Z');
    await s.changeStatus(t1.number, 'open', agent); // reopened
    await s.changeStatus(t2.number, 'closed', agent);
    await s.remove(t3.number, agent);
    // 23:30 UTC is already the next day in Berlin.
    at('2026-03-04T23:30:00Z');
    const t4 = await s.create({ subject: 'Printer again', description: 'same jam', groupId: secondLevel }, agent);
    await s.merge(t4.number, t1.number, agent);

    const scope = tenantScope(database.db, tenant.id);
    const figures = await hotlineFigures(scope, period('2026-03-02', '2026-03-05'));
    expect(figures.now).toEqual({ new: 0, open: 1, waiting: 0, solved: 0, closed: 2 });
    expect(figures.created).toEqual({ new: 0, open: 1, waiting: 0, solved: 0, closed: 2 });
    expect(figures.flows).toEqual({ created: 3, solved: 2, reopened: 1, closed: 2, moved: 1 });
    const byName = Object.fromEntries(figures.groups.map((g) => [g.name, g]));
    expect(byName.Hotline!.now).toMatchObject({ open: 1, closed: 0 });
    expect(byName.Hotline!.flows).toEqual({ created: 2, solved: 1, reopened: 1, closed: 0, moved: 0 });
    expect(byName.Experts!.now).toMatchObject({ open: 0, closed: 2 });
    expect(byName.Experts!.flows).toEqual({ created: 1, solved: 1, reopened: 0, closed: 2, moved: 1 });
    expect(figures.levels.find((l) => l.level === 'second')!.flows.closed).toBe(2);
    expect(figures.trend).toEqual({ unit: 'day', points: [
      { period: '2026-03-02', created: 2, solved: 0 },
      { period: '2026-03-03', created: 0, solved: 2 },
      { period: '2026-03-04', created: 0, solved: 0 },
      { period: '2026-03-05', created: 1, solved: 0 },
    ] });
    // One day alone: what was created on it (by status now) and what happened on it.
    const third = await hotlineFigures(scope, period('2026-03-03', '2026-03-03'));
    expect(third.created).toEqual({ new: 0, open: 0, waiting: 0, solved: 0, closed: 0 });
    expect(third.flows).toEqual({ created: 0, solved: 2, reopened: 0, closed: 0, moved: 1 });
    // The deleted ticket comes back with its history on restore.
    await s.restore(t3.number, agent);
    expect((await hotlineFigures(scope, period('2026-03-02', '2026-03-02'))).created.new).toBe(1);
    expect(await storedHotline(database.db, tenant.id)).toEqual(await recountHotline(database.db, tenant.id, tenant.time_zone));
    const otherNow = await hotlineNow(tenantScope(database.db, other.id));
    expect(otherNow.new).toBe(1);
  });

  it('equals a recount after a random sequence of changes, and after a rebuild', async () => {
    const s = service(tenant);
    const next = random(dialect === 'sqlite' ? 14 : 41);
    const pick = picker(next);
    const groups = [firstLevel, secondLevel, null];
    const tickets: Ticket[] = [];
    at('2026-05-01T06:00:00Z');
    for (let step = 0; step < 160; step++) {
      world.advance(Math.floor(next() * 8 * 3_600_000));
      const roll = next();
      if (roll < 0.2 || tickets.length < 3) {
        tickets.push(await s.create({ subject: `R${step}`, description: 'random', groupId: pick(groups) }, agent));
        continue;
      }
      const ticket = await s.find(pick(tickets).number, { includeDeleted: true });
      if (!ticket) continue;
      if (ticket.deleted_at) { await s.restore(ticket.number, agent); continue; }
      if (roll < 0.55 && ticket.status !== 'closed') {
        const to = pick(allowedTransitions(ticket.status as TicketStatus));
        await s.changeStatus(ticket.number, to, agent);
      } else if (roll < 0.72 && ticket.status !== 'closed') {
        const group = pick(groups.filter((g) => g !== ticket.group_id));
        if (group !== null) await s.forward(ticket.number, { groupId: group }, agent);
      } else if (roll < 0.8) {
        await s.remove(ticket.number, agent);
      } else if (roll < 0.88 && ticket.status !== 'closed') {
        const target = tickets.find((other) => other.id !== ticket.id);
        const live = target ? await s.find(target.number) : undefined;
        if (live && live.status !== 'closed' && live.merged_into_id === null) await s.merge(ticket.number, live.number, agent);
      } else if (roll < 0.93 && ticket.status !== 'closed') {
        await s.spam(ticket.number, agent);
      } else {
        await s.addArticle(ticket.number, { kind: 'note', body: 'a note moves nothing' }, agent);
      }
    }
    const recount = await recountHotline(database.db, tenant.id, tenant.time_zone);
    expect(recount.size).toBeGreaterThan(20);
    // A long period reads whole months from hotline_months and the days around them: the same sums as its days.
    const scope0 = tenantScope(database.db, tenant.id);
    const long = await hotlineFigures(scope0, period('2026-05-03', '2026-07-20'));
    expect(long.trend.unit).toBe('day');
    const longer = await hotlineFigures(scope0, period('2026-04-20', '2026-08-09'));
    expect(longer.trend.unit).toBe('month');
    for (const [figures, from, to] of [[long, '2026-05-03', '2026-07-20'], [longer, '2026-04-20', '2026-08-09']] as const) {
      const days = await scope0.selectFrom('hotline_days').select(['measure', (eb) => eb.fn.sum<number>('tickets').as('n')])
        .where('day', '>=', from).where('day', '<=', to).groupBy('measure').execute();
      const of = (measure: string) => Number(days.find((d) => d.measure === measure)?.n ?? 0);
      expect(figures.flows).toEqual({ created: of('flow.created'), solved: of('flow.solved'), reopened: of('flow.reopened'), closed: of('flow.closed'), moved: of('flow.moved') });
      expect(figures.created.closed).toBe(of('status.closed'));
      expect(figures.trend.points.reduce((sum, p) => sum + p.created, 0)).toBe(of('flow.created'));
    }
    expect(longer.trend.points.map((p) => p.period)).toEqual(['2026-04', '2026-05', '2026-06', '2026-07', '2026-08']);
    expect(await storedHotline(database.db, tenant.id)).toEqual(recount);
    const scope = tenantScope(database.db, tenant.id);
    expect(new Map(Object.entries(await hotlineNow(scope)))).toEqual(await countTicketsByStatus(scope));

    // A rebuild replaces the rows with the same figures and records the zone; the job pass then finds nothing stale.
    await rebuildHotline(database.db, dialect, tenant.id, tenant.time_zone, world.now().toISOString());
    expect(await storedHotline(database.db, tenant.id)).toEqual(recount);
    const rebuilt = await rebuildStaleHotlines(database.db, dialect, world.now());
    expect(rebuilt).toEqual([other.id]);
    expect(await rebuildStaleHotlines(database.db, dialect, world.now())).toEqual([]);
    // A week later every tenant is due again; another zone rebuilds at once and moves late-evening changes to the next day.
    expect(await rebuildStaleHotlines(database.db, dialect, new Date(world.now().getTime() + 6 * 86_400_000))).toEqual([]);
    expect(await rebuildStaleHotlines(database.db, dialect, new Date(world.now().getTime() + 7 * 86_400_000))).toEqual([tenant.id, other.id]);
    await database.db.updateTable('tenants').set({ time_zone: 'America/New_York' }).where('id', '=', tenant.id).execute();
    expect(await rebuildStaleHotlines(database.db, dialect, new Date(world.now().getTime() + 7 * 86_400_000))).toEqual([tenant.id]);
    expect(await storedHotline(database.db, tenant.id)).toEqual(await recountHotline(database.db, tenant.id, 'America/New_York'));
    expect(await storedHotline(database.db, tenant.id)).not.toEqual(recount);
  });
});
