import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../core/people/user-service.js';
import { tenantScope } from '../../core/tenancy/tenant-scope.js';
import { createTenant } from '../../core/tenancy/tenant-service.js';
import { tenantTicketService } from '../../core/tickets/ticket-context.js';
import { DESKTOP, PHONE, POLL, hasHorizontalScroll, launchBrowser, newContext, signInThroughForm } from '../harness/browser.js';
import { startTestServer, type TestServer } from '../harness/test-server.js';

const PASSWORD = 'e2e versions password';
/** Screenshots go here (390 and 1280 px, Ada in English, Sven in German); set VERSION_SCREENSHOTS to keep them elsewhere. */
const SHOTS = process.env.VERSION_SCREENSHOTS ?? join(process.cwd(), '.tmp', 'versions');

/** Two colleagues on one ticket in two browsers: presence, the live sidebar, the marks on a touched one and the refused save. */
describe('ticket versions and presence in two browsers', () => {
  let server: TestServer;
  let browser: Browser;
  let base: string;
  let number = '';
  let tenantId = 0;
  let ada: { context: BrowserContext; page: Page };
  let sven: { context: BrowserContext; page: Page };
  const ticket = async () => tenantScope(server.tresen.services.db, tenantId).selectFrom('tickets').selectAll().where('number', '=', number).executeTakeFirstOrThrow();

  async function session(email: string, locale: string) {
    const context = await newContext(browser, { viewport: DESKTOP, locale });
    const page = await context.newPage();
    await signInThroughForm(page, base, email, PASSWORD);
    return { context, page };
  }
  async function shots(page: Page, name: string) {
    mkdirSync(SHOTS, { recursive: true });
    for (const [width, viewport] of [['390', PHONE], ['1280', DESKTOP]] as const) {
      await page.setViewportSize(viewport);
      expect(await hasHorizontalScroll(page), `${name} at ${width}`).toBe(false);
      await page.screenshot({ path: join(SHOTS, `${name}-${width}.png`), fullPage: true });
    }
    await page.setViewportSize(DESKTOP);
  }
  const presence = (page: Page) => page.locator('#ticket-presence-list');

  beforeAll(async () => {
    server = await startTestServer([]);
    const { db, config } = server.tresen.services;
    const tenant = await createTenant(db, { slug: 'versions', name: 'Version Service', locale: 'en' });
    tenantId = tenant.id;
    const adaId = await createUser(db, { tenantId, email: 'ada@versions.test', name: 'Ada Agent', role: 'agent', password: PASSWORD, locale: 'en' }, config.scryptLogN);
    const svenId = await createUser(db, { tenantId, email: 'sven@versions.test', name: 'Sven Kollege', role: 'supervisor', password: PASSWORD, locale: 'de' }, config.scryptLogN);
    const scope = tenantScope(db, tenantId);
    const group = (await scope.insertInto('support_groups', { name: 'Servicedesk', level: 'first' }).returning('id').executeTakeFirstOrThrow()).id;
    await scope.insertInto('group_members', [{ group_id: group, user_id: adaId }, { group_id: group, user_id: svenId }]).execute();
    await scope.insertInto('ticket_categories', [{ name: 'Hardware', position: 1, active: 1 }, { name: 'Software', position: 2, active: 1 }]).execute();
    const service = await tenantTicketService(server.tresen.services, tenantId);
    number = (await service.create({ subject: 'Printer jams on every page', description: 'Since Monday', priority: 2, groupId: group }, { kind: 'user', id: adaId, label: 'Ada Agent', can: () => true })).number;
    base = `${server.url}/t/versions`;
    browser = await launchBrowser();
    ada = await session('ada@versions.test', 'en-US');
    sven = await session('sven@versions.test', 'de-DE');
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows who else is here, viewing and then editing, in each one\'s language', async () => {
    await ada.page.goto(`${base}/desk/tickets/${number}`);
    await sven.page.goto(`${base}/desk/tickets/${number}`);
    await expect.poll(() => presence(ada.page).innerText(), POLL).toContain('Sven Kollege (viewing)');
    await expect.poll(() => presence(sven.page).innerText(), POLL).toContain('Ada Agent (sieht es an)');
    await sven.page.fill('#f-body', 'Hallo, der Drucker ist repariert.');
    await expect.poll(() => presence(ada.page).innerText(), POLL).toContain('Sven Kollege (editing)');
  });

  it('refreshes an untouched sidebar live, and assigns the owner in one step', async () => {
    await ada.page.selectOption('#f-owner', { label: 'Sven Kollege' });
    await expect.poll(async () => (await ticket()).assignee_id, POLL).not.toBeNull();
    await expect.poll(() => sven.page.locator('#f-owner').inputValue(), POLL).toBe(String((await ticket()).assignee_id));
    await ada.page.selectOption('#f-priority', '3');
    await ada.page.click('#fields-save');
    await expect.poll(async () => (await ticket()).priority, POLL).toBe(3);
    // Sven never touched his sidebar: it shows the new priority and version without a reload.
    await expect.poll(() => sven.page.locator('#f-priority').inputValue(), POLL).toBe('3');
    await expect.poll(() => sven.page.locator('#ticket-fields input[name=version]').inputValue(), POLL).toBe(String((await ticket()).version));
    await shots(ada.page, 'presence-owner-en');
  });

  it('marks the fields a colleague changed on a touched sidebar, refuses its save with what changed, and keeps the input', async () => {
    await sven.page.selectOption('#f-category', 'Software');
    await ada.page.selectOption('#f-priority', '4');
    await ada.page.click('#fields-save');
    await expect.poll(async () => (await ticket()).priority, POLL).toBe(4);
    // Sven's form stays as he left it, with a mark at the priority.
    const mark = sven.page.locator('#ticket-fields .field-changed .field-mark-inline');
    await expect.poll(() => mark.innerText(), POLL).toContain('geändert von Ada Agent: hoch → kritisch');
    expect(await sven.page.locator('#f-priority').inputValue()).toBe('3');
    expect(await sven.page.locator('#f-category').inputValue()).toBe('Software');
    await shots(sven.page, 'marks-de');
    await sven.page.click('#fields-save');
    await expect.poll(() => sven.page.locator('#ticket-fields .form-error').innerText(), POLL).toContain('Nicht gespeichert');
    expect(await sven.page.locator('#priority-error').innerText()).toMatch(/Ada Agent hat dies um .+ geändert: „hoch“ → „kritisch“/);
    expect(await sven.page.locator('#f-category').inputValue()).toBe('Software');
    expect((await ticket()).category).toBeNull();
    await shots(sven.page, 'refused-fields-de');
    // Saving again is a decision made knowing the change: it goes through.
    await sven.page.click('#fields-save');
    await expect.poll(async () => (await ticket()).category, POLL).toBe('Software');
  });

  it('refuses a reply with a status change after the colleague changed the status, keeping the typed reply', async () => {
    await ada.page.reload();
    // "Ask back" opens the waiting-until form; without a time it sets waiting as before.
    await ada.page.click('#action-waiting');
    await ada.page.click('#waiting-submit');
    await expect.poll(async () => (await ticket()).status, POLL).toBe('waiting');
    await sven.page.selectOption('#f-statusAfter', 'solved');
    await sven.page.click('#composer-send');
    await expect.poll(() => sven.page.locator('#composer-stale').innerText(), POLL).toContain('Status');
    expect(await sven.page.locator('#f-body').inputValue()).toBe('Hallo, der Drucker ist repariert.');
    expect((await ticket()).status).toBe('waiting');
    await shots(sven.page, 'refused-reply-de');
  });

  it('drops the colleague from "Also here" when his tab goes', async () => {
    await expect.poll(() => presence(ada.page).innerText(), POLL).toContain('Sven Kollege');
    await sven.page.goto(`${base}/desk`);
    await expect.poll(() => presence(ada.page).isHidden(), POLL).toBe(true);
  });
});
