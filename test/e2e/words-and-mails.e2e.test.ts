import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tenant } from '../../core/db/schema.js';
import { createUser } from '../../core/people/user-service.js';
import { enablePlugin, updatePluginSettings } from '../../core/plugin-host/plugin-switches.js';
import { bumpConfigRevision } from '../../core/tenancy/tenant-directory.js';
import { createTenant } from '../../core/tenancy/tenant-service.js';
import { tenantScope } from '../../core/tenancy/tenant-scope.js';
import { createTicketService } from '../../core/tickets/ticket-service.js';
import { helpdeskPlugin } from '../../plugins/helpdesk/index.js';
import { portalPlugin } from '../../plugins/portal/index.js';
import { DESKTOP, PHONE, POLL, hasHorizontalScroll, launchBrowser, newContext, signInThroughForm } from '../harness/browser.js';
import { startSmtpPeer, type SmtpPeer } from '../harness/smtp-peer.js';
import { startTestServer, type TestServer } from '../harness/test-server.js';

const PASSWORD = 'e2e words password';
/** Set WORDS_SCREENSHOTS=<dir> to keep the screenshots (never committed): <step>-<en|de>-<390|1280>.png. */
const SHOTS = process.env.WORDS_SCREENSHOTS;
type Lang = 'en' | 'de';
const other = (lang: Lang): Lang => (lang === 'en' ? 'de' : 'en');
const BROWSER_LOCALE = { en: 'en-US', de: 'de-DE' } as const;

/** The words a reader of each language must see (from the message files, written out so a lost translation fails). */
const WORDS = {
  en: {
    maxLabel: 'Largest mail taken in (MB)', maxHint: 'Bigger mails are answered with a bounce and not imported (1–100).',
    tagLabel: 'Ticket number in mail subjects', tagHint: 'Must contain {number}, e.g. [#{number}]; replies are matched to their ticket by it.',
    registration: 'Self-registration', registrationChoices: ['Off', 'Addresses of the listed domains'], wrongFormat: 'This value has the wrong format.',
    settingsSaved: 'Settings saved.',
    mention: (n: string) => `You were mentioned on ${n}: Drucker brennt`, forwarded: (n: string) => `${n} was forwarded to you: Drucker brennt`,
    recorded: 'Request recorded', answer: 'New answer', statusChanged: 'Status changed', solved: 'Solved', continue: 'Continue',
    requesterMails: 'Which mails requesters get', essential: 'Confirmation, answers and the solution (recommended)', everyStatus: 'Also every other status change',
    requesterMailsHint: 'Recommended: a ticket recorded on the phone, taken, answered, solved and closed, sends three mails (confirmation, answer, solution), not one per status.',
    portalSaved: 'Portal settings saved.',
  },
  de: {
    maxLabel: 'Größte angenommene E-Mail (MB)', maxHint: 'Größere E-Mails werden abgewiesen und nicht übernommen (1–100).',
    tagLabel: 'Ticketnummer im E-Mail-Betreff', tagHint: 'Muss {number} enthalten, z. B. [#{number}]; Antworten werden daran ihrem Ticket zugeordnet.',
    registration: 'Selbstregistrierung', registrationChoices: ['Aus', 'Adressen der genannten Domains'], wrongFormat: 'Dieser Wert hat das falsche Format.',
    settingsSaved: 'Einstellungen gespeichert.',
    mention: (n: string) => `Sie wurden in ${n} erwähnt: Drucker brennt`, forwarded: (n: string) => `${n} wurde an Sie weitergeleitet: Drucker brennt`,
    recorded: 'Anfrage aufgenommen', answer: 'Neue Antwort', statusChanged: 'Status geändert', solved: 'Gelöst', continue: 'Weiter',
    requesterMails: 'Welche E-Mails Anfragende erhalten', essential: 'Bestätigung, Antworten und die Lösung (empfohlen)', everyStatus: 'Zusätzlich jede andere Statusänderung',
    requesterMailsHint: 'Empfohlen: Ein telefonisch aufgenommenes Ticket, angenommen, beantwortet, gelöst und geschlossen, ergibt drei E-Mails (Bestätigung, Antwort, Lösung), nicht eine je Status.',
    portalSaved: 'Portaleinstellungen gespeichert.',
  },
} as const;

/** Setting names as the schemas spell them: never shown to a reader. */
const RAW_KEYS = ['maxMailMegabytes', 'subjectTag', 'replyByMailForAllChannels', 'autoRepliesPerSenderPerHour', 'mailsPerTicketPerHour', 'requesterMails', 'notifyRequester', 'registrationDomains'];

/** Issue 18 points 9 and 10 in a real browser, in English and German, at 390 and 1280 px. */
describe('words, settings and customer mails in a real browser', () => {
  let server: TestServer;
  let smtp: SmtpPeer;
  let browser: Browser;
  let tenant: Tenant;
  let base: string;
  let annaId = 0;
  let bertId = 0;
  let groupId = 0;
  const customers = { en: { id: 0, name: 'Chris Customer', email: 'chris@customer.test' }, de: { id: 0, name: 'Clara Kundin', email: 'clara@kunde.test' } };

  beforeAll(async () => {
    smtp = await startSmtpPeer();
    server = await startTestServer([helpdeskPlugin, portalPlugin]);
    const { db, config, registry } = server.tresen.services;
    tenant = await createTenant(db, { slug: 'acme', name: 'ACME Service', locale: 'en' });
    await enablePlugin(db, registry, tenant.id, 'portal');
    await db.updateTable('tenants').set({ smtp_url: smtp.url }).where('id', '=', tenant.id).execute();
    tenant = (await server.tresen.services.tenants.byId(tenant.id))!;
    await createUser(db, { tenantId: null, email: 'op@platform.test', name: 'Olga Operator', role: 'operator', password: PASSWORD }, config.scryptLogN);
    await createUser(db, { tenantId: tenant.id, email: 'ada@acme.test', name: 'Ada Admin', role: 'admin', password: PASSWORD }, config.scryptLogN);
    annaId = await createUser(db, { tenantId: tenant.id, email: 'anna@acme.test', name: 'Anna Agent', role: 'agent', password: PASSWORD }, config.scryptLogN);
    bertId = await createUser(db, { tenantId: tenant.id, email: 'bert@acme.test', name: 'Bert Agent', role: 'agent', password: PASSWORD }, config.scryptLogN);
    const scope = tenantScope(db, tenant.id);
    groupId = (await scope.insertInto('support_groups', { name: 'Servicedesk', level: 'first' }).returning('id').executeTakeFirstOrThrow()).id;
    await scope.insertInto('group_members', [{ group_id: groupId, user_id: annaId }, { group_id: groupId, user_id: bertId }]).execute();
    for (const lang of ['en', 'de'] as const) {
      const { name, email } = customers[lang];
      customers[lang].id = (await scope.insertInto('people', { name, email, phone: null, locale: lang, active: 1 }).returning('id').executeTakeFirstOrThrow()).id;
    }
    base = `${server.url}/t/acme`;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await smtp?.stop();
  });

  async function shoot(page: Page, name: string, width: number) {
    expect(await hasHorizontalScroll(page), `${name} at ${width}`).toBe(false);
    if (SHOTS) { mkdirSync(SHOTS, { recursive: true }); await page.screenshot({ path: join(SHOTS, `${name}-${width}.png`), fullPage: true }); }
  }
  async function signedIn(width: number, lang: Lang, email: string, at = base) {
    const context = await newContext(browser, { viewport: { width, height: width === PHONE.width ? PHONE.height : DESKTOP.height }, locale: BROWSER_LOCALE[lang] });
    const page = await context.newPage();
    await signInThroughForm(page, at, email, PASSWORD);
    return page;
  }
  const setLocale = (email: string, lang: Lang) => server.tresen.services.db.updateTable('users').set({ locale: lang }).where('email', '=', email).execute();
  /** Anna's ticket service, speaking her language (as in her own request). */
  const annasService = (lang: Lang) => {
    const { db, database, clock, events, files, mailer, hooks, log, catalog } = server.tresen.services;
    return createTicketService({ db, dialect: database.dialect, clock, events, files, mailer, hooks, log, catalog }, tenant, catalog.translator(lang));
  };
  const anna = { kind: 'user' as const, id: 0, label: 'Anna Agent', can: () => true };
  /** The mails the SMTP peer received for an address about a ticket, parsed, in order. */
  const mailsAbout = async (to: string, number: string) => {
    const mine = smtp.received.filter((_, i) => smtp.recipients[i]!.includes(to));
    return (await Promise.all(mine.map((raw) => simpleParser(raw)))).filter((mail) => mail.subject?.includes(`[#${number}]`));
  };
  const subjectsAbout = async (to: string, number: string) => (await mailsAbout(to, number)).map((mail) => mail.subject);
  /** The subjects of the mails to an address about a ticket in the order they were sent (the outbox; the peer may receive them in another order). */
  const sentSubjects = async (to: string, number: string) => (await server.tresen.services.db.selectFrom('mail_outbox').select('subject')
    .where('to_address', '=', to).orderBy('id').execute()).map((row) => row.subject).filter((subject) => subject.includes(`[#${number}]`));
  /** Waits until the SMTP peer received `count` mails about the ticket and every delivery is done; the subjects as sent, each received once. */
  const settledSubjects = async (to: string, number: string, count: number) => {
    await expect.poll(async () => (await subjectsAbout(to, number)).length, { ...POLL, timeout: 10_000 }).toBeGreaterThanOrEqual(count);
    await server.tresen.services.mailer.idle();
    const sent = await sentSubjects(to, number);
    expect((await subjectsAbout(to, number)).sort()).toEqual([...sent].sort());
    return sent;
  };
  /** The tenant's choice of requester mails, as a test starts from it (a failed test must not leave it to the next). */
  const requesterMails = (choice: 'essential' | 'everyStatus') => updatePluginSettings(server.tresen.services.db, server.tresen.services.registry, tenant.id, 'portal', { requesterMails: choice });

  describe.each(['en', 'de'] as const)('in %s', (lang) => {
    const w = WORDS[lang];

    it.each([PHONE.width, DESKTOP.width])('at %i px: the operator\'s plugin settings speak the reader\'s words, a bad value answers at its field', async (width) => {
      await setLocale('op@platform.test', lang);
      // The helpdesk was never set up for this tenant: its card shows the defaults it works with.
      const { db } = server.tresen.services;
      await db.deleteFrom('tenant_plugins').where('tenant_id', '=', tenant.id).where('plugin_id', '=', 'helpdesk').execute();
      await bumpConfigRevision(db);
      const page = await signedIn(width, lang, 'op@platform.test', server.url);
      await page.goto(`${server.url}/platform/tenants/${tenant.id}`);
      const helpdesk = page.locator('#settings-helpdesk');
      await helpdesk.waitFor();
      expect(await helpdesk.locator('label[for=f-maxMailMegabytes]').textContent()).toBe(w.maxLabel);
      expect(await helpdesk.locator('#maxMailMegabytes-hint').textContent()).toBe(w.maxHint);
      expect(await helpdesk.locator('label[for=f-subjectTag]').textContent()).toBe(w.tagLabel);
      expect(await helpdesk.locator('#subjectTag-hint').textContent()).toBe(w.tagHint);
      const shown = (key: string) => helpdesk.locator(`#f-${key}`).inputValue();
      expect([await shown('maxMailMegabytes'), await shown('subjectTag'), await shown('autoRepliesPerSenderPerHour'), await shown('mailsPerTicketPerHour')]).toEqual(['25', '[#{number}]', '3', '30']);
      // Every field of the card has a label and a hint a reader sees; no setting shows under its schema name.
      for (const [card, count] of [['#settings-helpdesk', 5], ['#settings-portal', 7]] as const) {
        expect(await page.locator(card).locator('input:not([type=hidden]), select, textarea').count(), card).toBe(count);
        expect(await page.locator(card).locator('.hint').count(), card).toBe(count);
        const text = await page.locator(card).innerText();
        for (const key of RAW_KEYS) expect(text, `${card} shows ${key}`).not.toContain(key);
      }
      // A choice is offered as a choice with its words, not as a text field to type "off" into.
      const registration = page.locator('#settings-portal #f-registration');
      expect(await registration.evaluate((el) => el.tagName)).toBe('SELECT');
      expect(await page.locator('#settings-portal label[for=f-registration]').textContent()).toBe(w.registration);
      expect((await registration.locator('option').allTextContents()).map((s) => s.trim())).toEqual(w.registrationChoices);
      await shoot(page, `operator-settings-${lang}`, width);

      // A bad value: refused at its field, in the reader's language, with what was typed kept; nothing saved.
      await page.fill('#settings-helpdesk #f-maxMailMegabytes', '500');
      await page.fill('#settings-helpdesk #f-subjectTag', 'Ticket');
      await Promise.all([page.waitForLoadState('load'), page.locator('#settings-helpdesk button[type=submit]').click()]);
      await expect.poll(() => page.locator('#settings-helpdesk #maxMailMegabytes-error').textContent(), POLL).toBe(w.wrongFormat);
      expect(await page.locator('#settings-helpdesk #subjectTag-error').textContent()).toBe(w.wrongFormat);
      expect(await page.locator('#settings-helpdesk #f-maxMailMegabytes').inputValue()).toBe('500');
      expect(await page.locator('#settings-helpdesk #f-maxMailMegabytes').getAttribute('aria-invalid')).toBe('true');
      expect(await server.tresen.services.tenants.pluginSettings(tenant.id, 'helpdesk')).not.toMatchObject({ maxMailMegabytes: 500 });
      await shoot(page, `operator-settings-refused-${lang}`, width);
      if (SHOTS) await page.locator('#settings-helpdesk').screenshot({ path: join(SHOTS, `operator-settings-refused-card-${lang}-${width}.png`) });

      // A good value is saved.
      const megabytes = String(width === PHONE.width ? 30 : 40);
      await page.fill('#settings-helpdesk #f-maxMailMegabytes', megabytes);
      await page.fill('#settings-helpdesk #f-subjectTag', '[Ticket #{number}]');
      await Promise.all([page.waitForURL(/#settings-helpdesk$/), page.locator('#settings-helpdesk button[type=submit]').click()]);
      await expect.poll(() => page.locator('.toast-success').textContent(), POLL).toContain(w.settingsSaved);
      expect(await server.tresen.services.tenants.pluginSettings(tenant.id, 'helpdesk')).toMatchObject({ maxMailMegabytes: Number(megabytes), subjectTag: '[Ticket #{number}]' });
      await page.context().close();
    });

    it.each([PHONE.width, DESKTOP.width])('at %i px: notifications written in the other language show in the reader\'s, and follow the reader\'s switch', async (width) => {
      // Anna works in the other language; Bert reads in this one.
      await setLocale('anna@acme.test', other(lang));
      await setLocale('bert@acme.test', lang);
      const service = annasService(other(lang));
      const actor = { ...anna, id: annaId };
      const ticket = await service.create({ subject: 'Drucker brennt', description: 'Rauch im 2. Stock.', requesterId: customers.de.id, groupId, channel: 'phone' }, actor);
      await service.addArticle(ticket.number, { kind: 'note', body: 'Bitte ansehen @bert' }, actor);
      await service.forward(ticket.number, { groupId, assigneeId: bertId }, actor);
      const stored = await tenantScope(server.tresen.services.db, tenant.id).selectFrom('notifications').select(['kind', 'summary'])
        .where('user_id', '=', bertId).where('ticket_id', '=', ticket.id).orderBy('id').execute();
      // Written in Anna's language: the reader's page must not show the stored line.
      expect(stored.find((n) => n.kind === 'mention')?.summary).toBe(WORDS[other(lang)].mention(ticket.number));

      const page = await signedIn(width, lang, 'bert@acme.test');
      await page.goto(`${base}/desk/notifications`);
      const list = page.locator('#notifications');
      await expect.poll(() => list.innerText(), POLL).toContain(w.mention(ticket.number));
      expect(await list.innerText()).toContain(w.forwarded(ticket.number));
      expect(await list.innerText()).not.toContain(WORDS[other(lang)].mention(ticket.number));
      // The forwarding pops up as a sticky toast, in the reader's words too.
      const toast = page.locator('#sticky-toasts .toast-sticky', { hasText: ticket.number });
      await expect.poll(() => toast.first().textContent(), POLL).toContain(w.forwarded(ticket.number));
      // Its words wrap inside the toast on a phone, clear of the close button.
      const [link, close] = [await toast.first().locator('.toast-link').boundingBox(), await toast.first().locator('.toast-close').boundingBox()];
      expect(link!.x + link!.width).toBeLessThanOrEqual(close!.x);
      expect(await toast.first().locator('.toast-link').evaluate((el) => el.scrollWidth <= el.clientWidth + 1)).toBe(true);
      await shoot(page, `notifications-${lang}`, width);

      // Bert switches his language in the header: the same notifications now read in the other language.
      if (width === PHONE.width) await page.click('.nav-toggle-label');
      await Promise.all([page.waitForResponse((r) => r.url().endsWith('/locale')), page.selectOption('#lang-select', other(lang))]);
      await expect.poll(() => page.locator('html').getAttribute('lang'), POLL).toBe(other(lang));
      await expect.poll(() => page.locator('#notifications').innerText(), POLL).toContain(WORDS[other(lang)].mention(ticket.number));
      expect(await page.locator('#notifications').innerText()).not.toContain(w.mention(ticket.number));
      await expect.poll(() => toast.first().textContent(), POLL).toContain(WORDS[other(lang)].forwarded(ticket.number));
      await shoot(page, `notifications-switched-${lang}`, width);
      await page.locator('#sticky-toasts .toast-sticky', { hasText: ticket.number }).locator('.toast-close').click();
      await expect.poll(() => toast.count(), POLL).toBe(0);
      await page.context().close();
    });

    it.each([PHONE.width, DESKTOP.width])('at %i px: a phone ticket solved mails its customer three times in the customer\'s language, with a short link that opens the request', async (width) => {
      // The agent works in this language; the customer speaks the other one.
      await setLocale('bert@acme.test', lang);
      await requesterMails('essential');
      const customer = customers[other(lang)];
      const cw = WORDS[other(lang)];
      const subject = `Monitor flickers ${lang} ${width}`;
      const page = await signedIn(width, lang, 'bert@acme.test');
      await page.goto(`${base}/desk/tickets/new`);
      await page.locator('#f-lookup').click();
      await page.locator('#f-lookup').pressSequentially(customer.name.split(' ')[0]!, { delay: 20 });
      const option = page.locator('#lookup-results [role=option]', { hasText: customer.name });
      await option.waitFor();
      await option.click();
      await expect.poll(() => page.locator('input[name=requester_id]').inputValue(), POLL).toBe(String(customer.id));
      await page.fill('#f-subject', subject);
      await page.fill('#f-description', 'The screen flickers since the update.');
      await shoot(page, `phone-ticket-${lang}`, width);
      await Promise.all([page.waitForURL(/\/desk\/tickets\/\d{4}-\d{6,}$/), page.locator('#phone-ticket .form-actions button[type="submit"]').click()]);
      const number = new URL(page.url()).pathname.split('/').pop()!;

      // Accept, answer, solve: the customer gets the confirmation, the answer and the solution, no mail for "accepted".
      await page.locator('#action-accept').click();
      await expect.poll(() => page.locator('#action-accept').count(), POLL).toBe(0);
      await page.locator('#composer-reply').check();
      await page.fill('#f-body', 'Please try another cable.');
      await page.locator('#composer-send').click();
      await page.locator('.entry-reply', { hasText: 'Please try another cable.' }).waitFor();
      await page.locator('#action-solved').click();
      await expect.poll(() => page.locator('#ticket-status').textContent(), POLL).toBe(w.solved);
      await shoot(page, `phone-ticket-solved-${lang}`, width);
      await page.context().close();

      const subjects = await settledSubjects(customer.email, number, 3);
      expect(subjects).toEqual([`[#${number}] ${cw.recorded}: ${subject}`, `[#${number}] ${cw.answer}: ${subject}`, `[#${number}] ${cw.statusChanged}: ${subject}`]);
      const mails = await mailsAbout(customer.email, number);
      const solution = mails.find((mail) => mail.subject === subjects[2])!;
      expect(solution.text).toContain(cw.solved);
      // Every link is short: an opaque token of at most 32 characters, no signed JWT (three dot-separated base64 parts).
      const links = mails.map((mail) => new URL(/https?:\/\/\S+/.exec(mail.text ?? '')![0]));
      for (const link of links) {
        const token = link.searchParams.get('token')!;
        expect(token).toMatch(/^[\w-]{16,32}$/);
        expect(link.search).not.toMatch(/eyJ|\w+\.\w+\.\w+/);
        expect(`${link.pathname}${link.search}`.length).toBeLessThan(100);
      }

      // The customer follows the solution mail's link in their own browser and lands on the request, in their language.
      const context = await newContext(browser, { viewport: { width, height: width === PHONE.width ? PHONE.height : DESKTOP.height }, locale: BROWSER_LOCALE[other(lang)] });
      const portal = await context.newPage();
      const link = links[mails.indexOf(solution)]!;
      await portal.goto(`${server.url}${link.pathname}${link.search}`);
      expect(await portal.locator('h1').textContent()).toBe(cw.continue);
      await shoot(portal, `mail-link-${other(lang)}-from-${lang}`, width);
      await Promise.all([portal.waitForURL(new RegExp(`/portal/requests/${number}$`)), portal.click('#portal-link-continue')]);
      expect(await portal.locator('#portal-request').getAttribute('data-number')).toBe(number);
      await expect.poll(() => portal.locator('.portal-message-support').last().textContent(), POLL).toContain('Please try another cable.');
      expect(await portal.locator('#portal-status').textContent()).toBe(cw.solved);
      expect(await portal.locator('html').getAttribute('lang')).toBe(other(lang));
      await shoot(portal, `portal-request-${other(lang)}-from-${lang}`, width);
      await context.close();
    });

    it.each([PHONE.width, DESKTOP.width])('at %i px: the portal settings offer "every status change" in the admin\'s words; switched on, status mails come too', async (width) => {
      await setLocale('ada@acme.test', lang);
      await requesterMails('essential');
      const page = await signedIn(width, lang, 'ada@acme.test');
      await page.goto(`${base}/p/portal/settings`);
      const choice = page.locator('#portal-settings-form #f-requesterMails');
      expect(await page.locator('label[for=f-requesterMails]').textContent()).toBe(w.requesterMails);
      expect(await choice.evaluate((el) => el.tagName)).toBe('SELECT');
      expect((await choice.locator('option').allTextContents()).map((s) => s.trim())).toEqual([w.essential, w.everyStatus]);
      expect(await choice.inputValue()).toBe('essential');
      expect(await page.locator('#requesterMails-hint').textContent()).toBe(w.requesterMailsHint);
      await choice.selectOption('everyStatus');
      await shoot(page, `portal-settings-${lang}`, width);
      await Promise.all([page.waitForURL(/\/p\/portal\/settings$/), page.click('#portal-settings-save')]);
      await expect.poll(() => page.locator('.toast-success').textContent(), POLL).toContain(w.portalSaved);
      expect(await page.locator('#f-requesterMails').inputValue()).toBe('everyStatus');
      expect(await server.tresen.services.tenants.pluginSettings(tenant.id, 'portal')).toMatchObject({ requesterMails: 'everyStatus' });

      // With it on, each status change is mailed too: recorded, accepted, solved, closed.
      const customer = customers[lang];
      const service = annasService(lang);
      const actor = { ...anna, id: annaId };
      const subject = `Keyboard sticky ${lang} ${width}`;
      const ticket = await service.create({ subject, description: 'Coffee.', requesterId: customer.id, groupId, channel: 'phone' }, actor);
      await service.accept(ticket.number, actor);
      await service.changeStatus(ticket.number, 'solved', actor);
      await service.changeStatus(ticket.number, 'closed', actor);
      expect(await settledSubjects(customer.email, ticket.number, 4)).toEqual([
        `[#${ticket.number}] ${w.recorded}: ${subject}`,
        ...Array.from({ length: 3 }, () => `[#${ticket.number}] ${w.statusChanged}: ${subject}`),
      ]);

      // Back to the recommended choice: the same steps mail the confirmation and the solution only.
      await choice.selectOption('essential');
      await Promise.all([page.waitForURL(/\/p\/portal\/settings$/), page.click('#portal-settings-save')]);
      await expect.poll(() => page.locator('#f-requesterMails').inputValue(), POLL).toBe('essential');
      const quiet = await service.create({ subject: `${subject} again`, description: 'Tea.', requesterId: customer.id, groupId, channel: 'phone' }, actor);
      await service.accept(quiet.number, actor);
      await service.changeStatus(quiet.number, 'solved', actor);
      await service.changeStatus(quiet.number, 'closed', actor);
      expect(await settledSubjects(customer.email, quiet.number, 2)).toEqual([
        `[#${quiet.number}] ${w.recorded}: ${subject} again`, `[#${quiet.number}] ${w.statusChanged}: ${subject} again`,
      ]);
      await page.context().close();
    });
  });
});
