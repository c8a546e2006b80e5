import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tenant, Ticket, TicketStatus } from '../db/schema.js';
import { DomainError } from '../domain-error.js';
import { tenantScope, type TenantScope } from '../tenancy/tenant-scope.js';
import { dialects, type TestDatabase } from '../../test/harness/test-database.js';
import { picker, random, ticketWorld, type Staff as Agent, type TicketWorld } from '../../test/harness/ticket-world.js';
import { countAssignedActive, countFiltered, countQueues, countQueuesInTickets, type CountedFilter, type CountViewer } from './ticket-counts.js';
import { rebuildTicketCounters, recountStaleTicketCounters, recountTicketCounters, storedTicketCounters } from './ticket-counters.js';
import { allowedTransitions } from './ticket-lifecycle.js';
import { createTicketQueries } from './ticket-queries.js';


describe.each(dialects)('ticket counters on %s', (dialect) => {
  let world: TicketWorld;
  let database: TestDatabase;
  let tenant: Tenant;
  let other: Tenant;
  const agents: Agent[] = [];
  let otherAgent: Agent;
  const groups: number[] = [];
  const members = new Map<number, number[]>();
  const service = (forTenant: Tenant) => world.service(forTenant);

  beforeAll(async () => {
    world = await ticketWorld(dialect);
    ({ database, tenant, other } = world);
    const db = database.db;
    for (const name of ['ada', 'bob', 'cy', 'dee']) agents.push(await world.staff(tenant, name));
    otherAgent = await world.staff(other, 'gus');
    const scope = tenantScope(db, tenant.id);
    for (const [name, level, who] of [['Hotline', 'first', [0, 1]], ['Experts', 'second', [1, 2]], ['Network', 'expert', [3]]] as const) {
      const id = await world.group(tenant, name, level);
      groups.push(id);
      members.set(id, who.map((i) => agents[i]!.id));
      await scope.insertInto('group_members', who.map((i) => ({ group_id: id, user_id: agents[i]!.id }))).execute();
    }
  });
  afterAll(() => database.cleanup());

  const viewers = (): CountViewer[] => [
    ...agents.map((agent) => ({ userId: agent.id, groupIds: [...members].filter(([, ids]) => ids.includes(agent.id)).map(([id]) => id) })),
    { userId: agents[0]!.id, groupIds: [] },
    { userId: 999_999, groupIds: [...groups] },
  ];

  /** Every count read from the counters equals the same count made in the tickets table. */
  async function expectCountsAgree(scope: TenantScope): Promise<void> {
    expect(await storedTicketCounters(database.db, scope.tenantId)).toEqual(await recountTicketCounters(database.db, scope.tenantId));
    for (const viewer of viewers()) {
      expect(await countQueues(scope, viewer)).toEqual(await countQueuesInTickets(scope, viewer));
      const mine = await scope.selectFrom('tickets').select((eb) => eb.fn.countAll<number>().as('n'))
        .where('assignee_id', '=', viewer.userId).where('status', 'in', ['new', 'open', 'waiting']).where('deleted_at', 'is', null).executeTakeFirstOrThrow();
      expect(await countAssignedActive(scope, viewer.userId)).toBe(Number(mine.n));
    }
    const filters: CountedFilter[] = [{}, { status: 'active' }, { status: 'closed' }, { assignee: 'none' }, { assignee: agents[1]!.id, status: 'open' }, { group: groups[0]! }, { group: groups[2]!, status: 'active' }];
    for (const filter of filters) {
      let query = scope.selectFrom('tickets').select((eb) => eb.fn.countAll<number>().as('n')).where('deleted_at', 'is', null);
      if (filter.status === 'active') query = query.where('status', 'in', ['new', 'open', 'waiting']);
      else if (filter.status) query = query.where('status', '=', filter.status);
      if (filter.assignee === 'none') query = query.where('assignee_id', 'is', null);
      else if (filter.assignee !== undefined) query = query.where('assignee_id', '=', filter.assignee);
      if (filter.group !== undefined) query = query.where('group_id', '=', filter.group);
      expect(await countFiltered(scope, filter), JSON.stringify(filter)).toBe(Number((await query.executeTakeFirstOrThrow()).n));
    }
  }

  it('equals a recount after a random sequence of 1,000 changes, in the tabs, the dashboard and the list totals', async () => {
    const s = service(tenant);
    const next = random(dialect === 'sqlite' ? 20 : 2020);
    const pick = picker(next);
    const groupChoices = [...groups, null];
    const tickets: Ticket[] = [];
    let refused = 0;
    await service(other).create({ subject: 'Elsewhere', description: 'x', assigneeId: otherAgent.id }, otherAgent);
    for (let step = 0; step < 1000; step++) {
      world.advance(60_000);
      const actor = pick(agents);
      const roll = next();
      try {
        if (roll < 0.15 || tickets.length < 5) {
          const groupId = pick(groupChoices);
          tickets.push(await s.create({ subject: `R${step}`, description: 'random', groupId, assigneeId: next() < 0.3 ? pick(agents).id : null }, actor));
          continue;
        }
        const ticket = await s.find(pick(tickets).number, { includeDeleted: true });
        if (!ticket) continue;
        if (ticket.deleted_at) { await s.restore(ticket.number, actor); continue; }
        if (roll < 0.2 && ticket.status === 'new') await s.accept(ticket.number, actor);
        else if (roll < 0.5) await s.changeStatus(ticket.number, pick([...allowedTransitions(ticket.status as TicketStatus), 'open' as const]), actor);
        else if (roll < 0.62) await s.forward(ticket.number, { groupId: pick(groupChoices), assigneeId: next() < 0.5 ? pick(agents).id : null }, actor);
        else if (roll < 0.7) await s.remove(ticket.number, actor);
        else if (roll < 0.76) await s.merge(ticket.number, pick(tickets).number, actor);
        else if (roll < 0.8) await s.spam(ticket.number, actor);
        else if (roll < 0.9) await s.addArticle(ticket.number, { kind: pick(['reply', 'note'] as const), body: 'an answer' }, actor);
        else await s.apply(ticket.number, { assignToActor: true, status: pick(['open', 'waiting', 'solved'] as const), fields: { priority: 1 + Math.floor(next() * 4) } }, actor);
      } catch (error) {
        // A refused change (closed ticket, same status, merge into itself…) must leave the counters as they were.
        if (!(error instanceof DomainError)) throw error;
        refused++;
      }
    }
    expect(tickets.length).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(10);
    const scope = tenantScope(database.db, tenant.id);
    const stored = await storedTicketCounters(database.db, tenant.id);
    // The sequence spread the tickets over many counters: statuses, agents, groups, none.
    expect(stored.size).toBeGreaterThan(25);
    await expectCountsAgree(scope);
    await expectCountsAgree(tenantScope(database.db, other.id));
    expect((await countQueues(tenantScope(database.db, other.id), { userId: otherAgent.id, groupIds: [] })).new).toBe(1);

    // The list's totals (filtered by status, assignee and group alone: the counters) equal the rows it pages through.
    const queries = createTicketQueries(database.db, dialect, tenant.id);
    const viewer = await queries.viewer(agents[1]!.id);
    for (const filter of [{ status: 'active' as const }, { assignee: 'me' as const }, { group: groups[1]! }, {}]) {
      const page = await queries.search(filter, viewer, 1000);
      expect(page.total, JSON.stringify(filter)).toBe(page.rows.length);
    }
    for (const queue of ['new', 'customer', 'support'] as const) {
      const page = await queries.queue(queue, viewer, 1, 1000);
      expect(page.total, queue).toBe(page.rows.length);
    }
  });

  it('is recounted by the job: a counter gone wrong (a bulk load past the ticket service) is healed', async () => {
    const scope = tenantScope(database.db, tenant.id);
    const now = new Date('2026-06-01T00:00:00Z');
    // Tenants never recounted (created after the migration filled the counters) are recounted at once.
    const first = await recountStaleTicketCounters(database.db, dialect, now);
    expect(first.map((r) => r.tenantId)).toEqual([tenant.id, other.id]);
    expect(first.every((r) => r.differing === 0)).toBe(true);
    expect(await recountStaleTicketCounters(database.db, dialect, new Date(now.getTime() + 3_600_000))).toEqual([]);
    // Rows written past the ticket service, and a counter tampered with.
    await scope.insertInto('tickets', Array.from({ length: 7 }, (_, i) => ({
      number: `BULK-${i}`, subject: 'bulk', status: 'open' as const, group_id: groups[2]!, assignee_id: null, created_at: now.toISOString(), updated_at: now.toISOString(),
    }))).execute();
    await scope.updateTable('ticket_live_counts').set({ tickets: 1000 }).where('status', '=', 'closed').execute();
    expect(await storedTicketCounters(database.db, tenant.id)).not.toEqual(await recountTicketCounters(database.db, tenant.id));
    const healed = await recountStaleTicketCounters(database.db, dialect, new Date(now.getTime() + 24 * 3_600_000));
    expect(healed.find((r) => r.tenantId === tenant.id)!.differing).toBeGreaterThan(0);
    expect(healed.find((r) => r.tenantId === other.id)!.differing).toBe(0);
    await expectCountsAgree(scope);
  });

  it('stays right under parallel changes and a recount running among them', async () => {
    const s = service(tenant);
    const scope = tenantScope(database.db, tenant.id);
    // Two sets of tickets moved between the same counters in opposite directions at once (open <-> waiting in one group,
    // between two agents), so on PostgreSQL transactions cross the same counter rows from both sides.
    const [ada, bob] = [agents[0]!, agents[1]!];
    const made: Ticket[] = [];
    for (let i = 0; i < 24; i++) made.push(await s.create({ subject: `P${i}`, description: 'parallel', groupId: groups[0]!, assigneeId: (i % 2 ? ada : bob).id }, ada));
    for (const ticket of made.filter((_, i) => i % 4 < 2)) await s.changeStatus(ticket.number, 'open', ada);
    for (const ticket of made.filter((_, i) => i % 4 >= 2)) await s.changeStatus(ticket.number, 'waiting', ada);
    const before = await countQueuesInTickets(scope, { userId: ada.id, groupIds: [] });
    for (let round = 0; round < 3; round++) {
      const work: Array<Promise<unknown>> = made.map((ticket, i) => {
        const fresh = service(tenant);
        const step = (i + round) % 4;
        if (step === 0) return fresh.changeStatus(ticket.number, round % 2 ? 'open' : 'waiting', ada).catch(refusedOnly);
        if (step === 1) return fresh.forward(ticket.number, { groupId: groups[0]!, assigneeId: (i % 2 ? bob : ada).id }, bob).catch(refusedOnly);
        if (step === 2) return fresh.changeStatus(ticket.number, round % 2 ? 'waiting' : 'open', bob).catch(refusedOnly);
        return fresh.apply(ticket.number, { forward: { groupId: groups[1]! } }, ada).catch(refusedOnly);
      });
      // The same ticket changed twice at once: row locks serialise them, each counts once.
      work.push(service(tenant).forward(made[0]!.number, { groupId: groups[2]! }, ada).catch(refusedOnly));
      work.push(service(tenant).forward(made[0]!.number, { groupId: groups[1]! }, bob).catch(refusedOnly));
      work.push(rebuildTicketCounters(database.db, dialect, tenant.id, world.now().toISOString()));
      await Promise.all(work);
      await expectCountsAgree(scope);
    }
    expect(await countQueuesInTickets(scope, { userId: ada.id, groupIds: [] })).not.toEqual(before);
    // Deleting and restoring in parallel.
    await Promise.all(made.slice(0, 12).map((ticket) => service(tenant).remove(ticket.number, ada)));
    await Promise.all([...made.slice(0, 6).map((ticket) => service(tenant).restore(ticket.number, ada)), ...made.slice(12).map((ticket) => service(tenant).remove(ticket.number, bob))]);
    await expectCountsAgree(scope);
  });
});

function refusedOnly(error: unknown): void {
  if (!(error instanceof DomainError)) throw error;
}
