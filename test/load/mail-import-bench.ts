// `npx tsx test/load/mail-import-bench.ts`: imports a mailbox of 2,000 mixed real-world messages from a
// throwaway Dovecot into a fresh SQLite database through the helpdesk plugin's import job (IMAP fetch,
// raw store, dedup, worker-thread parsing, matching, tickets, articles, confirmations into the outbox).
// Env: BENCH_MAILS (2000). Prints JSON with messages per second.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ImapFlow } from 'imapflow';
import { helpdeskDb } from '../../plugins/helpdesk/helpdesk-db.js';
import { helpdeskPlugin } from '../../plugins/helpdesk/index.js';
import { createMailboxStore } from '../../plugins/helpdesk/mail/mailbox-store.js';
import { createSecretBox } from '../../plugins/helpdesk/mail/secret-box.js';
import { startDovecot } from '../harness/dovecot-server.js';
import { benchApp } from './bench-app.js';

const total = Number(process.env.BENCH_MAILS ?? 2000);
const fixtures = resolve('test/fixtures/mail/mime');
const samples = readdirSync(fixtures).filter((f) => f.endsWith('.eml')).sort().map((f) => readFileSync(join(fixtures, f)));
const year = new Date().getUTCFullYear();

/** A real message made unique: its own Message-ID, the rest byte for byte. */
function variant(n: number): Buffer {
  if (n % 3 === 2) {
    // A third are customers answering tickets opened earlier in the same mailbox.
    const number = `${year}-${String(1 + (n % 200)).padStart(6, '0')}`;
    return Buffer.from(`From: customer${n % 50}@customer.test\r\nTo: support@acme.test\r\nSubject: Re: [#${number}] Printer\r\nMessage-ID: <bench-${n}@customer.test>\r\nDate: ${new Date().toUTCString()}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThanks, that helped.\r\n\r\nOn Mon, Support wrote:\r\n> Please restart it.\r\n`);
  }
  const sample = samples[n % samples.length]!;
  const text = sample.toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  const head = (end === -1 ? text : text.slice(0, end)).split(/\r?\n(?![ \t])/).filter((line) => !/^message-id:/i.test(line)).join('\r\n');
  return Buffer.from(`Message-ID: <bench-${n}@bench.test>\r\n${head}${end === -1 ? '' : text.slice(end)}`, 'latin1');
}

const dovecot = await startDovecot();
try {
  await dovecot.addUser('bench', 'secret');
  const { registry, database, clock, config, services, tenant } = await benchApp('mail', [helpdeskPlugin], 'en');
  const store = createMailboxStore(database.db, tenant.id, createSecretBox(config.secret));
  const mailboxId = await store.create({ name: 'Support', imap_host: dovecot.host, imap_port: dovecot.port, imap_tls: 'none', imap_user: 'bench', imap_password: 'secret', imap_folder: 'INBOX', smtp_url: '', from_address: 'support@acme.test', from_name: '', active: true });
  await store.addRule(mailboxId, { kind: 'anyone', value: '', category: '' });

  const imap = new ImapFlow({ host: dovecot.host, port: dovecot.port, secure: false, doSTARTTLS: false, auth: { user: 'bench', pass: 'secret' }, logger: false });
  await imap.connect();
  let bytes = 0;
  for (let n = 0; n < total; n++) {
    const raw = variant(n);
    bytes += raw.byteLength;
    await imap.append('INBOX', raw);
  }
  await imap.logout();

  const job = registry.get('helpdesk')!.contributions.jobs.find((j) => j.id === 'mail-import')!;
  const started = performance.now();
  await job.run({ tenantId: tenant.id, payload: {}, db: database.db, clock, services });
  const seconds = (performance.now() - started) / 1000;
  const db = helpdeskDb(database.db);
  const statuses = await db.selectFrom('helpdesk_mails').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).where('tenant_id', '=', tenant.id).groupBy('status').execute();
  const tickets = await db.selectFrom('tickets').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const articles = await db.selectFrom('ticket_articles').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const imported = statuses.reduce((sum, s) => sum + Number(s.n), 0);
  process.stdout.write(`${JSON.stringify({
    messages: total, megabytes: Math.round(bytes / 1024 / 102.4) / 10, imported, seconds: Math.round(seconds * 100) / 100,
    messagesPerSecond: Math.round(imported / seconds), statuses: Object.fromEntries(statuses.map((s) => [s.status, Number(s.n)])),
    tickets: Number(tickets.n), articles: Number(articles.n), node: process.version,
  }, null, 2)}\n`);
  await database.close();
  if (imported !== total) process.exitCode = 1;
} finally {
  await dovecot.stop();
}
