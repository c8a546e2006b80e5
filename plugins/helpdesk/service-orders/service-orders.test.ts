import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disablePlugin, enablePlugin } from '../../../core/plugin-host/plugin-switches.js';
import type { Tenant } from '../../../core/db/schema.js';
import { tenantTicketService, type TicketActor } from '../../../core/plugin-api.js';
import type { AppEvent } from '../../../core/events/event-bus.js';
import { createTestApp, type TestApp } from '../../../test/harness/test-app.js';
import { dialects } from '../../../test/harness/test-database.js';
import { SERVICE_ORDERS, type ServiceOrdersProvider } from '../../portal/extension-points.js';
import { helpdeskPlugin } from '../index.js';
import { serviceOrderDb } from './service-order-db.js';
import { createServiceOrderStore } from './service-order-store.js';

const form = (values: Record<string, string>, cookie: string, headers: Record<string, string> = {}) => ({ method: 'POST', body: new URLSearchParams(values), cookie, headers });
const htmx = { 'HX-Request': 'true' };
const ids = (html: string) => [...html.matchAll(/data-order="(\d+)"/g)].map((m) => Number(m[1]));

describe.each(dialects)('service orders on %s', (dialect) => {
  let app: TestApp;
  let acme: Tenant;
  let globex: Tenant;
  let agentId: number;
  let adminId: number;
  let globexAgentId: number;
  let agent: string;
  let globexAgent: string;
  let ticket: { id: number; number: string };
  let globexTicket: { id: number; number: string };
  const events: AppEvent[] = [];

  const rows = () => serviceOrderDb(app.services.db).selectFrom('helpdesk_service_orders').selectAll().orderBy('id').execute();
  const history = (ticketId: number) => app.services.db.selectFrom('ticket_history').select(['action', 'field', 'old_value', 'new_value', 'note', 'actor_label'])
    .where('ticket_id', '=', ticketId).where('action', 'like', 'helpdesk.%').orderBy('id').execute();
  const base = '/t/acme/p/helpdesk';

  async function openTicket(tenant: Tenant, userId: number, subject: string) {
    const actor: TicketActor = { kind: 'user', id: userId, label: 'setup', can: () => true };
    const created = await (await tenantTicketService(app.services, tenant.id)).create({ subject, description: 'Needs a visit' }, actor);
    return { id: created.id, number: created.number };
  }

  async function create(values: Record<string, string>, cookie = agent, number = ticket.number) {
    return app.request(`${base}/tickets/${number}/service-orders`, form({ type: 'on_site', planned_at: '2026-12-01T09:30', ...values }, cookie));
  }

  beforeAll(async () => {
    app = await createTestApp(dialect, [helpdeskPlugin]);
    acme = await app.createTenant('acme');
    globex = await app.createTenant('globex');
    agentId = await app.createStaff(acme.id, 'agent', 'agent@acme.test');
    adminId = await app.createStaff(acme.id, 'admin', 'admin@acme.test');
    globexAgentId = await app.createStaff(globex.id, 'agent', 'agent@globex.test');
    for (const tenant of [acme, globex]) await enablePlugin(app.services.db, app.services.registry, tenant.id, 'helpdesk');
    // Globex's numbers start far away, so one never names an ACME ticket.
    await app.services.db.insertInto('ticket_counters').values({ tenant_id: globex.id, year: new Date().getUTCFullYear(), last_value: 500000 }).execute();
    agent = await app.signIn('agent@acme.test', 'acme');
    globexAgent = await app.signIn('agent@globex.test', 'globex');
    ticket = await openTicket(acme, adminId, 'Printer on floor 2');
    globexTicket = await openTicket(globex, globexAgentId, 'Globex server');
    app.services.events.subscribe(acme.id, (event) => events.push(event));
  });
  afterAll(() => app.cleanup());

  it('shows the panel with a new-order form on the ticket page and creates an order from it, with a history line and a live event', async () => {
    const page = await (await app.request(`/t/acme/desk/tickets/${ticket.number}`, { cookie: agent })).text();
    expect(page).toContain('id="service-orders-panel"');
    expect(page).toContain('id="so-none"');
    expect(page).toContain(`action="/t/acme/p/helpdesk/tickets/${ticket.number}/service-orders"`);

    events.length = 0;
    const response = await create({ technician_id: String(agentId), planned_end: '2026-12-01T11:00' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`/t/acme/desk/tickets/${ticket.number}#service-orders-panel`);
    const [order] = await rows();
    expect(order).toMatchObject({ tenant_id: acme.id, ticket_id: ticket.id, type: 'on_site', technician_id: agentId, status: 'planned', planned_at: '2026-12-01T08:30:00.000Z', planned_end: '2026-12-01T10:00:00.000Z', created_by: agentId });
    expect(await history(ticket.id)).toEqual([{ action: 'helpdesk.service_order_created', field: 'type', old_value: null, new_value: 'on_site', note: `#${order!.id}`, actor_label: 'agent' }]);
    expect(events).toContainEqual(expect.objectContaining({ type: 'ticket', data: expect.objectContaining({ number: ticket.number, action: 'service_order' }) }));

    const after = await (await app.request(`/t/acme/desk/tickets/${ticket.number}`, { cookie: agent })).text();
    expect(after).toContain(`id="so-${order!.id}"`);
    expect(after).toContain('On-site visit');
    expect(after).toContain(`created service order #${order!.id}`);
  });

  it('answers htmx with the panel (list and a fresh form), and the list refreshes on its own', async () => {
    const response = await app.request(`${base}/tickets/${ticket.number}/service-orders`, form({ type: 'repair', planned_at: '2026-12-02T14:00' }, agent, htmx));
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('id="service-orders-panel"');
    expect(html).toContain('Repair');
    const list = await app.request(`${base}/tickets/${ticket.number}/service-orders`, { cookie: agent, headers: htmx });
    expect(await list.text()).toMatch(/id="so-ticket-orders"[\s\S]*Repair/);
  });

  it('refuses bad input with 422 and field messages, and creates nothing', async () => {
    const before = (await rows()).length;
    const foreign = await create({ technician_id: String(globexAgentId) });
    expect(foreign.status).toBe(422);
    expect(await foreign.text()).toContain('Choose a technician of this team.');
    for (const [values, message] of [
      [{ planned_at: 'tomorrow' }, 'Enter a date and time that exists'],
      [{ planned_at: '2026-03-29T02:30' }, 'Enter a date and time that exists'],
      [{ planned_at: '' }, 'so-new-planned_at-error'],
      [{ planned_end: '2026-12-01T08:00' }, 'The end must be after the planned start.'],
      [{ type: 'picnic' }, 'so-new-type-error'],
    ] as const) {
      const response = await create(values);
      expect(response.status, JSON.stringify(values)).toBe(422);
      expect(await response.text()).toContain(message);
    }
    const htmxRefused = await app.request(`${base}/tickets/${ticket.number}/service-orders`, form({ type: 'on_site', planned_at: 'x' }, agent, htmx));
    expect(htmxRefused.status).toBe(422);
    expect(await htmxRefused.text()).toContain('<details class="so-new" id="so-new" open=""');
    expect((await rows()).length).toBe(before);
  });

  it('edits an order: every changed field becomes a worded history line on the ticket', async () => {
    const order = (await rows())[0]!;
    const response = await app.request(`${base}/service-orders/${order.id}`, form({
      type: 'installation', technician_id: String(adminId), planned_at: '2026-12-01T10:00', planned_end: '', report: 'Replaced the fuser unit.', time_spent: '1:30',
    }, agent));
    expect(response.status).toBe(303);
    const saved = (await rows())[0]!;
    expect(saved).toMatchObject({ type: 'installation', technician_id: adminId, planned_at: '2026-12-01T09:00:00.000Z', planned_end: null, report: 'Replaced the fuser unit.', minutes_spent: 90, updated_by_label: 'agent' });
    const lines = (await history(ticket.id)).filter((h) => h.action === 'helpdesk.service_order');
    expect(lines.map((h) => [h.field, h.old_value, h.new_value])).toEqual([
      ['type', 'on_site', 'installation'],
      ['technician', 'agent', 'admin'],
      ['planned_at', '2026-12-01 09:30', '2026-12-01 10:00'],
      ['planned_end', '2026-12-01 11:00', null],
      ['report', null, 'Replaced the fuser unit.'],
      ['time_spent', null, '1:30'],
    ]);
    const page = await (await app.request(`/t/acme/desk/tickets/${ticket.number}`, { cookie: agent })).text();
    expect(page).toContain(`changed service order #${order.id}`);
    expect(page).toMatch(/Type:<\/span> <del>On-site visit<\/del> → <ins>Installation<\/ins>/);
    expect(page).toContain('Time spent:');

    // Minutes are accepted too; unchanged input writes no history.
    expect((await app.request(`${base}/service-orders/${order.id}`, form({ time_spent: '45' }, agent))).status).toBe(303);
    expect((await rows())[0]!.minutes_spent).toBe(45);
    const count = (await history(ticket.id)).length;
    expect((await app.request(`${base}/service-orders/${order.id}`, form({ time_spent: '0:45' }, agent))).status).toBe(303);
    expect((await history(ticket.id)).length).toBe(count);

    const bad = await app.request(`${base}/service-orders/${order.id}`, form({ time_spent: '1,5', report: 'kept on screen' }, agent));
    expect(bad.status).toBe(422);
    const html = await bad.text();
    expect(html).toContain('Enter the time as h:mm');
    expect(html).toContain('kept on screen');
    expect((await rows())[0]!.minutes_spent).toBe(45);
    expect((await app.request(`${base}/service-orders/${order.id}`, form({ technician_id: String(globexAgentId) }, agent))).status).toBe(422);
    expect((await rows())[0]!.technician_id).toBe(adminId);
  });

  it('moves planned → in progress → done and refuses any other move with 409 and a clear message', async () => {
    const order = (await rows())[0]!;
    const move = (id: number, to: string) => app.request(`${base}/service-orders/${id}/status`, form({ to }, agent));
    const early = await move(order.id, 'done');
    expect(early.status).toBe(409);
    expect(await early.text()).toContain('A service order cannot go from &quot;Planned&quot; to &quot;Done&quot;.');
    expect((await move(order.id, 'in_progress')).status).toBe(303);
    expect((await move(order.id, 'done')).status).toBe(303);
    for (const to of ['in_progress', 'planned', 'cancelled', 'done']) {
      const refused = await move(order.id, to);
      expect(refused.status, to).toBe(409);
      expect(await refused.text()).toContain('that is final');
    }
    expect((await move(order.id, 'lunch')).status).toBe(422);
    expect((await rows())[0]!.status).toBe('done');
    const statusLines = (await history(ticket.id)).filter((h) => h.field === 'status').map((h) => [h.old_value, h.new_value]);
    expect(statusLines).toEqual([['planned', 'in_progress'], ['in_progress', 'done']]);
    const second = (await rows())[1]!;
    expect((await move(second.id, 'cancelled')).status).toBe(303);
    expect((await move(second.id, 'in_progress')).status).toBe(409);
    const detail = await (await app.request(`${base}/service-orders/${order.id}`, { cookie: agent })).text();
    expect(detail).toContain('This order is Done');
    expect(detail).not.toContain('id="so-to-');
  });

  it('lists orders with filters, sort and paging, and refuses bad filter values with 422', async () => {
    const store = createServiceOrderStore({ db: app.services.db, clock: app.services.clock, t: app.services.catalog.translator('en'), timeZone: 'Europe/Berlin' }, acme.id);
    const actor: TicketActor = { kind: 'user', id: adminId, label: 'admin', can: () => true };
    const other = await openTicket(acme, adminId, 'Scanner jams');
    for (let day = 1; day <= 27; day += 1) {
      await store.create(other.id, { type: day % 2 ? 'remote' : 'repair', technician_id: day % 3 ? String(agentId) : '', planned_at: `2027-01-${String(day).padStart(2, '0')}T08:00`, report: day === 5 ? 'Toner smeared' : '' }, actor);
    }
    const list = async (query: string) => {
      const response = await app.request(`${base}/service-orders${query}`, { cookie: agent });
      return { status: response.status, html: await response.text() };
    };
    const all = await list('?from=2027-01-01&to=2027-01-31');
    expect(all.status).toBe(200);
    expect(ids(all.html)).toHaveLength(25);
    const page2 = await list('?from=2027-01-01&to=2027-01-31&page=2');
    expect(ids(page2.html)).toHaveLength(2);
    expect(new Set([...ids(all.html), ...ids(page2.html)]).size).toBe(27);

    const mine = await store.list({ technician: agentId, type: 'remote', from: '2027-01-01', to: '2027-01-10' });
    expect(mine.rows.map((r) => r.planned_at.slice(0, 10))).toEqual(['2027-01-01', '2027-01-05', '2027-01-07']);
    const viaHttp = await list(`?technician=${agentId}&type=remote&from=2027-01-01&to=2027-01-10`);
    expect(ids(viaHttp.html)).toEqual(mine.rows.map((r) => r.id));

    const desc = await list('?from=2027-01-01&sort=planned_at&dir=desc');
    const descIds = ids(desc.html);
    expect(descIds[0]).toBe(Math.max(...descIds));

    const text = await list('?q=toner');
    expect(ids(text.html)).toHaveLength(1);
    expect(ids((await list(`?q=${ticket.number}`)).html).sort()).toEqual((await rows()).filter((r) => r.ticket_id === ticket.id).map((r) => r.id).sort());
    expect(ids((await list('?status=done')).html)).toEqual([(await rows())[0]!.id]);
    expect(ids((await list('?status=open&to=2026-12-31')).html)).toEqual([]);
    expect(ids((await list('?status=cancelled')).html)).toEqual([(await rows())[1]!.id]);

    const bad = await list('?status=lost&from=yesterday&sort=colour');
    expect(bad.status).toBe(422);
    expect(bad.html).toContain('so-f-status');
    const fragment = await app.request(`${base}/service-orders?type=repair`, { cookie: agent, headers: { ...htmx, 'HX-Target': 'so-results' } });
    const fragmentHtml = await fragment.text();
    expect(fragmentHtml).not.toContain('id="so-filter"');
    expect(fragmentHtml).toContain('id="so-results"');
  });

  it('offers the orders to the portal through the extension point, worded in the asked language', async () => {
    const [provider] = await app.services.hooks.extensions<ServiceOrdersProvider>(SERVICE_ORDERS, acme.id);
    expect(provider).toBeDefined();
    const orders = await provider!.forTicket(acme.id, ticket.id, { services: app.services, locale: 'de' });
    const [first, second] = await rows();
    expect(orders).toEqual([
      { label: `Installation #${first!.id}`, status: 'Erledigt', plannedAt: '2026-12-01T09:00:00.000Z' },
      { label: `Reparatur #${second!.id}`, status: 'Storniert', plannedAt: '2026-12-02T13:00:00.000Z' },
    ]);
    expect(await provider!.forTicket(globex.id, ticket.id, { services: app.services, locale: 'en' })).toEqual([]);
  });

  it('answers another tenant\'s ids and ticket numbers with 404 and changes nothing', async () => {
    const before = await rows();
    const historyBefore = await history(ticket.id);
    const order = before[0]!;
    const g = '/t/globex/p/helpdesk';
    const answers = await Promise.all([
      app.request(`${g}/service-orders/${order.id}`, { cookie: globexAgent }),
      app.request(`${g}/service-orders/${order.id}`, form({ report: 'hijacked' }, globexAgent)),
      app.request(`${g}/service-orders/${before[2]!.id}/status`, form({ to: 'in_progress' }, globexAgent)),
      app.request(`${g}/tickets/${ticket.number}/service-orders`, form({ type: 'repair', planned_at: '2026-12-01T09:00' }, globexAgent)),
      app.request(`${g}/tickets/${ticket.number}/service-orders`, { cookie: globexAgent, headers: htmx }),
    ]);
    expect(answers.map((r) => r.status)).toEqual([404, 404, 404, 404, 404]);
    const list = await (await app.request(`${g}/service-orders?q=${ticket.number}`, { cookie: globexAgent })).text();
    expect(ids(list)).toEqual([]);
    // Acme's agent cannot reach Globex's ticket either.
    expect((await create({}, agent, globexTicket.number)).status).toBe(404);
    expect(await rows()).toEqual(before);
    expect(await history(ticket.id)).toEqual(historyBefore);
  });

  it('shows the panel on the ticket page only while the plugin is on for the tenant', async () => {
    await disablePlugin(app.services.db, app.services.registry, acme.id, 'helpdesk');
    try {
      const off = await (await app.request(`/t/acme/desk/tickets/${ticket.number}`, { cookie: agent })).text();
      expect(off).toContain(ticket.number);
      expect(off).not.toContain('service-orders-panel');
      expect((await app.request(`${base}/service-orders`, { cookie: agent })).status).toBe(404);
      expect(await app.services.hooks.extensions(SERVICE_ORDERS, acme.id)).toEqual([]);
    } finally {
      await enablePlugin(app.services.db, app.services.registry, acme.id, 'helpdesk');
    }
    const on = await (await app.request(`/t/acme/desk/tickets/${ticket.number}`, { cookie: agent })).text();
    expect(on).toContain('service-orders-panel');
  });
});
