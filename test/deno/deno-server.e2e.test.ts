import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import type { Browser } from 'playwright-core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { installedPlugins } from '../../config/plugins.js';
import { loadConfig } from '../../config/env.js';
import { createApiToken } from '../../core/auth/api-tokens.js';
import { hashPassword } from '../../core/auth/password.js';
import { createDatabase } from '../../core/db/create-database.js';
import { sqliteDriverName } from '../../core/db/sqlite-driver.js';
import { migrateAll } from '../../core/db/migrate.js';
import { createUser } from '../../core/people/user-service.js';
import { enablePlugin } from '../../core/plugin-host/plugin-switches.js';
import { createRegistry } from '../../core/plugin-host/registry.js';
import { startServer } from '../../core/server.js';
import { tenantScope } from '../../core/tenancy/tenant-scope.js';
import { createTenant } from '../../core/tenancy/tenant-service.js';
import { POLL, launchBrowser, newContext, signInThroughForm } from '../harness/browser.js';
import { startDenoServer, type DenoServer } from '../harness/deno-runtime.js';
import { startDovecot, type DovecotServer } from '../harness/dovecot-server.js';
import { createMailboxStore } from '../../plugins/helpdesk/mail/mailbox-store.js';
import { createSecretBox } from '../../plugins/helpdesk/mail/secret-box.js';

const PASSWORD = 'deno e2e password 1234';
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4, 5, 6, 7, 8]);

/**
 * The same server under Deno 2 (node:sqlite, the permissions of `deno task start`), on a data directory that Node
 * (better-sqlite3) set up: the REST API, a mail import from Dovecot, a browser smoke, and the database, files and
 * sessions back on Node.
 */
describe('Tresen under Deno', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tresen-deno-'));
  let deno: DenoServer;
  let dovecot: DovecotServer;
  let browser: Browser;
  let token: string;
  let seededNumber: string;
  const bearer = () => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    // Node sets the instance up: tenant, staff, a customer with a portal password, plugins, a ticket, a token.
    const config = loadConfig({ DATA_DIR: dataDir, TRESEN_DEMO: '0' });
    const registry = createRegistry(installedPlugins);
    const database = await createDatabase(config.databaseUrl);
    // better-sqlite3 on Node by default, node:sqlite when TRESEN_SQLITE_DRIVER says so.
    expect(database.sqlite?.driver).toBe(sqliteDriverName());
    await migrateAll(database.db, registry);
    const tenant = await createTenant(database.db, { slug: 'acme', name: 'ACME Service', locale: 'en' });
    for (const plugin of ['helpdesk', 'portal']) await enablePlugin(database.db, registry, tenant.id, plugin);
    const agent = await createUser(database.db, { tenantId: tenant.id, email: 'ada@acme.test', name: 'Ada Agent', role: 'agent', password: PASSWORD }, 10);
    const scope = tenantScope(database.db, tenant.id);
    const organisation = (await scope.insertInto('organisations', { name: 'Kunde GmbH', number: 'K-1', email_domains: 'kunde.test', phone: null, address: null, notes: null }).returning('id').executeTakeFirstOrThrow()).id;
    await scope.insertInto('people', { organisation_id: organisation, name: 'Klara Kunde', email: 'klara@kunde.test', phone: null, portal_role: 'customer', is_org_manager: 0, password_hash: await hashPassword(PASSWORD, 10), locale: 'en', active: 1 }).execute();
    token = (await createApiToken(database.db, { tenantId: tenant.id, userId: agent, name: 'deno e2e' })).token;
    // A mailbox on a real Dovecot, its password encrypted with the instance secret Node created.
    dovecot = await startDovecot();
    await dovecot.addUser('support', 'imap secret');
    const mailboxes = createMailboxStore(database.db, tenant.id, createSecretBox(config.secret));
    const mailbox = await mailboxes.create({ name: 'Support', imap_host: dovecot.host, imap_port: dovecot.port, imap_tls: 'none', imap_user: 'support', imap_password: 'imap secret', imap_folder: 'INBOX', smtp_url: '', from_address: 'support@acme.test', from_name: '', active: true });
    await mailboxes.addRule(mailbox, { kind: 'anyone', value: '', category: '' });
    await database.close();
    deno = await startDenoServer(dataDir, { LOG_LEVEL: 'info' });
    const created = await fetch(`${deno.url}/t/acme/api/v1/tickets`, { method: 'POST', headers: { ...bearer(), 'Content-Type': 'application/json' }, body: JSON.stringify({ subject: 'Made on Deno', body: 'The first ticket of this instance.' }) });
    expect(created.status, await created.clone().text()).toBe(201);
    seededNumber = ((await created.json()) as { data: { number: string } }).data.number;
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await deno?.stop();
    await dovecot?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves the REST API: lists, reads and adds a note with a file', async () => {
    const list = await fetch(`${deno.url}/t/acme/api/v1/tickets`, { headers: bearer() });
    expect(list.status).toBe(200);
    expect(((await list.json()) as { data: Array<{ number: string }> }).data.map((t) => t.number)).toContain(seededNumber);
    const body = new FormData();
    body.set('kind', 'note');
    body.set('body', 'Screenshot attached');
    body.set('attachments', new File([PNG], 'screen.png', { type: 'image/png' }));
    const note = await fetch(`${deno.url}/t/acme/api/v1/tickets/${seededNumber}/articles`, { method: 'POST', headers: bearer(), body });
    expect(note.status, await note.clone().text()).toBe(201);
    const ticket = (await (await fetch(`${deno.url}/t/acme/api/v1/tickets/${seededNumber}`, { headers: bearer() })).json()) as { data: { attachments: Array<{ download_url: string }> } };
    const download = await fetch(`${deno.url}${ticket.data.attachments[0]!.download_url}`, { headers: bearer() });
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(PNG);
    expect((await fetch(`${deno.url}/t/acme/api/v1/tickets`, { headers: { Authorization: 'Bearer trs_wrong' } })).status).toBe(401);
  });

  it('imports a mail from Dovecot into a ticket (mail parsing in a worker under Deno)', { timeout: 30_000 }, async () => {
    const imap = new ImapFlow({ host: dovecot.host, port: dovecot.port, secure: false, doSTARTTLS: false, auth: { user: 'support', pass: 'imap secret' }, logger: false });
    await imap.connect();
    await imap.append('INBOX', `From: Klara Kunde <klara@kunde.test>\r\nTo: support@acme.test\r\nSubject: Scanner on Deno streaks\r\nMessage-ID: <deno-1@kunde.test>\r\nDate: ${new Date().toUTCString()}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThe scanner leaves grey streaks. Grüße, Klara\r\n`);
    await imap.logout();
    const subjects = async () => ((await (await fetch(`${deno.url}/t/acme/api/v1/tickets`, { headers: bearer() })).json()) as { data: Array<{ subject: string }> }).data.map((t) => t.subject);
    await expect.poll(subjects, { timeout: 20_000, interval: 200 }).toContain('Scanner on Deno streaks').catch((error: unknown) => {
      throw new Error(`the mail became no ticket; the server said:\n${deno.output()}`, { cause: error });
    });
  });

  it('in Chromium: an agent signs in, opens a phone ticket and replies; a customer sends a portal request', { timeout: 60_000 }, async () => {
    const agentContext = await newContext(browser);
    const page = await agentContext.newPage();
    await signInThroughForm(page, `${deno.url}/t/acme`, 'ada@acme.test', PASSWORD);
    await page.goto(`${deno.url}/t/acme/desk/tickets/new`);
    await page.locator('details.new-person summary').click();
    await page.fill('input[name=new_person_name]', 'Paul Phone');
    await page.fill('input[name=new_person_email]', 'paul@kunde.test');
    await page.fill('input[name=subject]', 'Printer on Deno jams');
    await page.fill('textarea[name=description]', 'Paper jam in tray 2.');
    await Promise.all([page.waitForURL(/\/desk\/tickets\/\d+-\d+$/), page.click('#phone-ticket button[type=submit]')]);
    await page.locator('#composer-reply').check();
    await page.locator('#f-body').fill('Please open tray 2 and remove the sheet.');
    await page.locator('#composer-send').click();
    await page.locator('.entry-reply', { hasText: 'remove the sheet' }).waitFor();
    // The agent's session cookie is checked on Node below.
    sessionCookie = (await agentContext.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    await agentContext.close();

    const customerContext = await newContext(browser);
    const portal = await customerContext.newPage();
    await portal.goto(`${deno.url}/t/acme/portal/login`);
    await portal.fill('input[name=email]', 'klara@kunde.test');
    await portal.fill('input[name=password]', PASSWORD);
    await Promise.all([portal.waitForURL((url) => !url.pathname.endsWith('/login')), portal.click('#portal-sign-in-submit')]);
    await portal.goto(`${deno.url}/t/acme/portal/requests/new`);
    await portal.fill('#f-subject', 'VPN from the portal on Deno');
    await portal.fill('#f-description', 'The VPN drops every ten minutes.');
    await Promise.all([portal.waitForURL(/\/portal\/requests\/\d+-\d+$/), portal.click('#portal-submit-request')]);
    await expect.poll(() => portal.locator('h1').textContent(), POLL).toContain('VPN from the portal on Deno');
    await customerContext.close();
  });

  let sessionCookie = '';

  it('stops cleanly on SIGTERM; Node then serves every ticket, the file and the session made under Deno', { timeout: 60_000 }, async () => {
    expect(await deno.stop(), deno.output()).toBe(0);
    const node = await startServer({ ...loadConfig({ DATA_DIR: dataDir, PORT: '1', HOST: '127.0.0.1', LOG_LEVEL: 'error', TRESEN_DEMO: '0' }), port: 0 }, createRegistry(installedPlugins), { announce: () => {} });
    try {
      expect(node.tresen.services.database.sqlite?.driver).toBe(sqliteDriverName());
      const subjects = (await node.tresen.services.db.selectFrom('tickets').select('subject').orderBy('id').execute()).map((t) => t.subject);
      expect(subjects).toEqual(['Made on Deno', 'Scanner on Deno streaks', 'Printer on Deno jams', 'VPN from the portal on Deno']);
      const ticket = (await (await fetch(`${node.url}/t/acme/api/v1/tickets/${seededNumber}`, { headers: bearer() })).json()) as { data: { attachments: Array<{ download_url: string }> } };
      const download = await fetch(`${node.url}${ticket.data.attachments[0]!.download_url}`, { headers: bearer() });
      expect(new Uint8Array(await download.arrayBuffer())).toEqual(PNG);
      const desk = await fetch(`${node.url}/t/acme/desk`, { headers: { cookie: sessionCookie }, redirect: 'manual' });
      expect(desk.status).toBe(200);
      expect(await desk.text()).toContain('Ada Agent');
    } finally {
      await node.close();
    }
    // And back to Deno once more: the data Node saw is still there.
    deno = await startDenoServer(dataDir);
    const list = (await (await fetch(`${deno.url}/t/acme/api/v1/tickets`, { headers: bearer() })).json()) as { data: unknown[] };
    expect(list.data).toHaveLength(4);
  });
});

/** PostgreSQL under Deno through the same `pg` driver: the server migrates an empty database, seeds, serves the API. */
describe('Tresen under Deno on PostgreSQL', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tresen-deno-pg-'));
  const name = `tresen_deno_${randomBytes(6).toString('hex')}`;
  let url: string;
  let deno: DenoServer | undefined;

  beforeAll(async () => {
    const adminUrl = inject('postgresUrl');
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    url = adminUrl.replace(/\/[^/]*$/, `/${name}`);
  });
  afterAll(async () => {
    await deno?.stop();
    const admin = new pg.Client({ connectionString: inject('postgresUrl') });
    await admin.connect();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts on an empty database with the demo, and an agent reads tickets over the API', { timeout: 120_000 }, async () => {
    deno = await startDenoServer(dataDir, { DATABASE_URL: url, TRESEN_DEMO: '1', TRESEN_ADMIN_EMAIL: 'op@deno.test', TRESEN_ADMIN_PASSWORD: PASSWORD });
    const database = await createDatabase(url, { poolSize: 1 });
    try {
      const tenant = await database.db.selectFrom('tenants').select(['id', 'slug']).where('slug', '=', 'demo').executeTakeFirstOrThrow();
      const agent = await database.db.selectFrom('users').select('id').where('tenant_id', '=', tenant.id).where('role', '=', 'agent').executeTakeFirstOrThrow();
      const apiToken = (await createApiToken(database.db, { tenantId: tenant.id, userId: agent.id, name: 'deno pg' })).token;
      expect(Number((await database.db.selectFrom('tickets').select((eb) => eb.fn.countAll<number>().as('n')).where('tenant_id', '=', tenant.id).executeTakeFirstOrThrow()).n)).toBeGreaterThan(0);
      const created = await fetch(`${deno.url}/t/demo/api/v1/tickets`, { method: 'POST', headers: { Authorization: `Bearer ${apiToken}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ subject: 'Deno on PostgreSQL', body: 'Through pg.' }) });
      expect(created.status, await created.clone().text()).toBe(201);
      expect(await database.db.selectFrom('tickets').select('subject').where('subject', '=', 'Deno on PostgreSQL').execute()).toHaveLength(1);
      const list = await fetch(`${deno.url}/t/demo/api/v1/tickets`, { headers: { Authorization: `Bearer ${apiToken}` } });
      expect(list.status, await list.clone().text()).toBe(200);
      expect(((await list.json()) as { data: Array<{ subject: string }> }).data.map((t) => t.subject)).toContain('Deno on PostgreSQL');
      const operator = await fetch(`${deno.url}/login`, { method: 'POST', redirect: 'manual', headers: { Origin: deno.url, 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ email: 'op@deno.test', password: PASSWORD }) });
      expect(operator.status).toBe(303);
    } finally {
      await database.close();
    }
    expect(await deno.stop(), deno.output()).toBe(0);
    deno = undefined;
  });
});
