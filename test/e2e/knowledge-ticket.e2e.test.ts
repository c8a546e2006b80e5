import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../core/people/user-service.js';
import { tenantTicketService } from '../../core/plugin-api.js';
import { enablePlugin } from '../../core/plugin-host/plugin-switches.js';
import { createTenant } from '../../core/tenancy/tenant-service.js';
import { knowledgePlugin } from '../../plugins/knowledge/index.js';
import { entryStore } from '../../plugins/knowledge/entry-store.js';
import { createKnowledgeSearch } from '../../plugins/knowledge/search/knowledge-search.js';
import { DESKTOP, PHONE, POLL, hasHorizontalScroll, launchBrowser, newContext, signInThroughForm } from '../harness/browser.js';
import { startTestServer, type TestServer } from '../harness/test-server.js';

const PASSWORD = 'e2e agent password';
/** Set KNOWLEDGE_SCREENSHOTS=<dir> to keep screenshots of the ticket panel at each width (never committed). */
const SHOTS = process.env.KNOWLEDGE_SCREENSHOTS;

describe('the knowledge panel on the ticket page in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  let base: string;
  let ticketNumber: string;

  beforeAll(async () => {
    server = await startTestServer([knowledgePlugin]);
    const { services } = server.tresen;
    const { db, config, registry } = services;
    const tenant = await createTenant(db, { slug: 'desk', name: 'Desk Service', locale: 'de' });
    await enablePlugin(db, registry, tenant.id, 'knowledge');
    const userId = await createUser(db, { tenantId: tenant.id, email: 'ada@desk.test', name: 'Ada Agent', role: 'agent', password: PASSWORD }, config.scryptLogN);
    // Written through the store (another search object: the server's index catches up through the revision).
    const store = entryStore(services, tenant.id, createKnowledgeSearch());
    const entry = await store.create({
      kind: 'faq', language: 'de', title: 'Monitor flackert <img src=x onerror="window.__xss=1">', body: 'Bildwiederholrate auf 60 Hz stellen.', visibility: 'internal',
    }, { id: userId, label: 'Ada Agent' });
    await store.setState(entry.id, 'published', { id: userId, label: 'Ada Agent' });
    const ticket = await (await tenantTicketService(services, tenant.id)).create(
      { subject: 'Monitor flackert', description: 'Der Monitor flackert ständig.', requesterEmail: 'kunde@example.test', requesterName: 'Kunde' },
      { kind: 'user', id: userId, label: 'Ada Agent', can: () => true },
    );
    ticketNumber = ticket.number;
    base = `${server.url}/t/desk`;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it.each([['phone', PHONE], ['desktop', DESKTOP]] as const)('on a %s: suggestions load, "insert into reply" and "??" put the answer into the reply box', async (name, viewport) => {
    const context = await newContext(browser, { viewport, locale: 'de-DE' });
    const page = await context.newPage();
    await signInThroughForm(page, base, 'ada@desk.test', PASSWORD);
    await page.goto(`${base}/desk/tickets/${ticketNumber}`);
    const insert = page.locator('#knowledge-suggestion-hits [data-knowledge-insert]').first();
    await expect.poll(() => insert.isVisible(), POLL).toBe(true);
    expect(await hasHorizontalScroll(page)).toBe(false);
    if (SHOTS) { mkdirSync(SHOTS, { recursive: true }); await page.screenshot({ path: join(SHOTS, `knowledge-ticket-panel-${name}.png`), fullPage: true }); }
    await insert.click();
    await expect.poll(() => page.inputValue('#f-body'), POLL).toContain('Bildwiederholrate auf 60 Hz stellen.');

    await page.fill('#f-body', '');
    await page.locator('#f-body').pressSequentially('Hallo, ??Bildwieder');
    const typed = page.locator('#knowledge-typeahead [data-knowledge-insert]').first();
    await expect.poll(() => typed.isVisible(), POLL).toBe(true);
    await typed.click();
    await expect.poll(() => page.inputValue('#f-body'), POLL).toBe('Hallo, \nBildwiederholrate auf 60 Hz stellen.\n');
    await expect.poll(() => page.locator('#knowledge-typeahead').count(), POLL).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    await context.close();
  });
});
