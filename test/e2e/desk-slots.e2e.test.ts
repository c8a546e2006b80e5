import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../core/people/user-service.js';
import { enablePlugin } from '../../core/plugin-host/plugin-switches.js';
import { createTenant } from '../../core/tenancy/tenant-service.js';
import { tenantTicketService } from '../../core/tickets/ticket-context.js';
import { DESKTOP, PHONE, POLL, hasHorizontalScroll, launchBrowser, newContext, signInThroughForm } from '../harness/browser.js';
import { startTestServer, type TestServer } from '../harness/test-server.js';
import { ASSET_FIELD, assetTagsPlugin } from '../plugins/asset-tags-plugin.js';

const PASSWORD = 'e2e password 1234';

describe('the desk\'s plugin slots in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    server = await startTestServer([assetTagsPlugin()]);
    const { db, registry, config } = server.tresen.services;
    const tenant = await createTenant(db, { slug: 'acme', name: 'ACME Service', locale: 'en' });
    const adminId = await createUser(db, { tenantId: tenant.id, email: 'ada@acme.test', name: 'Ada Admin', role: 'admin', password: PASSWORD }, config.scryptLogN);
    await enablePlugin(db, registry, tenant.id, 'assets');
    const tickets = await tenantTicketService(server.tresen.services, tenant.id);
    for (let i = 0; i < 4; i++) {
      await tickets.create({ subject: `Outlook asks for the password again and again (${i})`, description: 'x', priority: 1 + i, pluginFields: { [ASSET_FIELD]: `NB-${4700 + i}` } },
        { kind: 'user', id: adminId, label: 'Ada Admin', can: () => true });
    }
    base = `${server.url}/t/acme`;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('on a phone: the list shows the plugin column as labelled cells, and the user menu opens by tap with touch-size entries', async () => {
    const context = await newContext(browser, { viewport: PHONE });
    const page = await context.newPage();
    await signInThroughForm(page, base, 'ada@acme.test', PASSWORD);
    await page.goto(`${base}/desk/tickets?queue=new`);
    await expect.poll(() => page.locator('td.col-p-assets-tag').first().innerText(), POLL).toMatch(/^Asset\s*NB-470\d$/);
    expect(await hasHorizontalScroll(page)).toBe(false);

    await page.click('.nav-toggle-label');
    await page.click('#nav-user');
    await expect.poll(() => page.locator('#assets-menu').isVisible(), POLL).toBe(true);
    const heights = await page.locator('.user-menu-list a').evaluateAll((links) => links.map((a) => a.getBoundingClientRect().height));
    expect(heights).toHaveLength(2);
    for (const height of heights) expect(height).toBeGreaterThanOrEqual(44);
    expect(await hasHorizontalScroll(page)).toBe(false);
    await Promise.all([page.waitForURL((url) => url.pathname === '/t/acme/p/assets'), page.click('#assets-menu')]);
    await context.close();
  });

  it('on a desktop: the menu drops down below the name and closes on a click elsewhere or Escape', async () => {
    const context = await newContext(browser, { viewport: DESKTOP });
    const page = await context.newPage();
    await signInThroughForm(page, base, 'ada@acme.test', PASSWORD);
    expect(await page.locator('#assets-menu').isVisible()).toBe(false);
    await page.click('#nav-user');
    await expect.poll(() => page.locator('#assets-menu').isVisible(), POLL).toBe(true);
    const [summary, list] = await Promise.all([page.locator('#nav-user').boundingBox(), page.locator('.user-menu-list').boundingBox()]);
    expect(list!.y).toBeGreaterThan(summary!.y + summary!.height - 1);
    await page.click('h1');
    await expect.poll(() => page.locator('#assets-menu').isVisible(), POLL).toBe(false);
    await page.click('#nav-user');
    await expect.poll(() => page.locator('#assets-menu').isVisible(), POLL).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('#assets-menu').isVisible(), POLL).toBe(false);

    // The new ticket's plugin fields follow the channel (phone, else the agent's), keeping what was typed.
    await page.goto(`${base}/desk/tickets/new`);
    expect(await page.locator('#ticket-plugin-fields').getAttribute('data-surface')).toBe('phone');
    await page.fill('[id="f-p.assets.tag"]', 'NB-1234');
    await page.selectOption('#f-channel', 'mail');
    await expect.poll(() => page.locator('#ticket-plugin-fields').getAttribute('data-surface'), POLL).toBe('agent');
    expect(await page.locator('[id="f-p.assets.tag"]').inputValue()).toBe('NB-1234');
    await context.close();
  });
});
