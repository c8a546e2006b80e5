import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tenant } from '../../db/schema.js';
import { tenantScope } from '../../tenancy/tenant-scope.js';
import { createTicketService, type TicketActor } from '../../tickets/ticket-service.js';
import { createTestApp, type TestApp } from '../../../test/harness/test-app.js';
import { dialects } from '../../../test/harness/test-database.js';

describe.each(dialects)('customer context beside a ticket on %s', (dialect) => {
  let app: TestApp;
  let acme: Tenant;
  let globex: Tenant;
  let ada: string;
  let gina: string;
  let current: string;
  let other: string;
  let closed: string;
  let colleague: string;
  let globexOnly: string;

  const actor = (id: number): TicketActor => ({ kind: 'user', id, label: 'agent', can: () => true });
  const service = (tenant: Tenant) => createTicketService({ db: app.services.db, dialect, clock: () => new Date(), events: app.services.events, files: app.services.files }, tenant, app.services.catalog.translator('en'));

  beforeAll(async () => {
    app = await createTestApp(dialect);
    acme = await app.createTenant('acme');
    globex = await app.createTenant('globex');
    const adaId = await app.createStaff(acme.id, 'supervisor', 'ada@acme.test');
    const ginaId = await app.createStaff(globex.id, 'agent', 'gina@globex.test');
    const scope = tenantScope(app.services.db, acme.id);
    const org = (await scope.insertInto('organisations', { name: 'Customer Ltd', number: 'K-100', email_domains: 'customer.test', phone: '030 1234567', address: 'Hauptstraße 1\n10115 Berlin' }).returning('id').executeTakeFirstOrThrow()).id;
    const carla = (await scope.insertInto('people', { organisation_id: org, name: 'Carla Kunde', email: 'carla@customer.test', phone: '+49 170 5551234' }).returning('id').executeTakeFirstOrThrow()).id;
    const otto = (await scope.insertInto('people', { organisation_id: org, name: 'Otto Other', email: 'otto@customer.test' }).returning('id').executeTakeFirstOrThrow()).id;
    const contract = (await scope.insertInto('contracts', { organisation_id: org, name: 'Full service', number: 'V-1', valid_from: '2020-01-01', valid_to: '2099-12-31' }).returning('id').executeTakeFirstOrThrow()).id;
    const me = actor(adaId);
    current = (await service(acme).create({ subject: 'Printer jams', description: 'x', requesterId: carla, organisationId: org, contractId: contract }, me)).number;
    other = (await service(acme).create({ subject: 'VPN drops', description: 'x', requesterId: carla, organisationId: org }, me)).number;
    colleague = (await service(acme).create({ subject: 'Scanner offline', description: 'x', requesterId: otto, organisationId: org }, me)).number;
    closed = (await service(acme).create({ subject: 'Old mail quota', description: 'x', requesterId: otto, organisationId: org }, me)).number;
    await service(acme).changeStatus(closed, 'solved', me);
    for (let i = 0; i < 5; i++) await service(globex).create({ subject: `Globex ${i}`, description: 'x' }, actor(ginaId));
    globexOnly = (await service(globex).create({ subject: 'Globex secret', description: 'x' }, actor(ginaId))).number;
    ada = await app.signIn('ada@acme.test', 'acme');
    gina = await app.signIn('gina@globex.test', 'globex');
  }, 60_000);
  afterAll(() => app.cleanup());

  it('shows phone as tel:, e-mail as mailto:, address, contract validity, open and recent tickets, and a prefilled new ticket', async () => {
    const page = await (await app.request(`/t/acme/desk/tickets/${current}`, { cookie: ada })).text();
    expect(page).toContain(`hx-get="/t/acme/desk/tickets/${current}/context"`);
    const response = await app.request(`/t/acme/desk/tickets/${current}/context`, { cookie: ada });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('href="tel:+491705551234"');
    expect(html).toContain('href="tel:+49301234567"');
    expect(html).toContain('href="mailto:carla@customer.test"');
    expect(html).toContain('Hauptstraße 1');
    expect(html).toContain('data-validity="valid"');
    // The person's other open ticket, the organisation's open ones (not this one), the recently solved.
    const section = (id: string) => new RegExp(`id="${id}">([\\s\\S]*?)</ul>`).exec(html)?.[1] ?? '';
    expect(section('context-person-open')).toContain(other);
    expect(section('context-person-open')).not.toContain(current);
    expect(section('context-organisation-open')).toContain(colleague);
    expect(section('context-recent-closed')).toContain(closed);
    expect(html).toMatch(/id="context-new-ticket" href="\/t\/acme\/desk\/tickets\/new\?requester_id=\d+&amp;organisation_id=\d+"/);
  });

  it('never shows another tenant’s ticket or lets another tenant’s agent in', async () => {
    // Numbers run per tenant: Globex's sixth ticket has no namesake here.
    expect([current, other, colleague, closed]).not.toContain(globexOnly);
    const missing = await app.request(`/t/acme/desk/tickets/${globexOnly}/context`, { cookie: ada });
    expect(missing.status).toBe(404);
    expect(await missing.text()).not.toContain('Globex secret');
    const foreign = await app.request(`/t/acme/desk/tickets/${current}/context`, { cookie: gina });
    expect([302, 303, 401, 403, 404]).toContain(foreign.status);
    expect(await foreign.text()).not.toContain('Carla');
  });

  it('loads beside a deleted ticket for whoever may see it (an admin), and for nobody else', async () => {
    const adminId = await app.createStaff(acme.id, 'admin', 'adam@acme.test');
    const carla = await tenantScope(app.services.db, acme.id).selectFrom('people').select(['id', 'organisation_id']).where('email', '=', 'carla@customer.test').executeTakeFirstOrThrow();
    const gone = (await service(acme).create({ subject: 'Deleted by mistake', description: 'x', requesterId: carla.id, organisationId: carla.organisation_id }, actor(adminId))).number;
    await service(acme).remove(gone, actor(adminId));
    const adam = await app.signIn('adam@acme.test', 'acme');
    const shown = await app.request(`/t/acme/desk/tickets/${gone}/context`, { cookie: adam, headers: { 'HX-Request': 'true' } });
    expect(shown.status).toBe(200);
    expect(await shown.text()).toContain('href="mailto:carla@customer.test"');
    expect((await app.request(`/t/acme/desk/tickets/${gone}/context`, { cookie: ada })).status).toBe(404);
  });
});
