import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../core/people/user-service.js';
import { enablePlugin } from '../../core/plugin-host/plugin-switches.js';
import { createTenant } from '../../core/tenancy/tenant-service.js';
import { tenantScope } from '../../core/tenancy/tenant-scope.js';
import { tenantTicketService } from '../../core/tickets/ticket-context.js';
import type { TicketActor } from '../../core/tickets/ticket-service.js';
import { DESKTOP, PHONE, POLL, hasHorizontalScroll, launchBrowser, newContext, signInThroughForm } from '../harness/browser.js';
import { installedPlugin } from '../harness/installed-plugin.js';
import { startTestServer, type TestServer } from '../harness/test-server.js';

const PASSWORD = 'e2e bulk password';
/** Screenshots at 390 and 1280 px in German and English go here (never committed). */
const SHOTS = process.env.BULK_SCREENSHOTS ?? join(process.cwd(), '.tmp', 'bulk-context-shots');

describe('customer context, views with counts and bulk actions in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  let base: string;
  let withCustomer = '';
  const numbers: string[] = [];

  beforeAll(async () => {
    server = await startTestServer([installedPlugin('helpdesk'), installedPlugin('sla')]);
    const services = server.tresen.services;
    const { db, config, registry } = services;
    const tenant = await createTenant(db, { slug: 'bulk', name: 'Bulk Service', locale: 'en' });
    for (const id of ['helpdesk', 'sla']) await enablePlugin(db, registry, tenant.id, id);
    const people: Array<[string, 'de' | 'en']> = [['sue@bulk.test', 'en'], ['susi@bulk.test', 'de']];
    const ids: number[] = [];
    for (const [email, locale] of people) ids.push(await createUser(db, { tenantId: tenant.id, email, name: email.split('@')[0]!, role: 'supervisor', password: PASSWORD, locale }, config.scryptLogN));
    const scope = tenantScope(db, tenant.id);
    const org = (await scope.insertInto('organisations', { name: 'Müller Logistik GmbH', number: 'K-4711', email_domains: 'mueller.test', phone: '030 1234567', address: 'Hafenstraße 5\n20457 Hamburg' }).returning('id').executeTakeFirstOrThrow()).id;
    const person = (await scope.insertInto('people', { organisation_id: org, name: 'Carla Müller', email: 'carla@mueller.test', phone: '0170 5551234' }).returning('id').executeTakeFirstOrThrow()).id;
    const contract = (await scope.insertInto('contracts', { organisation_id: org, name: 'Full service', number: 'V-2026-1', valid_from: '2024-01-01', valid_to: '2099-12-31' }).returning('id').executeTakeFirstOrThrow()).id;
    const actor: TicketActor = { kind: 'user', id: ids[0]!, label: 'sue', can: () => true };
    const service = await tenantTicketService(services, tenant.id);
    withCustomer = (await service.create({ subject: 'Label printer offline', description: 'Since the update', requesterId: person, organisationId: org, contractId: contract }, actor)).number;
    await service.create({ subject: 'Scanner at gate 2', description: 'x', requesterId: person, organisationId: org }, actor);
    for (let i = 1; i <= 8; i++) {
      const ticket = await service.create({ subject: `Bulk ticket ${i}`, description: 'x', priority: 2 }, actor);
      numbers.push(ticket.number);
      if (i % 3 === 0) await service.accept(ticket.number, actor);
    }
    base = `${server.url}/t/bulk`;
    browser = await launchBrowser();
    mkdirSync(SHOTS, { recursive: true });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function signedIn(email: string, viewport: { width: number; height: number }): Promise<Page> {
    const context = await newContext(browser, { viewport });
    const page = await context.newPage();
    await signInThroughForm(page, base, email, PASSWORD);
    return page;
  }
  const totalOn = async (page: Page) => Number(/(\d+)/.exec((await page.locator('#ticket-results .pagination .muted, #ticket-results > div > p.muted').first().textContent()) ?? '')?.[1]);

  it.each([
    ['en', 'sue@bulk.test', PHONE], ['en', 'sue@bulk.test', DESKTOP], ['de', 'susi@bulk.test', PHONE], ['de', 'susi@bulk.test', DESKTOP],
  ] as const)('in %s (%s) at %o: the context panel with tel:, view counts equal to the list totals', async (lang, email, viewport) => {
    const page = await signedIn(email, viewport);
    const width = viewport.width;
    await page.goto(`${base}/desk/tickets/${withCustomer}`);
    await expect.poll(() => page.locator('#customer-context[open], #customer-context:not([open]) summary').count(), POLL).toBeGreaterThan(0);
    await expect.poll(() => page.locator('#context-person-phone').count(), POLL).toBe(1);
    if (width < 760) {
      // Folded on a phone: one tap opens it.
      await page.locator('#customer-context > summary').click();
    }
    expect(await page.locator('#context-person-phone').getAttribute('href')).toBe('tel:+491705551234');
    expect(await page.locator('#context-organisation-phone').getAttribute('href')).toBe('tel:+49301234567');
    expect(await page.locator('#customer-context summary h2').textContent()).toBe(lang === 'de' ? 'Anfragender und Kunde' : 'Requester and customer');
    expect(await hasHorizontalScroll(page)).toBe(false);
    await page.screenshot({ path: join(SHOTS, `context-${lang}-${width}.png`), fullPage: true });

    await page.goto(`${base}/desk/tickets?queue=all`);
    await expect.poll(() => page.locator('#quick-views').isVisible(), POLL).toBe(true);
    expect(Number(await page.locator('[data-count="all"]').textContent())).toBe(await totalOn(page));
    for (const view of ['mine', 'unassigned', 'sla.overdue']) {
      const chip = page.locator(`.quick-view[data-view="${view}"]`);
      const count = Number(await chip.locator('.queue-count').textContent());
      await chip.click();
      await expect.poll(() => page.locator(`.quick-view[data-view="${view}"][aria-current="page"]`).count(), POLL).toBe(1);
      if (count > 0) expect(await totalOn(page)).toBe(count);
      else await expect.poll(() => page.locator('#ticket-empty').count(), POLL).toBe(1);
    }
    expect(await hasHorizontalScroll(page)).toBe(false);
    await page.goto(`${base}/desk/tickets?queue=all`);
    await page.screenshot({ path: join(SHOTS, `list-${lang}-${width}.png`), fullPage: true });
    await page.context().close();
  });

  it.each([['en', 'sue@bulk.test'], ['de', 'susi@bulk.test']] as const)('in %s: select three tickets, close them, read the summary', async (lang, email) => {
    const page = await signedIn(email, DESKTOP);
    await page.goto(`${base}/desk/tickets?queue=all`);
    const picked = lang === 'en' ? numbers.slice(0, 3) : numbers.slice(3, 6);
    for (const number of picked) await page.locator(`input[data-bulk-check][value="${number}"]`).check();
    await page.locator('#bulk-actions > summary').click();
    await expect.poll(() => page.locator('[data-bulk-count]').textContent(), POLL).toBe('3');
    await page.locator('#f-bulk_action').selectOption('close');
    await page.locator('#bulk-apply').click();
    await expect.poll(() => page.locator('#bulk-result').textContent(), POLL).toBe(lang === 'de' ? '3 geändert, 0 bereits so, 0 abgelehnt.' : '3 changed, 0 already so, 0 refused.');
    // The live list drops the closed tickets (one refresh for the whole action).
    for (const number of picked) await expect.poll(() => page.locator(`tr[data-number="${number}"]`).count(), POLL).toBe(0);
    await page.screenshot({ path: join(SHOTS, `bulk-summary-${lang}-1280.png`), fullPage: true });
    // Select all on the page (any status) and raise the priority: the closed ones are refused with their reason.
    await page.goto(`${base}/desk/tickets?queue=all&status=`);
    await page.locator('#bulk-all').check();
    await page.locator('#bulk-actions > summary').click();
    await page.locator('#f-bulk_action').selectOption('priority');
    await page.locator('#f-to_priority').selectOption('3');
    await page.locator('#bulk-apply').click();
    await expect.poll(() => page.locator('#bulk-result').textContent(), POLL).toMatch(lang === 'de' ? /abgelehnt/ : /refused/);
    expect(await page.locator('#bulk-refused li').count()).toBeGreaterThanOrEqual(3);
    await page.context().close();
  });
});
