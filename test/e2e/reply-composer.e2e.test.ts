import { mkdirSync } from 'node:fs';
import { simpleParser } from 'mailparser';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../core/people/user-service.js';
import { enablePlugin } from '../../core/plugin-host/plugin-switches.js';
import { createTenant } from '../../core/tenancy/tenant-service.js';
import { tenantScope } from '../../core/tenancy/tenant-scope.js';
import { createTicketService } from '../../core/tickets/ticket-service.js';
import { createMailboxStore } from '../../plugins/helpdesk/mail/mailbox-store.js';
import { createSecretBox } from '../../plugins/helpdesk/mail/secret-box.js';
import { helpdeskPlugin } from '../../plugins/helpdesk/index.js';
import { DESKTOP, PHONE, POLL, hasHorizontalScroll, launchBrowser, newContext, signInThroughForm } from '../harness/browser.js';
import { startSmtpPeer, type SmtpPeer } from '../harness/smtp-peer.js';
import { startTestServer, type TestServer } from '../harness/test-server.js';

const PASSWORD = 'e2e password 1234';
const SHOTS = '.tmp/reply-composer';
// A 1×1 PNG, as a screenshot on the clipboard would be.
const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

const WORDS = {
  en: { wrote: 'Carla Kunde wrote:', saved: /Draft saved \d\d:\d\d/, preview: 'Preview', write: 'Write', quote: 'Quote last message', copies: 'CC / BCC' },
  de: { wrote: 'schrieb Carla Kunde:', saved: /Entwurf gespeichert \d\d:\d\d/, preview: 'Vorschau', write: 'Schreiben', quote: 'Letzte Nachricht zitieren', copies: 'CC / BCC' },
} as const;

/** The composer in Chromium: formatting with preview, quoting, a pasted screenshot, the draft across a reload, the mail. */
describe('the reply composer in a real browser, in English and German', () => {
  let server: TestServer;
  let browser: Browser;
  let smtp: SmtpPeer;
  let tenantUrl: string;
  const numbers: Record<'en' | 'de' | 'files', string> = { en: '', de: '', files: '' };

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    smtp = await startSmtpPeer();
    server = await startTestServer([helpdeskPlugin]);
    const { db, database, clock, events, files, config, catalog, registry } = server.tresen.services;
    const tenant = await createTenant(db, { slug: 'acme', name: 'ACME Service', locale: 'en' });
    await enablePlugin(db, registry, tenant.id, 'helpdesk');
    const ada = await createUser(db, { tenantId: tenant.id, email: 'ada@acme.test', name: 'Ada Agent', role: 'agent', password: PASSWORD, locale: 'en' }, config.scryptLogN);
    await createUser(db, { tenantId: tenant.id, email: 'dora@acme.test', name: 'Dora Agentin', role: 'agent', password: PASSWORD, locale: 'de' }, config.scryptLogN);
    const store = createMailboxStore(db, tenant.id, createSecretBox(config.secret));
    await store.create({ name: 'Support', imap_host: '127.0.0.1', imap_port: 1, imap_tls: 'none', imap_user: 'x', imap_password: 'x', imap_folder: 'INBOX', smtp_url: smtp.url, from_address: 'support@acme.test', from_name: 'ACME Support', active: true });
    const requesterId = (await tenantScope(db, tenant.id).insertInto('people', { name: 'Carla Kunde', email: 'carla@customer.test' }).returning('id').executeTakeFirstOrThrow()).id;
    const service = createTicketService({ db, dialect: database.dialect, clock, events, files }, tenant, catalog.translator('en'));
    for (const locale of ['en', 'de', 'files'] as const) {
      const ticket = await service.create({ subject: `Printer prints blank pages (${locale})`, description: 'Since this morning the printer prints only blank pages.', requesterId, channel: 'mail' }, { kind: 'user', id: ada, label: 'Ada Agent', can: () => true });
      numbers[locale] = ticket.number;
    }
    tenantUrl = `${server.url}/t/acme`;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await smtp?.stop();
  });

  async function signedIn(email: string): Promise<Page> {
    const page = await (await newContext(browser, { viewport: DESKTOP })).newPage();
    await signInThroughForm(page, tenantUrl, email, PASSWORD);
    return page;
  }

  const bodyValue = (page: Page) => page.locator('#f-body').inputValue();

  for (const locale of ['en', 'de'] as const) {
    it(`${locale}: bold and a list with preview, quote, a pasted screenshot, the draft back after a reload, and the mail with HTML and text`, { timeout: 90_000 }, async () => {
      const words = WORDS[locale];
      const page = await signedIn(locale === 'en' ? 'ada@acme.test' : 'dora@acme.test');
      const number = numbers[locale];
      await page.goto(`${tenantUrl}/desk/tickets/${number}`);

      // Bold: the toolbar wraps a placeholder, typing replaces it. Then a list line from the toolbar.
      const body = page.locator('#f-body');
      await body.click();
      await page.keyboard.type('Hello ');
      await page.locator('.composer-toolbar [data-md="bold"]').click();
      await page.keyboard.type('Carla');
      await page.keyboard.press('End');
      await page.keyboard.press('Enter');
      await page.keyboard.press('Enter');
      await page.locator('.composer-toolbar [data-md="list"]').click();
      await page.keyboard.type('restart the printer');
      expect(await bodyValue(page)).toBe('Hello **Carla**\n\n- restart the printer');

      // The server's preview.
      await page.getByRole('button', { name: words.preview, exact: true }).click();
      await page.locator('#composer-preview strong', { hasText: 'Carla' }).waitFor();
      await page.locator('#composer-preview li', { hasText: 'restart the printer' }).waitFor();
      expect(await body.isHidden()).toBe(true);
      await page.locator('#ticket-composer').screenshot({ path: `${SHOTS}/preview-${locale}-1280.png` });
      await page.getByRole('button', { name: words.write, exact: true }).click();
      expect(await body.isVisible()).toBe(true);

      // Quote the customer's last message at the end.
      await body.press('Control+End');
      // The autosave that follows the quote (the draft must hold the quote before the reload).
      const { db } = server.tresen.services;
      const quoteSaved = expect.poll(async () => (await db.selectFrom('ticket_reply_drafts').select('body').orderBy('updated_at', 'desc').executeTakeFirst())?.body ?? '', POLL).toContain('> Since this morning');
      await page.getByRole('button', { name: words.quote }).click();
      await expect.poll(() => bodyValue(page), POLL).toContain(words.wrote);
      expect(await bodyValue(page)).toContain('> Since this morning the printer prints only blank pages.');

      // Paste a screenshot: it becomes a file of the draft named screenshot-<time>.png.
      await body.evaluate((area, base64) => {
        const bytes = Uint8Array.from(atob(base64), (ch) => ch.charCodeAt(0));
        const data = new DataTransfer();
        data.items.add(new File([bytes], 'image.png', { type: 'image/png' }));
        area.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
      }, PNG_BASE64);
      await page.locator('#composer-files li', { hasText: /screenshot-\d{4}-\d\d-\d\d-\d{6}\.png/ }).waitFor();

      // Autosave, then a reload brings everything back: the draft on the server holds the quote.
      await quoteSaved;
      await expect.poll(() => page.locator('#composer-draft-state').textContent(), { timeout: 8000, interval: 100 }).toMatch(words.saved);
      const typed = await bodyValue(page);
      await page.screenshot({ path: `${SHOTS}/composer-${locale}-1280.png`, fullPage: true });
      await page.reload();
      expect(await bodyValue(page)).toBe(typed);
      await page.locator('#composer-files li', { hasText: 'screenshot-' }).waitFor();
      expect(await page.locator('#composer-draft-state').textContent()).toMatch(words.saved);

      // On a phone: nothing wider than the screen.
      await page.setViewportSize(PHONE);
      await page.locator('summary', { hasText: words.copies }).click();
      await page.locator('#composer-preview-tab').scrollIntoViewIfNeeded();
      expect(await hasHorizontalScroll(page)).toBe(false);
      await page.screenshot({ path: `${SHOTS}/composer-${locale}-390.png`, fullPage: true });
      await page.locator('#ticket-composer').screenshot({ path: `${SHOTS}/composer-only-${locale}-390.png` });
      await page.setViewportSize(DESKTOP);

      // Send with a CC: the reply shows formatted, the draft is gone, the mail has both parts and the screenshot.
      await page.locator('#f-cc').fill('boss@customer.test');
      const before = smtp.received.length;
      await page.locator('#composer-send').click();
      await page.locator('.entry-reply .rich-body strong', { hasText: 'Carla' }).waitFor();
      await page.locator('.entry-reply .entry-copies', { hasText: 'boss@customer.test' }).waitFor();
      await expect.poll(() => smtp.received.length, POLL).toBe(before + 1);
      const mail = await simpleParser(smtp.received.at(-1)!);
      expect(mail.html).toContain('<strong>Carla</strong>');
      expect(mail.html).toMatch(/<li>restart the printer<\/li>/);
      expect(mail.text).toContain('Hello Carla\n\n- restart the printer');
      expect(mail.text).toContain('> Since this morning the printer prints only blank pages.');
      expect(mail.attachments.map((a) => a.filename)).toEqual([expect.stringMatching(/^screenshot-.*\.png$/)]);
      await page.screenshot({ path: `${SHOTS}/sent-${locale}-1280.png`, fullPage: true });
      await page.locator('.entry-reply').last().screenshot({ path: `${SHOTS}/sent-article-${locale}-1280.png` });
      await page.reload();
      expect(await bodyValue(page)).toBe('');
      expect(await page.locator('#composer-files li').count()).toBe(0);
      await page.context().close();
    });
  }

  it('takes files dropped onto the reply box and chosen with the file field into the draft, each removable', { timeout: 30_000 }, async () => {
    const page = await signedIn('ada@acme.test');
    await page.goto(`${tenantUrl}/desk/tickets/${numbers.files}`);
    await page.locator('.composer-editor').evaluate((zone, base64) => {
      const bytes = Uint8Array.from(atob(base64), (ch) => ch.charCodeAt(0));
      const data = new DataTransfer();
      data.items.add(new File([bytes], 'dropped.png', { type: 'image/png' }));
      zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    }, PNG_BASE64);
    await page.locator('#composer-files li', { hasText: 'dropped.png' }).waitFor();
    await page.locator('#f-attachments').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('steps') });
    await page.locator('#composer-files li', { hasText: 'notes.txt' }).waitFor();
    expect(await page.locator('#f-attachments').inputValue()).toBe('');
    await page.locator('#composer-files li', { hasText: 'dropped.png' }).getByRole('button').click();
    await page.locator('#composer-files li', { hasText: 'dropped.png' }).waitFor({ state: 'detached' });
    await page.reload();
    expect(await page.locator('#composer-files li').allTextContents()).toEqual([expect.stringContaining('notes.txt')]);
    await page.context().close();
  });

  it('warns before leaving with text the autosave has not taken yet', { timeout: 30_000 }, async () => {
    const page = await signedIn('ada@acme.test');
    await page.goto(`${tenantUrl}/desk/tickets/${numbers.en}`);
    await page.locator('#f-body').click();
    await page.keyboard.type('Half a sentence');
    const dialog = page.waitForEvent('dialog');
    await page.close({ runBeforeUnload: true });
    const shown = await dialog;
    expect(shown.type()).toBe('beforeunload');
    await shown.accept();
  });
});
