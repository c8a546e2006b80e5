import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../core/people/user-service.js';
import { enablePlugin } from '../../core/plugin-host/plugin-switches.js';
import { createTenant } from '../../core/tenancy/tenant-service.js';
import { DESKTOP, PHONE, hasHorizontalScroll, launchBrowser, newContext, signInThroughForm, POLL } from '../harness/browser.js';
import { startTestServer, type TestServer } from '../harness/test-server.js';
import { checklistPlugin, notesPlugin } from '../plugins/test-plugins.js';

const PASSWORD = 'e2e password 1234';

describe('core in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  let tenantUrl: string;

  beforeAll(async () => {
    server = await startTestServer([notesPlugin, checklistPlugin], { TRESEN_ADMIN_EMAIL: 'op@e2e.test', TRESEN_ADMIN_PASSWORD: PASSWORD });
    const { db, registry, config } = server.tresen.services;
    const tenant = await createTenant(db, { slug: 'acme', name: 'ACME Service', locale: 'en' });
    await createUser(db, { tenantId: tenant.id, email: 'admin@acme.test', name: 'Ada Admin', role: 'admin', password: PASSWORD }, config.scryptLogN);
    await enablePlugin(db, registry, tenant.id, 'notes');
    tenantUrl = `${server.url}/t/acme`;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('a tenant admin signs in and lands on the dashboard', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await signInThroughForm(page, tenantUrl, 'admin@acme.test', PASSWORD);
    expect(new URL(page.url()).pathname).toBe('/t/acme/desk');
    await expect.poll(() => page.locator('h1').textContent(), POLL).toContain('Ada Admin');
    expect(await page.locator('#nav-notes-list').count()).toBe(1);
    await context.close();
  });

  it('the operator switches a plugin off and its nav entry disappears for the tenant without a restart', async () => {
    const agentContext = await newContext(browser);
    const agentPage = await agentContext.newPage();
    await signInThroughForm(agentPage, tenantUrl, 'admin@acme.test', PASSWORD);
    await expect.poll(() => agentPage.locator('#nav-notes-list').count(), POLL).toBe(1);

    const operatorContext = await newContext(browser);
    const operatorPage = await operatorContext.newPage();
    await signInThroughForm(operatorPage, server.url, 'op@e2e.test', PASSWORD);
    const tenant = await server.tresen.services.tenants.bySlug('acme');
    await operatorPage.goto(`${server.url}/platform/tenants/${tenant!.id}`);
    // Switching off asks first, saying what the tenant loses.
    await operatorPage.click('#plugin-off-notes summary');
    expect(await operatorPage.locator('#plugin-off-notes .plugin-off-effect').textContent()).toMatch(/Notes|Notizen/);
    await Promise.all([operatorPage.waitForLoadState('load'), operatorPage.click('form[action$="/plugins/notes/disable"] button')]);
    await operatorPage.waitForLoadState('networkidle');

    await agentPage.reload();
    expect(await agentPage.locator('#nav-notes-list').count()).toBe(0);
    const response = await agentPage.goto(`${tenantUrl}/p/notes`);
    expect(response?.status()).toBe(404);
    await agentContext.close();
    await operatorContext.close();
  });

  it('switches the language and keeps the choice', async () => {
    const context = await newContext(browser, { locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(`${tenantUrl}/login`);
    await expect.poll(() => page.locator('h1').textContent(), POLL).toBe('Sign in');
    await Promise.all([page.waitForResponse((r) => r.url().endsWith('/locale')), page.selectOption('#lang-select', 'de')]);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Anmelden');
    await page.goto(`${tenantUrl}/password/forgot`);
    await expect.poll(() => page.locator('h1').textContent(), POLL).toBe('Passwort zurücksetzen');
    await expect.poll(() => page.locator('html').getAttribute('lang'), POLL).toBe('de');
    await context.close();
  });

  it('has no horizontal scroll on a phone, and the menu opens by touch', async () => {
    const context = await newContext(browser, { viewport: PHONE });
    const page = await context.newPage();
    await signInThroughForm(page, tenantUrl, 'admin@acme.test', PASSWORD);
    for (const path of ['/desk', '/account', '/password/forgot']) {
      await page.goto(`${tenantUrl}${path}`);
      expect(await hasHorizontalScroll(page), path).toBe(false);
    }
    await expect.poll(() => page.locator('#nav-dashboard').isVisible(), POLL).toBe(false);
    await page.click('.nav-toggle-label');
    await expect.poll(() => page.locator('#nav-dashboard').isVisible(), POLL).toBe(true);
    await context.close();
    expect(DESKTOP.width).toBeGreaterThan(PHONE.width);
  });
});
