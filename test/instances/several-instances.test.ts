import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { buildSync } from 'esbuild';
import { ImapFlow } from 'imapflow';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabase, type Database } from '../../core/db/create-database.js';
import { createUser } from '../../core/people/user-service.js';
import { startDovecot, type DovecotServer } from '../harness/dovecot-server.js';
import { cookiesOf } from '../harness/test-app.js';
import { createMailboxStore } from '../../plugins/helpdesk/mail/mailbox-store.js';
import { createSecretBox } from '../../plugins/helpdesk/mail/secret-box.js';
import { helpdeskDb } from '../../plugins/helpdesk/helpdesk-db.js';

/**
 * Three real server processes on one PostgreSQL database (issue 17, point 7): a simultaneous first
 * start, a job that runs longer than its lease, one IMAP watcher per mailbox, and SIGKILL of one
 * instance. Leases are 2 s here (30 s and 5 min in production), so take-overs happen in the test.
 */
const ROOT = join(import.meta.dirname, '../..');
const LEASE_MS = 2000;
const JOB_MS = 3000;
const SECRET = 'instances-test-secret-0123456789abcdef';

interface Instance {
  child: ChildProcess;
  pid: number;
  url: string;
  exit?: string;
  log: Array<Record<string, unknown>>;
}

function bundleChild(): string {
  const outdir = join(ROOT, 'node_modules/.cache/tresen', `instance-child-${process.pid}`);
  const common = { bundle: true, packages: 'external', platform: 'node', format: 'esm', target: 'node20', logLevel: 'warning' } as const;
  buildSync({ ...common, entryPoints: [join(ROOT, 'test/harness/instance-child.ts')], outfile: join(outdir, 'instance-child.mjs') });
  buildSync({ ...common, entryPoints: [join(ROOT, 'plugins/helpdesk/mail/mail-parse-worker.ts')], outfile: join(outdir, 'mail-parse-worker.js') });
  return outdir;
}

/** Starts a server process; resolves once it listens, or with its exit when it fails to start. */
function startInstance(childDir: string, databaseUrl: string): Promise<Instance> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tresen-instance-'));
  dataDirs.push(dataDir);
  const child = spawn(process.execPath, [join(childDir, 'instance-child.mjs'), databaseUrl, dataDir, String(LEASE_MS), String(JOB_MS)], { stdio: ['ignore', 'pipe', 'pipe'] });
  const instance: Instance = { child, pid: child.pid!, url: '', log: [] };
  let errors = '';
  let buffered = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) {
      try {
        instance.log.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        errors += `${line}\n`;
      }
    }
  });
  return new Promise((resolve) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      const match = /listening (\S+)/.exec(chunk.toString());
      if (match) {
        instance.url = match[1]!;
        resolve(instance);
      }
    });
    child.on('exit', (code, signal) => {
      instance.exit = `${signal ?? code}: ${errors}${buffered}`;
      resolve(instance);
    });
  });
}

/** Polls until `check` returns a value (not undefined/false) or the deadline passes. */
async function until<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function fetchedBy(instance: Instance): number {
  return instance.log.filter((entry) => entry.msg === 'helpdesk mailbox imported').reduce((sum, entry) => sum + Number(entry.fetched), 0);
}

const dataDirs: string[] = [];
let childDir: string;
let dovecot: DovecotServer;
let databaseUrl: string;
let database: Database;
let instances: Instance[] = [];
const dbName = `tresen_instances_${randomBytes(6).toString('hex')}`;

beforeAll(async () => {
  childDir = bundleChild();
  dovecot = await startDovecot();
  const adminUrl = inject('postgresUrl');
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${dbName}`);
  await admin.end();
  databaseUrl = adminUrl.replace(/\/[^/]*$/, `/${dbName}`);
}, 30_000);

afterAll(async () => {
  for (const instance of instances) if (instance.exit === undefined) instance.child.kill('SIGKILL');
  await database?.close();
  const admin = new pg.Client({ connectionString: inject('postgresUrl') });
  await admin.connect();
  await admin.query(`drop database if exists ${dbName} with (force)`);
  await admin.end();
  await dovecot?.stop();
  for (const dir of [...dataDirs, childDir]) if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('three instances on one PostgreSQL database', () => {
  it('a simultaneous first start makes one demo tenant and one operator, and every instance starts', { timeout: 40_000 }, async () => {
    instances = await Promise.all([0, 1, 2].map(() => startInstance(childDir, databaseUrl)));
    expect(instances.map((i) => i.exit ?? 'listening')).toEqual(['listening', 'listening', 'listening']);
    for (const instance of instances) await until(`${instance.url}/readyz`, async () => (await fetch(`${instance.url}/readyz`)).status === 200);
    database = await createDatabase(databaseUrl, { poolSize: 2 });
    expect(await database.db.selectFrom('tenants').select('slug').execute()).toEqual([{ slug: 'demo' }]);
    expect(await database.db.selectFrom('users').select('email').where('role', '=', 'operator').execute()).toEqual([{ email: 'operator@instances.test' }]);
    const staff = await database.db.selectFrom('users').select('email').where('tenant_id', 'is not', null).execute();
    expect(staff.length).toBe(new Set(staff.map((s) => s.email)).size);
  });

  it('a job longer than its lease runs on one instance at a time, renewed while it runs', { timeout: 30_000 }, async () => {
    const events = () => database.db.selectFrom('audit_log').select(['id', 'action', 'actor_label']).where('action', 'like', 'probe.%').orderBy('id').execute();
    await until('two runs of the slow job', async () => (await events()).filter((e) => e.action === 'probe.end').length >= 2);
    const sequence = (await events()).map((e) => e.action);
    // start, end, start, end…: a second start before the end would be a run beside the first.
    for (let n = 0; n < sequence.length; n++) expect(sequence[n]).toBe(n % 2 === 0 ? 'probe.start' : 'probe.end');
    expect(instances.flatMap((i) => i.log).filter((entry) => entry.msg === 'job lease lost')).toEqual([]);
  });

  let mailboxId: number;
  let tenantId: number;
  const appended: number[] = [];
  async function appendMails(from: number, count: number): Promise<void> {
    const imap = new ImapFlow({ host: dovecot.host, port: dovecot.port, secure: false, doSTARTTLS: false, auth: { user: 'instances', pass: 'secret' }, logger: false });
    await imap.connect();
    for (let n = from; n < from + count; n++) {
      await imap.append('INBOX', `From: customer${n}@customer.test\r\nTo: support@demo.test\r\nSubject: Instance case ${n}\r\nMessage-ID: <instance-${n}@customer.test>\r\nDate: ${new Date().toUTCString()}\r\n\r\nBody ${n}.\r\n`);
      appended.push(n);
    }
    await imap.logout();
  }
  const stored = async () => Number((await helpdeskDb(database.db).selectFrom('helpdesk_mails').select((eb) => eb.fn.countAll<number>().as('n')).where('tenant_id', '=', tenantId).executeTakeFirstOrThrow()).n);

  it('one instance watches a mailbox: each mail is fetched once', { timeout: 30_000 }, async () => {
    tenantId = (await database.db.selectFrom('tenants').select('id').where('slug', '=', 'demo').executeTakeFirstOrThrow()).id;
    await dovecot.addUser('instances', 'secret');
    const store = createMailboxStore(database.db, tenantId, createSecretBox(SECRET));
    mailboxId = await store.create({ name: 'Support', imap_host: dovecot.host, imap_port: dovecot.port, imap_tls: 'none', imap_user: 'instances', imap_password: 'secret', imap_folder: 'INBOX', smtp_url: '', from_address: 'support@demo.test', from_name: '', active: true });
    await store.addRule(mailboxId, { kind: 'anyone', value: '', category: '' });
    await until('a watcher holds the mailbox lease', async () => (await database.db.selectFrom('leases').select('owner').where('key', '=', `helpdesk.imap:${tenantId}:${mailboxId}`).executeTakeFirst())?.owner);
    // Every instance knows the mailbox (and would watch it, were it not leased) before mail arrives.
    const seen = instances.map((i) => i.log.length);
    await until('every instance reloaded its mailboxes', () => instances.every((i, n) => i.log.slice(seen[n]).some((e) => e.msg === 'helpdesk imap watcher reloaded' && Number(e.mailboxes) === 1)));
    await appendMails(0, 8);
    await until('8 mails stored', async () => (await stored()) === 8);
    await until('8 fetches logged', () => instances.reduce((sum, i) => sum + fetchedBy(i), 0) >= 8);
    expect(instances.map(fetchedBy).filter((n) => n > 0)).toHaveLength(1);
  });

  it('after SIGKILL of the instance running the job, live events and jobs go on with the others', { timeout: 30_000 }, async () => {
    // The victim is the instance running the slow job right now: the others must wait for its lease to expire.
    const runner = await until('the slow job running', async () => (await database.db.selectFrom('jobs').select('lease_owner')
      .where('name', '=', 'probe.slow').where('status', '=', 'running').executeTakeFirst())?.lease_owner ?? undefined);
    const victim = instances.find((i) => runner.includes(`/${i.pid}/`))!;
    const lastEvent = Number((await database.db.selectFrom('audit_log').select((eb) => eb.fn.max('id').as('id')).executeTakeFirstOrThrow()).id ?? 0);
    victim.child.kill('SIGKILL');
    await until('the killed instance exited', () => victim.exit !== undefined);
    const [b, c] = instances.filter((i) => i !== victim) as [Instance, Instance];

    // Live events: a browser on B hears what happens on C.
    await createUser(database.db, { tenantId, email: 'live@demo.test', name: 'Live Agent', role: 'agent', password: 'live-password-123' }, 10);
    const signIn = await fetch(`${b.url}/t/demo/login`, { method: 'POST', redirect: 'manual', headers: { Origin: b.url, 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ email: 'live@demo.test', password: 'live-password-123' }) });
    expect(signIn.status).toBe(303);
    const cookie = cookiesOf(signIn);
    const stream = new AbortController();
    const live = await fetch(`${b.url}/t/demo/events`, { headers: { cookie }, signal: stream.signal });
    const reader = live.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const readUntil = async (marker: string) => {
      while (!text.includes(marker)) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
      }
      return text;
    };
    await readUntil('event: ready');
    expect((await fetch(`${c.url}/t/demo/p/probe/ping/after-kill`, { headers: { cookie } })).status).toBe(200);
    expect(await readUntil('after-kill')).toContain('event: probe-ping');
    stream.abort();
    await reader.cancel().catch(() => {});

    // Jobs: the slow job starts again on a survivor once the dead one's lease has expired, and runs to its end.
    const survivors = [b, c].map((i) => `pid:${i.pid}`);
    const survivorRuns = async () => (await database.db.selectFrom('audit_log').select('action').where('action', 'like', 'probe.%')
      .where('id', '>', lastEvent).where('actor_label', 'in', survivors).orderBy('id').execute()).map((e) => e.action);
    await until('a run started and ended on a survivor', async () => (await survivorRuns()).filter((a) => a === 'probe.end').length >= 1);
    // The killed run never ended; the survivors' runs follow each other, never side by side.
    const resumed = await survivorRuns();
    for (let n = 0; n < resumed.length - 1; n++) expect(resumed[n]).not.toBe(resumed[n + 1]);
    expect(resumed[0]).toBe('probe.start');
  });

  it('after SIGKILL of the instance watching the mailbox, another takes it over and fetches each mail once', { timeout: 30_000 }, async () => {
    const leaseKey = `helpdesk.imap:${tenantId}:${mailboxId}`;
    const alive = () => instances.filter((i) => i.exit === undefined);
    const holder = await until('a live holder of the mailbox lease', async () => {
      const owner = (await database.db.selectFrom('leases').select('owner').where('key', '=', leaseKey).executeTakeFirst())?.owner;
      return alive().find((i) => owner?.includes(`/${i.pid}/`));
    });
    holder.child.kill('SIGKILL');
    await until('the killed instance exited', () => holder.exit !== undefined);
    await until('a survivor holds the mailbox lease', async () => {
      const owner = (await database.db.selectFrom('leases').select('owner').where('key', '=', leaseKey).executeTakeFirst())?.owner;
      return alive().some((i) => owner?.includes(`/${i.pid}/`));
    });
    await appendMails(8, 4);
    await until('12 mails stored', async () => (await stored()) === 12);
    const fetched = () => instances.reduce((sum, i) => sum + fetchedBy(i), 0);
    await until('12 fetches logged', () => fetched() >= 12);
    expect(fetched(), JSON.stringify(instances.map((i) => [i.pid, i.exit === undefined, fetchedBy(i)]))).toBe(12);
  });
});
