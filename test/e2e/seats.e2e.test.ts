import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastDays, saveSeatSettings } from '../../core/auth/licence-seats.js';
import { createUser } from '../../core/people/user-service.js';
import { createTenant } from '../../core/tenancy/tenant-service.js';
import { tenantScope } from '../../core/tenancy/tenant-scope.js';
import { hasHorizontalScroll, launchBrowser, newContext, POLL, signInThroughForm } from '../harness/browser.js';
import { startTestServer, type TestServer } from '../harness/test-server.js';

const PASSWORD = 'e2e seats password';
/** Set SEATS_SCREENSHOTS=<dir> to keep screenshots of the seat pages at each width (never committed). */
const SHOTS = process.env.SEATS_SCREENSHOTS;
const WIDTHS = [390, 768, 1280] as const;

/** The fill colour of a seat meter as the browser paints it. */
const fillOf = (page: Page, selector: string) => page.locator(`${selector} .seat-fill`).evaluate((rect) => getComputedStyle(rect).fill);

describe('licence seats in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    server = await startTestServer([]);
    const { db, config, sessions, clock } = server.tresen.services;
    const tenant = await createTenant(db, { slug: 'shop', name: 'Shop Service', locale: 'en' });
    const quiet = await createTenant(db, { slug: 'quiet', name: 'Quiet Ltd', locale: 'de' });
    await createUser(db, { tenantId: null, email: 'op@platform.test', name: 'Olga Operator', role: 'operator', password: PASSWORD }, config.scryptLogN);
    await createUser(db, { tenantId: tenant.id, email: 'ada@shop.test', name: 'Ada Admin', role: 'admin', password: PASSWORD }, config.scryptLogN);
    const agents = [];
    for (const name of ['ben', 'cleo', 'dan']) agents.push(await createUser(db, { tenantId: tenant.id, email: `${name}@shop.test`, name, role: 'agent', password: PASSWORD }, config.scryptLogN));
    // Ben and Cleo are at work; Ada's own sign-in below takes the third of three agent seats.
    await saveSeatSettings(db, tenant.id, { agentSeats: 3, portalSeats: 10, portalPolicy: 'refuse', windowMinutes: 15 }, clock());
    for (const id of agents.slice(0, 2)) await sessions.create({ tenantId: tenant.id, userId: id }, {});
    const scope = tenantScope(db, tenant.id);
    for (let i = 1; i <= 9; i += 1) {
      const person = await scope.insertInto('people', { name: `Customer ${i}`, email: `c${i}@customer.test` }).returning('id').executeTakeFirstOrThrow();
      await sessions.create({ tenantId: tenant.id, personId: person.id }, {});
    }
    // Earlier days' peaks, as sign-ins over the last weeks would have left them.
    const days = lastDays(clock(), tenant.time_zone, 30).slice(0, -1);
    await db.insertInto('licence_seat_peaks').values(days.map((day, i) => ({ tenant_id: tenant.id, day, agents_peak: 1 + (i % 3), portal_peak: 3 + ((i * 7) % 8) }))).execute();
    await saveSeatSettings(db, quiet.id, { agentSeats: 20, portalSeats: null, portalPolicy: 'warn', windowMinutes: 30 }, clock());
    base = server.url;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it.each(WIDTHS)('at %i px: the Statistics panel shows agents full in red, portal users amber, and the peaks beside their table', async (width) => {
    const context = await newContext(browser, { viewport: { width, height: 900 } });
    const page = await context.newPage();
    await signInThroughForm(page, `${base}/t/shop`, 'ada@shop.test', PASSWORD);
    await page.goto(`${base}/t/shop/desk/statistics`);
    await expect.poll(() => page.locator('#stat-core-licence-seats .seat-meter').first().isVisible(), POLL).toBe(true);
    expect(await page.locator('#seats-agents .seat-figure').textContent()).toBe('3 of 3');
    expect(await page.locator('#seats-portal .seat-figure').textContent()).toBe('9 of 10');
    expect(await fillOf(page, '#seats-agents')).toBe('rgb(180, 35, 24)');
    expect(await fillOf(page, '#seats-portal')).toBe('rgb(220, 138, 0)');
    expect(await page.locator('#seats-peaks tbody tr').count()).toBe(30);
    expect(await hasHorizontalScroll(page)).toBe(false);
    if (SHOTS) {
      mkdirSync(SHOTS, { recursive: true });
      await page.locator('#stat-core-licence-seats').screenshot({ path: join(SHOTS, `seats-panel-${width}.png`) });
    }
    await context.close();
  });

  it('refuses Dan while all three agent seats are taken, in his language', async () => {
    for (const [locale, text] of [['en-US', 'Every agent licence is in use (3 of 3)'], ['de-DE', 'Alle Agenten-Lizenzen sind belegt (3 von 3)']] as const) {
      const context = await newContext(browser, { viewport: { width: 390, height: 844 }, locale });
      const page = await context.newPage();
      await page.goto(`${base}/t/shop/login`);
      await page.fill('input[name=email]', 'dan@shop.test');
      await page.fill('input[name=password]', PASSWORD);
      await page.click('#sign-in');
      await expect.poll(() => page.locator('.form-error').textContent(), POLL).toContain(text);
      expect(new URL(page.url()).pathname).toBe('/t/shop/login');
      expect((await context.cookies()).filter((cookie) => cookie.name.startsWith('tresen_s'))).toEqual([]);
      if (SHOTS) await page.screenshot({ path: join(SHOTS, `seats-refused-${locale}-390.png`), fullPage: true });
      await context.close();
    }
  });

  it.each(WIDTHS)('at %i px: the operator sees every tenant\'s usage on one page and a tenant\'s history', async (width) => {
    const context = await newContext(browser, { viewport: { width, height: 900 } });
    const page = await context.newPage();
    await signInThroughForm(page, base, 'op@platform.test', PASSWORD);
    await page.goto(`${base}/platform/seats`);
    const rows = page.locator('#seat-overview tbody tr');
    await expect.poll(() => rows.count(), POLL).toBe(2);
    expect(await rows.nth(1).locator('.seat-figure').first().textContent()).toBe('3 of 3');
    expect(await page.locator('#seat-overview tbody tr').nth(1).locator('.seat-fill').first().evaluate((rect) => getComputedStyle(rect).fill)).toBe('rgb(180, 35, 24)');
    expect(await hasHorizontalScroll(page)).toBe(false);
    if (SHOTS) await page.screenshot({ path: join(SHOTS, `seats-overview-${width}.png`), fullPage: true });
    await page.click('text=Shop Service');
    await expect.poll(() => page.locator('#seat-history .peak-chart').isVisible(), POLL).toBe(true);
    expect(await hasHorizontalScroll(page)).toBe(false);
    if (SHOTS) await page.screenshot({ path: join(SHOTS, `seats-tenant-${width}.png`), fullPage: true });
    await context.close();
  });
});
