import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enablePlugin } from '../../../core/plugin-host/plugin-switches.js';
import { startDovecot, type DovecotServer } from '../../../test/harness/dovecot-server.js';
import { createTestApp, type TestApp } from '../../../test/harness/test-app.js';
import { dialects } from '../../../test/harness/test-database.js';
import { helpdeskScope } from '../helpdesk-db.js';
import { helpdeskPlugin } from '../index.js';
import { createMailboxStore } from './mailbox-store.js';
import { createSecretBox } from './secret-box.js';

const ROOT = join(import.meta.dirname, '../../..');
const MESSAGES = 40;
const KILLS = 3;

/**
 * The child and its parser worker bundled once with esbuild (npm packages external) next to
 * each other, so the parser pool finds its compiled worker: a child then starts in plain Node
 * instead of compiling the app through tsx on every start (seconds per kill round).
 */
function bundleChild(): string {
  const outdir = join(ROOT, 'node_modules/.cache/tresen', `crash-child-${process.pid}`);
  const common = { bundle: true, packages: 'external', platform: 'node', format: 'esm', target: 'node20', logLevel: 'warning' } as const;
  buildSync({ ...common, entryPoints: [join(ROOT, 'test/harness/helpdesk-import-child.ts')], outfile: join(outdir, 'helpdesk-import-child.mjs') });
  buildSync({ ...common, entryPoints: [join(ROOT, 'plugins/helpdesk/mail/mail-parse-worker.ts')], outfile: join(outdir, 'mail-parse-worker.js') });
  return outdir;
}

/** Runs the import in a child; kills it `afterMs` after it is ready (or lets it finish when undefined). */
function runChild(args: string[], afterMs?: number): Promise<'killed' | 'finished'> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(childDir, 'helpdesk-import-child.mjs'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    child.stdout.on('data', (chunk: Buffer) => {
      if (afterMs !== undefined && chunk.toString().includes('ready')) setTimeout(() => child.kill('SIGKILL'), afterMs);
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve('killed');
      else if (code === 0) resolve('finished');
      else reject(new Error(`import child failed (${code}):\n${stderr}`));
    });
  });
}

let dovecot: DovecotServer;
let childDir: string;
beforeAll(async () => {
  childDir = bundleChild();
  dovecot = await startDovecot();
});
afterAll(async () => {
  await dovecot?.stop();
  if (childDir) rmSync(childDir, { recursive: true, force: true });
});

describe.each(dialects)('helpdesk import killed mid-way, repeatedly, on %s', (dialect) => {
  let app: TestApp;
  let tenantId: number;
  const user = `crash-${dialect}`;

  beforeAll(async () => {
    app = await createTestApp(dialect, [helpdeskPlugin]);
    tenantId = (await app.createTenant('acme')).id;
    await enablePlugin(app.services.db, app.services.registry, tenantId, 'helpdesk');
    await dovecot.addUser(user, 'secret');
    const store = createMailboxStore(app.services.db, tenantId, createSecretBox(app.services.config.secret));
    const mailboxId = await store.create({ name: 'Support', imap_host: dovecot.host, imap_port: dovecot.port, imap_tls: 'none', imap_user: user, imap_password: 'secret', imap_folder: 'INBOX', smtp_url: '', from_address: 'support@acme.test', from_name: '', active: true });
    await store.addRule(mailboxId, { kind: 'anyone', value: '', category: '' });
    const imap = new ImapFlow({ host: dovecot.host, port: dovecot.port, secure: false, doSTARTTLS: false, auth: { user, pass: 'secret' }, logger: false });
    await imap.connect();
    for (let n = 0; n < MESSAGES; n++) {
      // Every sixth message has no Message-ID: it is deduplicated by the hash of its bytes.
      const id = n % 6 === 5 ? '' : `Message-ID: <crash-${n}@customer.test>\r\n`;
      await imap.append('INBOX', `From: customer${n % 7}@customer.test\r\nTo: support@acme.test\r\nSubject: Crash case ${n}\r\n${id}Date: ${new Date().toUTCString()}\r\n\r\nBody of message ${n}.\r\n`);
    }
    await imap.logout();
  });
  afterAll(() => app?.cleanup());

  it('loses no mail and doubles none', { timeout: 120_000 }, async () => {
    const args = (run: number) => [app.database.url, app.services.config.dataDir, String(run * 10 * 60_000), String(tenantId)];
    const outcomes: string[] = [];
    for (let run = 0; run < KILLS; run++) outcomes.push(await runChild(args(run), 100 + Math.floor(Math.random() * 400)));
    const db = helpdeskScope(app.services.db, tenantId);
    const afterKills = await db.selectFrom('helpdesk_mails').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    outcomes.push(await runChild(args(KILLS)));
    expect(outcomes.at(-1)).toBe('finished');
    // The kills really interrupted work (otherwise this test proves nothing).
    expect(outcomes.filter((o) => o === 'killed').length).toBeGreaterThan(0);
    expect(Number(afterKills.n)).toBeLessThanOrEqual(MESSAGES);

    const mails = await db.selectFrom('helpdesk_mails').select(['subject', 'status', 'ticket_id']).execute();
    expect(mails).toHaveLength(MESSAGES);
    expect(new Set(mails.map((m) => m.subject)).size).toBe(MESSAGES);
    expect(mails.filter((m) => m.status !== 'ticket')).toEqual([]);
    const tickets = await db.selectFrom('tickets').select(['id', 'subject']).execute();
    expect(tickets).toHaveLength(MESSAGES);
    expect(new Set(tickets.map((t) => t.subject)).size).toBe(MESSAGES);
    expect(new Set(mails.map((m) => m.ticket_id)).size).toBe(MESSAGES);
  });
});
