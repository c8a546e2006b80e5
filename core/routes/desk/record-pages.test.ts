import { CompiledQuery, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enablePlugin } from '../../plugin-host/plugin-switches.js';
import { recordTicketsPageQuery, type RecordColumn } from '../../people/record-queries.js';
import { tenantScope } from '../../tenancy/tenant-scope.js';
import { tenantTicketService } from '../../tickets/ticket-context.js';
import type { TicketStatus } from '../../db/schema.js';
import { recordPanelsPlugin } from '../../../test/plugins/record-panels-plugin.js';
import { createTestApp, type TestApp } from '../../../test/harness/test-app.js';
import { dialects } from '../../../test/harness/test-database.js';

/** The ticket numbers of a page's ticket table, in order. */
const numbers = (html: string) => [...html.matchAll(/id="record-ticket-([0-9-]+)"/g)].map((m) => m[1]);
const count = (html: string, filter: 'active' | 'all') => html.match(new RegExp(`id="record-filter-${filter}"[^>]*>.*?<span class="queue-count">(\\d+)</span>`, 's'))?.[1];

describe.each(dialects)('record pages on %s', (dialect) => {
  let app: TestApp;
  let acme: number;
  let globex: number;
  let agent: string;
  let admin: string;
  let organisationId: number;
  let carlaId: number;
  let maxId: number;
  let contractId: number;
  let globexIds: { organisation: number; person: number; contract: number };
  /** ACME's tickets of the customer, latest change first, and their statuses. */
  const made: Array<{ number: string; status: TicketStatus }> = [];
  let deletedNumber: string;

  beforeAll(async () => {
    app = await createTestApp(dialect, [recordPanelsPlugin]);
    acme = (await app.createTenant('acme')).id;
    globex = (await app.createTenant('globex')).id;
    const adminId = await app.createStaff(acme, 'admin', 'admin@acme.test');
    await app.createStaff(acme, 'agent', 'agent@acme.test');
    agent = await app.signIn('agent@acme.test', 'acme');
    admin = await app.signIn('admin@acme.test', 'acme');
    const scope = tenantScope(app.services.db, acme);
    organisationId = (await scope.insertInto('organisations', { name: 'Customer Ltd', number: 'K-1', email_domains: 'customer.test', phone: '+49 30 1234', address: 'Hauptstr. 1\n10115 Berlin' }).returning('id').executeTakeFirstOrThrow()).id;
    const otherId = (await scope.insertInto('organisations', { name: 'Other GmbH' }).returning('id').executeTakeFirstOrThrow()).id;
    carlaId = (await scope.insertInto('people', { name: 'Carla Kunde', email: 'carla@customer.test', organisation_id: organisationId, is_org_manager: 1, password_hash: 'secret-hash' }).returning('id').executeTakeFirstOrThrow()).id;
    maxId = (await scope.insertInto('people', { name: 'Max Muster', email: 'max@customer.test', organisation_id: organisationId }).returning('id').executeTakeFirstOrThrow()).id;
    contractId = (await scope.insertInto('contracts', { organisation_id: organisationId, name: 'Full service', number: 'V-100', valid_from: '2020-01-01', valid_to: null }).returning('id').executeTakeFirstOrThrow()).id;
    const service = await tenantTicketService(app.services, acme);
    const actor = { kind: 'user' as const, id: adminId, label: 'admin', can: () => true };
    // 24 tickets of the customer: every third one closed, Max asks for the odd ones, the first ten are under the contract.
    const statuses: TicketStatus[] = ['open', 'new', 'closed'];
    for (let i = 0; i < 24; i++) {
      const { number } = await service.create({ subject: `Customer issue ${i}`, description: 'x', organisationId, requesterId: i % 2 ? maxId : carlaId, contractId: i < 10 ? contractId : null }, actor);
      const status = statuses[i % 3]!;
      // Distinct change times: the latest change comes first on the pages.
      await scope.updateTable('tickets').set({ status, updated_at: `2026-03-${String(i + 1).padStart(2, '0')}T10:00:00.000Z` }).where('number', '=', number).execute();
      made.unshift({ number, status });
    }
    deletedNumber = (await service.create({ subject: 'Deleted one', description: 'x', organisationId, requesterId: carlaId, contractId }, actor)).number;
    await scope.updateTable('tickets').set({ deleted_at: '2026-03-30T00:00:00.000Z', updated_at: '2026-03-30T00:00:00.000Z' }).where('number', '=', deletedNumber).execute();
    await service.create({ subject: 'Other customer', description: 'x', organisationId: otherId }, actor);
    // Tickets are opened under valid contracts only; this one has run out since.
    await scope.updateTable('contracts').set({ valid_to: '2021-12-31' }).where('id', '=', contractId).execute();

    const globexScope = tenantScope(app.services.db, globex);
    const globexOrganisation = (await globexScope.insertInto('organisations', { name: 'Globex secret customer' }).returning('id').executeTakeFirstOrThrow()).id;
    globexIds = {
      organisation: globexOrganisation,
      person: (await globexScope.insertInto('people', { name: 'Globex person', organisation_id: globexOrganisation }).returning('id').executeTakeFirstOrThrow()).id,
      contract: (await globexScope.insertInto('contracts', { organisation_id: globexOrganisation, name: 'Globex contract', number: 'G-1' }).returning('id').executeTakeFirstOrThrow()).id,
    };
  });
  afterAll(() => app.cleanup());

  const active = () => made.filter((m) => m.status !== 'closed');

  it('shows a customer: facts, contact persons, contracts, and its active tickets latest change first, paged', async () => {
    const response = await app.request(`/t/acme/desk/organisations/${organisationId}`, { cookie: agent });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('<h1>Customer Ltd</h1>');
    // Reached from tickets: Tickets is the current entry, not the dashboard above it.
    expect(html).toMatch(/id="nav-tickets" aria-current="page"/);
    expect(html).not.toMatch(/id="nav-dashboard" aria-current/);
    expect(html).toMatch(/id="fact-number".*K-1/s);
    expect(html).toContain('customer.test');
    expect(html).toContain(`href="/t/acme/desk/people/${carlaId}"`);
    expect(html).toContain(`href="/t/acme/desk/people/${maxId}"`);
    expect(html).toContain(`href="/t/acme/desk/contracts/${contractId}"`);
    expect(html).toContain('data-validity="expired"');
    expect(count(html, 'active')).toBe(String(active().length));
    expect(count(html, 'all')).toBe('24');
    expect(numbers(html)).toEqual(active().slice(0, 16).map((m) => m.number));
    expect(html).not.toContain('Other customer');
    expect(html).toContain(`href="/t/acme/desk/tickets?queue=all&amp;organisation=${organisationId}"`);
    // Agents read; only those who manage people get the edit link.
    expect(html).not.toContain('id="record-edit"');
    expect(await (await app.request(`/t/acme/desk/organisations/${organisationId}`, { cookie: admin })).text()).toContain(`href="/t/acme/admin/organisations/${organisationId}"`);
  });

  it('filters all tickets (closed ones too, never deleted ones) and pages through them', async () => {
    const first = await (await app.request(`/t/acme/desk/organisations/${organisationId}?status=all`, { cookie: agent })).text();
    expect(numbers(first)).toEqual(made.slice(0, 20).map((m) => m.number));
    expect(first).toContain('rel="next"');
    expect(first).toContain(`href="/t/acme/desk/organisations/${organisationId}?status=all&amp;page=2"`);
    const second = await (await app.request(`/t/acme/desk/organisations/${organisationId}?status=all&page=2`, { cookie: agent })).text();
    expect(numbers(second)).toEqual(made.slice(20).map((m) => m.number));
    expect(second).not.toContain(deletedNumber);
    // An unknown filter or page falls back to the defaults instead of failing.
    const odd = await app.request(`/t/acme/desk/organisations/${organisationId}?status=bogus&page=-3`, { cookie: agent });
    expect(odd.status).toBe(200);
    expect(numbers(await odd.text())).toEqual(active().slice(0, 16).map((m) => m.number));
  });

  it('shows a contact person with their customer and the tickets they asked for, without the password hash', async () => {
    const html = await (await app.request(`/t/acme/desk/people/${maxId}?status=all`, { cookie: agent })).text();
    expect(html).toContain('<h1>Max Muster</h1>');
    expect(html).toContain(`id="person-organisation">Customer Ltd</a>`);
    expect(html).toContain('mailto:max@customer.test');
    expect(numbers(html)).toEqual(made.filter((_, i) => (23 - i) % 2 === 1).map((m) => m.number));
    const carla = await (await app.request(`/t/acme/desk/people/${carlaId}`, { cookie: agent })).text();
    expect(carla).toContain('manager');
    expect(carla).not.toContain('secret-hash');
  });

  it('shows a contract with its customer, validity and the tickets under it', async () => {
    const html = await (await app.request(`/t/acme/desk/contracts/${contractId}?status=all`, { cookie: agent })).text();
    expect(html).toContain('<h1>Full service</h1>');
    expect(html).toContain(`id="contract-organisation">Customer Ltd</a>`);
    expect(html).toMatch(/id="fact-validity".*data-validity="expired"/s);
    expect(numbers(html)).toEqual(made.slice(14).map((m) => m.number));
    expect(html).not.toContain('id="record-edit"');
    expect(await (await app.request(`/t/acme/desk/contracts/${contractId}`, { cookie: admin })).text())
      .toContain(`href="/t/acme/admin/organisations/${organisationId}/contracts/${contractId}"`);
  });

  it('answers 404 for another tenant\'s customer, person or contract, and for ids that are none', async () => {
    const paths = [
      `/desk/organisations/${globexIds.organisation}`, `/desk/people/${globexIds.person}`, `/desk/contracts/${globexIds.contract}`,
      '/desk/organisations/999999', '/desk/people/abc', '/desk/contracts/1.5',
    ];
    for (const path of paths) {
      const response = await app.request(`/t/acme${path}`, { cookie: admin });
      expect(`${path} -> ${response.status}`).toBe(`${path} -> 404`);
      expect(await response.text()).not.toContain('Globex');
    }
    // And the other way round: ACME's records are nothing in Globex, even to a Globex admin.
    await app.createStaff(globex, 'admin', 'admin@globex.test');
    const globexAdmin = await app.signIn('admin@globex.test', 'globex');
    for (const path of [`/desk/organisations/${organisationId}`, `/desk/people/${carlaId}`, `/desk/contracts/${contractId}`]) {
      expect((await app.request(`/t/globex${path}`, { cookie: globexAdmin })).status, path).toBe(404);
    }
  });

  it('sends visitors who are not signed in to the sign-in page', async () => {
    const response = await app.request(`/t/acme/desk/people/${carlaId}`);
    expect(response.status).toBe(303);
    expect(response.headers.get('Location')).toContain('/t/acme/login');
  });

  it('renders the plugins\' panels with the record only while the plugin is on for the tenant', async () => {
    const paths = { organisation: `/desk/organisations/${organisationId}`, person: `/desk/people/${carlaId}`, contract: `/desk/contracts/${contractId}` };
    for (const path of Object.values(paths)) expect(await (await app.request(`/t/acme${path}`, { cookie: agent })).text()).not.toContain('id="panel-');
    await enablePlugin(app.services.db, app.services.registry, acme, 'panels');
    const page = async (path: string) => (await app.request(`/t/acme${path}`, { cookie: agent })).text();
    expect(await page(paths.organisation)).toContain('Panel of Customer Ltd: 2 contact persons');
    expect(await page(paths.person)).toContain('Panel of Carla Kunde (carla@customer.test; hash: absent)');
    expect(await page(paths.contract)).toContain('Panel of V-100 for Customer Ltd');
  });

  it('links the ticket page\'s requester, customer and contract to their record pages', async () => {
    const html = await (await app.request(`/t/acme/desk/tickets/${made[made.length - 1]!.number}`, { cookie: agent })).text();
    expect(html).toContain(`href="/t/acme/desk/people/${carlaId}" id="ticket-requester-link"`);
    expect(html).toContain(`href="/t/acme/desk/organisations/${organisationId}" id="ticket-organisation-link"`);
    expect(html).toContain(`href="/t/acme/desk/contracts/${contractId}" id="ticket-contract-link"`);
  });

  it('links the admin edit pages to the record pages', async () => {
    expect(await (await app.request(`/t/acme/admin/organisations/${organisationId}`, { cookie: admin })).text()).toContain(`href="/t/acme/desk/organisations/${organisationId}"`);
    expect(await (await app.request(`/t/acme/admin/people/${carlaId}`, { cookie: admin })).text()).toContain(`href="/t/acme/desk/people/${carlaId}"`);
    expect(await (await app.request(`/t/acme/admin/organisations/${organisationId}/contracts/${contractId}`, { cookie: admin })).text()).toContain(`href="/t/acme/desk/contracts/${contractId}"`);
  });

  it.each<RecordColumn>(['organisation_id', 'requester_id', 'contract_id'])('reads a page of tickets by %s from its index', async (column) => {
    const index = { organisation_id: 'tickets_tenant_org_updated', requester_id: 'tickets_live_requester', contract_id: 'tickets_live_contract' }[column];
    // A record with few tickets among many (here: none): most of a tenant's customers, people and contracts.
    const compiled = recordTicketsPageQuery(tenantScope(app.services.db, acme), column, 424242, { status: 'all', page: 1, pageSize: 20 }).compile();
    const plan = await app.services.db.transaction().execute(async (trx) => {
      if (dialect === 'postgres') {
        await sql`analyze tickets`.execute(trx);
        await sql`set local enable_seqscan = off`.execute(trx);
        const result = await trx.executeQuery(CompiledQuery.raw(`explain ${compiled.sql}`, [...compiled.parameters]));
        return result.rows.map((r) => String(Object.values(r as object)[0])).join('\n');
      }
      const result = await trx.executeQuery(CompiledQuery.raw(`explain query plan ${compiled.sql}`, [...compiled.parameters]));
      return result.rows.map((r) => String((r as { detail: string }).detail)).join('\n');
    });
    expect(plan).toContain(index);
  });
});
