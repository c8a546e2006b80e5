import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../core/people/user-service.js';
import { enablePlugin } from '../../core/plugin-host/plugin-switches.js';
import { createTenant } from '../../core/tenancy/tenant-service.js';
import { tenantTicketService } from '../../core/tickets/ticket-context.js';
import { commentStore } from '../../plugins/ideas/comment-store.js';
import { ideasPlugin } from '../../plugins/ideas/index.js';
import { likeStore } from '../../plugins/ideas/like-store.js';
import { proposalStore } from '../../plugins/ideas/proposal-store.js';
import { statusStore } from '../../plugins/ideas/status-store.js';
import { knowledgePlugin } from '../../plugins/knowledge/index.js';
import { portalPlugin } from '../../plugins/portal/index.js';
import { DESKTOP, PHONE, hasHorizontalScroll, launchBrowser, newContext, signInThroughForm } from '../harness/browser.js';
import { startTestServer, type TestServer } from '../harness/test-server.js';

const PASSWORD = 'e2e password 1234';
const SHOTS = process.env.IDEAS_SHOTS;

/** The ideas board and a proposal in a real browser at phone and desktop width: nothing scrolls sideways; IDEAS_SHOTS=<dir> keeps screenshots. */
describe('the ideas plugin in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  let base: string;
  let proposalId: number;

  beforeAll(async () => {
    server = await startTestServer([portalPlugin, knowledgePlugin, ideasPlugin]);
    const { services } = server.tresen;
    const tenant = await createTenant(services.db, { slug: 'acme', name: 'ACME Service', locale: 'en' });
    for (const id of ['portal', 'knowledge', 'ideas']) await enablePlugin(services.db, services.registry, tenant.id, id);
    const bossId = await createUser(services.db, { tenantId: tenant.id, email: 'ada@acme.test', name: 'Ada Admin', role: 'supervisor', password: PASSWORD }, services.config.scryptLogN);
    const agentId = await createUser(services.db, { tenantId: tenant.id, email: 'ben@acme.test', name: 'Benedikt Wüstenhagen-Oberländer', role: 'agent', password: PASSWORD }, services.config.scryptLogN);
    const tickets = await tenantTicketService(services, tenant.id);
    const store = proposalStore(services, tenant.id);
    const actor = (id: number, label: string) => ({ kind: 'user' as const, id, label, can: () => true });
    const titles = [
      'Kaffeemaschine im zweiten Obergeschoss durch einen Vollautomaten mit Milchaufschäumer ersetzen',
      'Standing desks for the support team', 'Shared calendar for on-call rotas', 'Fewer meetings on Fridays', 'Label printer at the goods receipt',
    ];
    const ids: number[] = [];
    for (const [i, title] of titles.entries()) {
      ids.push((await store.submit(tickets, actor(agentId, 'Benedikt Wüstenhagen-Oberländer'), {
        title, description: 'Every morning twenty people queue for ten minutes at the one machine on the floor.\nA second machine would pay for itself within a quarter.',
        benefit: i === 0 ? 'About 200 working hours a year' : '', anonymous: i === 1,
      }, { groupId: null, anonymousLabel: 'Anonymous' })).id);
    }
    proposalId = ids[0]!;
    const likes = likeStore(services, tenant.id);
    for (let v = 1; v <= 12; v++) await likes.like({ userId: v + 1000, personId: null, label: '', manager: false, moderator: false }, ids[0]!);
    const boss = { userId: bossId, personId: null, label: 'Ada Admin', manager: true, moderator: true };
    await commentStore(services, tenant.id).add(boss, ids[0]!, { body: 'Good idea. Facilities has a quote for a machine with two grinders; @ben, can you add the numbers?' });
    await commentStore(services, tenant.id).add({ ...boss, userId: agentId, label: 'Benedikt Wüstenhagen-Oberländer', manager: false, moderator: false }, ids[0]!, { body: 'Done: 12 cups an hour at peak.' });
    await statusStore(services, tenant.id).change(boss, ids[0]!, { status: 'planned' });
    await statusStore(services, tenant.id).change(boss, ids[3]!, { status: 'declined', reason: 'Meetings are planned per team.' });
    base = `${server.url}/t/acme`;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const shoot = async (page: Page, name: string) => {
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
  };

  for (const [label, viewport] of [['phone', PHONE], ['desktop', DESKTOP]] as const) {
    it(`on a ${label}: board, proposal (as idea manager) and submit form fit the width`, async () => {
      const context = await newContext(browser, { viewport });
      const page = await context.newPage();
      await signInThroughForm(page, base, 'ada@acme.test', PASSWORD);
      for (const [name, path] of [['board', '/p/ideas?sort=liked'], ['proposal', `/p/ideas/${proposalId}`], ['new', '/p/ideas/new']] as const) {
        await page.goto(`${base}${path}`);
        expect(await page.locator('h1').first().textContent()).toBeTruthy();
        expect(await hasHorizontalScroll(page), `${name} at ${label}`).toBe(false);
        await shoot(page, `${name}-${label}`);
      }
      await context.close();
    });
  }
});
