import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tenant } from '../../db/schema.js';
import { tenantScope } from '../../tenancy/tenant-scope.js';
import { createTicketService, type TicketActor } from '../../tickets/ticket-service.js';
import { createTestApp, type TestApp } from '../../../test/harness/test-app.js';
import { dialects } from '../../../test/harness/test-database.js';

const htmx = (cookie: string) => ({ 'HX-Request': 'true', cookie });
/** A form body with repeated `ticket` fields. */
const form = (numbers: string[], values: Record<string, string>) => new URLSearchParams([...numbers.map((n) => ['ticket', n] as [string, string]), ...Object.entries(values)]);
const totalOf = (html: string) => Number(/(\d+) in total/.exec(html)?.[1]);
const tabCount = (html: string, queue: string) => Number(new RegExp(`data-count="${queue}">(\\d+)<`).exec(html)?.[1]);
const viewCount = (html: string, view: string) => Number(new RegExp(`data-view-count="${view}">(\\d+)<`).exec(html)?.[1]);
const tileCount = (html: string, queue: string) => Number(new RegExp(`data-count="${queue}"><span class="stat-value">(\\d+)<`).exec(html)?.[1]);
const statusTile = (html: string, status: string) => Number(new RegExp(`data-status-count="${status}"><span class="stat-value">(\\d+)<`).exec(html)?.[1]);

describe.each(dialects)('ticket list counts, views and bulk actions on %s', (dialect) => {
  let app: TestApp;
  let acme: Tenant;
  let globex: Tenant;
  let ada: string;
  let viewer: string;
  let gina: string;
  let adaId: number;
  let group: number;
  const numbers: string[] = [];
  let globexNumber: string;

  const actor = (id: number, label: string, ...rights: string[]): TicketActor => ({ kind: 'user', id, label, can: (key) => rights.includes(key) });
  const service = (tenant: Tenant) => createTicketService({ db: app.services.db, dialect, clock: () => new Date(), events: app.services.events, files: app.services.files }, tenant, app.services.catalog.translator('en'));
  const page = async (path: string, cookie = ada) => {
    const response = await app.request(`/t/acme${path}`, { cookie });
    expect(response.status).toBe(200);
    return response.text();
  };

  beforeAll(async () => {
    app = await createTestApp(dialect);
    acme = await app.createTenant('acme');
    globex = await app.createTenant('globex');
    adaId = await app.createStaff(acme.id, 'supervisor', 'ada@acme.test');
    const bobId = await app.createStaff(acme.id, 'agent', 'bob@acme.test');
    await app.createStaff(acme.id, 'agent', 'vic@acme.test');
    const ginaId = await app.createStaff(globex.id, 'supervisor', 'gina@globex.test');
    const scope = tenantScope(app.services.db, acme.id);
    group = (await scope.insertInto('support_groups', { name: 'Servicedesk', level: 'first' }).returning('id').executeTakeFirstOrThrow()).id;
    const other = (await scope.insertInto('support_groups', { name: 'Systems', level: 'second' }).returning('id').executeTakeFirstOrThrow()).id;
    await scope.insertInto('group_members', [{ group_id: group, user_id: adaId }, { group_id: other, user_id: bobId }]).execute();
    // The fixture: tickets in every status, in ada's group and the other one, hers, bob's and nobody's.
    const ada_ = actor(adaId, 'ada', 'tickets.edit', 'tickets.close');
    const bob_ = actor(bobId, 'bob', 'tickets.edit', 'tickets.close');
    for (let i = 0; i < 14; i++) {
      const ticket = await service(acme).create({ subject: `Fixture ${i}`, description: 'x', groupId: i % 3 === 0 ? other : group }, ada_);
      numbers.push(ticket.number);
      if (i % 7 === 1) await service(acme).accept(ticket.number, ada_);
      if (i % 7 === 2) await service(acme).accept(ticket.number, bob_);
      if (i % 7 === 3) { await service(acme).accept(ticket.number, ada_); await service(acme).changeStatus(ticket.number, 'waiting', ada_); }
      if (i % 7 === 4) { await service(acme).accept(ticket.number, bob_); await service(acme).changeStatus(ticket.number, 'solved', bob_); }
      if (i % 7 === 5) { await service(acme).changeStatus(ticket.number, 'solved', ada_); await service(acme).changeStatus(ticket.number, 'closed', ada_); }
      if (i % 7 === 6) await service(acme).changeStatus(ticket.number, 'waiting', ada_);
    }
    globexNumber = (await service(globex).create({ subject: 'Globex ticket', description: 'x' }, actor(ginaId, 'gina', 'tickets.edit'))).number;
    ada = await app.signIn('ada@acme.test', 'acme');
    viewer = await app.signIn('vic@acme.test', 'acme');
    gina = await app.signIn('gina@globex.test', 'globex');
  }, 120_000);
  afterAll(() => app.cleanup());

  it('counts each set once: dashboard tile = tab = list total, view chip = list total, status tile = filtered total', async () => {
    const dashboard = await page('/desk');
    for (const queue of ['new', 'customer', 'support'] as const) {
      const list = await page(`/desk/tickets?queue=${queue}`);
      expect(tabCount(list, queue)).toBe(totalOf(list));
      expect(tileCount(dashboard, queue)).toBe(totalOf(list));
    }
    // Ticket management opens on the active tickets its tab counts.
    const management = await page('/desk/tickets?queue=all');
    expect(tabCount(management, 'all')).toBe(totalOf(management));
    expect(totalOf(management)).toBe(10);
    // "any" status lists every ticket (and says so): 14.
    expect(totalOf(await page('/desk/tickets?queue=all&status='))).toBe(14);
    for (const view of ['mine', 'unassigned']) {
      const link = new RegExp(`href="([^"]+)" class="quick-view" data-view="${view}"`).exec(management)?.[1]?.replaceAll('&amp;', '&');
      expect(link).toBeDefined();
      const list = await page(link!.replace('/t/acme', ''));
      expect(viewCount(management, view)).toBe(totalOf(list));
      expect(viewCount(list, view)).toBe(totalOf(list));
    }
    expect(Number(/id="my-open">(\d+)</.exec(dashboard)?.[1])).toBe(viewCount(management, 'mine'));
    for (const status of ['new', 'open', 'waiting', 'solved'] as const) {
      expect(statusTile(dashboard, status)).toBe(totalOf(await page(`/desk/tickets?queue=all&status=${status}`)));
    }
  });

  it('offers checkboxes and only the allowed actions; a viewer without edit rights gets none and is refused', async () => {
    const list = await page('/desk/tickets?queue=all');
    expect(list).toContain('data-bulk-all');
    expect(list).toContain('<option value="close"');
    await tenantScope(app.services.db, acme.id).updateTable('users').set({ role: 'agent' }).where('email', '=', 'vic@acme.test').execute();
    const agentList = await page('/desk/tickets?queue=all', viewer);
    // Closing needs a supervisor in this tenant's default settings.
    expect(agentList).toContain('data-bulk-check');
    expect(agentList).not.toContain('<option value="close"');
    const refused = await app.request('/t/acme/desk/tickets/bulk', { method: 'POST', headers: htmx(viewer), body: form([numbers[0]!], { bulk_action: 'close' }) });
    expect(refused.status).toBe(403);
  });

  it('closes three tickets and answers with the summary in the reader’s language, refusals with their reason', async () => {
    const [a, b, c] = [numbers[7]!, numbers[8]!, numbers[12]!]; // new, open, closed
    const response = await app.request('/t/acme/desk/tickets/bulk', { method: 'POST', headers: htmx(ada), body: form([a, b, c], { bulk_action: 'close' }) });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('2 changed, 0 already so, 1 refused.');
    expect(html).toContain(`#${c}: A closed ticket cannot be changed.`);
    const rows = await tenantScope(app.services.db, acme.id).selectFrom('tickets').select(['number', 'status']).where('number', 'in', [a, b]).execute();
    expect(rows.map((r) => r.status)).toEqual(['closed', 'closed']);
    // In German for a German reader.
    await tenantScope(app.services.db, acme.id).updateTable('users').set({ locale: 'de' }).where('id', '=', adaId).execute();
    const german = await app.request('/t/acme/desk/tickets/bulk', { method: 'POST', headers: htmx(ada), body: form([numbers[9]!], { bulk_action: 'priority', to_priority: '4' }) });
    expect(await german.text()).toContain('1 geändert, 0 bereits so, 0 abgelehnt.');
    await tenantScope(app.services.db, acme.id).updateTable('users').set({ locale: null }).where('id', '=', adaId).execute();
  });

  it('refuses a missing value or selection with a field message, not a 500, and changes nothing', async () => {
    const missing = await app.request('/t/acme/desk/tickets/bulk', { method: 'POST', headers: htmx(ada), body: form([numbers[10]!], { bulk_action: 'forward' }) });
    expect(missing.status).toBe(422);
    expect(await missing.text()).toContain('Choose what to change it to.');
    const none = await app.request('/t/acme/desk/tickets/bulk', { method: 'POST', headers: htmx(ada), body: form([], { bulk_action: 'priority', to_priority: '1' }) });
    expect(none.status).toBe(422);
    const unknownGroup = await app.request('/t/acme/desk/tickets/bulk', { method: 'POST', headers: htmx(ada), body: form([numbers[10]!], { bulk_action: 'forward', to_group: '999999' }) });
    expect(unknownGroup.status).toBe(422);
    // Without JavaScript: back to the list with the summary as a message.
    const plain = await app.request('/t/acme/desk/tickets/bulk', { method: 'POST', cookie: ada, body: form([numbers[10]!], { bulk_action: 'priority', to_priority: '3' }) });
    expect(plain.status).toBe(303);
  });

  it('never reaches another tenant: the number names this tenant’s ticket only, and another tenant’s agent cannot post here', async () => {
    // Numbers run per tenant: the same number in this tenant's list is this tenant's ticket, never Globex's.
    await app.request('/t/acme/desk/tickets/bulk', { method: 'POST', headers: htmx(ada), body: form([globexNumber], { bulk_action: 'priority', to_priority: '1' }) });
    const theirs = await tenantScope(app.services.db, globex.id).selectFrom('tickets').select('priority').where('number', '=', globexNumber).executeTakeFirstOrThrow();
    expect(theirs.priority).toBe(2);
    const unknown = await app.request('/t/acme/desk/tickets/bulk', { method: 'POST', headers: htmx(ada), body: form(['1999-999999'], { bulk_action: 'priority', to_priority: '1' }) });
    expect(await unknown.text()).toContain('0 changed, 0 already so, 1 refused.');
    // Globex's agent, signed in at globex, posting to acme's route: not theirs (htmx gets 204 with HX-Redirect to the sign-in).
    const foreign = await app.request('/t/acme/desk/tickets/bulk', { method: 'POST', headers: htmx(gina), body: form([numbers[1]!], { bulk_action: 'priority', to_priority: '1' }) });
    expect([204, 302, 303, 401, 403, 404]).toContain(foreign.status);
    const ours = await tenantScope(app.services.db, acme.id).selectFrom('tickets').select('priority').where('number', '=', numbers[1]!).executeTakeFirstOrThrow();
    expect(ours.priority).toBe(2);
  });
});
