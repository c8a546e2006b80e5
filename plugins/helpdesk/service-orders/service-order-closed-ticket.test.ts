import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enablePlugin } from '../../../core/plugin-host/plugin-switches.js';
import type { Tenant } from '../../../core/db/schema.js';
import { tenantTicketService, type TicketActor } from '../../../core/plugin-api.js';
import { createTestApp, type TestApp } from '../../../test/harness/test-app.js';
import { dialects } from '../../../test/harness/test-database.js';
import { helpdeskPlugin } from '../index.js';
import { serviceOrderDb } from './service-order-db.js';

describe.each(dialects)('service orders on a closed ticket on %s', (dialect) => {
  let app: TestApp;
  let acme: Tenant;
  let agent: string;
  let open: string;
  let closed: string;
  const count = async () => (await serviceOrderDb(app.services.db).selectFrom('helpdesk_service_orders').select('id').execute()).length;
  const create = (number: string, language: string) => app.request(`/t/acme/p/helpdesk/tickets/${number}/service-orders`, {
    method: 'POST', body: new URLSearchParams({ type: 'on_site', planned_at: '2026-12-01T09:30' }), cookie: agent, headers: { 'Accept-Language': language, 'HX-Request': 'true' },
  });

  beforeAll(async () => {
    app = await createTestApp(dialect, [helpdeskPlugin]);
    acme = await app.createTenant('acme');
    const adminId = await app.createStaff(acme.id, 'admin', 'admin@acme.test');
    await app.createStaff(acme.id, 'agent', 'agent@acme.test');
    await enablePlugin(app.services.db, app.services.registry, acme.id, 'helpdesk');
    agent = await app.signIn('agent@acme.test', 'acme');
    const actor: TicketActor = { kind: 'user', id: adminId, label: 'setup', can: () => true };
    const tickets = await tenantTicketService(app.services, acme.id);
    open = (await tickets.create({ subject: 'Open one', description: 'Needs a visit' }, actor)).number;
    const done = await tickets.create({ subject: 'Closed one', description: 'Done' }, actor);
    // Closed straight in the table: this test is about the service orders, not the ticket lifecycle.
    await app.services.db.updateTable('tickets').set({ status: 'closed' }).where('id', '=', done.id).execute();
    closed = done.number;
  });
  afterAll(() => app.cleanup());

  it('offers no "New service order" on a closed ticket, but does on an open one', async () => {
    const openPage = await (await app.request(`/t/acme/desk/tickets/${open}`, { cookie: agent })).text();
    expect(openPage).toContain('id="so-new"');
    const closedResponse = await app.request(`/t/acme/desk/tickets/${closed}`, { cookie: agent });
    expect(closedResponse.status).toBe(200);
    const closedPage = await closedResponse.text();
    expect(closedPage).toContain('id="service-orders-panel"');
    expect(closedPage).not.toContain('id="so-new"');
  });

  it('refuses a new order on a closed ticket with 409 and a sentence in English and German; nothing is saved', async () => {
    const before = await count();
    const english = await create(closed, 'en');
    expect(english.status).toBe(409);
    expect(await english.text()).toContain('The ticket is closed; reopen it before planning a service order.');
    const german = await create(closed, 'de');
    expect(german.status).toBe(409);
    expect(await german.text()).toContain('Das Ticket ist geschlossen; öffnen Sie es wieder, bevor Sie einen Serviceauftrag planen.');
    expect(await count()).toBe(before);
    expect((await create(open, 'en')).status).toBe(200);
    expect(await count()).toBe(before + 1);
  });
});
