import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../core/people/user-service.js';
import { enablePlugin, updatePluginSettings } from '../../core/plugin-host/plugin-switches.js';
import { createTenant } from '../../core/tenancy/tenant-service.js';
import { tenantTicketService } from '../../core/tickets/ticket-context.js';
import { helpdeskPlugin } from '../../plugins/helpdesk/index.js';
import { calendarStore } from '../../plugins/sla/calendar-store.js';
import { slaPlugin } from '../../plugins/sla/index.js';
import { levelStore } from '../../plugins/sla/level-store.js';
import { DESKTOP, PHONE, POLL, hasHorizontalScroll, launchBrowser, newContext, signInThroughForm } from '../harness/browser.js';
import { startTestServer, type TestServer } from '../harness/test-server.js';

const PASSWORD = 'e2e admin password';
/** Set SLA_SCREENSHOTS=<dir> to keep screenshots of the badge and the admin pages at each width (never committed). */
const SHOTS = process.env.SLA_SCREENSHOTS;

describe('service levels in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  let base: string;
  let number = '';
  let calendarId = 0;

  beforeAll(async () => {
    server = await startTestServer([helpdeskPlugin, slaPlugin]);
    const services = server.tresen.services;
    const { db, config, registry } = services;
    const tenant = await createTenant(db, { slug: 'sla', name: 'SLA Service', locale: 'en' });
    for (const id of ['helpdesk', 'sla']) await enablePlugin(db, registry, tenant.id, id);
    const adminId = await createUser(db, { tenantId: tenant.id, email: 'ada@sla.test', name: 'Ada Admin', role: 'admin', password: PASSWORD }, config.scryptLogN);
    const actor = { id: adminId, label: 'ada@sla.test' };
    calendarId = await calendarStore(services, tenant.id).save(null, { name: 'Office hours Berlin', zone: 'Europe/Berlin', hours: { 1: '08:00-12:00, 13:00-17:00', 2: '08:00-12:00, 13:00-17:00' } }, actor);
    await calendarStore(services, tenant.id).addHoliday(calendarId, { name: 'Christmas Day', date: '2026-12-25', rrule: 'FREQ=YEARLY' }, actor);
    const always = await calendarStore(services, tenant.id).ensureDefault();
    const targets = Object.fromEntries([1, 2, 3, 4].flatMap((p) => [[`target.first_response.${p}`, '60'], [`target.update.${p}`, '240'], [`target.solution.${p}`, '1440']]));
    const level = await levelStore(services, tenant.id).save(null, { name: 'Gold around the clock', calendarId: String(always), targets }, actor);
    await updatePluginSettings(db, registry, tenant.id, 'sla', { defaultLevelId: level, pausingStatuses: ['waiting'] });
    const service = await tenantTicketService(services, tenant.id);
    number = (await service.create({ subject: 'Server room too warm', description: 'Since this morning' }, { kind: 'user', id: adminId, label: 'Ada', can: () => true })).number;
    base = `${server.url}/t/sla`;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it.each([['phone', PHONE], ['desktop', DESKTOP]] as const)('on a %s: the clock badges, the level panel and the admin pages fit the screen', async (name, viewport) => {
    const context = await newContext(browser, { viewport });
    const page = await context.newPage();
    await signInThroughForm(page, base, 'ada@sla.test', PASSWORD);
    await page.goto(`${base}/desk/tickets/${number}`);
    await expect.poll(() => page.locator('#sla-badge-first_response').isVisible(), POLL).toBe(true);
    expect(await page.locator('#sla-badge-solution').textContent()).toMatch(/^Solution: (23 h 59 min|24 h 00 min) left$/);
    expect(await page.locator('#sla-level-reason').textContent()).toBe('tenant default');
    expect(await hasHorizontalScroll(page)).toBe(false);
    if (SHOTS) { mkdirSync(SHOTS, { recursive: true }); await page.screenshot({ path: join(SHOTS, `sla-ticket-${name}.png`), fullPage: true }); }
    for (const [shot, path] of [['levels', '/p/sla/levels'], ['calendar', `/p/sla/calendars/${calendarId}`]] as const) {
      await page.goto(`${base}${path}`);
      await expect.poll(() => page.locator('main form').first().isVisible(), POLL).toBe(true);
      expect(await hasHorizontalScroll(page), shot).toBe(false);
      if (SHOTS) await page.screenshot({ path: join(SHOTS, `sla-${shot}-${name}.png`), fullPage: true });
    }
    await context.close();
  });
});
