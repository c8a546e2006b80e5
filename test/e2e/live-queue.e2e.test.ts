import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tenant } from '../../core/db/schema.js';
import { createUser } from '../../core/people/user-service.js';
import { createTenant } from '../../core/tenancy/tenant-service.js';
import { tenantScope } from '../../core/tenancy/tenant-scope.js';
import { createTicketService } from '../../core/tickets/ticket-service.js';
import { PHONE, hasHorizontalScroll, launchBrowser, newContext, signInThroughForm, POLL } from '../harness/browser.js';
import { startTestServer, type TestServer } from '../harness/test-server.js';

const PASSWORD = 'e2e password 1234';

describe('live ticket queue in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  let tenant: Tenant;
  let tenantUrl: string;
  let bobId: number;
  let groupId: number;

  const service = () => {
    const { db, database, clock, events, files } = server.tresen.services;
    return createTicketService({ db, dialect: database.dialect, clock, events, files }, tenant, server.tresen.services.catalog.translator('en'));
  };
  const bob = () => ({ kind: 'user' as const, id: bobId, label: 'Bob', can: (key: string) => key === 'tickets.edit' });

  beforeAll(async () => {
    server = await startTestServer([]);
    const { db, config } = server.tresen.services;
    tenant = await createTenant(db, { slug: 'acme', name: 'ACME Service', locale: 'en' });
    const adaId = await createUser(db, { tenantId: tenant.id, email: 'ada@acme.test', name: 'Ada Agent', role: 'agent', password: PASSWORD }, config.scryptLogN);
    bobId = await createUser(db, { tenantId: tenant.id, email: 'bob@acme.test', name: 'Bob Agent', role: 'agent', password: PASSWORD }, config.scryptLogN);
    const group = await tenantScope(db, tenant.id).insertInto('support_groups', { name: 'Servicedesk', level: 'first' }).returning('id').executeTakeFirstOrThrow();
    groupId = group.id;
    await tenantScope(db, tenant.id).insertInto('group_members', [{ group_id: group.id, user_id: adaId }, { group_id: group.id, user_id: bobId }]).execute();
    await service().create({ subject: 'Printer prints blank pages', description: 'Floor 2.', groupId: group.id }, bob());
    tenantUrl = `${server.url}/t/acme`;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('a ticket created elsewhere appears in the open New tab within 2 seconds, with its count, without a reload', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signInThroughForm(page, tenantUrl, 'ada@acme.test', PASSWORD);
    const connected = page.waitForResponse((r) => r.url().endsWith('/t/acme/events'));
    await page.goto(`${tenantUrl}/desk/tickets?queue=new`);
    await connected;
    await expect.poll(() => page.locator('[data-count="new"]').textContent(), POLL).toBe('1');
    // A marker in the window survives only if the page is not reloaded.
    await page.evaluate(() => { (window as unknown as { liveMarker: number }).liveMarker = 42; });
    await page.locator('#f-q').focus();

    const ticket = await service().create({ subject: 'Server room is too hot', description: 'Air conditioning failed.', groupId }, bob());
    const started = Date.now();
    await page.locator(`[data-ticket-row][data-number="${ticket.number}"]`).waitFor({ timeout: 2000 });
    expect(Date.now() - started).toBeLessThan(2000);
    await expect.poll(() => page.locator('[data-count="new"]').textContent(), POLL).toBe('2');
    expect(await page.evaluate(() => (window as unknown as { liveMarker?: number }).liveMarker)).toBe(42);
    // Typing in the search field was not disturbed by the refresh.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('f-q');

    // Accepted by a colleague of my group: it leaves the New tab and counts for Customer waits, again without a reload.
    await service().accept(ticket.number, bob());
    await page.locator(`[data-ticket-row][data-number="${ticket.number}"]`).waitFor({ state: 'detached', timeout: 2000 });
    await expect.poll(() => page.locator('[data-count="customer"]').textContent(), POLL).toBe('1');
    await context.close();
  });

  it('filters with htmx into a shareable URL, sorts by a header click and moves with j/k', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signInThroughForm(page, tenantUrl, 'ada@acme.test', PASSWORD);
    await page.goto(`${tenantUrl}/desk/tickets?queue=all`);
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('f-q');
    await page.keyboard.type('printer');
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.searchParams.get('q') === 'printer');
    await expect.poll(() => page.locator('[data-ticket-row]').count()).toBe(1);
    await expect.poll(() => page.locator('.ticket-link mark').first().textContent(), POLL).toBe('Printer');

    await page.goto(`${tenantUrl}/desk/tickets?queue=all`);
    await page.click('th a[data-sort="subject"]');
    await page.waitForURL((url) => url.searchParams.get('sort') === 'subject');
    await expect.poll(() => page.locator('th[aria-sort]').getAttribute('aria-sort')).toBe('ascending');
    await page.click('th a[data-sort="subject"]');
    await expect.poll(() => page.locator('th[aria-sort]').getAttribute('aria-sort')).toBe('descending');
    const subjects = await page.locator('.ticket-link').allTextContents();
    expect(subjects).toEqual([...subjects].sort().reverse());

    await page.locator('h1').click();
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await expect.poll(() => page.locator('[data-ticket-row][data-current]').getAttribute('data-number'), POLL).toBe(await page.locator('[data-ticket-row]').nth(1).getAttribute('data-number'));
    await page.keyboard.press('k');
    await expect.poll(() => page.locator('[data-ticket-row][data-current]').getAttribute('data-number'), POLL).toBe(await page.locator('[data-ticket-row]').nth(0).getAttribute('data-number'));
    await context.close();
  });

  it('has no horizontal scroll on a phone on any tab', async () => {
    const context = await newContext(browser, { viewport: PHONE });
    const page = await context.newPage();
    await signInThroughForm(page, tenantUrl, 'ada@acme.test', PASSWORD);
    for (const queue of ['new', 'customer', 'support', 'all']) {
      await page.goto(`${tenantUrl}/desk/tickets?queue=${queue}`);
      expect(await hasHorizontalScroll(page), queue).toBe(false);
    }
    await context.close();
  });
});
