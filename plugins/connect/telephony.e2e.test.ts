import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../core/people/user-service.js';
import { enablePlugin } from '../../core/plugin-host/plugin-switches.js';
import { pluginScope } from '../../core/tenancy/tenant-scope.js';
import { createTenant } from '../../core/tenancy/tenant-service.js';
import { tenantTicketService } from '../../core/tickets/ticket-context.js';
import { DESKTOP, PHONE, POLL, hasHorizontalScroll, launchBrowser, newContext, signInThroughForm } from '../../test/harness/browser.js';
import { startTestServer, type TestServer } from '../../test/harness/test-server.js';
import type { ConnectDB } from './connect-db.js';
import { connectPlugin } from './index.js';
import { sourceStore } from './source-store.js';
import { saveTelephonySettings } from './telephony-settings.js';

const PASSWORD = 'e2e telephony password';
/** Set CONNECT_SHOTS=<dir> to keep screenshots of the pop-up and the call log at each width (never committed). */
const SHOTS = process.env.CONNECT_SHOTS;
const shoot = async (page: Page, name: string, fullPage = true) => {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage });
};

/**
 * The phone system posts over real HTTP (bearer token, no Origin, no cookie); the agent whose extension rings sees the
 * pop-up arrive live on an open page in Chromium, follows it to the prefilled phone ticket, and finds the missed call
 * on the call log. At 390 px in German, at 1280 px in English.
 */
describe('telephony over HTTP and in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  let base: string;
  let token: string;

  const post = (body: Record<string, unknown>) => fetch(`${base}/hooks/telephony`, { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    server = await startTestServer([connectPlugin]);
    const { services } = server.tresen;
    const tenant = await createTenant(services.db, { slug: 'acme', name: 'ACME Service', locale: 'en' });
    const adminId = await createUser(services.db, { tenantId: tenant.id, email: 'ada@acme.test', name: 'Ada Admin', role: 'admin', password: PASSWORD }, services.config.scryptLogN);
    await createUser(services.db, { tenantId: tenant.id, email: 'ben@acme.test', name: 'Ben Agent', role: 'agent', password: PASSWORD, locale: 'en' }, services.config.scryptLogN);
    await createUser(services.db, { tenantId: tenant.id, email: 'clara@acme.test', name: 'Clara Agentin', role: 'agent', password: PASSWORD, locale: 'de' }, services.config.scryptLogN);
    await enablePlugin(services.db, services.registry, tenant.id, 'connect');
    token = (await sourceStore(services, tenant.id).create('telephony', { id: adminId, label: 'ada@acme.test' })).token;
    await saveTelephonySettings(services, tenant.id, { missedGroup: '', extensions: '21; ben@acme.test\n23; clara@acme.test' }, { id: adminId, label: 'ada' });
    const scope = pluginScope<ConnectDB>(services.db, tenant.id);
    const org = await scope.insertInto('organisations', { name: 'Musterfirma Kommunikationstechnik GmbH & Co. KG', email_domains: '', phone: '+49 221 4710334' }).returning('id').executeTakeFirstOrThrow();
    const person = await scope.insertInto('people', { name: 'Erika Mustermann', phone: '030 5557160-0', organisation_id: org.id, portal_role: 'customer', is_org_manager: 0, active: 1 }).returning('id').executeTakeFirstOrThrow();
    const tickets = await tenantTicketService(services, tenant.id);
    await tickets.create({ subject: 'Drucker im zweiten Stock zieht das Papier schief ein und meldet Papierstau', description: 'x', channel: 'phone', requesterId: person.id, organisationId: org.id }, { kind: 'system', label: 'seed' });
    await tickets.create({ subject: 'VPN drops every evening', description: 'x', channel: 'mail', requesterId: person.id, organisationId: org.id }, { kind: 'system', label: 'seed' });
    base = `${server.url}/t/acme`;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('refuses a post without the token (401) or without anything (403), and takes one with it', async () => {
    expect((await fetch(`${base}/hooks/telephony`, { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer tc_wrong' } })).status).toBe(401);
    expect((await fetch(`${base}/hooks/telephony`, { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } })).status).toBe(403);
    expect((await post({ event: 'newCall', callId: 'probe', from: '+4940111222333', to: '030123', direction: 'in' })).status).toBe(202);
  });

  for (const [label, viewport, email, extension, texts] of [
    ['390', PHONE, 'clara@acme.test', '23', { known: 'Bekannter Anrufer', talking: 'Im Gespräch', missed: 'Verpasst', todo: 'Verpasste Anrufe zum Zurückrufen', newTicket: 'Neues Telefon-Ticket' }],
    ['1280', DESKTOP, 'ben@acme.test', '21', { known: 'Known caller', talking: 'On the phone', missed: 'Missed', todo: 'Missed calls to call back', newTicket: 'New phone ticket' }],
  ] as const) {
    it(`at ${label} px: newCall → answer → hangup and newCall → hangup (missed) with the live pop-up, the ticket form, the call log`, async () => {
      const context = await newContext(browser, { viewport });
      const page = await context.newPage();
      await signInThroughForm(page, base, email, PASSWORD);
      await page.goto(`${base}/desk`);
      await expect.poll(() => page.locator('#connect-call-popup').count(), POLL).toBe(1);
      const card = page.locator('#connect-call-popup .call-card');
      const call = `e2e-${label}-1`;
      const ring = { event: 'newCall', callId: call, from: '+49 30 5557160-0', to: '03012345678', direction: 'in', user: [extension] };
      // A live event is a hint: the first one may arrive before htmx listens; the PBX's repeated newCall is a new hint.
      await expect.poll(async () => {
        expect((await post(ring)).status).toBe(202);
        return card.count();
      }, { timeout: 10_000, interval: 500 }).toBe(1);
      await expect.poll(() => card.textContent(), POLL).toContain('Erika Mustermann');
      expect(await card.textContent()).toContain(texts.known);
      expect(await card.textContent()).toContain('Drucker im zweiten Stock');
      expect(await hasHorizontalScroll(page)).toBe(false);
      await shoot(page, `telephony-popup-ringing-${label}`, false);

      expect((await post({ event: 'answer', callId: call, answeringNumber: extension })).status).toBe(202);
      await expect.poll(() => card.getAttribute('data-state'), POLL).toBe('answered');
      expect(await card.textContent()).toContain(texts.talking);

      // The pop-up's button opens the phone ticket form prefilled with the caller and the call.
      await Promise.all([page.waitForURL(/\/desk\/tickets\/new/), card.locator('button.button-primary').click()]);
      expect(await page.locator('#lookup-picked [data-picked]').textContent()).toContain('Erika Mustermann');
      expect(await page.locator('input[name="p.connect.call"]').count()).toBe(1);
      expect(await page.locator('input[name="subject"]').inputValue()).toContain('+49 30 55571600');
      await page.fill('textarea[name="description"]', 'Paper jam again, talked through it.');
      await Promise.all([page.waitForURL(/\/desk\/tickets\/\d+/), page.click('#phone-ticket button[type=submit]')]);
      expect((await post({ event: 'hangup', callId: call, cause: 'normalClearing' })).status).toBe(202);

      // A second caller hangs up before anyone answers: missed, shown in the pop-up and as a to-do.
      const missed = `e2e-${label}-2`;
      await page.goto(`${base}/desk`);
      await expect.poll(async () => {
        expect((await post({ event: 'newCall', callId: missed, from: '0221 4710334', to: '03012345678', direction: 'in', user: [extension] })).status).toBe(202);
        return page.locator(`#connect-call-popup .call-card[data-state="ringing"]`).count();
      }, { timeout: 10_000, interval: 500 }).toBeGreaterThan(0);
      expect((await post({ event: 'hangup', callId: missed, cause: 'cancel' })).status).toBe(202);
      await expect.poll(() => page.locator('#connect-call-popup .call-card[data-state="missed"]').count(), POLL).toBe(1);
      expect(await page.locator('#connect-call-popup .call-card[data-state="missed"]').textContent()).toContain(texts.missed);
      expect(await hasHorizontalScroll(page)).toBe(false);
      await shoot(page, `telephony-popup-missed-${label}`, false);

      await page.goto(`${base}/p/connect/calls`);
      expect(await page.locator('#connect-todos').textContent()).toContain(texts.todo);
      expect(await page.locator('#connect-todos li').count()).toBeGreaterThanOrEqual(1);
      expect(await page.locator('#connect-calls tbody tr').count()).toBeGreaterThanOrEqual(2);
      expect(await page.locator('#connect-calls tbody tr.call-row-missed').count()).toBeGreaterThanOrEqual(1);
      expect(await hasHorizontalScroll(page)).toBe(false);
      await shoot(page, `telephony-call-log-${label}`);
      // Closing the pop-up's cards leaves the page clear.
      // One × at a time, each awaited until its card is gone (a second click on a card being swapped out would wait forever).
      for (let left = await card.count(); left > 0; left = await card.count()) {
        await card.first().locator('.toast-close').click();
        await expect.poll(() => card.count(), POLL).toBeLessThan(left);
      }
      expect(await card.count()).toBe(0);
      await context.close();
    }, 90_000);
  }
});
