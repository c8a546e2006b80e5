import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../core/people/user-service.js';
import { enablePlugin } from '../../core/plugin-host/plugin-switches.js';
import { createTenant } from '../../core/tenancy/tenant-service.js';
import { knowledgePlugin } from '../../plugins/knowledge/index.js';
import { DESKTOP, PHONE, POLL, hasHorizontalScroll, launchBrowser, newContext, signInThroughForm } from '../harness/browser.js';
import { startTestServer, type TestServer } from '../harness/test-server.js';

const PASSWORD = 'e2e admin password';
/** Set KNOWLEDGE_SCREENSHOTS=<dir> to keep screenshots of the pages at each width (never committed). */
const SHOTS = process.env.KNOWLEDGE_SCREENSHOTS;

describe('knowledge pages in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    server = await startTestServer([knowledgePlugin]);
    const { db, config, registry } = server.tresen.services;
    const tenant = await createTenant(db, { slug: 'wiki', name: 'Wiki Service', locale: 'de' });
    await enablePlugin(db, registry, tenant.id, 'knowledge');
    await createUser(db, { tenantId: tenant.id, email: 'ada@wiki.test', name: 'Ada Admin', role: 'admin', password: PASSWORD }, config.scryptLogN);
    base = `${server.url}/t/wiki`;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it.each([['phone', PHONE], ['desktop', DESKTOP]] as const)('on a %s: write a KB entry, publish it, find it, nothing runs from its text', async (name, viewport) => {
    const context = await newContext(browser, { viewport, locale: 'de-DE' });
    const page = await context.newPage();
    await signInThroughForm(page, base, 'ada@wiki.test', PASSWORD);
    await page.goto(`${base}/p/knowledge/new?kind=kb`);
    const marker = `Druckertreiber ${name}`;
    await page.fill('#f-title', `${marker} <img src=x onerror="window.__xss=1">`);
    await page.fill('#f-cause', 'Alter Treiber');
    await page.fill('#f-body', 'Den Treiber für den Drucker neu installieren. <script>window.__xss=2</script>');
    await page.fill('#f-tags', 'Drucker, Hardware');
    await Promise.all([page.waitForURL(/\/entries\/\d+$/), page.click('#knowledge-entry-save')]);
    await page.click('#knowledge-state-published');
    await expect.poll(() => page.locator('.knowledge-state-published').first().isVisible(), POLL).toBe(true);
    expect(await hasHorizontalScroll(page)).toBe(false);
    if (SHOTS) { mkdirSync(SHOTS, { recursive: true }); await page.screenshot({ path: join(SHOTS, `knowledge-entry-${name}.png`), fullPage: true }); }
    await page.goto(`${base}/p/knowledge?q=${encodeURIComponent('drucker treiber')}`);
    await expect.poll(() => page.locator('#knowledge-group-kb mark').first().isVisible(), POLL).toBe(true);
    expect(await hasHorizontalScroll(page)).toBe(false);
    if (SHOTS) await page.screenshot({ path: join(SHOTS, `knowledge-search-${name}.png`), fullPage: true });
    await page.goto(`${base}/p/knowledge`);
    await expect.poll(() => page.locator('#knowledge-entries').isVisible(), POLL).toBe(true);
    expect(await hasHorizontalScroll(page)).toBe(false);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    await context.close();
  });
});
