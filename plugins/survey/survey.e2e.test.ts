import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../core/auth/password.js';
import { createUser } from '../../core/people/user-service.js';
import { enablePlugin, updatePluginSettings } from '../../core/plugin-host/plugin-switches.js';
import { createTenant } from '../../core/tenancy/tenant-service.js';
import { tenantScope } from '../../core/tenancy/tenant-scope.js';
import { tenantTicketService } from '../../core/tickets/ticket-context.js';
import { DESKTOP, PHONE, POLL, hasHorizontalScroll, launchBrowser, newContext, signInThroughForm } from '../../test/harness/browser.js';
import { startTestServer, type TestServer } from '../../test/harness/test-server.js';
import { surveyPlugin } from './index.js';
import { sendDueSurveys } from './survey-send.js';
import { surveyStore } from './survey-store.js';
import { surveyScope } from './survey-db.js';
import { installedPlugin } from '../../test/harness/installed-plugin.js';

const PASSWORD = 'e2e survey password';
/** Set SURVEY_SHOTS=<dir> to keep screenshots of the survey page, the alerts and the results at each width (never committed). */
const SHOTS = process.env.SURVEY_SHOTS;

/** The survey page a customer opens from the mail, and the staff's alerts and results, in a real browser at phone and desktop width. */
describe('the survey plugin in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  let base: string;
  const links: string[] = [];

  beforeAll(async () => {
    server = await startTestServer([installedPlugin('portal'), surveyPlugin]);
    const { services } = server.tresen;
    const tenant = await createTenant(services.db, { slug: 'acme', name: 'ACME Service', locale: 'en' });
    const bossId = await createUser(services.db, { tenantId: tenant.id, email: 'sue@acme.test', name: 'Sue Supervisor', role: 'supervisor', password: PASSWORD }, services.config.scryptLogN);
    const agents = [
      await createUser(services.db, { tenantId: tenant.id, email: 'anna@acme.test', name: 'Anna Agent', role: 'agent', password: PASSWORD }, services.config.scryptLogN),
      await createUser(services.db, { tenantId: tenant.id, email: 'bert@acme.test', name: 'Bert Berater', role: 'agent', password: PASSWORD }, services.config.scryptLogN),
    ];
    for (const id of ['portal', 'survey']) await enablePlugin(services.db, services.registry, tenant.id, id);
    await updatePluginSettings(services.db, services.registry, tenant.id, 'portal', { notifyRequester: false });
    await updatePluginSettings(services.db, services.registry, tenant.id, 'survey', { windowDays: 0, questions: [{ en: 'Speed', de: 'Schnelligkeit' }, { en: 'Friendliness', de: 'Freundlichkeit' }] });
    const scope = tenantScope(services.db, tenant.id);
    const organisation = (await scope.insertInto('organisations', { name: 'Müller Logistik GmbH & Co. KG', number: 'K-1', email_domains: 'mueller.test', phone: null, address: null, notes: null })
      .returning('id').executeTakeFirstOrThrow()).id;
    const hash = await hashPassword(PASSWORD, 10);
    const tickets = await tenantTicketService(services, tenant.id);
    const grades = [1, 2, 2, 3, 5, 0, 1, 6, 0];
    for (const [index, grade] of grades.entries()) {
      const personId = (await scope.insertInto('people', {
        organisation_id: organisation, name: `Kunde ${index + 1}`, email: `kunde${index + 1}@mueller.test`, phone: '+49 40 555-0' + index, portal_role: 'customer', is_org_manager: 0,
        password_hash: hash, locale: 'en', active: 1,
      }).returning('id').executeTakeFirstOrThrow()).id;
      const agent = { kind: 'user' as const, id: agents[index % 2]!, label: 'Agent', can: () => true };
      const ticket = await tickets.create({ subject: `Zeiterfassung zeigt falsche Stunden (${index + 1})`, description: 'Since Monday', requesterId: personId, organisationId: organisation, channel: 'web' }, agent);
      await tickets.accept(ticket.number, agent);
      await tickets.changeStatus(ticket.number, 'solved', agent);
      await tickets.changeStatus(ticket.number, 'closed', { ...agent, id: bossId });
    }
    await sendDueSurveys(services, tenant.id);
    const mails = await services.db.selectFrom('mail_outbox').select(['to_address', 'text_body']).where('tenant_id', '=', tenant.id).orderBy('id').execute();
    for (const mail of mails) links.push(new URL(/https?:\/\/\S+\/survey\/\S+/.exec(mail.text_body)![0]).pathname.replace(/^\/t\/acme/, '').replace(/\?g=.*/, ''));
    const surveys = await surveyScope(services.db, tenant.id).selectFrom('survey_surveys').select('id').orderBy('id').execute();
    for (const [index, grade] of grades.entries()) {
      if (index === 0 || grade === 0) continue;
      await surveyStore(services, tenant.id).answer(surveys[index]!.id, { value: String(grade), answers: { q1: String(Math.min(6, grade + 1)) }, comment: grade >= 4 ? 'Niemand hat zurückgerufen, das System lief zwei Tage nicht.' : '', source: 'mail' });
    }
    base = `${server.url}/t/acme`;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const shoot = async (page: Page, name: string) => {
    if (!SHOTS) return;
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  };

  for (const [label, viewport] of [['390', PHONE], ['1280', DESKTOP]] as const) {
    it(`at ${label} px: the mail's link preselects the grade, nothing is saved until Send, the page fits the width without JavaScript help`, async () => {
      const context = await newContext(browser, { viewport });
      const page = await context.newPage();
      const link = label === '390' ? links[0]! : links[5]!;
      await page.goto(`${base}${link}?g=5`);
      await expect.poll(() => page.isChecked('input[name=grade][value="5"]'), POLL).toBe(true);
      expect(await hasHorizontalScroll(page)).toBe(false);
      await shoot(page, `survey-page-${label}`);
      // Send without a comment at grade 5: refused at the comment.
      await Promise.all([page.waitForLoadState('load'), page.click('#survey-submit')]);
      await expect.poll(() => page.locator('#comment-error').count(), POLL).toBe(1);
      await shoot(page, `survey-refused-${label}`);
      await page.click('label:has(input[name=grade][value="2"]) span');
      await page.click('label:has(input[name=q1][value="1"]) span');
      await Promise.all([page.waitForURL(/saved=1/), page.click('#survey-submit')]);
      await expect.poll(() => page.locator('#survey-thanks').count(), POLL).toBe(1);
      expect(await page.isChecked('input[name=grade][value="2"]')).toBe(true);
      expect(await hasHorizontalScroll(page)).toBe(false);
      await shoot(page, `survey-thanks-${label}`);
      await page.goto(`${base}/survey/${'x'.repeat(20)}`);
      await shoot(page, `survey-invalid-${label}`);
      await context.close();
    });

    it(`at ${label} px: the supervisor's results (chart and table) and the quality alerts fit the width`, async () => {
      const context = await newContext(browser, { viewport });
      const page = await context.newPage();
      await signInThroughForm(page, base, 'sue@acme.test', PASSWORD);
      await page.goto(`${base}/p/survey/results`);
      await expect.poll(() => page.locator('#survey-results-chart').count(), POLL).toBe(1);
      expect(await hasHorizontalScroll(page)).toBe(false);
      await shoot(page, `survey-results-${label}`);
      await page.goto(`${base}/p/survey/alerts`);
      await expect.poll(() => page.locator('.survey-alert a[href^="tel:"]').count(), POLL).toBeGreaterThan(0);
      expect(await hasHorizontalScroll(page)).toBe(false);
      await shoot(page, `survey-alerts-${label}`);
      await context.close();
    });
  }
});
