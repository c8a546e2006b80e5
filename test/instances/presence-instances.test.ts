import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { buildSync } from 'esbuild';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabase, type Database } from '../../core/db/create-database.js';
import { createUser } from '../../core/people/user-service.js';
import { cookiesOf } from '../harness/test-app.js';

/**
 * Presence across two real server processes on one PostgreSQL database (issue 18 point 1): a tab's beat on
 * one instance reaches the other through NOTIFY, its page hears of it on its own stream, and a goodbye
 * on one instance clears it on the other. No database row is written for a beat.
 */
const ROOT = join(import.meta.dirname, '../..');
const dataDirs: string[] = [];
const children: ChildProcess[] = [];
let childDir: string;
let databaseUrl: string;
let database: Database;
const dbName = `tresen_presence_${randomBytes(6).toString('hex')}`;

function bundleChild(): string {
  const outdir = join(ROOT, 'node_modules/.cache/tresen', `presence-child-${process.pid}`);
  const common = { bundle: true, packages: 'external', platform: 'node', format: 'esm', target: 'node20', logLevel: 'warning' } as const;
  buildSync({ ...common, entryPoints: [join(ROOT, 'test/harness/instance-child.ts')], outfile: join(outdir, 'instance-child.mjs') });
  buildSync({ ...common, entryPoints: [join(ROOT, 'plugins/helpdesk/mail/mail-parse-worker.ts')], outfile: join(outdir, 'mail-parse-worker.js') });
  return outdir;
}

function startInstance(): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tresen-presence-'));
  dataDirs.push(dataDir);
  const child = spawn(process.execPath, [join(childDir, 'instance-child.mjs'), databaseUrl, dataDir, '30000', '600000'], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let errors = '';
  child.stderr!.on('data', (chunk: Buffer) => { errors = (errors + chunk.toString()).slice(-4000); });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      const match = /listening (\S+)/.exec(chunk.toString());
      if (match) resolve(match[1]!);
    });
    child.on('exit', (code, signal) => reject(new Error(`instance exited (${signal ?? code}): ${errors}`)));
  });
}

async function until<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  childDir = bundleChild();
  const adminUrl = inject('postgresUrl');
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${dbName}`);
  await admin.end();
  databaseUrl = adminUrl.replace(/\/[^/]*$/, `/${dbName}`);
}, 30_000);

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await database?.close();
  const admin = new pg.Client({ connectionString: inject('postgresUrl') });
  await admin.connect();
  await admin.query(`drop database if exists ${dbName} with (force)`);
  await admin.end();
  for (const dir of [...dataDirs, childDir]) if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('presence on two instances of one PostgreSQL database', () => {
  it('shows on instance A who beats on instance B, tells A\'s page on its stream, and forgets the tab that said goodbye on B', { timeout: 60_000 }, async () => {
    // One after the other: the first migrates and seeds the demo tenant.
    const a = await startInstance();
    const b = await startInstance();
    for (const url of [a, b]) await until(`${url}/readyz`, async () => (await fetch(`${url}/readyz`)).status === 200);
    database = await createDatabase(databaseUrl, { poolSize: 2 });
    const tenant = await database.db.selectFrom('tenants').select('id').where('slug', '=', 'demo').executeTakeFirstOrThrow();
    const ticket = await database.db.selectFrom('tickets').select('number').where('tenant_id', '=', tenant.id).where('deleted_at', 'is', null).orderBy('id').executeTakeFirstOrThrow();
    await createUser(database.db, { tenantId: tenant.id, email: 'one@presence.test', name: 'Ona Eins', role: 'agent', password: 'presence-password-1', locale: 'en' }, 10);
    await createUser(database.db, { tenantId: tenant.id, email: 'two@presence.test', name: 'Sven Zwei', role: 'agent', password: 'presence-password-2', locale: 'en' }, 10);
    const signIn = async (url: string, email: string, password: string) => {
      const response = await fetch(`${url}/t/demo/login`, { method: 'POST', redirect: 'manual', headers: { Origin: url, 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ email, password }) });
      expect(response.status).toBe(303);
      return cookiesOf(response);
    };
    const one = await signIn(a, 'one@presence.test', 'presence-password-1');
    const two = await signIn(b, 'two@presence.test', 'presence-password-2');
    const path = `/t/demo/desk/tickets/${ticket.number}/presence`;
    const list = async () => (await fetch(`${a}${path}`, { headers: { cookie: one, 'HX-Request': 'true' } })).text();
    const beat = (state: string) => fetch(`${b}${path}`, {
      method: 'POST', headers: { cookie: two, Origin: b, 'HX-Request': 'true', 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ tab: 'tab-of-sven-0001', state }),
    });

    // Ona's page on A listens on its stream for this ticket.
    const stream = new AbortController();
    const live = await fetch(`${a}/t/demo/events?ticket=${ticket.number}`, { headers: { cookie: one }, signal: stream.signal });
    const reader = live.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const readUntil = async (marker: string, from: number) => {
      while (!text.slice(from).includes(marker)) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
      }
    };
    await readUntil('event: ready', 0);

    expect(await list()).not.toContain('Sven Zwei');
    let mark = text.length;
    expect((await beat('viewing')).status).toBe(200);
    await readUntil('event: presence', mark);
    expect(text.slice(mark)).toContain(`"number":"${ticket.number}"`);
    expect(await until('Sven on A', async () => ((await list()).includes('Sven Zwei (viewing)') ? true : undefined))).toBe(true);

    mark = text.length;
    await beat('editing');
    await readUntil('event: presence', mark);
    expect(await list()).toContain('Sven Zwei (editing)');

    // A beat that changes nothing reaches A but tells no page.
    await beat('editing');
    mark = text.length;
    expect((await beat('gone')).status).toBe(204);
    await readUntil('event: presence', mark);
    expect(await list()).not.toContain('Sven Zwei');
    // The beats themselves never travel to browsers, and no table holds them.
    expect(text).not.toContain('presence.beat');
    stream.abort();
  });
});
