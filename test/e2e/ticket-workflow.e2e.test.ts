import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tenant } from '../../core/db/schema.js';
import { createUser } from '../../core/people/user-service.js';
import { createTenant } from '../../core/tenancy/tenant-service.js';
import { tenantScope } from '../../core/tenancy/tenant-scope.js';
import { createTicketService } from '../../core/tickets/ticket-service.js';
import { PHONE, hasHorizontalScroll, launchBrowser, newContext, signInThroughForm, POLL } from '../harness/browser.js';
import { startTestServer, type TestServer } from '../harness/test-server.js';

const PASSWORD = 'e2e password 1234';

/** The whole servicecall in the browser: log, process, solve, close, by three people at once. */
describe('ticket lifecycle with two agents and a supervisor in real browsers', () => {
  let server: TestServer;
  let browser: Browser;
  let tenant: Tenant;
  let tenantUrl: string;
  let number: string;

  beforeAll(async () => {
    server = await startTestServer([]);
    const { db, database, clock, events, files, config, catalog } = server.tresen.services;
    tenant = await createTenant(db, { slug: 'acme', name: 'ACME Service', locale: 'en' });
    const ids = [];
    for (const [email, name, role] of [['ada@acme.test', 'Ada Agent', 'agent'], ['bob@acme.test', 'Bob Agent', 'agent'], ['sue@acme.test', 'Sue Supervisor', 'supervisor']] as const) {
      ids.push(await createUser(db, { tenantId: tenant.id, email, name, role, password: PASSWORD }, config.scryptLogN));
    }
    const scope = tenantScope(db, tenant.id);
    const group = await scope.insertInto('support_groups', { name: 'Servicedesk', level: 'first' }).returning('id').executeTakeFirstOrThrow();
    await scope.insertInto('group_members', ids.map((id) => ({ group_id: group.id, user_id: id }))).execute();
    const service = createTicketService({ db, dialect: database.dialect, clock, events, files }, tenant, catalog.translator('en'));
    const ticket = await service.create({ subject: 'VPN drops every ten minutes', description: 'Working from home, the VPN disconnects regularly.', requesterEmail: 'carla@customer.test', groupId: group.id, channel: 'phone' }, { kind: 'system', label: 'test' });
    number = ticket.number;
    tenantUrl = `${server.url}/t/acme`;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function signedIn(email: string, viewport?: { width: number; height: number }): Promise<Page> {
    const context = await newContext(browser, viewport ? { viewport } : {});
    const page = await context.newPage();
    await signInThroughForm(page, tenantUrl, email, PASSWORD);
    return page;
  }

  async function openLive(page: Page, path: string): Promise<void> {
    const connected = page.waitForResponse((r) => r.url().endsWith('/t/acme/events'));
    await page.goto(`${tenantUrl}${path}`);
    await connected;
  }

  it('A accepts and replies, B sees the queues change live, the supervisor closes; an agent cannot', { timeout: 60_000 }, async () => {
    const ada = await signedIn('ada@acme.test');
    const bob = await signedIn('bob@acme.test');
    await openLive(bob, '/desk/tickets?queue=new');
    const row = bob.locator(`[data-ticket-row][data-number="${number}"]`);
    await row.waitFor();

    // A takes the ticket: it leaves B's New tab without a reload.
    await ada.goto(`${tenantUrl}/desk/tickets/${number}`);
    await ada.locator('#action-accept').click();
    await expect.poll(() => ada.locator('#ticket-status').textContent(), POLL).toBe('Customer waits');
    await row.waitFor({ state: 'detached', timeout: 2000 });
    await expect.poll(() => bob.locator('[data-count="customer"]').textContent(), POLL).toBe('1');

    // B switches to Customer waits and stays there; A asks the customer back.
    await openLive(bob, '/desk/tickets?queue=customer');
    await bob.locator(`[data-ticket-row][data-number="${number}"]`).waitFor();
    await ada.locator('#composer-reply').check();
    await ada.locator('#f-body').fill('Which VPN client version do you use?');
    await ada.locator('#f-statusAfter').selectOption('waiting');
    await ada.locator('#composer-send').click();
    await ada.locator('.entry-reply', { hasText: 'Which VPN client version' }).waitFor();
    await expect.poll(() => ada.locator('#ticket-status').textContent(), POLL).toBe('Support waits');
    await bob.locator(`[data-ticket-row][data-number="${number}"]`).waitFor({ state: 'detached', timeout: 2000 });
    await expect.poll(() => bob.locator('[data-count="support"]').textContent(), POLL).toBe('1');

    // A solves it; as an agent A is not offered to close it, and the server refuses when asked anyway.
    await ada.locator('#action-solved').click();
    await expect.poll(() => ada.locator('#ticket-status').textContent(), POLL).toBe('Solved');
    expect(await ada.locator('#action-closed').count()).toBe(0);
    const refused = await ada.evaluate(async ([url]) => {
      const response = await fetch(url!, { method: 'POST', body: new URLSearchParams({ to: 'closed' }), headers: { 'HX-Request': 'true' } });
      return response.status;
    }, [`${tenantUrl}/desk/tickets/${number}/status`]);
    expect(refused).toBe(403);

    // The supervisor closes it, on a phone.
    const sue = await signedIn('sue@acme.test', PHONE);
    await sue.goto(`${tenantUrl}/desk/tickets/${number}`);
    expect(await hasHorizontalScroll(sue)).toBe(false);
    await sue.locator('#action-closed').click();
    await expect.poll(() => sue.locator('#ticket-status').textContent(), POLL).toBe('Closed');
    // A's open ticket page follows along without a reload.
    await ada.locator('#ticket-status', { hasText: 'Closed' }).waitFor({ timeout: 2000 });
    await expect.poll(() => sue.locator('#ticket-timeline').textContent(), POLL).toContain('Which VPN client version do you use?');
  });
});
