import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TicketChannel, TicketStatus } from '../../core/db/schema.js';
import { createUser } from '../../core/people/user-service.js';
import { createTenant } from '../../core/tenancy/tenant-service.js';
import { tenantScope } from '../../core/tenancy/tenant-scope.js';
import { rebuildKpiFacts } from '../../core/statistics/kpi-fact-store.js';
import { DESKTOP, PHONE, hasHorizontalScroll, launchBrowser, newContext, signInThroughForm, POLL } from '../harness/browser.js';
import { startTestServer, type TestServer } from '../harness/test-server.js';

const PASSWORD = 'e2e admin password';
/** Set KPI_SCREENSHOTS=<dir> to keep a screenshot of the page at each width (never committed). */
const SHOTS = process.env.KPI_SCREENSHOTS;
const H = 3_600_000;

describe('KPI report in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    server = await startTestServer([]);
    const { db, config } = server.tresen.services;
    const tenant = await createTenant(db, { slug: 'shop', name: 'Shop Service', locale: 'en' });
    await createUser(db, { tenantId: tenant.id, email: 'ada@shop.test', name: 'Ada Admin', role: 'admin', password: PASSWORD }, config.scryptLogN);
    const scope = tenantScope(db, tenant.id);
    const agents = await Promise.all(['Bernd Bauer', 'Clara Christiansen-Oberhofer', 'Dana Dorn'].map((name, i) =>
      createUser(db, { tenantId: tenant.id, email: `agent${i}@shop.test`, name, role: 'agent', password: PASSWORD }, config.scryptLogN)));
    const groups = (await scope.insertInto('support_groups', [{ name: 'Servicedesk', level: 'first' }, { name: 'Systems', level: 'second' }]).returning('id').execute()).map((g) => g.id);
    const channels: TicketChannel[] = ['phone', 'mail', 'web', 'monitoring'];
    const now = Date.now();
    const rows = Array.from({ length: 60 }, (_, i) => {
      const created = now - ((i * 11) % 28) * 24 * H - 5 * H;
      const solved = i % 5 !== 0;
      const status: TicketStatus = solved ? 'solved' : 'open';
      return {
        number: `S-${i + 1}`, subject: `Ticket ${i + 1}`, status, channel: channels[i % 4]!, assignee_id: agents[i % 3]!, group_id: groups[i % 2]!,
        created_at: new Date(created).toISOString(), updated_at: new Date(created).toISOString(),
        first_response_at: new Date(created + ((i * 7) % 9 + 0.5) * H).toISOString(),
        solved_at: solved ? new Date(created + ((i * 13) % 40 + 2) * H).toISOString() : null,
      };
    });
    await scope.insertInto('tickets', rows).execute();
    // Written past the ticket service: replayed, as the rebuild job does.
    await rebuildKpiFacts(db, 'sqlite', tenant.id, tenant.time_zone, undefined, new Date().toISOString());
    base = `${server.url}/t/shop`;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it.each([['phone', PHONE], ['tablet', { width: 768, height: 1024 }], ['desktop', DESKTOP]] as const)('on a %s: filters, charts, tables and definitions fit the screen', async (name, viewport) => {
    const context = await newContext(browser, { viewport });
    const page = await context.newPage();
    await signInThroughForm(page, base, 'ada@shop.test', PASSWORD);
    await page.goto(`${base}/desk/statistics`);
    await page.locator('#kpi-link').click();
    await expect.poll(() => page.locator('#kpi-resolution-chart').isVisible(), POLL).toBe(true);
    // The Statistics page's period comes along (7 days by default); the 30-day button keeps the grouping.
    expect(new URL(page.url()).searchParams.get('period')).toBe('7d');
    await page.locator('#kpi-presets a[data-preset="30d"]').click();
    await expect.poll(() => new URL(page.url()).searchParams.get('period'), POLL).toBe('30d');
    expect(new URL(page.url()).searchParams.get('groupBy')).toBe('agent');
    // Three agents, one bar each, and the total line counts the 60 tickets.
    expect(await page.locator('#kpi-resolution-chart rect').count()).toBe(3);
    expect(await page.locator('#kpi-table tfoot td').first().textContent()).toBe('60');
    expect(await page.locator('#kpi-time-basis').textContent()).toContain('wall-clock');
    // Changing the grouping goes through the URL.
    await page.selectOption('#f-groupBy', 'channel');
    await page.locator('#kpi-form button[type=submit]').click();
    await expect.poll(() => new URL(page.url()).searchParams.get('groupBy'), POLL).toBe('channel');
    expect(await page.locator('#kpi-table tbody th').allTextContents()).toEqual(['E-mail', 'Monitoring', 'Phone', 'Web']);
    expect(await hasHorizontalScroll(page)).toBe(false);
    if (SHOTS) {
      mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: join(SHOTS, `kpi-${viewport.width}.png`), fullPage: true });
    }
    void name;
    await context.close();
  });
});
