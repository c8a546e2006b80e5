import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../auth/api-tokens.js';
import type { Tenant, TicketStatus } from '../db/schema.js';
import { tenantScope } from '../tenancy/tenant-scope.js';
import { createTicketService, type TicketActor } from '../tickets/ticket-service.js';
import { createTestApp, type TestApp } from '../../test/harness/test-app.js';
import { dialects } from '../../test/harness/test-database.js';

// One definition of each count: the dashboard's tiles, the ticket list's tabs, ticket management's
// totals, the Statistics page and the REST API give the same numbers. The fixture is the case of the
// issue: seven tickets wait on support in the whole hotline, four of them in the agent's reach; the
// dashboard's "Customer waits" tile said 7 where the tab of the same name said 4.

/** A queue's count: on a tab, or on the dashboard's tile (data-count); a whole-hotline tile's (data-status-count). */
const countOf = (html: string, key: string, attribute = 'data-count') => Number(new RegExp(`${attribute}="${key}"[^>]*>(?:<span class="stat-value">)?(\\d+)<`).exec(html)?.[1]);
const hotlineTile = (html: string, status: string) => countOf(html, status, 'data-status-count');
const statusRow = (html: string, status: string) => {
  const match = new RegExp(`<tr data-status="${status}"><th scope="row">[^<]+</th><td class="num">(\\d+)</td>`).exec(html);
  return Number(match?.[1]);
};
const listTotal = (html: string) => Number(/(\d+) in total/.exec(html)?.[1]);

describe.each(dialects)('one definition of each count on %s', (dialect) => {
  let app: TestApp;
  let acme: Tenant;
  let globex: Tenant;
  let ada: string;
  let boss: string;
  let gina: string;
  let bossToken: string;
  let ginaToken: string;

  const actor = (id: number): TicketActor => ({ kind: 'user', id, label: 'staff', can: () => true });
  const service = (tenant: Tenant) => createTicketService({
    db: app.services.db, dialect, clock: () => new Date(), events: app.services.events, files: app.services.files,
  }, tenant, app.services.catalog.translator('en'));
  const page = async (path: string, cookie: string, tenant = 'acme') => {
    const response = await app.request(`/t/${tenant}${path}`, { cookie });
    expect(response.status).toBe(200);
    return response.text();
  };
  const api = async (token: string, query = '', tenant = 'acme') => app.request(`/t/${tenant}/api/v1/statistics/hotline${query}`, { headers: { Authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    app = await createTestApp(dialect);
    acme = await app.createTenant('acme');
    globex = await app.createTenant('globex');
    const adaId = await app.createStaff(acme.id, 'agent', 'ada@acme.test');
    const bossId = await app.createStaff(acme.id, 'supervisor', 'boss@acme.test');
    const ginaId = await app.createStaff(globex.id, 'supervisor', 'gina@globex.test');
    const scope = tenantScope(app.services.db, acme.id);
    const [mine, theirs] = (await scope.insertInto('support_groups', [{ name: 'Servicedesk', level: 'first' }, { name: 'Systems', level: 'second' }]).returning('id').execute()).map((g) => g.id) as [number, number];
    await scope.insertInto('group_members', [{ group_id: mine, user_id: adaId }]).execute();
    const s = service(acme);
    const staff = actor(bossId);
    const make = async (groupId: number | null, status: TicketStatus, assigneeId?: number) => {
      const ticket = await s.create({ subject: `${status} ${groupId}`, description: 'x', groupId, ...(assigneeId ? { assigneeId } : {}) }, staff);
      if (status === 'new') return ticket;
      await s.changeStatus(ticket.number, 'open', staff);
      if (status === 'waiting' || status === 'solved') await s.changeStatus(ticket.number, status, staff);
      return ticket;
    };
    // Customer waits: 3 in Ada's group, 1 assigned to her in another group, 3 elsewhere = 7 tenant-wide, 4 in her reach.
    for (let i = 0; i < 3; i++) await make(mine, 'open');
    await make(theirs, 'open', adaId);
    for (let i = 0; i < 2; i++) await make(theirs, 'open');
    await make(null, 'open');
    // Support waits 2 (1 in reach), new 3, solved 1; one forwarded from hers to theirs, one reopened, one deleted.
    await make(mine, 'waiting');
    await make(theirs, 'waiting');
    for (let i = 0; i < 3; i++) await make(null, 'new');
    await make(mine, 'solved');
    const moved = await make(mine, 'open');
    await s.forward(moved.number, { groupId: theirs }, staff);
    const reopened = await make(theirs, 'solved');
    await s.changeStatus(reopened.number, 'open', staff);
    const gone = await make(mine, 'open');
    await s.remove(gone.number, staff);
    // Another tenant's tickets stay out of every number.
    await service(globex).create({ subject: 'elsewhere', description: 'x' }, actor(ginaId));

    ada = await app.signIn('ada@acme.test', 'acme');
    boss = await app.signIn('boss@acme.test', 'acme');
    gina = await app.signIn('gina@globex.test', 'globex');
    bossToken = (await createApiToken(app.services.db, { tenantId: acme.id, userId: bossId, name: 'stats' })).token;
    ginaToken = (await createApiToken(app.services.db, { tenantId: globex.id, userId: ginaId, name: 'stats' })).token;
  });
  afterAll(() => app.cleanup());

  it('gives the dashboard\'s queue tiles the numbers of the tabs they lead to (the issue\'s 7 against 4)', async () => {
    const dashboard = await page('/desk', ada);
    const tabs = await page('/desk/tickets?queue=new', ada);
    for (const queue of ['new', 'customer', 'support']) expect(countOf(dashboard, queue)).toBe(countOf(tabs, queue));
    // 3 in her group and 1 assigned to her; the one forwarded out of her group and the reopened one are not hers.
    expect(countOf(dashboard, 'customer')).toBe(4);
    expect(countOf(dashboard, 'new')).toBe(3);
    expect(countOf(dashboard, 'support')).toBe(1);
    // The whole hotline's tiles are another count with another name, and lead to lists whose totals say the same.
    expect(hotlineTile(dashboard, 'open')).toBe(9);
    for (const status of ['new', 'open', 'waiting', 'solved'] as const) {
      const list = await page(`/desk/tickets?queue=all&status=${status}`, ada);
      expect(listTotal(list)).toBe(hotlineTile(dashboard, status));
    }
  });

  it('gives the Statistics page, its CSV and the REST API the dashboard\'s whole-hotline numbers, with shares', async () => {
    const dashboard = await page('/desk', boss);
    const statistics = await page('/desk/statistics?period=today', boss);
    const response = await api(bossToken);
    expect(response.status).toBe(200);
    const body = await response.json() as { data: { now: { counts: Record<string, number>; shares: Record<string, number>; total: number }; created: { total: number }; flows: Record<string, number>; groups: Array<{ name: string | null; now: Record<string, number>; flows: Record<string, number> }> } };
    const expected = { new: 3, open: 9, waiting: 2, solved: 1, closed: 0 };
    expect(body.data.now.counts).toEqual(expected);
    expect(body.data.now.total).toBe(15);
    expect(body.data.now.shares.open).toBeCloseTo(9 / 15, 6);
    for (const [status, n] of Object.entries(expected)) {
      expect(statusRow(statistics, status)).toBe(n);
      if (status !== 'closed') expect(hotlineTile(dashboard, status)).toBe(n);
    }
    // Today's events: 16 created (the deleted one counts nowhere), solved 2 (one reopened later), reopened 1, moved 1.
    expect(body.data.created.total).toBe(15);
    expect(body.data.flows).toEqual({ created: 15, solved: 2, reopened: 1, closed: 0, moved: 1 });
    const systems = body.data.groups.find((g) => g.name === 'Systems')!;
    expect(systems.now).toEqual({ new: 0, open: 5, waiting: 1, solved: 0, closed: 0 });
    expect(systems.flows).toMatchObject({ moved: 1, reopened: 1 });
  });

  it('keeps every tenant to its own numbers, documents the operation and refuses bad periods with the field', async () => {
    const globexBody = await (await api(ginaToken, '', 'globex')).json() as { data: { now: { counts: Record<string, number> } } };
    expect(globexBody.data.now.counts).toEqual({ new: 1, open: 0, waiting: 0, solved: 0, closed: 0 });
    // Acme's token is nobody in Globex; the page likewise.
    expect((await api(bossToken, '', 'globex')).status).toBe(401);
    expect((await app.request('/t/globex/desk/statistics', { cookie: boss })).status).toBe(303);
    expect(statusRow(await page('/desk/statistics', gina, 'globex'), 'new')).toBe(1);
    // Agents without the permission get 403.
    const agentToken = (await createApiToken(app.services.db, { tenantId: acme.id, userId: (await app.services.db.selectFrom('users').select('id').where('email', '=', 'ada@acme.test').executeTakeFirstOrThrow()).id, name: 'x' })).token;
    expect((await api(agentToken)).status).toBe(403);
    const bad = await api(bossToken, '?from=2026-03-10&to=2026-03-01');
    expect(bad.status).toBe(422);
    expect(JSON.stringify(await bad.json())).toContain('The end lies before the start.');
    expect((await api(bossToken, '?from=yesterday')).status).toBe(422);
    const doc = await (await app.request('/t/acme/api/v1/openapi.json')).json() as { paths: Record<string, { get?: { operationId: string } }> };
    expect(doc.paths['/statistics/hotline']?.get?.operationId).toBe('hotlineStatistics');
  });
});
