import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../core/people/user-service.js';
import { tenantTicketService } from '../../core/plugin-api.js';
import { enablePlugin } from '../../core/plugin-host/plugin-switches.js';
import { createTenant } from '../../core/tenancy/tenant-service.js';
import { entryFiles } from '../../plugins/knowledge/entry-files.js';
import { entryStore } from '../../plugins/knowledge/entry-store.js';
import { knowledgePlugin } from '../../plugins/knowledge/index.js';
import { createKnowledgeSearch } from '../../plugins/knowledge/search/knowledge-search.js';
import { topicStore } from '../../plugins/knowledge/topic-store.js';
import { portalPlugin } from '../../plugins/portal/index.js';
import { DESKTOP, PHONE, POLL, hasHorizontalScroll, launchBrowser, newContext, signInThroughForm } from '../harness/browser.js';
import { startTestServer, type TestServer } from '../harness/test-server.js';

const PASSWORD = 'e2e agent password';
/** Set KNOWLEDGE_SCREENSHOTS=<dir> to keep the screenshots (never committed). */
const SHOTS = process.env.KNOWLEDGE_SCREENSHOTS;
const fixture = (name: string) => readFileSync(new URL(`../../plugins/knowledge/fixtures/${name}`, import.meta.url));
const XSS_NAME = '<img src=x onerror="window.__xss=1">.png';

/**
 * The agents' knowledge list and search, an entry with its files, the ticket panel and the public help centre
 * (list and entry) in Chromium, at phone and desktop width, in German and English: nothing scrolls sideways,
 * images served inline load, nothing runs from titles, bodies or file names.
 */
describe('knowledge screens in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  let base: string;
  let ticketNumber: string;
  let docId: number;

  beforeAll(async () => {
    server = await startTestServer([portalPlugin, knowledgePlugin]);
    const { services } = server.tresen;
    const { db, config, registry } = services;
    const tenant = await createTenant(db, { slug: 'hilfe', name: 'Hilfe Service', locale: 'de' });
    for (const plugin of ['portal', 'knowledge']) await enablePlugin(db, registry, tenant.id, plugin);
    const userId = await createUser(db, { tenantId: tenant.id, email: 'ada@hilfe.test', name: 'Ada Agent', role: 'admin', password: PASSWORD }, config.scryptLogN);
    const actor = { id: userId, label: 'Ada Agent' };
    // Written through the stores (another search object: the server's index catches up through the revision).
    const search = createKnowledgeSearch();
    const store = entryStore(services, tenant.id, search);
    const topic = await topicStore(services, tenant.id).create({ name_de: 'Drucker und Etiketten', name_en: 'Printers and labels', position: 1, parent_id: null, archived: false }, actor);
    const publish = async (input: Parameters<typeof store.create>[0]) => {
      const entry = await store.create(input, actor);
      await store.setState(entry.id, 'published', actor);
      return entry.id;
    };
    await publish({ kind: 'faq', language: 'de', title: 'Wie installiere ich den Druckertreiber?', body: 'Den aktuellen Treiber vom Hersteller laden und als Administrator installieren.', visibility: 'public', topic_ids: [topic.id], tags: ['Drucker', 'Treiber'] });
    await publish({ kind: 'kb', language: 'de', title: 'Etikettendrucker druckt leere Etiketten', cause: 'Thermokopf verschmutzt.', body: 'Thermokopf mit Isopropanol reinigen.', steps: '1. Ausschalten\n2. Reinigen\n3. Testdruck', visibility: 'internal', tags: ['Etikettendrucker', 'Thermodirektdruckverfahrenseinstellungen'] });
    docId = await publish({ kind: 'doc', language: 'de', title: 'Wartungsanleitung Etikettendrucker <img src=x onerror="window.__xss=2">', body: 'Handbuch, Checkliste und Bild zum Reinigen.', visibility: 'public', topic_ids: [topic.id], tags: ['Handbuch'] });
    await entryFiles(services, tenant.id, search).add(docId, [
      { filename: 'thermokopf-reinigen.png', bytes: fixture('diagram.png') }, { filename: 'wartungsanleitung-etikettendrucker-modell-x200.pdf', bytes: fixture('manual.pdf') },
      { filename: 'checklist.docx', bytes: fixture('checklist.docx') }, { filename: XSS_NAME, bytes: fixture('diagram.png') },
    ], 'Handbuch, Reinigung', actor);
    const ticket = await (await tenantTicketService(services, tenant.id)).create(
      { subject: 'Druckertreiber fehlt', description: 'Der Etikettendrucker druckt leere Etiketten, der Treiber fehlt.', requesterEmail: 'kunde@example.test', requesterName: 'Kunde' },
      { kind: 'user', id: userId, label: 'Ada Agent', can: () => true },
    );
    ticketNumber = ticket.number;
    base = `${server.url}/t/hilfe`;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const shoot = async (page: Page, name: string) => {
    expect([name, await hasHorizontalScroll(page)]).toEqual([name, false]);
    if (SHOTS) await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  };
  const imagesLoaded = (page: Page) => page.evaluate(() => [...document.querySelectorAll<HTMLImageElement>('.knowledge-file-picture')].map((img) => img.complete && img.naturalWidth > 0));

  it.each([
    ['de', 'phone', PHONE], ['de', 'desktop', DESKTOP], ['en', 'phone', PHONE], ['en', 'desktop', DESKTOP],
  ] as const)('%s on a %s: the agents\' list, search, entry with files, ticket panel and the public help centre', async (language, name, viewport) => {
    if (SHOTS) mkdirSync(SHOTS, { recursive: true });
    const suffix = `${language}-${viewport.width}`;
    const context = await newContext(browser, { viewport, locale: language === 'de' ? 'de-DE' : 'en-US' });
    const page = await context.newPage();
    await signInThroughForm(page, base, 'ada@hilfe.test', PASSWORD);

    await page.goto(`${base}/p/knowledge`);
    await expect.poll(() => page.locator('#knowledge-entries').isVisible(), POLL).toBe(true);
    expect(await page.textContent('h1')).toBe(language === 'de' ? 'Wissen' : 'Knowledge');
    await shoot(page, `knowledge-list-${suffix}`);

    await page.goto(`${base}/p/knowledge?q=${encodeURIComponent('Treiber')}`);
    await expect.poll(() => page.locator('#knowledge-results mark').first().isVisible(), POLL).toBe(true);
    await shoot(page, `knowledge-search-${suffix}`);

    await page.goto(`${base}/p/knowledge/entries/${docId}`);
    await expect.poll(() => imagesLoaded(page), POLL).toEqual([true, true]);
    expect(await page.locator('.knowledge-file-pdf a').first().getAttribute('target')).toBe('_blank');
    await shoot(page, `knowledge-entry-${suffix}`);

    await page.goto(`${base}/desk/tickets/${ticketNumber}`);
    await expect.poll(() => page.locator('#knowledge-suggestion-hits [data-knowledge-insert]').first().isVisible(), POLL).toBe(true);
    await page.locator('#knowledge-suggestion-hits').scrollIntoViewIfNeeded();
    await shoot(page, `knowledge-ticket-panel-${suffix}`);

    // The public help centre, signed out (a fresh context: no session).
    const visitor = await (await newContext(browser, { viewport, locale: language === 'de' ? 'de-DE' : 'en-US' })).newPage();
    await visitor.goto(`${base}/help`);
    await expect.poll(() => visitor.locator('#knowledge-help').isVisible(), POLL).toBe(true);
    await shoot(visitor, `knowledge-help-${suffix}`);
    await visitor.locator('#knowledge-help a[href*="wartungsanleitung"]').first().click();
    await expect.poll(() => visitor.locator('#knowledge-help-entry').isVisible(), POLL).toBe(true);
    await expect.poll(() => imagesLoaded(visitor), POLL).toEqual([true, true]);
    expect(await visitor.content()).not.toContain('Ada Agent');
    await shoot(visitor, `knowledge-help-entry-${suffix}`);

    for (const p of [page, visitor]) expect(await p.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    await visitor.context().close();
    await context.close();
  });

  it('uploads a file through the entry page\'s form in the browser; its markup name runs nothing', async () => {
    const context = await newContext(browser, { viewport: PHONE, locale: 'en-US' });
    const page = await context.newPage();
    await signInThroughForm(page, base, 'ada@hilfe.test', PASSWORD);
    await page.goto(`${base}/p/knowledge/entries/${docId}`);
    await page.setInputFiles('#knowledge-file-upload #f-files', { name: '<svg onload="window.__xss=3">.png', mimeType: 'image/png', buffer: fixture('diagram.png') });
    await page.fill('#knowledge-file-upload #f-file_tags', 'Upload');
    await Promise.all([page.waitForURL(/\/entries\/\d+$/), page.click('#knowledge-file-upload-save')]);
    await expect.poll(() => imagesLoaded(page), POLL).toEqual([true, true, true]);
    await expect.poll(() => page.locator('.knowledge-file-name', { hasText: 'svg onload' }).count(), POLL).toBe(1);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    await context.close();
  });
});
