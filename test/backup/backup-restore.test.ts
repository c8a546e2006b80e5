import { randomBytes } from 'node:crypto';
import { appendFileSync, cpSync, readdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApp } from '../../core/app/create-app.js';
import { createApiToken } from '../../core/auth/api-tokens.js';
import { BackupError, verifyBackup } from '../../core/backup/backup-manifest.js';
import { createBackup } from '../../core/backup/create-backup.js';
import { restoreBackup } from '../../core/backup/restore-backup.js';
import { createDatabase, type Database, type Dialect } from '../../core/db/create-database.js';
import { diskBlobStore } from '../../core/files/disk-blob-store.js';
import { s3BlobStore } from '../../core/files/s3-blob-store.js';
import { createEventBus } from '../../core/events/event-bus.js';
import { createLogger } from '../../core/logger.js';
import { createMailer } from '../../core/mail/mailer.js';
import { enablePlugin } from '../../core/plugin-host/plugin-switches.js';
import { createRegistry } from '../../core/plugin-host/registry.js';
import { createMailboxStore } from '../../plugins/helpdesk/mail/mailbox-store.js';
import { createSecretBox } from '../../plugins/helpdesk/mail/secret-box.js';
import { helpdeskPlugin } from '../../plugins/helpdesk/index.js';
import { createTestApp, testConfig, type TestApp } from '../harness/test-app.js';
import { dialects } from '../harness/test-database.js';
import { startS3Server } from '../harness/s3-server.js';

const registry = createRegistry([helpdeskPlugin]);
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...randomBytes(2000)]);

/** Every row of every table, in a stable order: the database's content to compare byte for byte. */
async function contents(db: Kysely<any>, dialect: Dialect): Promise<Record<string, unknown[]>> {
  const tables = dialect === 'sqlite'
    ? (await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`.execute(db)).rows
    : (await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = 'public' order by table_name`.execute(db)).rows;
  const all: Record<string, unknown[]> = {};
  for (const { name } of tables) all[name] = (await sql`select * from ${sql.table(name)} order by 1`.execute(db)).rows;
  return all;
}

/** An empty database of the dialect for the restored instance. */
async function emptyTarget(dialect: Dialect, dataDir: string): Promise<{ url: string; drop(): Promise<void> }> {
  if (dialect === 'sqlite') return { url: `sqlite:${join(dataDir, 'tresen.db')}`, drop: async () => undefined };
  const adminUrl = inject('postgresUrl');
  const name = `tresen_restore_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  return {
    url: adminUrl.replace(/\/[^/]*$/, `/${name}`),
    drop: async () => {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

describe.each(dialects)('backup and restore on %s', (dialect) => {
  let app: TestApp;
  let tenantId: number;
  let token: string;
  let ticketNumber: string;
  let attachmentUrl: string;
  let work: string;
  const cleanups: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'tresen-backup-test-'));
    app = await createTestApp(dialect, [helpdeskPlugin], { config: { dataDir: join(work, 'source') } });
    tenantId = (await app.createTenant('acme')).id;
    await enablePlugin(app.database.db, app.services.registry, tenantId, 'helpdesk');
    token = (await createApiToken(app.database.db, { tenantId, userId: await app.createStaff(tenantId, 'agent', 'agent@acme.test'), name: 'x' })).token;
    const headers = { Authorization: `Bearer ${token}` };
    for (const subject of ['Printer jams', 'Scanner stripes', 'VPN drops']) {
      const created = await app.request('/t/acme/api/v1/tickets', { method: 'POST', headers: { ...headers, 'Content-Type': 'application/json' }, body: JSON.stringify({ subject, body: `${subject} since Monday.` }) });
      ticketNumber = ((await created.json()) as { data: { number: string } }).data.number;
    }
    const form = new FormData();
    form.append('kind', 'note');
    form.append('body', 'Scan attached');
    form.append('attachments', new File([PNG], 'scan.png'));
    const added = await app.request(`/t/acme/api/v1/tickets/${ticketNumber}/articles`, { method: 'POST', headers, body: form });
    expect(added.status, await added.clone().text()).toBe(201);
    attachmentUrl = ((await added.json()) as { data: { attachments: Array<{ download_url: string }> } }).data.attachments[0]!.download_url;
    await createMailboxStore(app.database.db, tenantId, createSecretBox(app.services.config.secret)).create({
      name: 'Support', imap_host: 'imap.acme.test', imap_port: 993, imap_tls: 'tls', imap_user: 'support', imap_password: 'mailbox pass 1', imap_folder: 'INBOX',
      smtp_url: 'smtp://user:smtp-pass@mail.acme.test:587', from_address: 'support@acme.test', from_name: 'ACME', active: true,
    });
  });
  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
    await app.cleanup();
    rmSync(work, { recursive: true, force: true });
  });

  const backup = (target: string, withSecret = true) =>
    createBackup({ database: app.database, registry, blobs: app.services.files.blobs, secret: withSecret ? app.services.config.secret : undefined, appVersion: '9.9.9', target });

  async function restoreInto(source: string, environmentSecret?: string): Promise<{ database: Database; dataDir: string; warnings: string[] }> {
    const dataDir = mkdtempSync(join(work, 'restored-'));
    const target = await emptyTarget(dialect, dataDir);
    const result = await restoreBackup({ source, dataDir, blobs: diskBlobStore(join(dataDir, 'files')), databaseUrl: target.url, environmentSecret, registry });
    const database = await createDatabase(target.url);
    cleanups.push(async () => { await database.close(); await target.drop(); });
    return { database, dataDir, warnings: result.warnings };
  }

  it('round-trips a .tar: every row, the attachment bytes and the sealed mailbox passwords come back', async () => {
    const archive = join(work, 'nightly.tar');
    const written = await backup(archive);
    expect(written.manifest).toMatchObject({ dialect, secret: 'included', counts: { tenants: 1, tickets: 3, files: 1 } });
    expect(written.missingFiles).toEqual([]);

    const restored = await restoreInto(archive);
    expect(restored.warnings).toEqual([]);
    expect(await contents(restored.database.db, dialect)).toEqual(await contents(app.database.db, dialect));

    const secret = readFileSync(join(restored.dataDir, 'secret'), 'utf8').trim();
    expect(secret).toBe(app.services.config.secret);
    const log = createLogger('silent');
    const restoredApp = createApp(registry, {
      config: testConfig({ dataDir: restored.dataDir, secret }), database: restored.database, clock: () => new Date(), log,
      mailer: createMailer({ db: restored.database.db, clock: () => new Date(), defaultSmtpUrl: undefined, defaultFrom: 'x@test.local', log }), events: createEventBus(),
    });
    const download = await restoredApp.app.request(`http://tresen.test${attachmentUrl}`, { headers: { Authorization: `Bearer ${token}` } });
    expect(download.status).toBe(200);
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(PNG);
    const list = await restoredApp.app.request('http://tresen.test/t/acme/api/v1/tickets', { headers: { Authorization: `Bearer ${token}` } });
    expect(((await list.json()) as { data: unknown[] }).data).toHaveLength(3);

    const store = createMailboxStore(restored.database.db, tenantId, createSecretBox(secret));
    const [box] = await restored.database.db.selectFrom('helpdesk_mailboxes' as never).selectAll().execute() as never as Array<Parameters<typeof store.connection>[0]>;
    expect(store.connection(box!).password).toBe('mailbox pass 1');
  });

  it('refuses a damaged or incomplete backup before writing anything', async () => {
    const folder = join(work, 'folder-backup');
    await backup(folder);
    await expect(verifyBackup(folder)).resolves.toMatchObject({ dialect });

    const damaged = join(work, 'damaged');
    cpSync(folder, damaged, { recursive: true });
    const manifest = JSON.parse(readFileSync(join(damaged, 'manifest.json'), 'utf8')) as { entries: Array<{ path: string }> };
    const stored = manifest.entries.find((e) => e.path.startsWith('files/'))!.path;
    appendFileSync(join(damaged, stored), 'x');
    const dataDir = mkdtempSync(join(work, 'refused-'));
    const target = await emptyTarget(dialect, dataDir);
    cleanups.push(target.drop);
    const attempt = (source: string) => restoreBackup({ source, dataDir, blobs: diskBlobStore(join(dataDir, 'files')), databaseUrl: target.url, environmentSecret: undefined, registry });
    await expect(attempt(damaged)).rejects.toThrow(new RegExp(`${stored}: \\d+ bytes, the manifest says`));

    const incomplete = join(work, 'incomplete');
    cpSync(folder, incomplete, { recursive: true });
    unlinkSync(join(incomplete, dialect === 'sqlite' ? 'database.sqlite' : 'database.pgdump'));
    await expect(attempt(incomplete)).rejects.toThrow(/database\.(sqlite|pgdump): missing/);

    const tampered = join(work, 'tampered');
    cpSync(folder, tampered, { recursive: true });
    writeFileSync(join(tampered, 'secret'), 'another-secret-another-secret-another-1\n');
    await expect(attempt(tampered)).rejects.toThrow(/secret: (checksum differs|\d+ bytes)/);

    const truncatedTar = join(work, 'broken.tar');
    writeFileSync(truncatedTar, randomBytes(700));
    await expect(attempt(truncatedTar)).rejects.toBeInstanceOf(BackupError);

    // Nothing was written by the refused attempts: the target is still empty and a good restore goes through.
    await expect(attempt(folder)).resolves.toMatchObject({ warnings: [] });
    // A second restore over it is refused: the target now holds data.
    await expect(attempt(folder)).rejects.toThrow(/restore only into an empty/);
  });

  it('backs up the attachment bytes from an S3 bucket and restores them into another bucket', async () => {
    const s3 = await startS3Server(['source', 'target']);
    cleanups.push(s3.stop);
    const bucketApp = await createTestApp(dialect, [helpdeskPlugin], { config: { s3: s3.settings('source', 'tresen/') } });
    cleanups.push(bucketApp.cleanup);
    const tenant = await bucketApp.createTenant('bucket');
    const bucketToken = (await createApiToken(bucketApp.database.db, { tenantId: tenant.id, userId: await bucketApp.createStaff(tenant.id, 'agent', 'agent@bucket.test'), name: 'x' })).token;
    const auth = { Authorization: `Bearer ${bucketToken}` };
    const created = await bucketApp.request('/t/bucket/api/v1/tickets', { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: JSON.stringify({ subject: 'Invoice', body: 'See the scan' }) });
    const number = ((await created.json()) as { data: { number: string } }).data.number;
    const form = new FormData();
    form.append('kind', 'note');
    form.append('body', 'Scan attached');
    form.append('attachments', new File([PNG], 'invoice.png'));
    const added = await bucketApp.request(`/t/bucket/api/v1/tickets/${number}/articles`, { method: 'POST', headers: auth, body: form });
    expect(added.status, await added.clone().text()).toBe(201);
    expect(await readdirSync(s3.directory, { recursive: true }).some((p) => String(p).includes('tresen'))).toBe(true);
    const shown = await bucketApp.request(`/t/bucket/api/v1/tickets/${number}`, { headers: { Authorization: `Bearer ${bucketToken}` } });
    const url = ((await shown.json()) as { data: { attachments: Array<{ download_url: string }> } }).data.attachments[0]!.download_url;

    const archive = join(work, 'bucket.tar');
    await createBackup({ database: bucketApp.database, registry, blobs: bucketApp.services.files.blobs, secret: bucketApp.services.config.secret, appVersion: '9.9.9', target: archive });
    const dataDir = mkdtempSync(join(work, 'bucket-restored-'));
    const target = await emptyTarget(dialect, dataDir);
    const targetBlobs = s3BlobStore(s3.settings('target', 'restored/'));
    await restoreBackup({ source: archive, dataDir, blobs: targetBlobs, databaseUrl: target.url, environmentSecret: undefined, registry });
    const database = await createDatabase(target.url);
    cleanups.push(async () => { await database.close(); await target.drop(); });
    const log = createLogger('silent');
    const restoredApp = createApp(registry, {
      config: testConfig({ dataDir, secret: bucketApp.services.config.secret, s3: s3.settings('target', 'restored/') }), database, clock: () => new Date(), log,
      mailer: createMailer({ db: database.db, clock: () => new Date(), defaultSmtpUrl: undefined, defaultFrom: 'x@test.local', log }), events: createEventBus(),
    });
    const download = await restoredApp.app.request(`http://tresen.test${url}`, { headers: { Authorization: `Bearer ${bucketToken}` } });
    expect(download.status).toBe(200);
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(PNG);
  });

  it('warns loudly without the secret, and refuses a SECRET that is not the backup\'s', async () => {
    const folder = join(work, 'no-secret');
    const written = await backup(folder, false);
    expect(written.manifest.secret).toBe('left-out');
    expect(written.manifest.entries.map((e) => e.path)).not.toContain('secret');
    const restored = await restoreInto(folder);
    expect(restored.warnings.join(' ')).toMatch(/NO INSTANCE SECRET.*cannot be decrypted/);

    const withSecret = join(work, 'with-secret');
    await backup(withSecret);
    const dataDir = mkdtempSync(join(work, 'env-secret-'));
    const target = await emptyTarget(dialect, dataDir);
    cleanups.push(target.drop);
    await expect(restoreBackup({ source: withSecret, dataDir, blobs: diskBlobStore(join(dataDir, 'files')), databaseUrl: target.url, environmentSecret: 'z'.repeat(40), registry })).rejects.toThrow(/SECRET in the environment differs/);
  });
});
