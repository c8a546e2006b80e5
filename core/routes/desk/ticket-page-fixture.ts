import type { Dialect } from '../../db/create-database.js';
import type { Tenant } from '../../db/schema.js';
import type { Clock } from '../../time.js';
import { tenantScope } from '../../tenancy/tenant-scope.js';
import { createTicketService, type NewTicketInput, type TicketActor } from '../../tickets/ticket-service.js';
import { createTestApp, type TestApp } from '../../../test/harness/test-app.js';

/** Test setup shared by the ticket page's tests: two tenants, staff of every role, groups, a customer, categories and custom fields. */
export async function ticketPageFixture(dialect: Dialect, options: { clock?: Clock } = {}) {
  const app: TestApp = await createTestApp(dialect, [], options);
  const acme = await app.createTenant('acme');
  const globex = await app.createTenant('globex');
  const agentId = await app.createStaff(acme.id, 'agent', 'agent@acme.test');
  const supervisorId = await app.createStaff(acme.id, 'supervisor', 'sue@acme.test');
  const adminId = await app.createStaff(acme.id, 'admin', 'admin@acme.test');
  const globexAgentId = await app.createStaff(globex.id, 'agent', 'agent@globex.test');
  const scope = tenantScope(app.services.db, acme.id);
  const [firstLevel, secondLevel] = (await scope.insertInto('support_groups', [{ name: 'Servicedesk', level: 'first' }, { name: 'Systems', level: 'second' }]).returning('id').execute()).map((g) => g.id) as [number, number];
  await scope.insertInto('group_members', [{ group_id: firstLevel, user_id: agentId }, { group_id: secondLevel, user_id: supervisorId }]).execute();
  const organisationId = (await scope.insertInto('organisations', { name: 'Customer Ltd', email_domains: 'customer.test' }).returning('id').executeTakeFirstOrThrow()).id;
  const otherOrganisationId = (await scope.insertInto('organisations', { name: 'Other GmbH', email_domains: 'other.test' }).returning('id').executeTakeFirstOrThrow()).id;
  const requesterId = (await scope.insertInto('people', { name: 'Carla Kunde', email: 'carla@customer.test', organisation_id: organisationId }).returning('id').executeTakeFirstOrThrow()).id;
  const contractId = (await scope.insertInto('contracts', { organisation_id: organisationId, name: 'Full service', number: 'V-100', valid_from: null, valid_to: null }).returning('id').executeTakeFirstOrThrow()).id;
  await scope.insertInto('ticket_categories', [{ name: 'Hardware', position: 1, active: 1 }, { name: 'Software', position: 2, active: 1 }]).execute();
  await scope.insertInto('ticket_fields', [
    { key: 'serial', label: 'Serial number', type: 'text', options: '[]', required: 1, categories: '["Hardware"]', position: 1, active: 1 },
    { key: 'impact', label: 'Impact', type: 'select', options: '["one user","department","company"]', required: 0, categories: '[]', position: 2, active: 1 },
    { key: 'onsite', label: 'On site', type: 'checkbox', options: '[]', required: 0, categories: '[]', position: 3, active: 1 },
  ]).execute();
  // Ticket numbers count per tenant: Globex's start far away so a Globex number never names an ACME ticket.
  await app.services.db.insertInto('ticket_counters').values({ tenant_id: globex.id, year: new Date().getUTCFullYear(), last_value: 500000 }).execute();
  const globexGroup = (await tenantScope(app.services.db, globex.id).insertInto('support_groups', { name: 'Globex desk', level: 'first' }).returning('id').executeTakeFirstOrThrow()).id;

  const service = (tenant: Tenant) => createTicketService({
    db: app.services.db, dialect, clock: app.services.clock, events: app.services.events, files: app.services.files,
  }, tenant, app.services.catalog.translator('en'));
  const system: TicketActor = { kind: 'user', id: adminId, label: 'admin', can: () => true };

  /** A new ticket of ACME for Carla, in the first-level group. */
  const open = (subject = 'Printer prints blank pages', extra: Partial<NewTicketInput> = {}) => service(acme).create({
    subject, description: 'Since this morning the printer on floor 2\nprints only blank sheets.', requesterId, organisationId, contractId, groupId: firstLevel, channel: 'phone', ...extra,
  }, system);
  const openGlobex = () => service(globex).create({ subject: 'Globex secret', description: 'Globex only', groupId: globexGroup }, { kind: 'user', id: globexAgentId, label: 'g', can: () => true });
  const ticket = (number: string) => app.services.db.selectFrom('tickets').selectAll().where('number', '=', number).executeTakeFirstOrThrow();

  const cookies = {
    agent: await app.signIn('agent@acme.test', 'acme'),
    supervisor: await app.signIn('sue@acme.test', 'acme'),
    admin: await app.signIn('admin@acme.test', 'acme'),
  };
  return { app, acme, globex, agentId, supervisorId, adminId, firstLevel, secondLevel, organisationId, otherOrganisationId, requesterId, contractId, service, system, open, openGlobex, ticket, cookies };
}
export type TicketPageFixture = Awaited<ReturnType<typeof ticketPageFixture>>;

export const form = (values: Record<string, string>, cookie: string, headers: Record<string, string> = {}) =>
  ({ method: 'POST', body: new URLSearchParams(values), cookie, headers });
export const htmx = { 'HX-Request': 'true' };
