import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../core/people/user-service.js';
import { enablePlugin } from '../../core/plugin-host/plugin-switches.js';
import { createTenant } from '../../core/tenancy/tenant-service.js';
import { tenantTicketService } from '../../core/tickets/ticket-context.js';
import { DESKTOP, PHONE, POLL, hasHorizontalScroll, launchBrowser, newContext, signInThroughForm } from '../../test/harness/browser.js';
import { startTestServer, type TestServer } from '../../test/harness/test-server.js';
import { connectPlugin } from './index.js';

const PASSWORD = 'e2e remote password';
/** Set CONNECT_SHOTS=<dir> to keep screenshots of the ticket panel at each width (never committed). */
const SHOTS = process.env.CONNECT_SHOTS;
const shoot = async (page: Page, name: string) => {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.locator('#connect-remote-sessions').screenshot({ path: join(SHOTS, `${name}-panel.png`) });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
};

/**
 * The ticket panel in a real browser at phone and desktop width, against the real server logging at debug level:
 * store a session, see it masked, reveal it with a click. Every response but the reveal's, every page's final
 * HTML and every log line of the run are searched for the passwords.
 */
describe('remote sessions on the ticket page in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  let base: string;
  const numbers: string[] = [];
  const logged: string[] = [];
  const bodies: string[] = [];
  const secrets = ['Phone-Secret-3141', 'Desk-Secret-2718'];
  const writeErr = process.stderr.write.bind(process.stderr);

  beforeAll(async () => {
    // The server's logger writes JSON lines to stderr: keep every one of them for the search.
    process.stderr.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
      logged.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return writeErr(chunk, ...rest);
    }) as typeof process.stderr.write;
    server = await startTestServer([connectPlugin], { LOG_LEVEL: 'debug' });
    const { services } = server.tresen;
    const tenant = await createTenant(services.db, { slug: 'acme', name: 'ACME Service', locale: 'en' });
    await createUser(services.db, { tenantId: tenant.id, email: 'ann@acme.test', name: 'Ann Agent', role: 'agent', password: PASSWORD }, services.config.scryptLogN);
    await enablePlugin(services.db, services.registry, tenant.id, 'connect');
    const tickets = await tenantTicketService(services, tenant.id);
    for (const subject of ['Accounting PC will not print', 'Notebook VPN drops']) {
      numbers.push((await tickets.create({ subject, description: 'The customer waits on the phone for a remote session.' }, { kind: 'system', label: 'e2e' })).number);
    }
    base = `${server.url}/t/acme`;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    process.stderr.write = writeErr;
    await browser?.close();
    await server?.stop();
  });

  for (const [index, [label, viewport]] of ([['390', PHONE], ['1280', DESKTOP]] as const).entries()) {
    it(`at ${label} px: stores a session, shows it masked, reveals it on a click`, async () => {
      const secret = secrets[index]!;
      const context = await newContext(browser, { viewport });
      const page = await context.newPage();
      page.on('response', async (response) => {
        if (response.url().includes('/reveal')) return;
        try { bodies.push(await response.text()); } catch { /* a redirect has no body */ }
      });
      await signInThroughForm(page, base, 'ann@acme.test', PASSWORD);
      await page.goto(`${base}/desk/tickets/${numbers[index]}`);
      const panel = page.locator('#connect-remote-sessions');
      expect(await panel.locator('#connect-remote-none').count()).toBe(1);
      await panel.locator('#connect-remote-tool').selectOption(index === 0 ? 'anydesk' : 'teamviewer');
      await panel.locator('#connect-remote-id').fill(index === 0 ? '1 234 567 890' : '987 654 321');
      await panel.locator('#connect-remote-secret-input').fill(secret);
      await panel.locator('#connect-remote-valid').selectOption('4');
      await panel.locator('#connect-remote-form button[type=submit]').click();
      await expect.poll(() => page.locator('.connect-remote-session').count(), POLL).toBe(1);
      expect(await page.locator('.connect-remote-mask').count()).toBe(1);
      bodies.push(await page.content());
      expect(await hasHorizontalScroll(page)).toBe(false);
      await panel.scrollIntoViewIfNeeded();
      await shoot(page, `remote-session-${label}`);

      await page.locator('.connect-remote-actions button', { hasText: 'Show password' }).click();
      await expect.poll(() => page.locator('.connect-remote-plain').textContent(), POLL).toBe(secret);
      expect(await page.locator('.connect-remote-mask').count()).toBe(0);
      expect(await hasHorizontalScroll(page)).toBe(false);
      await context.close();
    });
  }

  it('let no password into any other response, page or log line of the run', () => {
    expect(bodies.length).toBeGreaterThan(6);
    expect(logged.join('').length).toBeGreaterThan(0);
    for (const secret of secrets) {
      expect(bodies.join('\n')).not.toContain(secret);
      expect(logged.join('')).not.toContain(secret);
    }
  });
});
