import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tenant } from '../../core/db/schema.js';
import { createUser } from '../../core/people/user-service.js';
import { createTenant } from '../../core/tenancy/tenant-service.js';
import { tenantScope } from '../../core/tenancy/tenant-scope.js';
import { createTicketService, type TicketService } from '../../core/tickets/ticket-service.js';
import { DESKTOP, PHONE, POLL, hasHorizontalScroll, launchBrowser, newContext, signInThroughForm } from '../harness/browser.js';
import { startTestServer, type TestServer } from '../harness/test-server.js';

const PASSWORD = 'e2e merge password';
/** Set MERGE_SCREENSHOTS=<dir> to keep the screenshots (never committed): <step>-<en|de>-<390|1280>.png. */
const SHOTS = process.env.MERGE_SCREENSHOTS;

/** "Merge into…" (number, confirm with the target's subject) and "Spam" on the ticket page, on a phone and a desktop, in both languages. */
describe('merge and spam on the ticket page in a real browser', () => {
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
    adaId = await createUser(db, { tenantId: tenant.id, email: 'ada@acme.test', name: 'Ada Agent', role: 'agent', password: PASSWORD }, config.scryptLogN);
    const scope = tenantScope(db, tenant.id);
    groupId = (await scope.insertInto('support_groups', { name: 'Servicedesk', level: 'first' }).returning('id').executeTakeFirstOrThrow()).id;
    await scope.insertInto('group_members', { group_id: groupId, user_id: adaId }).execute();
    service = createTicketService({ db, dialect: database.dialect, clock, events, files }, tenant, catalog.translator('en'));
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

  const open = (subject: string, description: string) =>
    service.create({ subject, description, requesterEmail: 'carla@customer.test', groupId, channel: 'mail' }, { kind: 'system', label: 'test' });

  it.each([
    ['en', 'Merge into…', 'Continue', 'Merged into', 'Spam', 'Closed as spam.'],
    ['de', 'Zusammenführen in…', 'Weiter', 'Zusammengeführt in', 'Spam', 'Als Spam geschlossen.'],
  ] as const)('in %s: merges after confirming the target and closes as spam, on a phone and a desktop', async (lang, mergeLabel, next, banner, spamLabel, spamBanner) => {
    await server.tresen.services.db.updateTable('users').set({ locale: lang }).where('id', '=', adaId).execute();
    const context = await newContext(browser, { viewport: DESKTOP });
    const page = await context.newPage();
    await signInThroughForm(page, base, 'ada@acme.test', PASSWORD);
    for (const [width, viewport] of [['390', PHONE], ['1280', DESKTOP]] as const) {
      await page.setViewportSize(viewport);
      const target = await open('Printer on floor 2 prints blank pages', 'Since this morning only blank sheets come out.');
      const source = await open('Re: printer still broken', 'Still nothing on the sheets, please hurry.');
      const junk = await open('Cheap watches, 90% off', 'Click here to win.');

      await page.goto(`${base}/desk/tickets/${source.number}`);
      await page.click('#action-merge');
      expect(await page.locator('#action-merge').textContent()).toBe(mergeLabel);
      await expect.poll(() => page.locator('#merge-form input[name=into]').isVisible(), POLL).toBe(true);
      await page.fill('#merge-form input[name=into]', target.number);
      await shoot(page, `merge-form-${lang}`, width);
      expect(await page.locator('#merge-check').textContent()).toBe(next);
      await page.click('#merge-check');
      await expect.poll(() => page.locator('#merge-target').textContent(), POLL).toBe(`${target.number} · Printer on floor 2 prints blank pages`);
      // Nothing changed yet: the agent sees which ticket it will be before the final POST.
      expect((await service.find(source.number))?.status).toBe('new');
      await shoot(page, `merge-confirm-${lang}`, width);
      await page.click('#merge-submit');
      await expect.poll(() => page.locator('#ticket-merged').isVisible(), POLL).toBe(true);
      expect(await page.locator('#ticket-merged').textContent()).toBe(`${banner} ${target.number}`);
      expect(await page.locator('#action-merge').count()).toBe(0);
      await shoot(page, `merged-banner-${lang}`, width);
      await page.click('#ticket-merged-link');
      await expect.poll(() => page.url(), POLL).toBe(`${base}/desk/tickets/${target.number}`);
      await expect.poll(() => page.locator('#ticket-timeline').textContent(), POLL).toContain('Still nothing on the sheets, please hurry.');
      await shoot(page, `survivor-${lang}`, width);

      await page.goto(`${base}/desk/tickets/${junk.number}`);
      expect(await page.locator('#action-spam').textContent()).toBe(spamLabel);
      await page.click('#action-spam');
      await expect.poll(() => page.locator('#spam-submit').isVisible(), POLL).toBe(true);
      await shoot(page, `spam-confirm-${lang}`, width);
      await page.click('#spam-submit');
      await expect.poll(() => page.locator('#ticket-spam').isVisible(), POLL).toBe(true);
      expect(await page.locator('#ticket-spam').textContent()).toBe(spamBanner);
      expect((await service.find(junk.number))?.close_reason).toBe('spam');
      await shoot(page, `spam-closed-${lang}`, width);
    }
    await context.close();
  });
});
