import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TicketStatus } from '../../core/db/schema.js';
import { createUser } from '../../core/people/user-service.js';
import { enablePlugin } from '../../core/plugin-host/plugin-switches.js';
import { createTenant } from '../../core/tenancy/tenant-service.js';
import { tenantScope } from '../../core/tenancy/tenant-scope.js';
import { rebuildHotline } from '../../core/statistics/hotline-aggregate.js';
import { tallyPlugin } from '../plugins/tally-plugin.js';
import { DESKTOP, PHONE, hasHorizontalScroll, launchBrowser, newContext, signInThroughForm, POLL } from '../harness/browser.js';
import { startTestServer, type TestServer } from '../harness/test-server.js';

const PASSWORD = 'e2e admin password';
/** Set STATISTICS_SCREENSHOTS=<dir> to keep a screenshot of the page at each width (never committed). */
const SHOTS = process.env.STATISTICS_SCREENSHOTS;

describe('statistics page in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    server = await startTestServer([tallyPlugin]);
    const { db, config, registry } = server.tresen.services;
    const tenant = await createTenant(db, { slug: 'shop', name: 'Shop Service', locale: 'en' });
    await enablePlugin(db, registry, tenant.id, 'tally');
    await createUser(db, { tenantId: tenant.id, email: 'ada@shop.test', name: 'Ada Admin', role: 'admin', password: PASSWORD }, config.scryptLogN);
    const now = new Date().toISOString();
    const statuses: TicketStatus[] = [...Array<TicketStatus>(12).fill('new'), ...Array<TicketStatus>(7).fill('open'), ...Array<TicketStatus>(3).fill('waiting'), ...Array<TicketStatus>(21).fill('solved')];
    await tenantScope(db, tenant.id).insertInto('tickets', statuses.map((status, index) => ({ number: `S-${index + 1}`, subject: `Ticket ${index + 1}`, status, created_at: now, updated_at: now }))).execute();
    // Written past the ticket service: counted afresh, as the rebuild job does.
    await rebuildHotline(db, 'sqlite', tenant.id, tenant.time_zone, now);
    base = `${server.url}/t/shop`;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it.each([['phone', PHONE], ['tablet', { width: 768, height: 1024 }], ['desktop', DESKTOP]] as const)('on a %s: the charts and their tables fit the screen, the plugins\' panels follow', async (name, viewport) => {
    const context = await newContext(browser, { viewport });
    const page = await context.newPage();
    await signInThroughForm(page, base, 'ada@shop.test', PASSWORD);
    await page.goto(`${base}/desk/statistics`);
    await expect.poll(() => page.locator('#stat-core-hotline svg.bar-chart').isVisible(), POLL).toBe(true);
    expect(await page.locator('#hotline-status tfoot td').first().textContent()).toBe('43');
    // The longest bar (solved) is the widest; the chart is drawn, not empty (nothing is closed).
    const widths = await page.locator('.bar-chart rect').evaluateAll((rects) => rects.map((rect) => rect.getBoundingClientRect().width));
    expect(widths).toHaveLength(5);
    expect(Math.max(...widths)).toBe(widths[3]);
    expect(widths[2]!).toBeGreaterThan(0);
    expect(widths[4]).toBe(0);
    // The trend: one point per day of the default 7 days, created today.
    expect(await page.locator('#hotline-trend-chart .trend-created circle').count()).toBe(7);
    expect(await page.locator('#hotline-trend-chart').isVisible()).toBe(true);
    expect(await page.locator('.statistics-panel h2').allTextContents()).toEqual(['Hotline', 'Licences in use', 'Tally summary', 'Tallies']);
    // The period buttons are touch-sized.
    for (const box of await page.locator('#period-presets a').evaluateAll((links) => links.map((a) => a.getBoundingClientRect().height))) expect(box).toBeGreaterThanOrEqual(40);
    // Chart beside the table on a wide screen, above it on a phone and an upright tablet (beside it, at 768 px the
    // table's last column ran under the card's edge).
    const chart = (await page.locator('.bar-chart').boundingBox())!;
    const table = (await page.locator('#hotline-status').boundingBox())!;
    if (name === 'desktop') expect(table.x).toBeGreaterThan(chart.x + chart.width - 1);
    else expect(table.y).toBeGreaterThan(chart.y + chart.height - 1);
    // No table of the hotline panel hides columns behind a sideways scroll, except the ten-column ones on a phone.
    const hidden = await page.locator('#stat-core-hotline .table-wrap').evaluateAll((wraps) => wraps
      .filter((wrap) => wrap.scrollWidth > wrap.clientWidth + 1).map((wrap) => `${wrap.querySelector('table')?.id} ${wrap.scrollWidth}/${wrap.clientWidth}`));
    expect(hidden.filter((table) => viewport !== PHONE || !/^hotline-(groups|levels) /.test(table))).toEqual([]);
    expect(await hasHorizontalScroll(page)).toBe(false);
    if (SHOTS) {
      mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: join(SHOTS, `statistics-${viewport.width}.png`), fullPage: true });
    }
    await context.close();
  });
});
