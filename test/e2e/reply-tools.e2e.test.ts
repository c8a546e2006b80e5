import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tenant } from '../../core/db/schema.js';
import { createUser } from '../../core/people/user-service.js';
import { createTenant } from '../../core/tenancy/tenant-service.js';
import { tenantScope } from '../../core/tenancy/tenant-scope.js';
import { createTicketService } from '../../core/tickets/ticket-service.js';
import { saveTicketSettings } from '../../core/tickets/ticket-settings-store.js';
import { ticketSettings } from '../../core/tickets/ticket-settings.js';
import { DESKTOP, PHONE, POLL, hasHorizontalScroll, launchBrowser, newContext, signInThroughForm } from '../harness/browser.js';
import { startTestServer, type TestServer } from '../harness/test-server.js';

const PASSWORD = 'e2e password 1234';
/** Set REPLY_TOOLS_SHOTS=<dir> to keep the screenshots (never committed). */
const SHOTS = process.env.REPLY_TOOLS_SHOTS;

const WORDS = {
  en: { review: 'nothing is saved or sent until you press Send', signature: 'Signature: Support team', total: '0:25 h (25 min)', solved: 'Solved' },
  de: { review: 'Gespeichert und gesendet wird erst mit „Senden“', signature: 'Signatur: Support team', total: '0:25 Std. (25 Min.)', solved: 'Gelöst' },
} as const;

/** Issue 18 points 2, 3 and 6 in the browser: macro for review, `::` text modules, signature, time spent, phone ticket solved on the spot. */
describe.each(['en', 'de'] as const)('reply tools in the browser (%s)', (locale) => {
  let server: TestServer;
  let browser: Browser;
  let tenant: Tenant;
  let tenantUrl: string;
  let number: string;
  let ticketId: number;
  let groupId: number;
  const words = WORDS[locale];
  const slug = `reply-${locale}`;

  beforeAll(async () => {
    server = await startTestServer([]);
    const { db, database, clock, events, files, config, catalog } = server.tresen.services;
    tenant = await createTenant(db, { slug, name: 'ACME Service', locale });
    await saveTicketSettings(db, tenant.id, { ...ticketSettings(tenant), timeSpent: 'optional' });
    const agentId = await createUser(db, { tenantId: tenant.id, email: 'ada@acme.test', name: 'Ada Agent', role: 'agent', password: PASSWORD, locale }, config.scryptLogN);
    const scope = tenantScope(db, tenant.id);
    const group = await scope.insertInto('support_groups', { name: 'Support team', level: 'first', signature: 'Your support team at {{tenant.name}}' }).returning('id').executeTakeFirstOrThrow();
    await scope.insertInto('group_members', { group_id: group.id, user_id: agentId }).execute();
    groupId = group.id;
    await createUser(db, { tenantId: tenant.id, email: 'adam@acme.test', name: 'Adam Admin', role: 'admin', password: PASSWORD, locale }, config.scryptLogN);
    const organisation = await scope.insertInto('organisations', { name: 'Customer Ltd' }).returning('id').executeTakeFirstOrThrow();
    const carla = await scope.insertInto('people', { name: 'Carla Kunde', email: 'carla@customer.test', organisation_id: organisation.id }).returning('id').executeTakeFirstOrThrow();
    await scope.insertInto('macros', { user_id: agentId, name: 'Ask for the model', body: 'Which printer model is it, {{requester.name}}?', article_kind: 'reply', set_status: 'waiting', set_priority: 3, set_group_id: null }).execute();
    await scope.insertInto('text_modules', { user_id: null, group_id: null, name: 'Greeting', keyword: 'greeting', body: 'Hello {{requester.name}},' }).execute();
    const service = createTicketService({ db, dialect: database.dialect, clock, events, files }, tenant, catalog.translator(locale));
    const ticket = await service.create({ subject: 'Printer jams', description: 'Paper jam on floor 2.', requesterId: carla.id, organisationId: organisation.id, groupId: group.id, channel: 'phone' }, { kind: 'system', label: 'test' });
    number = ticket.number;
    ticketId = ticket.id;
    tenantUrl = `${server.url}/t/${slug}`;
    browser = await launchBrowser();
    if (SHOTS) mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function signedIn(viewport = DESKTOP, email = 'ada@acme.test'): Promise<Page> {
    const context = await newContext(browser, { viewport, locale: locale === 'de' ? 'de-DE' : 'en-US' });
    const page = await context.newPage();
    await signInThroughForm(page, tenantUrl, email, PASSWORD);
    return page;
  }
  const shot = async (page: Page, name: string) => {
    if (SHOTS) await page.screenshot({ path: join(SHOTS, `${name}-${locale}.png`), fullPage: true });
  };
  const articles = () => server.tresen.services.db.selectFrom('ticket_articles').select(['kind', 'body_text', 'time_spent_minutes']).where('ticket_id', '=', ticketId).orderBy('id').execute();
  const outbox = async () => (await server.tresen.services.db.selectFrom('mail_outbox').select('id').execute()).length;

  it('a macro fills the reply for review; `::gr` inserts the greeting; the signature shows; time spent adds up', { timeout: 60_000 }, async () => {
    for (const viewport of [PHONE, DESKTOP]) {
      const page = await signedIn(viewport);
      await page.goto(`${tenantUrl}/desk/tickets/${number}`);
      // What the agent already typed stays, the macro's text follows it.
      const typed = viewport === PHONE ? 'Good morning,' : '';
      await page.locator('#f-body').fill(typed);
      await page.locator('#macros summary').click();
      await page.locator('#macros button', { hasText: 'Ask for the model' }).click();
      await page.locator('#macro-filled').waitFor();
      expect(await page.locator('#macro-filled').textContent()).toContain(words.review);
      await expect.poll(() => page.locator('#f-body').inputValue(), POLL).toBe(`${typed ? `${typed}\n\n` : ''}Which printer model is it, Carla Kunde?`);
      expect(await page.locator('#f-statusAfter').inputValue()).toBe('waiting');
      expect(await page.locator('#composer-signature summary').textContent()).toBe(words.signature);
      expect(await hasHorizontalScroll(page)).toBe(false);
      await shot(page, `macro-filled-${viewport.width}`);
      // Nothing was saved or mailed by choosing it.
      expect(await articles()).toEqual([]);
      expect(await outbox()).toBe(0);
      if (viewport === PHONE) await page.context().close();
      else {
        // `::gr` offers the greeting; Enter inserts it with the requester's name, before the macro's text.
        const body = page.locator('#f-body');
        await body.fill('');
        await body.pressSequentially('::gr');
        const option = page.locator('#text-module-list [role="option"]', { hasText: 'Greeting' });
        await option.waitFor();
        await shot(page, 'text-module-offer-1280');
        await body.press('Enter');
        await expect.poll(() => body.inputValue(), POLL).toBe('Hello Carla Kunde,');
        await expect.poll(() => page.locator('#text-module-list').isHidden(), POLL).toBe(true);
        await body.pressSequentially(' which printer model is it?');
        await page.locator('#f-time_spent').fill('15');
        await page.locator('#composer-send').click();
        await page.locator('.entry-reply', { hasText: 'which printer model is it?' }).waitFor();
        await page.locator('label[for="composer-note"]').click();
        await page.locator('#f-body').fill('Asked on the phone too.');
        await page.locator('#f-time_spent').fill('10');
        await page.locator('#composer-send').click();
        await expect.poll(() => page.locator('#ticket-time-spent').textContent(), POLL).toContain(words.total);
        await shot(page, 'time-spent-1280');
        const saved = await articles();
        expect(saved).toEqual([
          { kind: 'reply', body_text: 'Hello Carla Kunde, which printer model is it?\n\n-- \nYour support team at ACME Service', time_spent_minutes: 15 },
          { kind: 'note', body_text: 'Asked on the phone too.', time_spent_minutes: 10 },
        ]);
        const row = await server.tresen.services.db.selectFrom('tickets').select(['status', 'priority', 'time_spent_minutes']).where('id', '=', ticketId).executeTakeFirstOrThrow();
        // What the macro set and the agent kept (status after sending, the priority box) went with Send.
        expect(row).toEqual({ status: 'waiting', priority: 3, time_spent_minutes: 25 });
        await page.context().close();
      }
    }
  });

  it('creates a phone ticket solved on the spot, on a phone', { timeout: 60_000 }, async () => {
    const page = await signedIn(PHONE);
    await page.goto(`${tenantUrl}/desk/tickets/new`);
    await page.locator('details.new-person summary').click();
    await page.locator('#f-new_person_name').fill('Walter Walk-in');
    await page.locator('#f-subject').fill('Cannot print from the new laptop');
    await page.locator('label[for="after-solved"]').click();
    await page.locator('#f-solution').fill('Installed the printer driver; test page printed.');
    expect(await hasHorizontalScroll(page)).toBe(false);
    await shot(page, 'phone-solved-390');
    await Promise.all([page.waitForURL(/\/desk\/tickets\/\d{4}-\d{6,}$/), page.locator('.form-actions button[type="submit"]').click()]);
    expect(await page.locator('#ticket-status').textContent()).toBe(words.solved);
    await page.locator('.entry-reply', { hasText: 'Installed the printer driver' }).waitFor();
    await shot(page, 'phone-solved-ticket-390');
    await page.context().close();
  });

  it('shows the text modules page and the personal signature form without sideways scrolling, at 390 and 1280 px', { timeout: 60_000 }, async () => {
    for (const viewport of [PHONE, DESKTOP]) {
      const page = await signedIn(viewport);
      await page.goto(`${tenantUrl}/desk/text-modules`);
      expect(await page.locator('#text-modules').textContent()).toContain('::greeting');
      await page.locator('#f-name').fill('Thanks');
      await page.locator('#f-keyword').fill('thx');
      await page.locator('#f-body').fill('Thank you, {{requester.name}}!');
      expect(await hasHorizontalScroll(page)).toBe(false);
      await shot(page, `text-modules-${viewport.width}`);
      if (viewport === DESKTOP) {
        await Promise.all([page.waitForURL(/\/desk\/text-modules$/), page.locator('#text-module-form button[type="submit"]').click()]);
        expect(await page.locator('#text-modules').textContent()).toContain('::thx');
      }
      await page.goto(`${tenantUrl}/account`);
      await page.locator('#personal-signature textarea').waitFor();
      expect(await hasHorizontalScroll(page)).toBe(false);
      await shot(page, `account-signature-${viewport.width}`);
      await page.context().close();
      // The group's signature on its admin page.
      const admin = await signedIn(viewport, 'adam@acme.test');
      await admin.goto(`${tenantUrl}/admin/groups/${groupId}`);
      expect(await admin.locator('#group-signature textarea').inputValue()).toBe('Your support team at {{tenant.name}}');
      expect(await hasHorizontalScroll(admin)).toBe(false);
      await shot(admin, `group-signature-${viewport.width}`);
      await admin.context().close();
    }
  });
});
