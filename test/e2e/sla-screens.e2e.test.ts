import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../core/people/user-service.js';
import { enablePlugin, updatePluginSettings } from '../../core/plugin-host/plugin-switches.js';
import { pluginScope } from '../../core/plugin-api.js';
import { createTenant } from '../../core/tenancy/tenant-service.js';
import { tenantTicketService } from '../../core/tickets/ticket-context.js';
import { helpdeskPlugin } from '../../plugins/helpdesk/index.js';
import { calendarStore } from '../../plugins/sla/calendar-store.js';
import { slaPlugin } from '../../plugins/sla/index.js';
import { levelStore } from '../../plugins/sla/level-store.js';
import { rotaStore } from '../../plugins/sla/rota-store.js';
import type { SlaDB } from '../../plugins/sla/sla-db.js';
import { DESKTOP, PHONE, POLL, hasHorizontalScroll, launchBrowser, newContext, signInThroughForm } from '../harness/browser.js';
import { startTestServer, type TestServer } from '../harness/test-server.js';

const PASSWORD = 'e2e screens password';
/** Set SLA_SCREENSHOTS=<dir> to keep the screenshots (never committed): <page>-<en|de>-<390|1280>.png. */
const SHOTS = process.env.SLA_SCREENSHOTS;

/** The ticket badge (clocks and the first-line box), the at-risk view and a rota, in both languages, on a phone and a desktop. */
describe('sla screens at 390 and 1280 px in English and German', () => {
  let server: TestServer;
  let browser: Browser;
  let base: string;
  let number = '';
  let rotaId = 0;
  let adaId = 0;

  beforeAll(async () => {
    server = await startTestServer([helpdeskPlugin, slaPlugin]);
    const services = server.tresen.services;
    const { db, config, registry } = services;
    const tenant = await createTenant(db, { slug: 'screens', name: 'Screen Service', locale: 'en' });
    for (const id of ['helpdesk', 'sla']) await enablePlugin(db, registry, tenant.id, id);
    adaId = await createUser(db, { tenantId: tenant.id, email: 'ada@screens.test', name: 'Ada Admin', role: 'admin', password: PASSWORD }, config.scryptLogN);
    const bodoId = await createUser(db, { tenantId: tenant.id, email: 'bodo@screens.test', name: 'Bodo Bereitschaft', role: 'agent', password: PASSWORD }, config.scryptLogN);
    const scope = pluginScope<SlaDB>(db, tenant.id);
    const [firstLine] = (await scope.insertInto('support_groups', [{ name: 'First line', level: 'first', email: null }, { name: 'Second line', level: 'second', email: null }]).returning('id').execute()).map((r) => r.id) as [number, number];
    await scope.insertInto('group_members', { group_id: firstLine, user_id: bodoId }).execute();
    const actor = { id: adaId, label: 'ada@screens.test' };
    const always = await calendarStore(services, tenant.id).ensureDefault();
    const targets = Object.fromEntries([1, 2, 3, 4].flatMap((p) => [[`target.first_response.${p}`, '60'], [`target.update.${p}`, '240'], [`target.solution.${p}`, '1440']]));
    const levels = levelStore(services, tenant.id);
    const level = await levels.save(null, { name: 'Gold around the clock', calendarId: String(always), targets }, actor);
    await levels.setFirstLine(level, { minutes: '15', groupId: String(firstLine), forwardGroupId: '' }, actor);
    await updatePluginSettings(db, registry, tenant.id, 'sla', { defaultLevelId: level, pausingStatuses: ['waiting'] });
    const service = await tenantTicketService(services, tenant.id);
    const ada = { kind: 'user' as const, id: adaId, label: 'Ada Admin', can: () => true };
    number = (await service.create({ subject: 'Badge reader at the main entrance rejects every card', description: 'Since 7:00', groupId: firstLine, assigneeId: bodoId }, ada)).number;
    await service.create({ subject: 'VPN drops every ten minutes', description: 'x', groupId: firstLine, priority: 3 }, ada);
    const today = new Date().toISOString().slice(0, 10);
    rotaId = await rotaStore(services, tenant.id).save(null, { name: 'Weekend on call', zone: 'Europe/Berlin', freq: 'WEEKLY', interval: '1', byDay: [], handover: '08:00', startDate: today, participants: [String(adaId), String(bodoId)] }, actor);
    base = `${server.url}/t/screens`;
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

  it.each([['en', 'First line:', 'Tickets at risk', 'Weekend on call'], ['de', 'First Level:', 'Gefährdete Tickets', 'Weekend on call']] as const)(
    'in %s: the badge, the at-risk view and the rota fit a phone and a desktop', async (lang, badge, riskTitle, rota) => {
      await server.tresen.services.db.updateTable('users').set({ locale: lang }).where('id', '=', adaId).execute();
      const context = await newContext(browser, { viewport: DESKTOP });
      const page = await context.newPage();
      await signInThroughForm(page, base, 'ada@screens.test', PASSWORD);
      for (const [width, viewport] of [['390', PHONE], ['1280', DESKTOP]] as const) {
        await page.setViewportSize(viewport);
        await page.goto(`${base}/desk/tickets/${number}`);
        await expect.poll(() => page.locator('#sla-badge-first_line').isVisible(), POLL).toBe(true);
        expect(await page.locator('#sla-badge-first_line').textContent()).toContain(badge);
        await shoot(page, `ticket-badge-${lang}`, width);
        await page.goto(`${base}/p/sla/at-risk`);
        await expect.poll(() => page.locator('#sla-risk-table').isVisible(), POLL).toBe(true);
        expect(await page.locator('h1').textContent()).toBe(riskTitle);
        expect(await page.locator('#sla-risk-table tbody tr').count()).toBeGreaterThanOrEqual(3);
        await shoot(page, `at-risk-${lang}`, width);
        await page.goto(`${base}/p/sla/rotas/${rotaId}`);
        await expect.poll(() => page.locator('#sla-rota-schedule').isVisible(), POLL).toBe(true);
        expect(await page.locator('h1').textContent()).toBe(rota);
        await shoot(page, `rota-${lang}`, width);
      }
      await context.close();
    });
});
