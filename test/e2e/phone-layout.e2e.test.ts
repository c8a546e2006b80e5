import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installedPlugins } from '../../config/plugins.js';
import { createUser } from '../../core/people/user-service.js';
import { enablePlugin } from '../../core/plugin-host/plugin-switches.js';
import { createTenant, updateTenantBranding } from '../../core/tenancy/tenant-service.js';
import { tenantTicketService } from '../../core/tickets/ticket-context.js';
import { hasHorizontalScroll, launchBrowser, newContext, POLL, signInThroughForm } from '../harness/browser.js';
import { startTestServer, type TestServer } from '../harness/test-server.js';

const PASSWORD = 'e2e layout password';
/** Screenshots of every case land here (never committed); look at them after a layout change. */
const SHOTS = process.env.LAYOUT_SCREENSHOTS ?? '.tmp/layout-shots';
const WIDTHS = [390, 1280] as const;
const LOCALES = [['de', 'de-DE'], ['en', 'en-US']] as const;
const HEIGHT = 844;
/** A wide logo, as tenants upload them: it must sit on the brand colour as it is. */
const LOGO = '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="32" viewBox="0 0 120 32"><rect x="0" y="4" width="24" height="24" rx="4" fill="#ffd166"/><text x="30" y="22" font-size="16" font-family="sans-serif" fill="#ffffff">ACME</text></svg>';

/** The box of the first element matching, in viewport coordinates. */
async function box(page: Page, selector: string) {
  const found = await page.locator(selector).first().boundingBox();
  if (!found) throw new Error(`${selector} is not visible`);
  return found;
}
const middle = (b: { y: number; height: number }) => b.y + b.height / 2;

describe('phone and desktop layout in a real browser (issue 18 point 11)', () => {
  let server: TestServer;
  let browser: Browser;
  let base: string;
  let tenantId: number;

  beforeAll(async () => {
    server = await startTestServer([...installedPlugins]);
    const { db, config, files, registry } = server.tresen.services;
    const tenant = await createTenant(db, { slug: 'acme', name: 'Acme Facility Services GmbH', locale: 'de' });
    tenantId = tenant.id;
    for (const plugin of registry.plugins) await enablePlugin(db, registry, tenant.id, plugin.id);
    await updateTenantBranding(db, tenant.id, { logo_file: await files.put(tenant.id, new TextEncoder().encode(LOGO), 'image/svg+xml') });
    await createUser(db, { tenantId: tenant.id, email: 'ada@acme.test', name: 'Ada Admin', role: 'admin', password: PASSWORD }, config.scryptLogN);
    await createUser(db, { tenantId: null, email: 'op@platform.test', name: 'Olga Operator', role: 'operator', password: PASSWORD }, config.scryptLogN);
    const tickets = await tenantTicketService(server.tresen.services, tenant.id);
    for (let i = 1; i <= 12; i += 1) {
      await tickets.create({ subject: `Printer ${i} prints blank pages`, description: 'Since this morning.', requesterEmail: `person${i}@customer.test`, requesterName: `Person ${i}` }, { kind: 'system', label: 'e2e' });
    }
    base = server.url;
    browser = await launchBrowser();
    mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function signedIn(width: number, locale: string, email = 'ada@acme.test', at = `${base}/t/acme`) {
    const context = await newContext(browser, { viewport: { width, height: HEIGHT }, locale });
    const page = await context.newPage();
    await signInThroughForm(page, at, email, PASSWORD);
    return { context, page };
  }

  describe.each(LOCALES)('in %s', (lang, locale) => {
    it.each([...WIDTHS, 768])('at %i px: ticket management shows the first ticket on the first screen, the tabs fit, the header is one line with the logo', async (width) => {
      const { context, page } = await signedIn(width, locale);
      await page.goto(`${base}/t/acme/desk/tickets?queue=all`);
      await expect.poll(() => page.locator('.ticket-row').count(), POLL).toBeGreaterThan(0);
      if (width === 390) {
        const firstRow = await box(page, '.ticket-row');
        expect(firstRow.y + Math.min(firstRow.height, 60)).toBeLessThanOrEqual(HEIGHT);
      }
      const toggle = page.locator('#list-tools-button');
      if (width < 761) {
        expect(await toggle.isVisible()).toBe(true);
        expect(await toggle.textContent()).toBe(lang === 'de' ? 'Ansichten und Filter' : 'Views and filters');
        expect(await page.locator('#ticket-filter').isVisible()).toBe(false);
        expect(await page.locator('#saved-views').isVisible()).toBe(false);
        await page.screenshot({ path: join(SHOTS, `tickets-all-${lang}-${width}.png`) });
        await toggle.click();
        await expect.poll(() => page.locator('#ticket-filter').isVisible(), POLL).toBe(true);
        expect(await page.locator('#saved-views').isVisible()).toBe(true);
        await page.screenshot({ path: join(SHOTS, `tickets-all-open-${lang}-${width}.png`) });
      } else {
        expect(await toggle.isVisible()).toBe(false);
        expect(await page.locator('#ticket-filter').isVisible()).toBe(true);
        await page.screenshot({ path: join(SHOTS, `tickets-all-${lang}-${width}.png`) });
      }
      // The tabs: nothing scrolls sideways, every tab inside the viewport.
      const tabs = await page.locator('#ticket-tabs ul:not(.quick-views)').evaluate((ul) => ({ scroll: ul.scrollWidth, client: ul.clientWidth }));
      expect(tabs.scroll).toBeLessThanOrEqual(tabs.client + 1);
      for (const tab of await page.locator('.queue-tab').all()) {
        const b = await tab.boundingBox();
        expect(b!.x + b!.width).toBeLessThanOrEqual(width);
      }
      // The header: logo on the brand colour (no plate), the tenant's name on one line beside the menu.
      const logo = page.locator('.brand-logo');
      expect(await logo.isVisible()).toBe(true);
      expect(await logo.evaluate((img) => getComputedStyle(img).backgroundColor)).toBe('rgba(0, 0, 0, 0)');
      const name = await box(page, '.brand-name');
      const lineHeight = await page.locator('.brand-name').evaluate((el) => parseFloat(getComputedStyle(el).lineHeight) || parseFloat(getComputedStyle(el).fontSize) * 1.3);
      expect(name.height).toBeLessThan(lineHeight * 1.5);
      // Up to 1100 px the many entries of all plugins fold into the menu button (see app.css).
      const menu = await box(page, width <= 1100 ? '.nav-toggle-label' : '#nav-user, #nav-account');
      expect(Math.abs(middle(name) - middle(menu))).toBeLessThan(12);
      expect(Math.abs(middle(await box(page, '.brand-logo')) - middle(name))).toBeLessThan(12);
      expect(await hasHorizontalScroll(page)).toBe(false);
      await page.goto(`${base}/t/acme/desk/tickets?queue=new`);
      await expect.poll(() => page.locator('.ticket-row').count(), POLL).toBeGreaterThan(0);
      expect((await box(page, '.ticket-row')).y).toBeLessThan(HEIGHT - 60);
      await page.screenshot({ path: join(SHOTS, `tickets-new-${lang}-${width}.png`) });
      await context.close();
    });

    it.each(WIDTHS)('at %i px: the Administration page lists every area with its purpose, the plugins\' sections included; its tables are cards on a phone', async (width) => {
      const { context, page } = await signedIn(width, locale);
      await page.goto(`${base}/t/acme/admin`);
      for (const id of ['organisations', 'people', 'users', 'groups', 'tickets', 'fields', 'branding', 'helpdesk-mailboxes', 'portal-settings', 'knowledge-topics', 'survey-settings', 'ideas-settings']) {
        const link = page.locator(`#admin-section-${id}`);
        expect(await link.isVisible(), id).toBe(true);
        const description = await link.locator('xpath=following-sibling::small').textContent();
        expect(description?.trim().length, id).toBeGreaterThan(10);
      }
      // Every installed plugin with an admin page has its card.
      for (const plugin of server.tresen.services.registry.plugins) {
        for (const section of plugin.adminSections ?? []) expect(await page.locator(`#admin-section-${section.id}`).count(), section.id).toBe(1);
      }
      await page.screenshot({ path: join(SHOTS, `admin-${lang}-${width}.png`), fullPage: true });
      await page.goto(`${base}/t/acme/admin/users`);
      const cell = page.locator('#users tbody tr').first().locator('td').nth(1);
      await expect.poll(() => page.locator('#users.table-cards').count(), POLL).toBe(1);
      if (width === 390) {
        expect(await page.locator('#users tbody tr').first().evaluate((tr) => getComputedStyle(tr).display)).toBe('block');
        expect(await cell.evaluate((td) => getComputedStyle(td, '::before').content)).toBe(JSON.stringify(lang === 'de' ? 'E-Mail' : 'E-mail'));
        expect(await page.locator('#role-permissions tbody tr').first().evaluate((tr) => getComputedStyle(tr).display)).toBe('block');
      } else {
        expect(await page.locator('#users tbody tr').first().evaluate((tr) => getComputedStyle(tr).display)).toBe('table-row');
      }
      expect(await hasHorizontalScroll(page)).toBe(false);
      await page.screenshot({ path: join(SHOTS, `admin-users-${lang}-${width}.png`) });
      if (width === 390 && lang === 'en') {
        // Every section's page, the plugins' included: its tables are cards and nothing scrolls sideways.
        const sections = await page.goto(`${base}/t/acme/admin`).then(() => page.locator('.admin-section-link').evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).pathname)));
        expect(sections.length).toBeGreaterThan(15);
        for (const path of sections) {
          await page.goto(`${base}${path}`);
          const tables = await page.locator('#main table.table').evaluateAll((all) => all.map((table) => ({ cards: table.classList.contains('table-cards'), display: getComputedStyle(table.querySelector('tbody tr') ?? table).display })));
          for (const table of tables) expect(table, path).toEqual({ cards: true, display: 'block' });
          expect(await hasHorizontalScroll(page), path).toBe(false);
        }
      }
      await context.close();
    });

    it.each(WIDTHS)('at %i px: the operator\'s plugin table is a card per plugin on a phone', async (width) => {
      const { context, page } = await signedIn(width, locale, 'op@platform.test', base);
      await page.goto(`${base}/platform/tenants/${tenantId}`);
      const row = page.locator('#plugin-helpdesk');
      expect(await row.isVisible()).toBe(true);
      expect(await row.evaluate((tr) => getComputedStyle(tr).display)).toBe(width === 390 ? 'block' : 'table-row');
      expect(await hasHorizontalScroll(page)).toBe(false);
      await page.locator('#plugins').screenshot({ path: join(SHOTS, `platform-plugins-${lang}-${width}.png`) });
      await context.close();
    });
  });
});
