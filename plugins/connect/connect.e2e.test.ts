import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../core/people/user-service.js';
import { enablePlugin } from '../../core/plugin-host/plugin-switches.js';
import { createTenant } from '../../core/tenancy/tenant-service.js';
import { DESKTOP, PHONE, POLL, hasHorizontalScroll, launchBrowser, newContext, signInThroughForm } from '../../test/harness/browser.js';
import { startTestServer, type TestServer } from '../../test/harness/test-server.js';
import { connectPlugin } from './index.js';
import { sourceStore } from './source-store.js';

const PASSWORD = 'e2e connect password';
/** Set CONNECT_SHOTS=<dir> to keep screenshots of the pages at each width (never committed). */
const SHOTS = process.env.CONNECT_SHOTS;
const shoot = async (page: Page, name: string) => {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
};

/** The webhook over real HTTP as a monitoring system calls it (no Origin, no cookie), and the admin pages in a browser at phone and desktop width. */
describe('the connect plugin over HTTP and in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  let base: string;
  let token: string;

  beforeAll(async () => {
    server = await startTestServer([connectPlugin]);
    const { services } = server.tresen;
    const tenant = await createTenant(services.db, { slug: 'acme', name: 'ACME Service', locale: 'en' });
    const adminId = await createUser(services.db, { tenantId: tenant.id, email: 'ada@acme.test', name: 'Ada Admin', role: 'admin', password: PASSWORD }, services.config.scryptLogN);
    await enablePlugin(services.db, services.registry, tenant.id, 'connect');
    token = (await sourceStore(services, tenant.id).create('prometheus', { id: adminId, label: 'ada@acme.test' })).token;
    base = `${server.url}/t/acme`;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('takes an Alertmanager post with its token and no Origin, and refuses it without', async () => {
    const body = readFileSync(new URL('../../test/fixtures/monitoring/alertmanager-firing.json', import.meta.url), 'utf8');
    const accepted = await fetch(`${base}/hooks/monitoring/prometheus`, { method: 'POST', body, headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` } });
    expect(accepted.status).toBe(202);
    expect(((await accepted.json()) as { data: Array<{ outcome: string }> }).data.map((d) => d.outcome)).toEqual(['opened', 'opened']);
    const wrong = await fetch(`${base}/hooks/monitoring/prometheus`, { method: 'POST', body, headers: { 'Content-Type': 'application/json', Authorization: 'Bearer tc_wrong' } });
    expect(wrong.status).toBe(401);
    const bare = await fetch(`${base}/hooks/monitoring/prometheus`, { method: 'POST', body, headers: { 'Content-Type': 'application/json' } });
    expect(bare.status).toBe(403);
  });

  for (const [label, viewport] of [['390', PHONE], ['1280', DESKTOP]] as const) {
    it(`at ${label} px: alerts, sources, events and settings fit the width`, async () => {
      const context = await newContext(browser, { viewport });
      const page = await context.newPage();
      await signInThroughForm(page, base, 'ada@acme.test', PASSWORD);
      await page.goto(`${base}/p/connect`);
      await expect.poll(() => page.locator('#connect-alerts tbody tr').count(), POLL).toBe(2);
      expect(await hasHorizontalScroll(page)).toBe(false);
      await shoot(page, `connect-alerts-${label}`);
      await page.goto(`${base}/p/connect/sources`);
      expect(await page.locator('#connect-sources').count()).toBe(1);
      expect(await hasHorizontalScroll(page)).toBe(false);
      await shoot(page, `connect-sources-${label}`);
      await page.goto(`${base}/p/connect/events`);
      expect(await page.locator('#connect-events tbody tr').count()).toBeGreaterThanOrEqual(2);
      expect(await hasHorizontalScroll(page)).toBe(false);
      await shoot(page, `connect-events-${label}`);
      await page.goto(`${base}/p/connect/settings`);
      expect(await page.locator('#connect-settings-form').count()).toBe(1);
      expect(await hasHorizontalScroll(page)).toBe(false);
      await shoot(page, `connect-settings-${label}`);
      await context.close();
    });
  }
});
