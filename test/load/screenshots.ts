// `npm run screenshots -- --out DIR [--only name,name] [--widths 390,1280]`: the real server on a fresh demo
// database, every page users see (staff, tenant admin, plugins, portal, platform operator) at phone and desktop
// width, saved as DIR/<page>-<width>.png (full page) and DIR/<page>-<width>.txt (document.body.innerText), plus
// DIR/index.json (each page's path, final URL and HTTP status). Run it before and after a change and compare the two
// directories with `npm run screenshots:compare -- BEFORE AFTER`.
// The demo data is the same on every run except for its dates: it is laid out relative to now, so dates, ticket
// numbers (year-000nnn) and "n days ago" texts differ between runs on different days.
// Env: CHROMIUM_PATH (default /usr/bin/chromium), SCREENSHOT_KEEP_DATA=1 keeps the temporary DATA_DIR.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { freePort } from '../harness/postgres-server.js';

const { values: args } = parseArgs({
  options: { out: { type: 'string' }, only: { type: 'string' }, widths: { type: 'string', default: '390,1280' } },
});
if (!args.out) {
  process.stderr.write('usage: npm run screenshots -- --out DIR [--only page,page] [--widths 390,1280]\n');
  process.exit(2);
}
const outDir = resolve(args.out);
const only = args.only?.split(',').map((s) => s.trim()).filter(Boolean);
const widths = args.widths!.split(',').map(Number);
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const tsx = resolve('node_modules/.bin/tsx');

const TENANT = 'demo';
const OPERATOR = { email: 'operator@screenshots.test', password: 'screenshots operator password' };
// Fixed, so nothing signed with it depends on the run; the fixed BASE_URL keeps the random port out of mail links.
const SECRET = 'screenshots-fixed-secret-0123456789abcdefghij';
const BASE_URL = 'http://tresen.screenshots.test';
const ACCOUNTS = { admin: 'admin@demo.tresen.local', agent: 'agent1@demo.tresen.local', portal: 'klara.kunde@beispiel-logistik.de' } as const;
/** Waiting ticket of Klara Kunde (demo data): reply, note and a second reply. Its subject is in one more (closed) ticket. */
const TICKET_SUBJECT_WORD = 'Zeiterfassung';
/** The service order this script adds to that ticket, at a fixed time, so the plugin's pages are not empty. */
const SERVICE_ORDER = { type: 'on_site', planned_at: '2030-03-04T09:00', planned_end: '2030-03-04T11:30' };

type Role = 'anonymous' | 'admin' | 'agent' | 'portal' | 'operator';

/** Found on the running server before the pages are taken: the ids and numbers the demo data got. */
interface Ids {
  ticket?: string;
  closedTicket?: string;
  newTicket?: string;
  organisation?: string;
  contract?: string;
  person?: string;
  group?: string;
  user?: string;
  field?: string;
  macro?: string;
  serviceOrder?: string;
  tenant?: string;
  outbox?: string;
  /** A listed staff member's card in the support directory. */
  directoryCard?: string;
}

interface Shot {
  name: string;
  as: Role;
  /** Path below /t/demo (or below the root for platform pages); undefined when an id it needs was not found. */
  path: (ids: Ids) => string | undefined;
  platform?: boolean;
  /** Opened before the shot (the summary of a disclosure, e.g. a confirmation), when the page has it. */
  open?: string;
}

const at = (path: string) => () => path;
const withId = (key: keyof Ids, make: (id: string) => string) => (ids: Ids) => (ids[key] ? make(ids[key]) : undefined);

/** Every page users see, in the order they are taken (the order matters: taking a page can change later ones). */
const SHOTS: Shot[] = [
  { name: 'staff-login', as: 'anonymous', path: at('/login') },
  { name: 'portal-login', as: 'anonymous', path: at('/portal/login') },
  { name: 'platform-login', as: 'anonymous', path: at('/login'), platform: true },
  // Staff desk, as tenant admin (who sees every nav entry).
  { name: 'desk-dashboard', as: 'admin', path: at('/desk') },
  { name: 'desk-nav-more', as: 'admin', path: at('/desk'), open: '#nav-more' },
  { name: 'queue-new', as: 'admin', path: at('/desk/tickets?queue=new') },
  { name: 'queue-customer', as: 'admin', path: at('/desk/tickets?queue=customer') },
  { name: 'queue-support', as: 'admin', path: at('/desk/tickets?queue=support') },
  { name: 'queue-all', as: 'admin', path: at('/desk/tickets?queue=all') },
  { name: 'queue-all-search', as: 'admin', path: at(`/desk/tickets?queue=all&q=${TICKET_SUBJECT_WORD}`) },
  { name: 'ticket', as: 'admin', path: withId('ticket', (n) => `/desk/tickets/${n}`) },
  { name: 'ticket-delete-confirm', as: 'admin', path: withId('ticket', (n) => `/desk/tickets/${n}`), open: '#delete summary' },
  { name: 'ticket-closed', as: 'admin', path: withId('closedTicket', (n) => `/desk/tickets/${n}`) },
  { name: 'ticket-new-status', as: 'admin', path: withId('newTicket', (n) => `/desk/tickets/${n}`) },
  { name: 'phone-ticket', as: 'admin', path: at('/desk/tickets/new') },
  { name: 'phone-ticket-hardware', as: 'admin', path: at('/desk/tickets/new?category=Hardware') },
  { name: 'macros', as: 'admin', path: at('/desk/macros') },
  { name: 'macro', as: 'admin', path: withId('macro', (id) => `/desk/macros/${id}`) },
  { name: 'statistics', as: 'admin', path: at('/desk/statistics?period=30d') },
  { name: 'timeline', as: 'admin', path: at('/desk/timeline') },
  { name: 'directory', as: 'admin', path: at('/desk/directory') },
  { name: 'directory-card', as: 'admin', path: withId('directoryCard', (id) => `/desk/directory/${id}`) },
  { name: 'kpi-report', as: 'admin', path: at('/desk/statistics/kpi?period=30d&groupBy=agent') },
  { name: 'notifications', as: 'admin', path: at('/desk/notifications') },
  { name: 'account', as: 'admin', path: at('/account') },
  // Tenant administration.
  { name: 'admin', as: 'admin', path: at('/admin') },
  { name: 'admin-organisations', as: 'admin', path: at('/admin/organisations') },
  { name: 'admin-organisation-new', as: 'admin', path: at('/admin/organisations/new') },
  { name: 'admin-organisation', as: 'admin', path: withId('organisation', (id) => `/admin/organisations/${id}`) },
  { name: 'admin-contract-new', as: 'admin', path: withId('organisation', (id) => `/admin/organisations/${id}/contracts/new`) },
  { name: 'admin-contract', as: 'admin', path: (ids) => (ids.organisation && ids.contract ? `/admin/organisations/${ids.organisation}/contracts/${ids.contract}` : undefined) },
  { name: 'admin-people', as: 'admin', path: at('/admin/people') },
  { name: 'admin-person-new', as: 'admin', path: at('/admin/people/new') },
  { name: 'admin-person', as: 'admin', path: withId('person', (id) => `/admin/people/${id}`) },
  { name: 'admin-groups', as: 'admin', path: at('/admin/groups') },
  { name: 'admin-group', as: 'admin', path: withId('group', (id) => `/admin/groups/${id}`) },
  { name: 'admin-users', as: 'admin', path: at('/admin/users') },
  { name: 'admin-user', as: 'admin', path: withId('user', (id) => `/admin/users/${id}`) },
  { name: 'admin-branding', as: 'admin', path: at('/admin/branding') },
  { name: 'admin-tickets', as: 'admin', path: at('/admin/tickets') },
  { name: 'admin-ticket-field', as: 'admin', path: withId('field', (id) => `/admin/tickets/fields/${id}`) },
  { name: 'admin-audit', as: 'admin', path: at('/admin/audit') },
  { name: 'admin-directory', as: 'admin', path: at('/admin/directory') },
  // Plugin pages in the staff nav.
  { name: 'portal-settings', as: 'admin', path: at('/p/portal/settings') },
  { name: 'helpdesk-mails', as: 'admin', path: at('/p/helpdesk/mails') },
  { name: 'helpdesk-mailboxes', as: 'admin', path: at('/p/helpdesk/mailboxes') },
  { name: 'helpdesk-mailbox-new', as: 'admin', path: at('/p/helpdesk/mailboxes/new') },
  { name: 'service-orders', as: 'admin', path: at('/p/helpdesk/service-orders') },
  { name: 'service-order', as: 'admin', path: withId('serviceOrder', (id) => `/p/helpdesk/service-orders/${id}`) },
  { name: 'hardware-statistics', as: 'admin', path: at('/p/hardware/statistics') },
  // An agent sees fewer entries and other queue contents.
  { name: 'agent-dashboard', as: 'agent', path: at('/desk') },
  { name: 'agent-queue-customer', as: 'agent', path: at('/desk/tickets?queue=customer') },
  { name: 'agent-ticket', as: 'agent', path: withId('ticket', (n) => `/desk/tickets/${n}`) },
  { name: 'agent-account', as: 'agent', path: at('/account') },
  // Customer portal, as an organisation manager.
  { name: 'portal-home', as: 'portal', path: at('/portal') },
  { name: 'portal-requests', as: 'portal', path: at('/portal/requests') },
  { name: 'portal-request', as: 'portal', path: withId('ticket', (n) => `/portal/requests/${n}`) },
  { name: 'portal-request-closed', as: 'portal', path: withId('closedTicket', (n) => `/portal/requests/${n}`) },
  { name: 'portal-request-new', as: 'portal', path: at('/portal/requests/new') },
  { name: 'portal-directory', as: 'portal', path: at('/portal/directory') },
  // Platform operator.
  { name: 'platform-tenants', as: 'operator', path: at('/platform'), platform: true },
  { name: 'platform-tenant', as: 'operator', path: withId('tenant', (id) => `/platform/tenants/${id}`), platform: true },
  { name: 'platform-plugin-off-confirm', as: 'operator', path: withId('tenant', (id) => `/platform/tenants/${id}`), platform: true, open: '#plugin-off-portal summary' },
  { name: 'platform-outbox', as: 'operator', path: at('/platform/outbox'), platform: true },
  { name: 'platform-outbox-message', as: 'operator', path: withId('outbox', (id) => `/platform/outbox/${id}`), platform: true },
  { name: 'platform-audit', as: 'operator', path: at('/platform/audit'), platform: true },
  { name: 'platform-account', as: 'operator', path: at('/account'), platform: true },
];

function log(line: string): void {
  process.stderr.write(`screenshots: ${line}\n`);
}

async function waitForChromium(): Promise<void> {
  // Debian's package may still be installing: wait for it up to ten minutes.
  for (let waited = 0; !existsSync(chromiumPath); waited += 30) {
    if (waited >= 600) throw new Error(`${chromiumPath} not found (set CHROMIUM_PATH)`);
    log(`waiting for ${chromiumPath}`);
    await new Promise((r) => setTimeout(r, 30_000));
  }
}

interface Server { url: string; child: ChildProcess; output: () => string }

/** The server as `npm run dev` starts it, on an empty data dir: the first start creates the operator and the demo tenant. */
async function startServer(dataDir: string): Promise<Server> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', TRESEN_DEMO: '1', LOG_LEVEL: 'warn', SECRET, BASE_URL,
    TRESEN_ADMIN_EMAIL: OPERATOR.email, TRESEN_ADMIN_PASSWORD: OPERATOR.password,
  };
  for (const key of ['DATABASE_URL', 'SMTP_URL']) delete env[key];
  const child = spawn(tsx, ['core/main.ts'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout!.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
  for (const startedAt = Date.now(); ;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${stdout}`);
    if (Date.now() - startedAt > 120_000) throw new Error(`server did not start in 2 minutes:\n${stdout}`);
    // The credentials are announced in the same write as "listening on".
    if (/listening on/.test(stdout)) {
      try {
        if ((await fetch(`${url}/healthz`)).ok) return { url, child, output: () => stdout };
      } catch {
        // not yet
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The demo password the first start prints once (all demo accounts share it). */
function demoPassword(output: string): string {
  const match = new RegExp(`${ACCOUNTS.admin.replace(/\./g, '\\.')}\\s+/\\s+(\\S+)`).exec(output);
  if (!match) throw new Error(`no demo credentials in the server's first-start output:\n${output}`);
  return match[1]!;
}

/** Requests in flight (not the live event stream, which stays open), to wait until a page is quiet. */
function trackRequests(page: Page): () => number {
  const open = new Set<unknown>();
  page.on('request', (r) => { if (r.resourceType() !== 'eventsource') open.add(r); });
  page.on('requestfinished', (r) => open.delete(r));
  page.on('requestfailed', (r) => open.delete(r));
  return () => open.size;
}

/** After load: no request for 300 ms (htmx loads parts of some pages), fonts ready. */
async function settle(page: Page, inFlight: () => number): Promise<void> {
  let quietSince = Date.now();
  for (const deadline = Date.now() + 15_000; Date.now() < deadline;) {
    if (inFlight() > 0) quietSince = Date.now();
    else if (Date.now() - quietSince >= 300) break;
    await page.waitForTimeout(50);
  }
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
}

function newContext(browser: Browser, width: number, storageState?: Awaited<ReturnType<BrowserContext['storageState']>>): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width, height: width < 600 ? 844 : 800 }, locale: 'de-DE', timezoneId: 'Europe/Berlin', ...(storageState ? { storageState } : {}) });
}

/** Signs in through the real forms; the session is reused for every width. */
async function signIn(browser: Browser, url: string, role: Role, password: string): Promise<Awaited<ReturnType<BrowserContext['storageState']>> | undefined> {
  if (role === 'anonymous') return undefined;
  const context = await newContext(browser, 1280);
  try {
    const page = await context.newPage();
    const [loginUrl, email, secret, submit] = role === 'operator' ? [`${url}/login`, OPERATOR.email, OPERATOR.password, '#sign-in']
      : role === 'portal' ? [`${url}/t/${TENANT}/portal/login`, ACCOUNTS.portal, password, '#portal-sign-in-submit']
        : [`${url}/t/${TENANT}/login`, ACCOUNTS[role], password, '#sign-in'];
    await page.goto(loginUrl);
    await page.fill('input[name=email]', email);
    await page.fill('input[name=password]', secret);
    await Promise.all([page.waitForURL((u) => !u.pathname.endsWith('/login'), { timeout: 30_000 }), page.click(submit)]);
    return await context.storageState();
  } finally {
    await context.close();
  }
}

/** The first number in a link on `path` whose pathname matches `pattern` (with one capture group). */
async function firstLinkId(page: Page, url: string, pattern: RegExp): Promise<string | undefined> {
  await page.goto(url);
  const hrefs = await page.$$eval('a[href]', (links) => links.map((a) => new URL((a as HTMLAnchorElement).href).pathname));
  for (const href of hrefs) {
    const match = pattern.exec(href);
    if (match) return match[1];
  }
  return undefined;
}

/** Adds the service order (once) and finds the ids the detail pages need, signed in as the tenant admin. */
async function prepare(browser: Browser, url: string, admin: Awaited<ReturnType<BrowserContext['storageState']>>, operator: Awaited<ReturnType<BrowserContext['storageState']>>): Promise<Ids> {
  const tenantUrl = `${url}/t/${TENANT}`;
  const ids: Ids = {};
  const context = await newContext(browser, 1280, admin);
  try {
    const page = await context.newPage();
    await page.goto(`${tenantUrl}/desk/tickets?queue=all&q=${TICKET_SUBJECT_WORD}`);
    const numbers = [...new Set(await page.$$eval('a[href]', (links) => links.map((a) => new URL((a as HTMLAnchorElement).href).pathname)))]
      .map((p) => /\/desk\/tickets\/(\d{4}-\d+)$/.exec(p)?.[1]).filter((n): n is string => Boolean(n)).sort();
    // The earlier one is the waiting ticket, the later the closed one (numbers grow with time, year first).
    ids.ticket = numbers[0];
    ids.closedTicket = numbers.length > 1 ? numbers[numbers.length - 1] : undefined;
    ids.newTicket = await firstLinkId(page, `${tenantUrl}/desk/tickets?queue=new`, /\/desk\/tickets\/(\d{4}-\d+)$/);
    ids.organisation = await firstLinkId(page, `${tenantUrl}/admin/organisations`, /\/admin\/organisations\/(\d+)$/);
    if (ids.organisation) ids.contract = await firstLinkId(page, `${tenantUrl}/admin/organisations/${ids.organisation}`, /\/contracts\/(\d+)$/);
    ids.person = await firstLinkId(page, `${tenantUrl}/admin/people`, /\/admin\/people\/(\d+)$/);
    ids.group = await firstLinkId(page, `${tenantUrl}/admin/groups`, /\/admin\/groups\/(\d+)$/);
    ids.user = await firstLinkId(page, `${tenantUrl}/admin/users`, /\/admin\/users\/(\d+)$/);
    ids.directoryCard = await firstLinkId(page, `${tenantUrl}/desk/directory`, /\/desk\/directory\/(\d+)$/);
    ids.field = await firstLinkId(page, `${tenantUrl}/admin/tickets`, /\/admin\/tickets\/fields\/(\d+)$/);
    ids.macro = await firstLinkId(page, `${tenantUrl}/desk/macros`, /\/desk\/macros\/(\d+)$/);
    if (ids.ticket) {
      // The technician is the first one the ticket page's order form offers (the demo's staff, by name).
      await page.goto(`${tenantUrl}/desk/tickets/${ids.ticket}`);
      const technician = await page.$$eval('select[name=technician_id] option', (options) => options.map((o) => (o as HTMLOptionElement).value).find((v) => v !== '') ?? '');
      const response = await page.request.post(`${tenantUrl}/p/helpdesk/tickets/${ids.ticket}/service-orders`, {
        headers: { Origin: url }, form: { ...SERVICE_ORDER, technician_id: technician }, maxRedirects: 0,
      });
      if (response.status() >= 400) log(`adding the service order answered ${response.status()}`);
      ids.serviceOrder = await firstLinkId(page, `${tenantUrl}/p/helpdesk/service-orders`, /\/service-orders\/(\d+)$/);
    }
  } finally {
    await context.close();
  }
  const platform = await newContext(browser, 1280, operator);
  try {
    const page = await platform.newPage();
    ids.tenant = await firstLinkId(page, `${url}/platform`, /\/platform\/tenants\/(\d+)$/);
    ids.outbox = await firstLinkId(page, `${url}/platform/outbox`, /\/platform\/outbox\/(\d+)$/);
  } finally {
    await platform.close();
  }
  return ids;
}

/** Nav entries and admin areas no shot covers: a page added later should be added to SHOTS. */
async function uncovered(browser: Browser, url: string, admin: Awaited<ReturnType<BrowserContext['storageState']>>): Promise<string[]> {
  const context = await newContext(browser, 1280, admin);
  try {
    const page = await context.newPage();
    const paths = new Set<string>();
    for (const path of ['/desk', '/admin']) {
      await page.goto(`${url}/t/${TENANT}${path}`);
      const selector = path === '/admin' ? 'nav a[href], main a[href]' : 'nav a[href]';
      for (const href of await page.$$eval(selector, (links) => links.map((a) => new URL((a as HTMLAnchorElement).href).pathname))) paths.add(href);
    }
    const covered = new Set(SHOTS.filter((s) => !s.platform && s.as === 'admin').map((s) => `/t/${TENANT}${s.path({})?.split('?')[0] ?? ''}`));
    return [...paths].filter((p) => p.startsWith(`/t/${TENANT}/`) && !covered.has(p) && !p.endsWith('/logout'));
  } finally {
    await context.close();
  }
}

interface Taken { name: string; width: number; as: Role; path: string; finalPath: string; status: number; title: string; problem?: string }

async function take(browser: Browser, url: string, sessions: Map<Role, Awaited<ReturnType<BrowserContext['storageState']>> | undefined>, ids: Ids): Promise<{ taken: Taken[]; skipped: string[] }> {
  const taken: Taken[] = [];
  const skipped: string[] = [];
  const contexts = new Map<string, { context: BrowserContext; page: Page; inFlight: () => number }>();
  try {
    for (const shot of SHOTS) {
      if (only && !only.includes(shot.name)) continue;
      const path = shot.path(ids);
      if (!path) {
        skipped.push(shot.name);
        log(`skipped ${shot.name}: the demo data gave no id for it`);
        continue;
      }
      const target = `${url}${shot.platform ? '' : `/t/${TENANT}`}${path}`;
      for (const width of widths) {
        const key = `${shot.as}-${width}`;
        let open = contexts.get(key);
        if (!open) {
          const context = await newContext(browser, width, sessions.get(shot.as));
          const page = await context.newPage();
          open = { context, page, inFlight: trackRequests(page) };
          contexts.set(key, open);
        }
        const { page, inFlight } = open;
        await page.setViewportSize({ width, height: width < 600 ? 844 : 800 });
        const response = await page.goto(target, { waitUntil: 'load' });
        await settle(page, inFlight);
        if (shot.open && await page.locator(shot.open).count()) {
          await page.locator(shot.open).first().click();
          await page.locator(shot.open).first().scrollIntoViewIfNeeded();
        }
        const status = response?.status() ?? 0;
        const final = new URL(page.url());
        const finalPath = `${final.pathname}${final.search}`;
        const requested = new URL(target);
        let problem: string | undefined;
        if (status >= 400) problem = `HTTP ${status}`;
        else if (final.pathname !== requested.pathname) problem = `redirected to ${finalPath}`;
        const file = join(outDir, `${shot.name}-${width}`);
        await page.screenshot({ path: `${file}.png`, fullPage: true, animations: 'disabled' });
        writeFileSync(`${file}.txt`, `${await page.evaluate(() => document.body.innerText)}\n`);
        taken.push({ name: shot.name, width, as: shot.as, path: `${requested.pathname}${requested.search}`, finalPath, status, title: await page.title(), ...(problem ? { problem } : {}) });
        log(`${shot.name}-${width} ${status}${problem ? ` PROBLEM: ${problem}` : ''}`);
      }
    }
  } finally {
    for (const { context } of contexts.values()) await context.close();
  }
  return { taken, skipped };
}

async function main(): Promise<void> {
  const startedAt = performance.now();
  await waitForChromium();
  mkdirSync(outDir, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'tresen-screenshots-'));
  const server = await startServer(dataDir);
  let browser: Browser | undefined;
  try {
    const password = demoPassword(server.output());
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage', '--hide-scrollbars', '--font-render-hinting=none'],
    });
    const sessions = new Map<Role, Awaited<ReturnType<BrowserContext['storageState']>> | undefined>();
    for (const role of ['anonymous', 'admin', 'agent', 'portal', 'operator'] as const) sessions.set(role, await signIn(browser, server.url, role, password));
    const ids = await prepare(browser, server.url, sessions.get('admin')!, sessions.get('operator')!);
    log(`ids ${JSON.stringify(ids)}`);
    const missing = await uncovered(browser, server.url, sessions.get('admin')!);
    if (missing.length) log(`not covered by any shot (add them to SHOTS): ${missing.join(', ')}`);
    const { taken, skipped } = await take(browser, server.url, sessions, ids);
    const problems = taken.filter((t) => t.problem);
    writeFileSync(join(outDir, 'index.json'), `${JSON.stringify({
      takenAt: new Date().toISOString(), widths, ids, skipped, uncovered: missing, seconds: Math.round((performance.now() - startedAt) / 1000), pages: taken,
    }, null, 2)}\n`);
    log(`${taken.length} screenshots in ${outDir}, ${skipped.length} skipped, ${problems.length} with problems, ${Math.round((performance.now() - startedAt) / 1000)} s`);
    if (problems.length || skipped.length) process.exitCode = 1;
  } finally {
    await browser?.close();
    server.child.kill('SIGTERM');
    await new Promise((r) => (server.child.exitCode !== null ? r(undefined) : server.child.once('exit', r)));
    if (process.env.SCREENSHOT_KEEP_DATA === '1') log(`data kept in ${dataDir}`);
    else rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`screenshots: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
