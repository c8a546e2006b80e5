import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/env.js';
import { createRegistry } from '../../core/plugin-host/registry.js';
import { startServer, type RunningServer } from '../../core/server.js';
import { knowledgePlugin } from '../../plugins/knowledge/index.js';
import { portalPlugin } from '../../plugins/portal/index.js';
import { DESKTOP, PHONE, POLL, hasHorizontalScroll, launchBrowser, newContext } from '../harness/browser.js';

/** Set DOORS_SCREENSHOTS=<dir> to keep the screenshots (never committed): <step>-<en|de>-<390|1280>.png. */
const SHOTS = process.env.DOORS_SCREENSHOTS;
const WIDTHS = [['390', PHONE], ['1280', DESKTOP]] as const;

/** One sign-in from the first-start banner: the page it names and the account listed under it. */
interface Door { url: string; email: string; password: string }

/** The words each language must show (from the message files, as a reader sees them). */
const WORDS = {
  en: {
    failed: 'E-mail or password is wrong.', toPortal: 'Customers sign in at the customer portal.', portalLink: 'Go to the customer portal',
    toStaff: 'Staff sign in on the service desk’s own page', staffLink: 'Staff of the service desk sign in here', toTenant: 'It signs in on its service desk’s page',
    switchOff: 'Switch off', loses: 'customers lose the portal’s help pages and search', keeps: 'Its data and settings stay',
    confirmOff: 'Switch Knowledge off', on: 'on', off: 'off', switchOn: 'Switch on', notOffered: 'Knowledge is not offered here (any more).', notOfferedTitle: 'Not offered here', help: 'Help',
    deleteExplained: 'finds it under Tickets with “Show deleted tickets” and can restore it there', deleted: 'was deleted.', showDeleted: 'Show deleted tickets',
    restore: 'Restore', restored: 'was restored.',
  },
  de: {
    failed: 'E-Mail oder Passwort ist falsch.', toPortal: 'Kunden melden sich im Kundenportal an.', portalLink: 'Zum Kundenportal',
    toStaff: 'Sie melden sich auf der Seite des Servicedesks an', staffLink: 'Mitarbeitende des Servicedesks melden sich hier an', toTenant: 'Es meldet sich auf der Seite seines Servicedesks an',
    switchOff: 'Ausschalten', loses: 'Kunden verlieren die Hilfeseiten und die Suche im Portal', keeps: 'Daten und Einstellungen bleiben erhalten',
    confirmOff: 'Wissen ausschalten', on: 'an', off: 'aus', switchOn: 'Einschalten', notOffered: 'Wissen wird hier (nicht mehr) angeboten.', notOfferedTitle: 'Hier nicht angeboten', help: 'Hilfe',
    deleteExplained: 'findet es unter Tickets mit „Gelöschte Tickets zeigen“ und kann es dort wiederherstellen', deleted: 'wurde gelöscht.', showDeleted: 'Gelöschte Tickets zeigen',
    restore: 'Wiederherstellen', restored: 'wurde wiederhergestellt.',
  },
} as const;

/**
 * Issue 18 points 8 and 12 in a real browser, on a server started as an administrator starts it (with the demo):
 * the first-start banner's three sign-in pages, credentials typed on the wrong one pointed to the right one (a link
 * that works), a wrong password only "wrong"; switching a plugin off asks first and says what is lost, an old link
 * to its portal page says "not offered"; deleting a ticket asks first and says where to restore it.
 */
describe('sign-in doors and confirmations in a real browser', () => {
  let server: RunningServer;
  let dataDir: string;
  let banner = '';
  let browser: Browser;
  let operator: Door;
  let staff: Door;
  let customer: Door;
  let demoId = 0;

  beforeAll(async () => {
    // Like startTestServer, but with the demo on and the first-start banner kept: it is what an administrator reads first.
    dataDir = mkdtempSync(join(tmpdir(), 'tresen-doors-'));
    const config = { ...loadConfig({ DATA_DIR: dataDir, PORT: '1', HOST: '127.0.0.1', LOG_LEVEL: 'error', TRESEN_DEMO: '1' }), port: 0, scryptLogN: 10 };
    server = await startServer(config, createRegistry([portalPlugin, knowledgePlugin]), { announce: (text) => { banner += text; } });
    const door = (pattern: RegExp): Door => {
      const found = pattern.exec(banner);
      if (!found) throw new Error(`the first-start banner lacks ${pattern}:\n${banner}`);
      return { url: found[1]!, email: found[2]!, password: found[3]! };
    };
    operator = door(/Platform operator\s+(\S+)\n\s+(\S+)\s+\/\s+(\S+)/);
    staff = door(/Demo tenant "[^"]+", staff\s+(\S+)\n\s+admin\s+(\S+)\s+\/\s+(\S+)/);
    customer = door(/Its customer portal\s+(\S+)\n\s+customer\s+(\S+)\s+\/\s+(\S+)/);
    demoId = (await server.tresen.services.tenants.bySlug('demo'))!.id;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  async function shoot(page: Page, name: string, width: string) {
    expect(await hasHorizontalScroll(page), `${name} at ${width}`).toBe(false);
    if (SHOTS) { mkdirSync(SHOTS, { recursive: true }); await page.screenshot({ path: join(SHOTS, `${name}-${width}.png`), fullPage: true }); }
  }
  /** A fresh browser whose language is the reader's (the demo's people and staff have none of their own). */
  const browse = async (lang: 'en' | 'de', viewport: { width: number; height: number }): Promise<[BrowserContext, Page]> => {
    const context = await newContext(browser, { viewport, locale: lang === 'de' ? 'de-DE' : 'en-US' });
    return [context, await context.newPage()];
  };
  const staffForm = async (page: Page, email: string, password: string) => {
    await page.fill('input[name=email]', email);
    await page.fill('input[name=password]', password);
    await page.click('#sign-in');
    await page.waitForLoadState('load');
  };
  const portalForm = async (page: Page, email: string, password: string) => {
    const form = page.locator('#portal-sign-in form').first();
    await form.locator('input[name=email]').fill(email);
    await form.locator('input[name=password]').fill(password);
    await page.click('#portal-sign-in-submit');
    await page.waitForLoadState('load');
  };
  const db = () => server.tresen.services.db;

  it('the first-start banner names the three sign-in pages, each with its accounts; the addresses one types lead to them', async () => {
    expect(operator).toMatchObject({ url: `${server.url}/login` });
    expect(staff).toMatchObject({ url: `${server.url}/t/demo/login`, email: 'admin@demo.tresen.local' });
    expect(customer).toMatchObject({ url: `${server.url}/t/demo/portal/login`, email: 'klara.kunde@beispiel-logistik.de' });
    // The customers are listed under the portal, never under the staff page.
    const staffSection = banner.slice(banner.indexOf('", staff'), banner.indexOf('Its customer portal'));
    expect(staffSection).not.toContain('beispiel-logistik.de');
    // The tenant's own address is its customers' front door (the portal, signing in there); the bare host the operator's.
    const [context, page] = await browse('en', DESKTOP);
    await page.goto(`${server.url}/t/demo`);
    expect(new URL(page.url()).pathname).toBe('/t/demo/portal');
    // Its front page carries the sign-in the banner lists the customers under.
    expect(await page.locator('#portal-sign-in form').first().getAttribute('action')).toBe(new URL(customer.url).pathname);
    await portalForm(page, customer.email, customer.password);
    await page.waitForURL(/\/t\/demo\/portal\/requests$/);
    await page.goto(server.url);
    expect(page.url()).toBe(operator.url);
    await context.close();
  });

  it.each(['en', 'de'] as const)('in %s: each account typed on the wrong sign-in page is told where to go, and the link signs it in there; a wrong password stays wrong', async (lang) => {
    const w = WORDS[lang];
    for (const [width, viewport] of WIDTHS) {
      // Every round is a fresh try: the failed attempts of the round before do not slow this one down.
      await db().deleteFrom('login_attempts').execute();

      // A customer on the staff page (the banner's staff address) is sent to the portal and signs in there.
      const [customerContext, page] = await browse(lang, viewport);
      await page.goto(staff.url);
      await staffForm(page, customer.email, customer.password);
      await expect.poll(() => page.locator('#sign-in-other-door').textContent(), POLL).toContain(w.toPortal);
      expect(await page.locator('.auth-card').textContent()).not.toContain(w.failed);
      expect(new URL(page.url()).pathname).toBe('/t/demo/login');
      await shoot(page, `customer-on-staff-page-${lang}`, width);
      await page.click(`#sign-in-other-door a:text("${w.portalLink}")`);
      await page.waitForURL(customer.url);
      await portalForm(page, customer.email, customer.password);
      await page.waitForURL(/\/t\/demo\/portal\/requests$/);
      await shoot(page, `customer-signed-in-${lang}`, width);
      await customerContext.close();

      // The same customer with a wrong password on the staff page: only "wrong", no hint of the portal.
      const [wrongContext, wrong] = await browse(lang, viewport);
      await wrong.goto(staff.url);
      await staffForm(wrong, customer.email, 'not the password');
      await expect.poll(() => wrong.locator('.auth-card').textContent(), POLL).toContain(w.failed);
      expect(await wrong.locator('#sign-in-other-door').count()).toBe(0);
      await shoot(wrong, `customer-wrong-password-${lang}`, width);

      // A staff member on the portal's sign-in (the banner's portal address) is sent to the staff page.
      await wrong.goto(customer.url);
      await portalForm(wrong, staff.email, 'not the password');
      await expect.poll(() => wrong.locator('#portal-sign-in').textContent(), POLL).toContain(w.failed);
      expect(await wrong.locator('#portal-other-door').count()).toBe(0);
      await wrongContext.close();
      const [staffContext, staffPage] = await browse(lang, viewport);
      await staffPage.goto(customer.url);
      await portalForm(staffPage, staff.email, staff.password);
      await expect.poll(() => staffPage.locator('#portal-other-door').textContent(), POLL).toContain(w.toStaff);
      expect(await staffPage.locator('#portal-sign-in').textContent()).not.toContain(w.failed);
      await shoot(staffPage, `staff-on-portal-${lang}`, width);
      await staffPage.click(`#portal-other-door a:text("${w.staffLink}")`);
      await staffPage.waitForURL(staff.url);
      await staffForm(staffPage, staff.email, staff.password);
      await staffPage.waitForURL(/\/t\/demo\/desk$/);
      await staffContext.close();

      // The tenant's staff member on the operator's page (the banner's first address) is shown their service desk.
      const [operatorContext, operatorPage] = await browse(lang, viewport);
      await operatorPage.goto(operator.url);
      await staffForm(operatorPage, staff.email, 'not the password');
      await expect.poll(() => operatorPage.locator('.auth-card').textContent(), POLL).toContain(w.failed);
      expect(await operatorPage.locator('#sign-in-other-door').count()).toBe(0);
      await staffForm(operatorPage, staff.email, staff.password);
      await expect.poll(() => operatorPage.locator('#sign-in-other-door').textContent(), POLL).toContain(w.toTenant);
      expect(await operatorPage.locator('.auth-card').textContent()).not.toContain(w.failed);
      await shoot(operatorPage, `staff-on-operator-page-${lang}`, width);
      await operatorPage.click('#sign-in-other-door a:text("Musterfirma IT-Service")');
      await operatorPage.waitForURL(staff.url);
      await staffForm(operatorPage, staff.email, staff.password);
      await operatorPage.waitForURL(/\/t\/demo\/desk$/);
      await shoot(operatorPage, `staff-signed-in-${lang}`, width);
      await operatorContext.close();
    }
  });

  it.each(['en', 'de'] as const)('in %s: switching a plugin off asks first and says what is lost; cancelled it stays on, confirmed it is off and an old link says "not offered"', async (lang) => {
    const w = WORDS[lang];
    await db().updateTable('users').set({ locale: lang }).where('email', '=', operator.email).execute();
    for (const [width, viewport] of WIDTHS) {
      await db().deleteFrom('login_attempts').execute();
      const [operatorContext, op] = await browse(lang, viewport);
      await op.goto(operator.url);
      await staffForm(op, operator.email, operator.password);
      await op.waitForURL(/\/platform/);
      // The customer opens the portal's help pages (the knowledge plugin's) from its menu: later an old link or a bookmark.
      const [customerContext, cust] = await browse(lang, viewport);
      await cust.goto(customer.url);
      await portalForm(cust, customer.email, customer.password);
      await cust.waitForURL(/\/portal\/requests$/);
      await Promise.all([cust.waitForURL(/\/portal\/kb$/), cust.click(`a:text-is("${w.help}")`)]);
      const helpUrl = cust.url();
      await shoot(cust, `portal-help-${lang}`, width);

      await op.goto(`${server.url}/platform/tenants/${demoId}`);
      const row = op.locator('#plugin-knowledge');
      expect((await row.locator('.badge').textContent())?.trim()).toBe(w.on);
      const ask = op.locator('#plugin-off-knowledge');
      expect((await ask.locator('summary').textContent())?.trim()).toBe(w.switchOff);
      expect(await ask.locator('.plugin-off-effect').isVisible()).toBe(false);
      await ask.locator('summary').click();
      await expect.poll(() => ask.locator('.plugin-off-effect').isVisible(), POLL).toBe(true);
      expect(await ask.locator('.plugin-off-effect').textContent()).toContain(w.loses);
      expect(await ask.locator('.muted').textContent()).toContain(w.keeps);
      await ask.locator('button[type=submit]').scrollIntoViewIfNeeded();
      await shoot(op, `plugin-off-asks-${lang}`, width);
      if (SHOTS) await row.screenshot({ path: join(SHOTS, `plugin-off-row-${lang}-${width}.png`) });

      // Cancelled (the question closed again): nothing is switched off.
      await ask.locator('summary').click();
      await expect.poll(() => ask.locator('.plugin-off-effect').isVisible(), POLL).toBe(false);
      await op.reload();
      expect((await row.locator('.badge').textContent())?.trim()).toBe(w.on);
      expect(await server.tresen.services.tenants.enabledPlugins(demoId)).toContain('knowledge');

      // Confirmed: off.
      await ask.locator('summary').click();
      await expect.poll(() => ask.locator('button[type=submit]').textContent(), POLL).toBe(w.confirmOff);
      await Promise.all([op.waitForURL(new RegExp(`/platform/tenants/${demoId}`)), ask.locator('button[type=submit]').click()]);
      await expect.poll(() => row.locator('.badge').textContent(), POLL).toBe(w.off);
      expect(await server.tresen.services.tenants.enabledPlugins(demoId)).not.toContain('knowledge');
      await shoot(op, `plugin-off-done-${lang}`, width);

      // The customer's old link: "not offered", in their language, not a bare "does not exist".
      const response = await cust.goto(helpUrl);
      expect(response?.status()).toBe(404);
      await expect.poll(() => cust.locator('main').textContent(), POLL).toContain(w.notOffered);
      expect(await cust.locator('main h1').textContent()).toBe(w.notOfferedTitle);
      await shoot(cust, `old-link-not-offered-${lang}`, width);
      // Its way on: the start page is the customer's portal.
      await Promise.all([cust.waitForURL(/\/t\/demo\/portal(\/requests)?$/), cust.click('#error-start')]);

      // Switched on again (data and settings stayed): the page is back.
      await Promise.all([op.waitForURL(new RegExp(`/platform/tenants/${demoId}`)), row.locator(`button:text("${w.switchOn}")`).click()]);
      await expect.poll(() => row.locator('.badge').textContent(), POLL).toBe(w.on);
      expect((await cust.goto(helpUrl))?.status()).toBe(200);
      await operatorContext.close();
      await customerContext.close();
    }
  });

  it.each(['en', 'de'] as const)('in %s: deleting a ticket asks first and says where to restore it; it is found there and restored', async (lang) => {
    const w = WORDS[lang];
    const tickets = await db().selectFrom('tickets').select(['number', 'subject']).where('tenant_id', '=', demoId).where('status', '=', 'open')
      .where('deleted_at', 'is', null).orderBy('id').limit(4).execute();
    for (const [index, [width, viewport]] of WIDTHS.entries()) {
      await db().deleteFrom('login_attempts').execute();
      const ticket = tickets[(lang === 'en' ? 0 : 2) + index]!;
      const [context, page] = await browse(lang, viewport);
      await page.goto(staff.url);
      await staffForm(page, staff.email, staff.password);
      await page.waitForURL(/\/desk$/);
      await page.goto(`${server.url}/t/demo/desk/tickets/${ticket.number}`);
      expect(await page.locator('#delete-explained').isVisible()).toBe(false);
      await page.click('#action-delete');
      await expect.poll(() => page.locator('#delete-explained').isVisible(), POLL).toBe(true);
      const explained = await page.locator('#delete-explained').textContent();
      expect(explained).toContain(ticket.number);
      expect(explained).toContain(w.deleteExplained);
      await page.locator('#action-delete-confirm').scrollIntoViewIfNeeded();
      await shoot(page, `delete-asks-${lang}`, width);
      if (SHOTS) await page.locator('#delete').screenshot({ path: join(SHOTS, `delete-question-${lang}-${width}.png`) });

      // Confirmed: the ticket is deleted (not erased) and says so.
      await Promise.all([page.waitForLoadState('load'), page.click('#action-delete-confirm')]);
      await expect.poll(() => page.locator('#ticket-deleted').isVisible(), POLL).toBe(true);
      await expect.poll(() => page.locator('#toasts').textContent(), POLL).toContain(`${ticket.number} ${w.deleted}`);
      const deleted = await db().selectFrom('tickets').select('deleted_at').where('number', '=', ticket.number).executeTakeFirstOrThrow();
      expect(deleted.deleted_at).not.toBeNull();

      // Where the page said: Tickets, all tickets, "Show deleted tickets" (behind "Views and filters" on a phone).
      await page.click(viewport === PHONE ? '.nav-toggle-label' : '#nav-tickets');
      if (viewport === PHONE) await page.click('#nav-tickets');
      await page.waitForURL(/\/desk\/tickets/);
      await page.click('#tab-all');
      await expect.poll(() => page.locator('#tab-all').getAttribute('aria-current'), POLL).toBe('page');
      if (viewport === PHONE) await page.click('#list-tools-button');
      expect((await page.locator('label[for=f-deleted]').textContent())?.trim()).toBe(w.showDeleted);
      await page.check('#f-deleted');
      await expect.poll(() => page.locator('#ticket-results').textContent(), POLL).toContain(ticket.subject);
      await shoot(page, `deleted-found-${lang}`, width);
      await Promise.all([page.waitForURL(new RegExp(`/desk/tickets/${ticket.number}$`)), page.locator('#ticket-results').getByText(ticket.subject).first().click()]);
      expect((await page.locator('#action-restore').textContent())?.trim()).toBe(w.restore);
      await Promise.all([page.waitForLoadState('load'), page.click('#action-restore')]);
      // The toast survives the page's own live refresh set off by the restore (it once took the flash and lost it).
      await expect.poll(() => page.locator('#toasts').textContent(), POLL).toContain(`${ticket.number} ${w.restored}`);
      expect(await page.locator('#ticket-deleted').count()).toBe(0);
      const restored = await db().selectFrom('tickets').select('deleted_at').where('number', '=', ticket.number).executeTakeFirstOrThrow();
      expect(restored.deleted_at).toBeNull();
      await shoot(page, `restored-${lang}`, width);
      await context.close();
    }
  });
});
