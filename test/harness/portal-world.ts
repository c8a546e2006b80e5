import { hashPassword } from '../../core/auth/password.js';
import type { Tenant } from '../../core/db/schema.js';
import { enablePlugin, updatePluginSettings } from '../../core/plugin-host/plugin-switches.js';
import { tenantScope } from '../../core/tenancy/tenant-scope.js';
import { createTicketService, type TicketActor } from '../../core/tickets/ticket-service.js';
import { cookiesOf, TEST_PASSWORD, TEST_SCRYPT_LOG_N, type TestApp } from './test-app.js';

/**
 * A tenant with the portal on: two organisations, portal users (a manager and a colleague at
 * ACME, one person at Globex), an agent, a category with a custom field and contracts. Tests
 * sign in as any of them and reach the ticket service as the agent.
 */
export async function portalWorld(app: TestApp, slug: string, settings: Record<string, unknown> = {}) {
  const { db, registry } = app.services;
  const tenant = await app.createTenant(slug);
  for (const plugin of registry.plugins) await enablePlugin(db, registry, tenant.id, plugin.id);
  await updatePluginSettings(db, registry, tenant.id, 'portal', settings);
  const scope = tenantScope(db, tenant.id);
  const passwordHash = await hashPassword(TEST_PASSWORD, TEST_SCRYPT_LOG_N);
  const [acme, globex] = (await scope.insertInto('organisations', [
    { name: 'ACME', number: 'K-1', email_domains: `acme-${slug}.test`, phone: null, address: null, notes: null },
    { name: 'Globex', number: 'K-2', email_domains: `globex-${slug}.test`, phone: null, address: null, notes: null },
  ]).returning('id').execute()).map((r) => r.id) as [number, number];
  const person = async (name: string, email: string, organisationId: number, manager = false) => (await scope.insertInto('people', {
    organisation_id: organisationId, name, email, phone: null, portal_role: 'customer', is_org_manager: manager ? 1 : 0, password_hash: passwordHash, locale: 'en', active: 1,
  }).returning('id').executeTakeFirstOrThrow()).id;
  const manager = await person('Mia Manager', `mia@acme-${slug}.test`, acme, true);
  const colleague = await person('Carl Colleague', `carl@acme-${slug}.test`, acme);
  const stranger = await person('Gus Globex', `gus@globex-${slug}.test`, globex);
  await scope.insertInto('ticket_categories', [{ name: 'Hardware', position: 1, active: 1 }, { name: 'Software', position: 2, active: 1 }]).execute();
  await scope.insertInto('ticket_fields', { key: 'asset', label: 'Asset tag', type: 'text', options: '[]', required: 1, categories: JSON.stringify(['Hardware']), position: 1, active: 1 }).execute();
  const contracts = await scope.insertInto('contracts', [
    { organisation_id: acme, name: 'ACME Gold', number: 'V-1', valid_from: '2020-01-01', valid_to: '2099-12-31' },
    { organisation_id: acme, name: 'ACME Expired', number: 'V-2', valid_from: '2020-01-01', valid_to: '2020-12-31' },
    { organisation_id: globex, name: 'Globex Basic', number: 'V-3', valid_from: null, valid_to: null },
  ]).returning('id').execute();
  const agentEmail = `agent@${slug}.test`;
  const agentId = await app.createStaff(tenant.id, 'agent', agentEmail);
  const fresh = await db.selectFrom('tenants').selectAll().where('id', '=', tenant.id).executeTakeFirstOrThrow();

  const agent: TicketActor = { kind: 'user', id: agentId, label: 'Agent Smith', can: () => true };
  const service = () => {
    const { database, clock, events, files, hooks, log } = app.services;
    return createTicketService({ db, dialect: database.dialect, clock, events, files, hooks, log }, fresh as Tenant, app.services.catalog.translator('en'));
  };
  const ticketFor = (requesterId: number, organisationId: number, subject: string) =>
    service().create({ subject, description: `About ${subject}`, requesterId, organisationId, channel: 'web' }, agent);

  return {
    tenant: fresh as Tenant, slug, base: `/t/${slug}`, scope,
    organisations: { acme, globex },
    people: { manager, colleague, stranger },
    emails: { manager: `mia@acme-${slug}.test`, colleague: `carl@acme-${slug}.test`, stranger: `gus@globex-${slug}.test` },
    contracts: { gold: contracts[0]!.id, expired: contracts[1]!.id, globex: contracts[2]!.id },
    agent, agentEmail, service, ticketFor,
    /** Signs a portal user in with the password; returns the Cookie header. */
    signIn: async (email: string, password = TEST_PASSWORD) => {
      const response = await app.request(`/t/${slug}/portal/login`, { method: 'POST', body: new URLSearchParams({ email, password }) });
      if (response.status !== 303) throw new Error(`portal sign-in as ${email} failed with ${response.status}`);
      return cookiesOf(response);
    },
  };
}
export type PortalWorld = Awaited<ReturnType<typeof portalWorld>>;

/** The newest mail to an address, and the first link in it. */
export async function lastMailTo(app: TestApp, to: string) {
  const mail = await app.services.db.selectFrom('mail_outbox').selectAll().where('to_address', '=', to).orderBy('id', 'desc').executeTakeFirst();
  const link = mail ? /https?:\/\/\S+/.exec(mail.text_body)?.[0] : undefined;
  return { mail, link, path: link ? new URL(link).pathname + new URL(link).search : undefined };
}
