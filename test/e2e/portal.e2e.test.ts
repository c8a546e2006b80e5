import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tenant } from '../../core/db/schema.js';
import { createUser } from '../../core/people/user-service.js';
import { enablePlugin, updatePluginSettings } from '../../core/plugin-host/plugin-switches.js';
import { createTenant } from '../../core/tenancy/tenant-service.js';
import { tenantScope } from '../../core/tenancy/tenant-scope.js';
import { createTicketService } from '../../core/tickets/ticket-service.js';
import { definePlugin } from '../../core/plugin-api.js';
import { KNOWLEDGE_SUGGESTIONS, type KnowledgeSuggestionsProvider } from '../../plugins/portal/extension-points.js';
import { portalPlugin } from '../../plugins/portal/index.js';
import { DESKTOP, PHONE, hasHorizontalScroll, launchBrowser, newContext, signInThroughForm, POLL } from '../harness/browser.js';
import { startTestServer, type TestServer } from '../harness/test-server.js';

const AGENT_PASSWORD = 'e2e agent password';
const CUSTOMER_PASSWORD = 'e2e customer password';
/** Stands in for the knowledge plugin that comes later: one article about printers. */
const knowledgeStub = definePlugin({
  id: 'kbstub', version: '1.0.0', core: '^1.0.0', name: 'portal.name', dependsOn: ['portal'],
  register(api) {
    api.provide(KNOWLEDGE_SUGGESTIONS, {
      suggest: async (_tenantId, text) => (/printer/i.test(text) ? [{ title: 'Printer trouble: first aid', url: '/portal', excerpt: 'Switch it off first.' }] : []),
    } satisfies KnowledgeSuggestionsProvider);
  },
});

/** Set PORTAL_SCREENSHOTS=<dir> to keep a screenshot of every portal page visited (never committed). */
const SHOTS = process.env.PORTAL_SCREENSHOTS;

describe('customer portal in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  let tenant: Tenant;
  let base: string;
  let agentId: number;

  const service = () => {
    const { db, database, clock, events, files, mailer, hooks, log } = server.tresen.services;
    return createTicketService({ db, dialect: database.dialect, clock, events, files, mailer, hooks, log }, tenant, server.tresen.services.catalog.translator('en'));
  };
  const agent = () => ({ kind: 'user' as const, id: agentId, label: 'Ada Agent', can: () => true });
  /** The newest mail to an address and the path of its first link (the test server's mails name port 0). */
  const mailLink = async (to: string) => {
    const mail = await server.tresen.services.db.selectFrom('mail_outbox').select(['subject', 'text_body']).where('to_address', '=', to).orderBy('id', 'desc').executeTakeFirstOrThrow();
    const url = new URL(/https?:\/\/\S+/.exec(mail.text_body)![0]);
    return { mail, path: `${url.pathname}${url.search}` };
  };

  beforeAll(async () => {
    server = await startTestServer([portalPlugin, knowledgeStub]);
    const { db, config, registry } = server.tresen.services;
    tenant = await createTenant(db, { slug: 'shop', name: 'Shop Service', locale: 'en' });
    await enablePlugin(db, registry, tenant.id, 'portal');
    await enablePlugin(db, registry, tenant.id, 'kbstub');
    await updatePluginSettings(db, registry, tenant.id, 'portal', { registration: 'domains', registrationDomains: ['kunde.test'], welcomeEn: 'Welcome to Shop Service support.' });
    const scope = tenantScope(db, tenant.id);
    await scope.insertInto('organisations', { name: 'Kunde GmbH', number: 'K-1', email_domains: 'kunde.test', phone: null, address: null, notes: null }).execute();
    await scope.insertInto('ticket_categories', [{ name: 'Hardware', position: 1, active: 1 }, { name: 'Software', position: 2, active: 1 }]).execute();
    await scope.insertInto('ticket_fields', { key: 'asset', label: 'Asset tag', type: 'text', options: '[]', required: 1, categories: JSON.stringify(['Hardware']), position: 1, active: 1 }).execute();
    agentId = await createUser(db, { tenantId: tenant.id, email: 'ada@shop.test', name: 'Ada Agent', role: 'agent', password: AGENT_PASSWORD }, config.scryptLogN);
    base = `${server.url}/t/shop`;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function visit(page: Page, label: string): Promise<void> {
    expect(await hasHorizontalScroll(page), `${label} scrolls sideways`).toBe(false);
    if (SHOTS) {
      mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: join(SHOTS, `${label}.png`), fullPage: true });
    }
  }

  it.each([['phone', PHONE], ['desktop', DESKTOP]] as const)('on a %s: register, submit with an attachment (knowledge suggested while typing), see the answer, reply; the agent\'s queue updates live', async (name, viewport) => {
    const email = `kim.${name}@kunde.test`;
    const customer = await newContext(browser, { viewport });
    const page = await customer.newPage();

    // Register: the front page offers it, the mail link sets the password and signs in.
    await page.goto(`${base}/portal`);
    await expect.poll(() => page.locator('#portal-welcome-text').textContent(), POLL).toContain('Welcome to Shop Service support.');
    await visit(page, `${name}-01-home`);
    await page.click('#portal-register-link');
    await page.fill('input[name=name]', `Kim ${name}`);
    await page.fill('input[name=email]', email);
    await visit(page, `${name}-02-register`);
    await page.click('#portal-register-submit');
    await page.locator('#portal-register-sent').waitFor();
    const registration = await mailLink(email);
    await page.goto(`${server.url}${registration.path}`);
    await page.fill('input[name=password]', CUSTOMER_PASSWORD);
    await page.fill('input[name=confirm]', CUSTOMER_PASSWORD);
    await visit(page, `${name}-03-password`);
    await Promise.all([page.waitForURL(/\/portal\/requests$/), page.click('#portal-password-submit')]);
    await visit(page, `${name}-04-list-empty`);

    // Submit: the category's field appears when it is picked; a screenshot goes along.
    await page.click('#portal-nav-new');
    await page.locator('#f-subject').pressSequentially(`Printer on fire (${name})`, { delay: 10 });
    // While typing, a matching article from the knowledge provider appears under the subject.
    await expect.poll(() => page.locator('#portal-suggestions a').first().textContent(), POLL).toBe('Printer trouble: first aid');
    await page.fill('#f-description', 'Smoke comes out of the printer on floor 2.');
    await page.selectOption('#f-category', 'Hardware');
    await page.locator('input[name="custom_fields.asset"]').waitFor();
    await page.fill('input[name="custom_fields.asset"]', 'PR-42');
    await page.setInputFiles('#f-attachments', { name: 'smoke.png', mimeType: 'image/png', buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]) });
    await visit(page, `${name}-05-new`);
    await Promise.all([page.waitForURL(/\/portal\/requests\/\d+-\d+$/), page.click('#portal-submit-request')]);
    const number = (await page.locator('#portal-request').getAttribute('data-number'))!;
    await expect.poll(() => page.locator('.portal-attachments a').first().textContent(), POLL).toBe('smoke.png');
    await visit(page, `${name}-06-request`);
    const ticket = (await service().find(number))!;
    expect(ticket).toMatchObject({ channel: 'web', status: 'new', category: 'Hardware' });

    // The agent takes it and asks back: the ticket leaves "customer waits"; the agent watches that list.
    await service().accept(number, agent());
    await service().addArticle(number, { kind: 'reply', body: 'Is the printer unplugged now?', statusAfter: 'waiting' }, agent());
    const agentContext = await newContext(browser, { viewport: DESKTOP });
    const agentPage = await agentContext.newPage();
    await signInThroughForm(agentPage, base, 'ada@shop.test', AGENT_PASSWORD);
    const connected = agentPage.waitForResponse((r) => r.url().endsWith('/t/shop/events'));
    await agentPage.goto(`${base}/desk/tickets?queue=customer`);
    await connected;
    await agentPage.evaluate(() => { (window as unknown as { liveMarker: number }).liveMarker = 7; });
    expect(await agentPage.locator(`[data-ticket-row][data-number="${number}"]`).count()).toBe(0);

    // The customer follows the mail's link straight to the request and sees the answer.
    const answer = await mailLink(email);
    expect(answer.mail.subject).toContain(number);
    await page.goto(`${server.url}${answer.path}`);
    await page.waitForURL(new RegExp(`/portal/requests/${number}$`));
    await expect.poll(() => page.locator('.portal-message-support').last().textContent(), POLL).toContain('Is the printer unplugged now?');
    await expect.poll(() => page.locator('#portal-status').textContent(), POLL).toBe('Waiting for your answer');
    await visit(page, `${name}-07-answered`);
    await page.goto(`${base}/portal/requests`);
    await expect.poll(() => page.locator(`tr.portal-waiting[data-number="${number}"]`).count(), POLL).toBe(1);
    await visit(page, `${name}-08-list-waiting`);

    // The reply with a log file; the agent's open list shows the ticket again without a reload.
    await page.goto(`${base}/portal/requests/${number}`);
    await page.fill('#f-body', 'Yes, unplugged. Log attached.');
    await page.setInputFiles('#f-reply-attachments', { name: 'printer.log', mimeType: 'text/plain', buffer: Buffer.from('E42 fuser overheated') });
    await Promise.all([page.waitForURL(new RegExp(`/portal/requests/${number}$`)), page.click('#portal-send-reply')]);
    await expect.poll(() => page.locator('.portal-message-customer').last().textContent(), POLL).toContain('Yes, unplugged.');
    await expect.poll(() => page.locator('#portal-status').textContent(), POLL).toBe('In progress');
    await visit(page, `${name}-09-replied`);
    await agentPage.locator(`[data-ticket-row][data-number="${number}"]`).waitFor({ timeout: 5000 });
    expect(await agentPage.evaluate(() => (window as unknown as { liveMarker?: number }).liveMarker)).toBe(7);

    // Marked solved by the customer; the list filter finds it by number.
    await page.click('#portal-solve');
    await page.waitForURL(new RegExp(`/portal/requests/${number}$`));
    await expect.poll(() => page.locator('#portal-status').textContent(), POLL).toBe('Solved');
    await page.goto(`${base}/portal/requests?number=${number}`);
    await expect.poll(() => page.locator('[data-request-row]').count(), POLL).toBe(1);
    await page.click('th a[data-sort="subject"]');
    await page.waitForURL((url) => url.searchParams.get('sort') === 'subject');
    await visit(page, `${name}-10-list-sorted`);
    await agentContext.close();
    await customer.close();
  });
});
