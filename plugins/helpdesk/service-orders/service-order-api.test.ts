import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../../core/auth/api-tokens.js';
import type { Tenant } from '../../../core/db/schema.js';
import type { AppEvent } from '../../../core/events/event-bus.js';
import { tenantScope, tenantTicketService, type TicketActor } from '../../../core/plugin-api.js';
import { enablePlugin } from '../../../core/plugin-host/plugin-switches.js';
import { createTestApp, type TestApp } from '../../../test/harness/test-app.js';
import { dialects } from '../../../test/harness/test-database.js';
import { helpdeskPlugin } from '../index.js';
import { serviceOrderApiRoutes } from './service-order-api.js';
import { serviceOrderDb, serviceOrderScope } from './service-order-db.js';

interface ErrorBody { error: { code: string; message: string; fields: Record<string, string> } }
interface Order { id: number; ticket_number: string; type: string; status: string; next_statuses: string[]; technician_id: number | null; technician_name: string | null; planned_at: string; planned_end: string | null; report: string; minutes_spent: number | null }

/** The documented response schema must accept what the server sent. */
const documented = <T>(operationId: string, json: unknown) => serviceOrderApiRoutes.find((r) => r.operationId === operationId)!.response.parse(json) as T;

describe.each(dialects)('service orders API on %s', (dialect) => {
  let app: TestApp;
  let acme: Tenant;
  let globex: Tenant;
  let agentId: number;
  let otherAgentId: number;
  let globexAgentId: number;
  let token: string;
  let globexToken: string;
  let ticket: { id: number; number: string };
  let secondTicket: { id: number; number: string };
  let globexTicket: { id: number; number: string };
  let globexOrder: number;
  const events: AppEvent[] = [];

  const call = (path: string, init: { method?: string; json?: unknown; bearer?: string } = {}) => app.request(path, {
    method: init.method ?? 'GET',
    headers: { Authorization: `Bearer ${init.bearer ?? token}`, ...(init.json === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: init.json === undefined ? null : JSON.stringify(init.json),
  });
  const create = async (json: Record<string, unknown>, number = ticket.number) => {
    const response = await call(`/t/acme/api/v1/tickets/${number}/service-orders`, { method: 'POST', json: { type: 'on_site', planned_at: '2026-12-01T08:30:00Z', ...json } });
    expect(response.status, await response.clone().text()).toBe(201);
    return documented<{ data: Order }>('createServiceOrder', await response.json()).data;
  };
  const orderRows = (tenantId: number) => serviceOrderScope(app.services.db, tenantId).selectFrom('helpdesk_service_orders').selectAll().orderBy('id').execute();
  const history = (ticketId: number) => app.services.db.selectFrom('ticket_history').select(['action', 'field', 'old_value', 'new_value'])
    .where('ticket_id', '=', ticketId).where('action', 'like', 'helpdesk.%').orderBy('id').execute();

  async function openTicket(tenant: Tenant, userId: number, subject: string) {
    const actor: TicketActor = { kind: 'user', id: userId, label: 'setup', can: () => true };
    const created = await (await tenantTicketService(app.services, tenant.id)).create({ subject, description: 'Needs a visit' }, actor);
    return { id: created.id, number: created.number };
  }

  beforeAll(async () => {
    app = await createTestApp(dialect, [helpdeskPlugin]);
    acme = await app.createTenant('acme');
    globex = await app.createTenant('globex');
    agentId = await app.createStaff(acme.id, 'agent', 'agent@acme.test');
    otherAgentId = await app.createStaff(acme.id, 'agent', 'zoe@acme.test');
    globexAgentId = await app.createStaff(globex.id, 'agent', 'agent@globex.test');
    for (const tenant of [acme, globex]) await enablePlugin(app.services.db, app.services.registry, tenant.id, 'helpdesk');
    // Globex's numbers start far away, so one never names an ACME ticket.
    await app.services.db.insertInto('ticket_counters').values({ tenant_id: globex.id, year: new Date().getUTCFullYear(), last_value: 500000 }).execute();
    token = (await createApiToken(app.services.db, { tenantId: acme.id, userId: agentId, name: 'dispatch' })).token;
    globexToken = (await createApiToken(app.services.db, { tenantId: globex.id, userId: globexAgentId, name: 'dispatch' })).token;
    ticket = await openTicket(acme, agentId, 'Printer on floor 2');
    secondTicket = await openTicket(acme, agentId, 'Switch in the basement');
    globexTicket = await openTicket(globex, globexAgentId, 'Globex server');
    const foreign = await call(`/t/globex/api/v1/tickets/${globexTicket.number}/service-orders`, { method: 'POST', bearer: globexToken, json: { type: 'repair', planned_at: '2026-12-02T10:00:00Z' } });
    expect(foreign.status).toBe(201);
    globexOrder = (await foreign.json() as { data: Order }).data.id;
    app.services.events.subscribe(acme.id, (event) => events.push(event));
  });
  afterAll(() => app.cleanup());

  it('creates an order for a ticket: 201 with Location, exact UTC instants (a DST fold too), history line and live event', async () => {
    events.length = 0;
    // 01:30Z on 25 Oct 2026 is the second 02:30 in Berlin: a trip through the wall clock would move it by an hour.
    const order = await create({ technician_id: otherAgentId, planned_at: '2026-10-25T01:30:00Z', planned_end: '2026-10-25T03:15:42.500Z', report: 'Bring toner', minutes_spent: 90 });
    expect(order).toMatchObject({
      ticket_number: ticket.number, type: 'on_site', status: 'planned', next_statuses: ['in_progress', 'cancelled'], technician_id: otherAgentId, technician_name: 'zoe',
      planned_at: '2026-10-25T01:30:00.000Z', planned_end: '2026-10-25T03:15:42.500Z', report: 'Bring toner', minutes_spent: 90,
    });
    expect(await history(ticket.id)).toEqual([{ action: 'helpdesk.service_order_created', field: 'type', old_value: null, new_value: 'on_site' }]);
    expect(events).toEqual([expect.objectContaining({ type: 'ticket', data: expect.objectContaining({ number: ticket.number, action: 'service_order' }) })]);
    // The technician gets the same calendar mail as after the screens (sent after commit, not awaited).
    const mailsTo = async (address: string) => (await tenantScope(app.services.db, acme.id).selectFrom('mail_outbox').select('subject').where('to_address', '=', address).execute()).length;
    await expect.poll(() => mailsTo('zoe@acme.test'), { timeout: 10_000 }).toBe(1);
    expect((await call(`/t/acme/api/v1/service-orders/${order.id}`, { method: 'PATCH', json: { status: 'cancelled' } })).status).toBe(200);
    await expect.poll(() => mailsTo('zoe@acme.test'), { timeout: 10_000 }).toBe(2);
    const got = await call(`/t/acme/api/v1/service-orders/${order.id}`);
    expect(got.status).toBe(200);
    expect(documented<{ data: Order }>('getServiceOrder', await got.json()).data).toMatchObject({ id: order.id, planned_at: order.planned_at, planned_end: order.planned_end, report: order.report, status: 'cancelled', next_statuses: [] });
    const again = await call(`/t/acme/api/v1/tickets/${ticket.number}/service-orders`, { method: 'POST', json: { type: 'remote', planned_at: '2026-12-01T08:30:00+01:00' } });
    expect(again.status).toBe(201);
    const third = (await again.json() as { data: Order }).data;
    expect(again.headers.get('Location')).toBe(`/t/acme/api/v1/service-orders/${third.id}`);
    expect(third.planned_at).toBe('2026-12-01T07:30:00.000Z');
  });

  it('refuses bad bodies with 422 and a message per field; nothing is saved', async () => {
    const before = (await orderRows(acme.id)).length;
    const bad = await call(`/t/acme/api/v1/tickets/${ticket.number}/service-orders`, { method: 'POST', json: { type: 'magic', planned_at: '1 December', colour: 'red', minutes_spent: -1 } });
    expect(bad.status).toBe(422);
    expect(Object.keys((await bad.json() as ErrorBody).error.fields).sort()).toEqual(['colour', 'minutes_spent', 'planned_at', 'type']);
    const rules = await call(`/t/acme/api/v1/tickets/${ticket.number}/service-orders`, { method: 'POST', json: { type: 'repair', planned_at: '2026-12-01T10:00:00Z', planned_end: '2026-12-01T09:00:00Z', technician_id: globexAgentId } });
    expect(rules.status).toBe(422);
    const { error } = await rules.json() as ErrorBody;
    expect(Object.keys(error.fields).sort()).toEqual(['planned_end', 'technician_id']);
    expect(error.fields.planned_end).toBe('The end must be after the planned start.');
    const form = await app.request(`/t/acme/api/v1/tickets/${ticket.number}/service-orders`, { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: new URLSearchParams({ type: 'repair' }) });
    expect(form.status).toBe(415);
    expect((await orderRows(acme.id)).length).toBe(before);
  });

  it('lists with the agents’ filters (status, technician, type, ticket, planned range, text) and pages', async () => {
    const a = await create({ type: 'repair', planned_at: '2027-01-10T09:00:00Z', technician_id: agentId }, secondTicket.number);
    const b = await create({ type: 'installation', planned_at: '2027-01-11T09:00:00Z', report: 'Rack mount kit' }, secondTicket.number);
    const list = async (query: string) => {
      const response = await call(`/t/acme/api/v1/service-orders?${query}`);
      expect(response.status, await response.clone().text()).toBe(200);
      return documented<{ data: Order[]; total: number; page: number; per_page: number }>('listServiceOrders', await response.json());
    };
    expect((await list(`ticket=${secondTicket.number}`)).data.map((o) => o.id)).toEqual([a.id, b.id]);
    expect((await list(`technician_id=${agentId}`)).data.map((o) => o.id)).toEqual([a.id]);
    expect((await list('type=installation')).data.map((o) => o.id)).toEqual([b.id]);
    expect((await list('planned_from=2027-01-10T09:00:00Z&planned_before=2027-01-11T09:00:00Z')).data.map((o) => o.id)).toEqual([a.id]);
    expect((await list('q=rack')).data.map((o) => o.id)).toEqual([b.id]);
    expect((await list(`ticket=${secondTicket.number}&sort=planned_at&dir=desc`)).data.map((o) => o.id)).toEqual([b.id, a.id]);
    const paged = await list(`ticket=${secondTicket.number}&per_page=1&page=2`);
    expect(paged).toMatchObject({ total: 2, page: 2, per_page: 1 });
    expect(paged.data.map((o) => o.id)).toEqual([b.id]);
    expect((await list('status=open')).total).toBe((await list('status=planned')).total);
    const bad = await call('/t/acme/api/v1/service-orders?status=lost&planned_from=tomorrow&per_page=500');
    expect(bad.status).toBe(422);
    expect(Object.keys((await bad.json() as ErrorBody).error.fields).sort()).toEqual(['per_page', 'planned_from', 'status']);
  });

  it('changes fields and moves the status along the lifecycle; a forbidden move is 409 and changes nothing', async () => {
    const order = await create({ planned_at: '2027-02-01T07:00:00Z', planned_end: '2027-02-01T08:00:00Z' });
    const patch = (json: unknown) => call(`/t/acme/api/v1/service-orders/${order.id}`, { method: 'PATCH', json });
    const started = await patch({ report: 'Replaced fuser', minutes_spent: 45, status: 'in_progress' });
    expect(started.status).toBe(200);
    expect(documented<{ data: Order }>('updateServiceOrder', await started.json()).data).toMatchObject({
      status: 'in_progress', report: 'Replaced fuser', minutes_spent: 45, planned_at: '2027-02-01T07:00:00.000Z', planned_end: '2027-02-01T08:00:00.000Z', next_statuses: ['done', 'cancelled'],
    });
    const refused = await patch({ report: 'Should not stick', status: 'planned' });
    expect(refused.status).toBe(409);
    expect((await refused.json() as ErrorBody).error).toMatchObject({ code: 'conflict', message: 'A service order cannot go from "In progress" to "Planned".' });
    const done = await patch({ status: 'done', planned_end: null });
    expect((await done.json() as { data: Order }).data).toMatchObject({ status: 'done', planned_end: null, next_statuses: [] });
    const final = await patch({ status: 'cancelled' });
    expect(final.status).toBe(409);
    const [row] = (await orderRows(acme.id)).filter((r) => r.id === order.id);
    expect(row).toMatchObject({ status: 'done', report: 'Replaced fuser', minutes_spent: 45, planned_end: null });
    const fields = (await history(ticket.id)).filter((h) => h.action === 'helpdesk.service_order').map((h) => `${h.field}:${h.new_value}`);
    expect(fields).toEqual(expect.arrayContaining(['report:Replaced fuser', 'time_spent:0:45', 'status:in_progress', 'status:done', 'planned_end:null']));
    expect((await patch({})).status).toBe(422);
    expect(Object.keys((await (await patch({ status: 'archived', owner: 1 })).json() as ErrorBody).error.fields).sort()).toEqual(['owner', 'status']);
  });

  it('changes fields and status in one transaction: a refused move with field changes leaves row and history as they were; a combined change is announced once', async () => {
    const mailsTo = async (address: string) => (await tenantScope(app.services.db, acme.id).selectFrom('mail_outbox').select('id').where('to_address', '=', address).execute()).length;
    const zoeBefore = await mailsTo('zoe@acme.test');
    const order = await create({ technician_id: otherAgentId, planned_at: '2027-03-01T07:00:00Z', report: 'Check the drum' });
    await expect.poll(() => mailsTo('zoe@acme.test'), { timeout: 10_000 }).toBe(zoeBefore + 1);
    const patch = (json: unknown) => call(`/t/acme/api/v1/service-orders/${order.id}`, { method: 'PATCH', json });
    expect((await patch({ status: 'in_progress' })).status).toBe(200);
    // The same status again is no move (and no history line).
    expect((await patch({ status: 'in_progress' })).status).toBe(200);
    const row = async () => (await orderRows(acme.id)).find((r) => r.id === order.id);
    const rowBefore = await row();
    const historyBefore = await history(ticket.id);
    expect(rowBefore).toMatchObject({ status: 'in_progress', calendar_sequence: 0 });
    const refused = await patch({ report: 'Should not stick', technician_id: agentId, planned_at: '2027-03-02T09:00:00Z', minutes_spent: 30, status: 'planned' });
    expect(refused.status).toBe(409);
    expect(await row()).toEqual(rowBefore);
    expect(await history(ticket.id)).toEqual(historyBefore);
    // A bad field with an allowed move: 422, and the move did not happen either.
    const bad = await patch({ technician_id: globexAgentId, status: 'done' });
    expect(bad.status).toBe(422);
    expect(Object.keys((await bad.json() as ErrorBody).error.fields)).toEqual(['technician_id']);
    expect(await row()).toEqual(rowBefore);
    expect(await history(ticket.id)).toEqual(historyBefore);
    // Handing over and cancelling at once: one transaction, one live event, one SEQUENCE step, one cancellation to the technician it had.
    events.length = 0;
    const agentBefore = await mailsTo('agent@acme.test');
    const cancelled = await patch({ technician_id: agentId, planned_at: '2027-03-02T09:00:00Z', status: 'cancelled' });
    expect(cancelled.status, await cancelled.clone().text()).toBe(200);
    expect((await cancelled.json() as { data: Order }).data).toMatchObject({ status: 'cancelled', technician_id: agentId, planned_at: '2027-03-02T09:00:00.000Z', report: 'Check the drum' });
    expect(await row()).toMatchObject({ status: 'cancelled', technician_id: agentId, calendar_sequence: 1 });
    expect((await history(ticket.id)).slice(historyBefore.length).map((h) => `${h.field}:${h.old_value}>${h.new_value}`))
      .toEqual(['technician:zoe>agent', 'planned_at:2027-03-01 08:00>2027-03-02 10:00', 'status:in_progress>cancelled']);
    expect(events.filter((e) => e.type === 'ticket')).toHaveLength(1);
    await expect.poll(() => mailsTo('zoe@acme.test'), { timeout: 10_000 }).toBe(zoeBefore + 2);
    expect(await mailsTo('agent@acme.test')).toBe(agentBefore);
  });

  if (dialect === 'postgres') {
    it('a move that loses a race against another commit is refused whole (409), its field changes too', async () => {
      const order = await create({ planned_at: '2027-04-01T07:00:00Z', report: 'Before' });
      const historyBefore = await history(ticket.id);
      let answer: Response | undefined;
      await app.services.db.transaction().execute(async (trx) => {
        // Someone else cancels the order and holds the row until the PATCH has read it and waits for the lock.
        await serviceOrderDb(trx).updateTable('helpdesk_service_orders').set({ status: 'cancelled' }).where('id', '=', order.id).execute();
        const pending = call(`/t/acme/api/v1/service-orders/${order.id}`, { method: 'PATCH', json: { report: 'Raced', status: 'in_progress' } });
        pending.then((r) => { answer = r; }, () => undefined);
        const waiting = async () => Number((await sql<{ n: string | number }>`select count(*) as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(app.services.db)).rows[0]!.n);
        await expect.poll(waiting, { timeout: 10_000 }).toBe(1);
      });
      await expect.poll(() => answer?.status, { timeout: 10_000 }).toBe(409);
      expect((await orderRows(acme.id)).find((r) => r.id === order.id)).toMatchObject({ status: 'cancelled', report: 'Before' });
      expect(await history(ticket.id)).toEqual(historyBefore);
    });
  }

  it('another tenant’s ticket numbers and order ids answer 404 and change nothing; its orders are not listed', async () => {
    const before = await orderRows(globex.id);
    const attempts = [
      call(`/t/acme/api/v1/service-orders/${globexOrder}`),
      call(`/t/acme/api/v1/service-orders/${globexOrder}`, { method: 'PATCH', json: { report: 'hacked', status: 'cancelled' } }),
      call(`/t/acme/api/v1/tickets/${globexTicket.number}/service-orders`, { method: 'POST', json: { type: 'repair', planned_at: '2026-12-01T08:30:00Z' } }),
      call(`/t/globex/api/v1/service-orders/${globexOrder}`),
    ];
    expect(await Promise.all(attempts.map(async (a) => (await a).status))).toEqual([404, 404, 404, 401]);
    expect(await orderRows(globex.id)).toEqual(before);
    const listed = await (await call(`/t/acme/api/v1/service-orders?ticket=${globexTicket.number}`)).json() as { total: number };
    expect(listed.total).toBe(0);
    const all = await (await call('/t/acme/api/v1/service-orders?per_page=100')).json() as { data: Order[] };
    expect(all.data.map((o) => o.id)).not.toContain(globexOrder);
  });
});
