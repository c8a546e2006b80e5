import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../core/auth/password.js';
import { createUser } from '../../core/people/user-service.js';
import { enablePlugin } from '../../core/plugin-host/plugin-switches.js';
import { createTenant } from '../../core/tenancy/tenant-service.js';
import { tenantScope } from '../../core/tenancy/tenant-scope.js';
import { TIMELINE_EVENT } from '../../core/timeline/timeline-posts.js';
import { postToTimeline } from '../../core/timeline/timeline-seam.js';
import { portalPlugin } from '../../plugins/portal/index.js';
import { DESKTOP, PHONE, POLL, TABLET, hasHorizontalScroll, launchBrowser, newContext, signInThroughForm } from '../harness/browser.js';
import { startTestServer, type TestServer } from '../harness/test-server.js';

const PASSWORD = 'e2e timeline password';
/** Set TIMELINE_SHOTS=<dir> to keep the screenshots (never committed). */
const SHOTS = process.env.TIMELINE_SHOTS;

/**
 * The staff timeline and the portal's news in Chromium at phone, tablet and desktop width: nothing scrolls
 * sideways, a like swaps its card over htmx, a post made elsewhere arrives over the live channel,
 * a customer of ACME sees ACME's and everyone's posts but never Globex's.
 */
describe('the timeline in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  let base: string;
  let tenantId: number;
  let authorId: number;

  beforeAll(async () => {
    server = await startTestServer([portalPlugin]);
    const { services } = server.tresen;
    const { db, config, registry } = services;
    const tenant = await createTenant(db, { slug: 'news', name: 'News Service', locale: 'en' });
    tenantId = tenant.id;
    await enablePlugin(db, registry, tenant.id, 'portal');
    authorId = await createUser(db, { tenantId, email: 'ada@news.test', name: 'Ada Admin', role: 'admin', password: PASSWORD }, config.scryptLogN);
    for (const width of [PHONE.width, TABLET.width, DESKTOP.width]) await createUser(db, { tenantId, email: `bob${width}@news.test`, name: 'Bob Agent', role: 'agent', password: PASSWORD }, config.scryptLogN);
    const scope = tenantScope(db, tenantId);
    const [acme, globex] = (await scope.insertInto('organisations', [{ name: 'ACME' }, { name: 'Globex' }]).returning('id').execute()).map((r) => r.id) as [number, number];
    await scope.insertInto('people', {
      organisation_id: acme, name: 'Carl Customer', email: 'carl@acme.test', portal_role: 'customer', is_org_manager: 0,
      password_hash: await hashPassword(PASSWORD, config.scryptLogN), locale: 'en', active: 1,
    }).execute();
    const now = new Date().toISOString();
    const ticket = await scope.insertInto('tickets', { number: '2026-000042', subject: 'VPN drops every hour', status: 'solved', created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow();
    const author = { userId: authorId, label: 'Ada Admin' };
    const post = (input: Omit<Parameters<typeof postToTimeline>[2], 'author'>) => postToTimeline(services, tenantId, { ...input, author });
    await post({ kind: 'announcement', title: 'Maintenance window on Saturday', body: 'The ticket system is read-only on Saturday from 06:00 to 08:00.' });
    await post({ kind: 'solution', title: 'Solved: VPN drops every hour', body: 'Update the VPN client to 5.2 and restart.\nThen check the lease time.', audience: 'staff', link: '/desk/tickets/2026-000042', ticketId: ticket.id });
    await post({ kind: 'announcement', title: 'ACME: new printer on floor 2', body: 'Your printer Kyocera-2F is set up; the driver comes automatically.', audience: 'organisations', organisationIds: [acme] });
    await post({ kind: 'announcement', title: 'Globex only: office move', body: 'Globex moves on Monday.', audience: 'organisations', organisationIds: [globex] });
    await post({ kind: 'system', title: 'Mail server down — we are on it: Supercalifragilisticexpialidociouslylongwordwithoutanyspaces', body: 'Incoming mail is delayed; nothing is lost.', pinned: true });
    base = `${server.url}/t/news`;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const shoot = async (page: Page, name: string) => {
    expect([name, await hasHorizontalScroll(page)]).toEqual([name, false]);
    if (SHOTS) await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  };

  it.each([['phone', PHONE], ['tablet', TABLET], ['desktop', DESKTOP]] as const)('staff on a %s: the timeline, a like over htmx, the compose form\'s refusal and a live post from elsewhere', async (_name, viewport) => {
    if (SHOTS) mkdirSync(SHOTS, { recursive: true });
    const context = await newContext(browser, { viewport, locale: 'en-US' });
    const page = await context.newPage();
    await signInThroughForm(page, base, `bob${viewport.width}@news.test`, PASSWORD);
    const connected = page.waitForResponse((r) => r.url().endsWith('/t/news/events'));
    await page.goto(`${base}/desk/timeline`);
    await connected;
    await expect.poll(() => page.locator('#timeline-feed .timeline-post').count(), POLL).toBeGreaterThanOrEqual(5);
    expect(await page.locator('#timeline-feed .timeline-post').first().getAttribute('class')).toContain('timeline-pinned');
    expect(await page.locator('.timeline-post', { hasText: 'Globex only' }).locator('.timeline-audience').textContent()).toBe('For chosen customers');
    expect(await page.locator('.timeline-post', { hasText: 'Maintenance window' }).locator('.timeline-audience').count()).toBe(0);
    await shoot(page, `timeline-desk-${viewport.width}`);

    // The like swaps its card, and its live event reloads the feed: wait for that reload before the next event.
    const card = () => page.locator('.timeline-post', { hasText: 'Maintenance window on Saturday' });
    const reloaded = page.waitForResponse((r) => r.url().includes('/desk/timeline/feed'), { timeout: 10_000 });
    await card().locator('button', { hasText: 'Like' }).click();
    await reloaded;
    await expect.poll(() => card().locator('button[aria-pressed="true"]').textContent(), POLL).toContain(`Unlike · ${[PHONE, TABLET, DESKTOP].indexOf(viewport) + 1}`);

    await postToTimeline(server.tresen.services, tenantId, { kind: 'announcement', title: `Posted elsewhere at ${viewport.width}`, body: 'Live.', author: { userId: authorId, label: 'Ada Admin' } });
    // A live event is a hint, not a queue: one that arrives while htmx is still settling the feed's last swap (its
    // listener not yet re-attached) is missed, as on a real page until the next event. Repeat the hint until the
    // feed shows the post, so the test checks delivery and the feed's reload, not a race with the settle delay.
    await expect.poll(() => {
      server.tresen.services.events.publish({ tenantId, type: TIMELINE_EVENT, data: {} });
      return page.locator('#timeline-feed').textContent();
    }, { ...POLL, timeout: 10_000 }).toContain(`Posted elsewhere at ${viewport.width}`);

    await page.fill('#timeline-compose [name=title]', '');
    await page.fill('#timeline-compose [name=body]', 'No title');
    await page.selectOption('#timeline-compose [name=audience]', 'organisations');
    await page.evaluate(() => document.querySelectorAll<HTMLInputElement>('#timeline-compose [required]').forEach((el) => el.removeAttribute('required')));
    await Promise.all([page.waitForLoadState('load'), page.click('#timeline-submit')]);
    await expect.poll(() => page.locator('#title-error').isVisible(), POLL).toBe(true);
    await expect.poll(() => page.locator('#organisation_ids-error').isVisible(), POLL).toBe(true);
    await page.locator('#timeline-compose').scrollIntoViewIfNeeded();
    await shoot(page, `timeline-desk-refused-${viewport.width}`);
    await context.close();
  });

  it.each([['phone', PHONE], ['tablet', TABLET], ['desktop', DESKTOP]] as const)('a customer of ACME on a %s: the portal news and the pinned notice before a new request, never Globex\'s or staff posts', async (_name, viewport) => {
    if (SHOTS) mkdirSync(SHOTS, { recursive: true });
    const context = await newContext(browser, { viewport, locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(`${base}/portal/login`);
    await page.fill('#portal-sign-in input[name=email]', 'carl@acme.test');
    await page.fill('#portal-sign-in input[name=password]', PASSWORD);
    await Promise.all([page.waitForURL((url) => !url.pathname.endsWith('/login')), page.click('#portal-sign-in-submit')]);
    await page.goto(`${base}/portal`);
    await expect.poll(() => page.locator('#portal-timeline').isVisible(), POLL).toBe(true);
    const news = (await page.locator('#portal-timeline').textContent())!;
    expect(news).toContain('ACME: new printer on floor 2');
    expect(news).toContain('Maintenance window on Saturday');
    for (const hidden of ['Globex only', 'Solved: VPN drops']) expect(news).not.toContain(hidden);
    await shoot(page, `timeline-portal-home-${viewport.width}`);
    await page.goto(`${base}/portal/requests/new`);
    await expect.poll(() => page.locator('#portal-pinned').isVisible(), POLL).toBe(true);
    expect(await page.locator('#portal-pinned').textContent()).toContain('Mail server down');
    await shoot(page, `timeline-portal-new-request-${viewport.width}`);
    await context.close();
  });
});
