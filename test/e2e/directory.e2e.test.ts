import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../core/auth/password.js';
import { saveDirectorySettings } from '../../core/directory/directory-settings.js';
import { createUser } from '../../core/people/user-service.js';
import { enablePlugin } from '../../core/plugin-host/plugin-switches.js';
import { createTenant } from '../../core/tenancy/tenant-service.js';
import { tenantScope } from '../../core/tenancy/tenant-scope.js';
import { portalPlugin } from '../../plugins/portal/index.js';
import { DESKTOP, PHONE, POLL, TABLET, hasHorizontalScroll, launchBrowser, newContext, signInThroughForm } from '../harness/browser.js';
import { startTestServer, type TestServer } from '../harness/test-server.js';

const PASSWORD = 'e2e directory password';
/** Set DIRECTORY_SHOTS=<dir> to keep the screenshots (never committed). */
const SHOTS = process.env.DIRECTORY_SHOTS;
const VIEWPORTS = [['phone', PHONE], ['tablet', TABLET], ['desktop', DESKTOP]] as const;

/**
 * The support directory ("Kundendienst") in Chromium at phone, tablet and desktop width: nothing scrolls
 * sideways, the cards carry tel: and sip: links, a staff member sets their card on the account page, the
 * contact card offers the vCard, and a portal user sees only what the tenant allows and asks for a callback.
 */
describe('the support directory in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  let base: string;
  let tenantId: number;
  let lena: number;

  beforeAll(async () => {
    server = await startTestServer([portalPlugin]);
    const { db, config, registry } = server.tresen.services;
    const tenant = await createTenant(db, { slug: 'kd', name: 'Kundendienst GmbH', locale: 'de' });
    tenantId = tenant.id;
    await enablePlugin(db, registry, tenantId, 'portal');
    const user = (email: string, name: string, role: 'agent' | 'supervisor' | 'admin') => createUser(db, { tenantId, email, name, role, password: PASSWORD }, config.scryptLogN);
    for (const [, viewport] of VIEWPORTS) await user(`eva${viewport.width}@kd.test`, `Eva Einstellung ${viewport.width}`, 'agent');
    lena = await user('lena@kd.test', 'Lena Langename-Schmidt-Rüdiger', 'supervisor');
    const tom = await user('tom@kd.test', 'Tom Tel', 'agent');
    const ana = await user('ana@kd.test', 'Ana Abwesend', 'agent');
    const scope = tenantScope(db, tenantId);
    const [first, network] = (await scope.insertInto('support_groups', [{ name: '1st Level Hotline', level: 'first' }, { name: 'Netzwerk und Telefonie', level: 'second' }]).returning('id').execute()).map((r) => r.id) as [number, number];
    await scope.insertInto('group_members', [{ group_id: first, user_id: lena }, { group_id: network, user_id: lena }, { group_id: first, user_id: tom }]).execute();
    const now = new Date().toISOString();
    await scope.insertInto('directory_profiles', [
      { user_id: lena, listed: 1, job_title: 'Teamleitung Hotline', phone: '+49301234567', mobile: '+491711234567', sip: 'sip:lena.langename-schmidt@pbx.kundendienst.example', languages: 'de,en,fr', availability: 'available', updated_at: now },
      { user_id: tom, listed: 1, job_title: null, phone: '+4989123456', mobile: null, sip: null, languages: 'de', availability: 'busy', updated_at: now },
      { user_id: ana, listed: 1, job_title: '2nd Level', phone: null, mobile: '+436641234567', sip: 'sip:ana@pbx.kundendienst.example', languages: 'de,tr', availability: 'away', updated_at: now },
    ]).execute();
    await saveDirectorySettings(db, tenantId, { phoneCountry: 'DE', portalVisible: true, portalFields: ['photo', 'role', 'phone', 'availability', 'languages'], portalCallback: true }, new Date());
    const [acme] = (await scope.insertInto('organisations', [{ name: 'ACME' }]).returning('id').execute()).map((r) => r.id) as [number];
    await scope.insertInto('people', {
      organisation_id: acme, name: 'Carl Kunde', email: 'carl@acme.test', portal_role: 'customer', is_org_manager: 0,
      password_hash: await hashPassword(PASSWORD, config.scryptLogN), locale: 'de', active: 1,
    }).execute();
    base = `${server.url}/t/kd`;
    browser = await launchBrowser();
    if (SHOTS) mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const shoot = async (page: Page, name: string) => {
    expect([name, await hasHorizontalScroll(page)]).toEqual([name, false]);
    if (SHOTS) await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  };

  it.each(VIEWPORTS)('staff on a %s: the list with links, the own card on the account page, the contact card', async (_name, viewport) => {
    const context = await newContext(browser, { viewport, locale: 'de-DE' });
    const page = await context.newPage();
    await signInThroughForm(page, base, `eva${viewport.width}@kd.test`, PASSWORD);
    await page.goto(`${base}/account`);
    await page.check('#f-listed');
    await page.fill('#f-phone', '030 98765-43');
    await page.fill('#f-sip', 'eva@pbx.kundendienst.example');
    await page.check('#directory input[name=languages][value=en]');
    await page.selectOption('#f-availability', 'available');
    await shoot(page, `directory-account-${viewport.width}`);
    await Promise.all([page.waitForURL((url) => url.hash === '#directory' || url.pathname.endsWith('/account')), page.click('#directory button[type=submit]')]);
    await page.goto(`${base}/desk/directory`);
    await expect.poll(() => page.locator('.directory-card', { hasText: `Eva Einstellung ${viewport.width}` }).count(), POLL).toBe(1);
    expect(await page.locator('#nav-directory').textContent()).toBe('Kundendienst');
    const lenaCard = page.locator(`#directory-card-${lena}`);
    expect(await lenaCard.locator('a.directory-phone').getAttribute('href')).toBe('tel:+49301234567');
    expect(await lenaCard.locator('a.directory-sip').getAttribute('href')).toBe('sip:lena.langename-schmidt@pbx.kundendienst.example');
    expect(await page.locator('.directory-card', { hasText: `Eva Einstellung ${viewport.width}` }).locator('a.directory-phone').getAttribute('href')).toBe('tel:+493098765' + '43');
    // Available first, away last.
    expect((await page.locator('.directory-card .directory-name').allTextContents()).at(-1)).toBe('Ana Abwesend');
    await shoot(page, `directory-desk-${viewport.width}`);
    await lenaCard.locator('.directory-name a').click();
    await expect.poll(() => page.locator('#directory-detail').isVisible(), POLL).toBe(true);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#directory-vcard')]);
    expect(download.suggestedFilename()).toBe('Lena-Langename-Schmidt-Rudiger.vcf');
    await shoot(page, `directory-card-${viewport.width}`);
    await context.close();
  });

  it.each(VIEWPORTS)('a portal user on a %s: only the allowed fields, and a callback request that opens a request', async (_name, viewport) => {
    const context = await newContext(browser, { viewport, locale: 'de-DE' });
    const page = await context.newPage();
    await page.goto(`${base}/portal/login`);
    await page.fill('#portal-sign-in input[name=email]', 'carl@acme.test');
    await page.fill('#portal-sign-in input[name=password]', PASSWORD);
    await Promise.all([page.waitForURL((url) => !url.pathname.endsWith('/login')), page.click('#portal-sign-in-submit')]);
    await page.click('#portal-nav-directory');
    await expect.poll(() => page.locator('.directory-card').count(), POLL).toBeGreaterThanOrEqual(3);
    const text = (await page.locator('main').textContent())!;
    for (const hidden of ['sip:', 'pbx.kundendienst', '+49 171', 'Netzwerk und Telefonie', '@kd.test']) expect(text, hidden).not.toContain(hidden);
    expect(await page.locator(`#directory-card-${lena} a.directory-phone`).getAttribute('href')).toBe('tel:+49301234567');
    await shoot(page, `directory-portal-${viewport.width}`);
    await page.locator(`#directory-card-${lena} .directory-name a`).click();
    await page.fill('#directory-callback [name=phone]', '0221 555 12 34');
    await page.fill('#directory-callback [name=message]', `Drucker streikt (${viewport.width})`);
    await shoot(page, `directory-portal-card-${viewport.width}`);
    await Promise.all([page.waitForURL((url) => url.pathname.includes('/portal/requests/')), page.click('#directory-callback button[type=submit]')]);
    expect(await page.locator('main').textContent()).toContain(`Drucker streikt (${viewport.width})`);
    const ticket = await tenantScope(server.tresen.services.db, tenantId).selectFrom('tickets').select(['assignee_id', 'channel', 'description'])
      .where('description', 'like', `%(${viewport.width})%`).executeTakeFirstOrThrow();
    expect(ticket).toMatchObject({ assignee_id: lena, channel: 'phone' });
    expect(ticket.description).toContain('+49 221 5551234');
    await context.close();
  });
});
