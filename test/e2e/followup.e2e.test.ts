import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tenant } from '../../core/db/schema.js';
import { systemJobHandlers } from '../../core/jobs/system-jobs.js';
import { createUser } from '../../core/people/user-service.js';
import { createTenant } from '../../core/tenancy/tenant-service.js';
import { tenantScope } from '../../core/tenancy/tenant-scope.js';
import { createTicketService, type TicketService } from '../../core/tickets/ticket-service.js';
import { DESKTOP, PHONE, POLL, hasHorizontalScroll, launchBrowser, newContext, signInThroughForm } from '../harness/browser.js';
import { startTestServer, type TestServer } from '../harness/test-server.js';

const PASSWORD = 'e2e followup password';
/** Set FOLLOWUP_SCREENSHOTS=<dir> to keep the screenshots (never committed): <step>-<en|de>-<390|1280>.png. */
const SHOTS = process.env.FOLLOWUP_SCREENSHOTS;

/** Issue 18 points 6 and 7 in a real browser: waiting until, a to-do's pop-up, linking two tickets, a tag with autocomplete and the tag filter. */
describe('follow-up, links and tags in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  let tenant: Tenant;
  let base: string;
  let service: TicketService;
  let adaId = 0;
  let groupId = 0;

  beforeAll(async () => {
    server = await startTestServer([]);
    const { db, database, clock, events, files, config, catalog } = server.tresen.services;
    tenant = await createTenant(db, { slug: 'acme', name: 'ACME Service', locale: 'en' });
    await db.updateTable('tenants').set({ time_zone: 'Europe/Berlin' }).where('id', '=', tenant.id).execute();
    adaId = await createUser(db, { tenantId: tenant.id, email: 'ada@acme.test', name: 'Ada Agent', role: 'agent', password: PASSWORD }, config.scryptLogN);
    const scope = tenantScope(db, tenant.id);
    groupId = (await scope.insertInto('support_groups', { name: 'Servicedesk', level: 'first' }).returning('id').executeTakeFirstOrThrow()).id;
    await scope.insertInto('group_members', { group_id: groupId, user_id: adaId }).execute();
    service = createTicketService({ db, dialect: database.dialect, clock, events, files }, { ...tenant, time_zone: 'Europe/Berlin' }, catalog.translator('en'));
    base = `${server.url}/t/acme`;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function shoot(page: Page, name: string, width: string) {
    expect(await hasHorizontalScroll(page), `${name} at ${width}`).toBe(false);
    if (SHOTS) { mkdirSync(SHOTS, { recursive: true }); await page.screenshot({ path: join(SHOTS, `${name}-${width}.png`), fullPage: true }); }
  }
  const open = (subject: string) =>
    service.create({ subject, description: 'Reported on the phone.', requesterEmail: 'carla@customer.test', groupId, channel: 'phone' }, { kind: 'user', id: adaId, label: 'Ada Agent', can: () => true });
  const runJob = async (name: 'core.todo-reminders' | 'core.waiting-wakeup') => {
    const services = server.tresen.services;
    await systemJobHandlers({ mailer: services.mailer, registry: services.registry, tenants: services.tenants, services })[name]!({ tenantId: null, payload: null, db: services.db, clock: services.clock });
  };
  /** Tomorrow at 09:30 in Berlin, as a datetime-local input takes it. */
  const tomorrow = () => {
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(Date.now() + 86_400_000));
    return `${day}T09:30`;
  };

  it.each([
    ['en', 'Ask back', 'Waiting until', 'To-do due: Call Carla back', 'child of', 'parent of', 'Tags'],
    ['de', 'Rückfrage', 'Wiedervorlage am', 'Aufgabe fällig: Call Carla back', 'untergeordnet zu', 'übergeordnet zu', 'Schlagwörter'],
  ] as const)('in %s: waiting until a date, a to-do pop-up, linking two tickets, a tag with autocomplete and its filter', async (lang, ask, until, popup, childOf, parentOf, tagsTitle) => {
    await server.tresen.services.db.updateTable('users').set({ locale: lang }).where('id', '=', adaId).execute();
    const context = await newContext(browser, { viewport: DESKTOP });
    const page = await context.newPage();
    await signInThroughForm(page, base, 'ada@acme.test', PASSWORD);
    for (const [width, viewport] of [['390', PHONE], ['1280', DESKTOP]] as const) {
      await page.setViewportSize(viewport);
      const ticket = await open(`Printer jams ${lang} ${width}`);
      const parent = await open(`Network down ${lang} ${width}`);
      const third = await open(`Unrelated ${lang} ${width}`);

      // Waiting until: the waiting action asks for a date and time in the tenant's zone.
      await page.goto(`${base}/desk/tickets/${ticket.number}`);
      expect(await page.locator('#action-waiting').textContent()).toBe(ask);
      await page.click('#action-waiting');
      await expect.poll(() => page.locator('#f-waiting_until').isVisible(), POLL).toBe(true);
      expect(await page.locator('label[for=f-waiting_until]').textContent()).toBe(until);
      await page.fill('#f-waiting_until', tomorrow());
      await shoot(page, `waiting-form-${lang}`, width);
      await page.click('#waiting-submit');
      await expect.poll(() => page.locator('#fact-waiting-until').isVisible(), POLL).toBe(true);
      const saved = await service.get(ticket.number);
      expect(saved.status).toBe('waiting');
      expect(saved.waiting_until).not.toBeNull();
      await shoot(page, `waiting-set-${lang}`, width);

      // The reply that asks back takes the time too: its field shows once "waiting" is chosen as the status after sending.
      await page.goto(`${base}/desk/tickets/${third.number}`);
      expect(await page.locator('#composer-f-waiting_until').isVisible()).toBe(false);
      await page.selectOption('#f-statusAfter', 'waiting');
      await expect.poll(() => page.locator('#composer-f-waiting_until').isVisible(), POLL).toBe(true);
      expect(await page.locator('label[for=composer-f-waiting_until]').textContent()).toBe(until);
      await page.fill('#f-body', 'Which model is it?');
      await page.fill('#composer-f-waiting_until', tomorrow());
      await shoot(page, `reply-waiting-${lang}`, width);
      if (SHOTS) await page.locator('#ticket-composer .composer-foot').screenshot({ path: join(SHOTS, `reply-waiting-foot-${lang}-${width}.png`) });
      await page.click('#composer-send');
      await expect.poll(() => page.locator('#fact-waiting-until').isVisible(), POLL).toBe(true);
      expect(await service.get(third.number)).toMatchObject({ status: 'waiting', waiting_until: saved.waiting_until });

      // Linking: the number is looked up as it is typed; the link shows on both tickets.
      await page.goto(`${base}/desk/tickets/${ticket.number}`);
      await page.click('#action-link');
      await page.selectOption('#f-link-role', 'child_of');
      await page.fill('#f-link-other', parent.number);
      await expect.poll(() => page.locator('#link-lookup').textContent(), POLL).toContain(`Network down ${lang} ${width}`);
      await shoot(page, `link-form-${lang}`, width);
      await page.click('#link-submit');
      await expect.poll(() => page.locator('#ticket-links').textContent(), POLL).toContain(`${childOf} ${parent.number}`);
      await page.goto(`${base}/desk/tickets/${parent.number}`);
      expect(await page.locator('#ticket-links').textContent()).toContain(`${parentOf} ${ticket.number}`);
      await shoot(page, `link-shown-${lang}`, width);

      // Tags: the field offers the tenant's tags as one types (a datalist the server fills).
      await page.goto(`${base}/desk/tickets/${parent.number}`);
      await page.fill('#f-tag', 'Netzwerk');
      await page.click('#tag-submit');
      await expect.poll(() => page.locator('#ticket-tag-list').textContent(), POLL).toContain('Netzwerk');
      await page.goto(`${base}/desk/tickets/${ticket.number}`);
      expect(await page.locator('#ticket-tags h2').textContent()).toBe(tagsTitle);
      await page.locator('#f-tag').pressSequentially('net');
      await expect.poll(() => page.locator('#tag-options option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value)), POLL).toEqual(['Netzwerk']);
      await page.fill('#f-tag', 'Netzwerk');
      await page.click('#tag-submit');
      await expect.poll(() => page.locator('#ticket-tag-list').textContent(), POLL).toContain('Netzwerk');
      await shoot(page, `tags-${lang}`, width);
      // The tag leads to ticket management filtered by it.
      await page.click('#ticket-tag-list .tag-name');
      await page.waitForURL(/tag=\d+/);
      await expect.poll(() => page.locator('#ticket-results').textContent(), POLL).toContain(`Printer jams ${lang} ${width}`);
      const results = await page.locator('#ticket-results').textContent();
      expect(results).toContain(`Network down ${lang} ${width}`);
      expect(results).not.toContain(`Unrelated ${lang} ${width}`);
      await shoot(page, `tag-filter-${lang}`, width);

      // A to-do tied to the ticket; at its due time it pops up on the open page (the live channel).
      await page.goto(`${base}/desk/todos?ticket=${ticket.number}`);
      await page.fill('#f-title', 'Call Carla back');
      await page.fill('#f-due', tomorrow());
      await page.click('#todo-submit');
      await expect.poll(() => page.locator('#todos-open').textContent(), POLL).toContain('Call Carla back');
      await shoot(page, `todos-${lang}`, width);
      await page.goto(`${base}/desk`);
      await expect.poll(() => page.locator('#todo-panel').textContent(), POLL).toContain('Call Carla back');
      await tenantScope(server.tresen.services.db, tenant.id).updateTable('todos').set({ due_at: new Date(Date.now() - 1000).toISOString() }).where('title', '=', 'Call Carla back').where('done_at', 'is', null).execute();
      await runJob('core.todo-reminders');
      await expect.poll(() => page.locator('#sticky-toasts').textContent(), { ...POLL, timeout: 10_000 }).toContain(popup);
      await shoot(page, `todo-popup-${lang}`, width);
      // Done from the dashboard's panel.
      await page.locator('#todo-panel button[id^=todo-done-]').first().click();
      await expect.poll(() => page.locator('#todo-panel').textContent(), POLL).not.toContain('Call Carla back');
      await page.locator('#sticky-toasts .toast-close').first().click();
    }
    await context.close();
  });
});
