import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enablePlugin, updatePluginSettings } from '../../../core/plugin-host/plugin-switches.js';
import { tenantTicketService } from '../../../core/plugin-api.js';
import { createLeases } from '../../../core/jobs/leases.js';
import { startDovecot, type DovecotServer } from '../../../test/harness/dovecot-server.js';
import { freePort } from '../../../test/harness/postgres-server.js';
import { startSmtpPeer, type SmtpPeer } from '../../../test/harness/smtp-peer.js';
import { createTestApp, type TestApp } from '../../../test/harness/test-app.js';
import { dialects } from '../../../test/harness/test-database.js';
import { helpdeskScope } from '../helpdesk-db.js';
import { helpdeskPlugin } from '../index.js';
import { createMailboxStore } from './mailbox-store.js';
import { createSecretBox } from './secret-box.js';

const fixtures = join(import.meta.dirname, '../../../test/fixtures/mail/mime');

function message(headers: Record<string, string>, body = 'Hello support,\r\nthe printer is broken.\r\n'): string {
  const lines = Object.entries({ Date: new Date().toUTCString(), 'MIME-Version': '1.0', 'Content-Type': 'text/plain; charset=utf-8', ...headers }).map(([k, v]) => `${k}: ${v}`);
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}

let dovecot: DovecotServer;
beforeAll(async () => { dovecot = await startDovecot(); });
afterAll(async () => { await dovecot?.stop(); });

describe.each(dialects)('helpdesk mail channel end to end against Dovecot and an SMTP peer on %s', (dialect) => {
  let app: TestApp;
  let smtp: SmtpPeer;
  let imap: ImapFlow;
  let tenantId: number;
  let agentId: number;
  let mailboxId: number;
  const user = `support-${dialect}`;

  const importNow = async () => {
    const job = app.services.registry.get('helpdesk')!.contributions.jobs.find((j) => j.id === 'mail-import')!;
    await job.run({ tenantId, payload: {}, db: app.services.db, clock: app.services.clock, services: app.services });
  };
  const append = (raw: string | Buffer) => imap.append('INBOX', raw);
  const db = () => helpdeskScope(app.services.db, tenantId);
  const agent = () => ({ kind: 'user' as const, id: agentId, label: 'Agent', can: () => true });

  beforeAll(async () => {
    smtp = await startSmtpPeer();
    app = await createTestApp(dialect, [helpdeskPlugin]);
    const tenant = await app.createTenant('acme');
    tenantId = tenant.id;
    await enablePlugin(app.services.db, app.services.registry, tenantId, 'helpdesk');
    agentId = await app.createStaff(tenantId, 'admin', 'agent@acme.test');
    await dovecot.addUser(user, 'secret');
    imap = new ImapFlow({ host: dovecot.host, port: dovecot.port, secure: false, doSTARTTLS: false, auth: { user, pass: 'secret' }, logger: false });
    await imap.connect();
    const store = createMailboxStore(app.services.db, tenantId, createSecretBox(app.services.config.secret));
    mailboxId = await store.create({ name: 'Support', imap_host: dovecot.host, imap_port: dovecot.port, imap_tls: 'none', imap_user: user, imap_password: 'secret', imap_folder: 'INBOX', smtp_url: `smtp://127.0.0.1:${smtp.port}`, from_address: 'support@acme.test', from_name: 'ACME Support', active: true });
    await store.addRule(mailboxId, { kind: 'domain', value: 'customer.test', category: '' });
  });
  afterAll(async () => {
    await imap?.logout().catch(() => {});
    await smtp?.stop();
    await app?.cleanup();
  });

  it('the "test connection" button names the step that failed: login, connection, folder; and reports success', async () => {
    const admin = await app.signIn('agent@acme.test', 'acme');
    const store = createMailboxStore(app.services.db, tenantId, createSecretBox(app.services.config.secret));
    const base = { name: 'Probe', imap_host: dovecot.host, imap_tls: 'none' as const, imap_user: user, smtp_url: '', from_address: 'probe@acme.test', from_name: '', active: false };
    const probe = async (values: { imap_port: number; imap_password: string; imap_folder: string }) => {
      const id = await store.create({ ...base, ...values });
      const response = await app.request(`/t/acme/p/helpdesk/mailboxes/${id}/test`, { method: 'POST', cookie: admin, headers: { 'HX-Request': 'true' } });
      expect(response.status).toBe(200);
      return response.text();
    };
    const t = app.services.catalog.translator('en');
    const good = await probe({ imap_port: dovecot.port, imap_password: 'secret', imap_folder: 'INBOX' });
    expect(good).toContain('data-stage="ok"');
    const wrongPassword = await probe({ imap_port: dovecot.port, imap_password: 'wrong', imap_folder: 'INBOX' });
    expect(wrongPassword).toContain('data-stage="failed"');
    const sentence = (key: string) => t(key, { detail: '' }).replace(/: $/, '');
    expect(wrongPassword).toContain(sentence('helpdesk.test.auth'));
    const closedPort = await probe({ imap_port: await freePort(), imap_password: 'secret', imap_folder: 'INBOX' });
    expect(closedPort).toContain(sentence('helpdesk.test.connect'));
    const noFolder = await probe({ imap_port: dovecot.port, imap_password: 'secret', imap_folder: 'Nowhere' });
    expect(noFolder).toContain(sentence('helpdesk.test.folder'));
  });

  it('stores the password sealed, not readable in the database', async () => {
    const row = await db().selectFrom('helpdesk_mailboxes').select('imap_password').where('id', '=', mailboxId).executeTakeFirstOrThrow();
    expect(row.imap_password).toMatch(/^v1:/);
    expect(row.imap_password).not.toContain('secret');
  });

  it('opens a ticket for a filtered sender with a confirmation, keeps a stranger\'s mail open, answers no robot, and imports each message once', async () => {
    await append(message({ From: 'Alice Example <alice@customer.test>', To: 'support@acme.test', Subject: 'Printer broken', 'Message-ID': '<m1@customer.test>' }));
    await append(message({ From: 'stranger@else.test', To: 'support@acme.test', Subject: 'Hello?', 'Message-ID': '<m2@else.test>' }));
    await append(message({ From: 'bob@customer.test', To: 'support@acme.test', Subject: 'Out of office', 'Auto-Submitted': 'auto-replied', 'Message-ID': '<m3@customer.test>' }));
    await append(message({ From: 'carol@customer.test', To: 'support@acme.test', Subject: 'No id at all' }));
    await importNow();
    await importNow();
    const mails = await db().selectFrom('helpdesk_mails').select(['subject', 'status', 'ticket_id', 'auto_kind']).orderBy('id').execute();
    expect(mails.map((m) => [m.subject, m.status])).toEqual([['Printer broken', 'ticket'], ['Hello?', 'open'], ['Out of office', 'open'], ['No id at all', 'ticket']]);
    expect(mails[2]!.auto_kind).toBe('auto-submitted');
    const ticket = await app.services.db.selectFrom('tickets').selectAll().where('id', '=', mails[0]!.ticket_id!).executeTakeFirstOrThrow();
    expect(ticket).toMatchObject({ subject: 'Printer broken', channel: 'mail', status: 'new' });
    const person = await app.services.db.selectFrom('people').select(['email', 'name']).where('id', '=', ticket.requester_id!).executeTakeFirstOrThrow();
    expect(person).toEqual({ email: 'alice@customer.test', name: 'Alice Example' });
    // Confirmations for the two tickets, none for the stranger or the robot.
    expect(smtp.received).toHaveLength(2);
    // Deliveries run in parallel: the peer may receive the two in either order.
    const confirmations = await Promise.all(smtp.received.map((raw) => simpleParser(raw)));
    const confirmation = confirmations.find((mail) => mail.inReplyTo === '<m1@customer.test>');
    if (!confirmation) throw new Error(`no confirmation answers <m1@customer.test>: ${confirmations.map((mail) => mail.inReplyTo).join(', ')}`);
    expect(confirmation.subject).toContain(`[#${ticket.number}]`);
    expect(confirmation.headers.get('auto-submitted')).toBe('auto-replied');
    expect(confirmation.inReplyTo).toBe('<m1@customer.test>');
    expect(confirmation.from?.value[0]?.address).toBe('support@acme.test');
    // Flagged on the server only after commit: everything imported is \Seen.
    const lock = await imap.getMailboxLock('INBOX');
    try {
      const unseen = await imap.search({ seen: false });
      expect(unseen).toEqual([]);
    } finally {
      lock.release();
    }
  });

  it('mails an agent\'s reply from the mailbox and threads the customer\'s answer back to the same ticket, reopening it', async () => {
    const ticketRow = await db().selectFrom('tickets').selectAll().where('subject', '=', 'Printer broken').executeTakeFirstOrThrow();
    const service = await tenantTicketService(app.services, tenantId);
    const attachment = { filename: 'steps.txt', bytes: new TextEncoder().encode('1. restart') };
    const { articleId } = await service.addArticle(ticketRow.number, { kind: 'reply', body: 'Please restart it.\nThanks', attachments: [attachment], statusAfter: 'waiting' }, agent());
    const sent = await simpleParser(smtp.received.at(-1)!);
    const article = await app.services.db.selectFrom('ticket_articles').select(['message_id']).where('id', '=', articleId).executeTakeFirstOrThrow();
    expect(sent.messageId).toBe(article.message_id);
    expect(sent.subject).toBe(`[#${ticketRow.number}] Re: Printer broken`);
    expect(sent.inReplyTo).toBe('<m1@customer.test>');
    expect(sent.references).toContain('<m1@customer.test>');
    expect(sent.text).toContain('Please restart it.');
    expect(sent.html).toContain('Please restart it.<br>Thanks');
    expect(sent.attachments.map((a) => a.filename)).toEqual(['steps.txt']);
    expect(sent.from?.value[0]).toEqual({ address: 'support@acme.test', name: 'ACME Support' });
    expect(sent.headers.get('auto-submitted')).toBeUndefined();

    // The customer answers without the tag in the subject: In-Reply-To finds the ticket.
    await append(message({ From: 'alice@customer.test', Subject: 'Re: Printer broken', 'Message-ID': '<m5@customer.test>', 'In-Reply-To': sent.messageId!, References: `<m1@customer.test> ${sent.messageId!}` }, 'Done, it works.\r\n\r\nOn Tue, Support wrote:\r\n> Please restart it.\r\n'));
    await importNow();
    const after = await app.services.db.selectFrom('tickets').select(['status']).where('id', '=', ticketRow.id).executeTakeFirstOrThrow();
    expect(after.status).toBe('open');
    const customer = await app.services.db.selectFrom('ticket_articles').selectAll().where('ticket_id', '=', ticketRow.id).where('kind', '=', 'customer').executeTakeFirstOrThrow();
    expect(customer).toMatchObject({ channel: 'mail', message_id: '<m5@customer.test>' });
    expect(customer.body_text).toContain('Done, it works.');
  });

  it('attaches a bounce of our reply to its ticket as a note, and opens a linked follow-up for a mail to a closed ticket', async () => {
    const ticketRow = await db().selectFrom('tickets').selectAll().where('subject', '=', 'Printer broken').executeTakeFirstOrThrow();
    const ours = await db().selectFrom('helpdesk_thread_ids').select('message_id').where('ticket_id', '=', ticketRow.id).where('outgoing', '=', 1).orderBy('created_at', 'desc').executeTakeFirstOrThrow();
    const dsn = readFileSync(join(fixtures, 'mailparser_delivery-status.eml'), 'latin1').replace('<xxxxx@email.amazonses.com>', ours.message_id).replace(/^Message-ID: .*$/im, 'Message-ID: <bounce-1@mx.test>');
    const ticketsBefore = await db().selectFrom('tickets').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    await append(Buffer.from(dsn, 'latin1'));
    await importNow();
    const note = await app.services.db.selectFrom('ticket_articles').select(['body_text']).where('ticket_id', '=', ticketRow.id).where('kind', '=', 'note').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(note.body_text).toContain('could not be delivered');
    const ticketsAfter = await db().selectFrom('tickets').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(ticketsAfter.n)).toBe(Number(ticketsBefore.n));

    const service = await tenantTicketService(app.services, tenantId);
    await service.changeStatus(ticketRow.number, 'solved', agent());
    await service.changeStatus(ticketRow.number, 'closed', agent());
    await append(message({ From: 'alice@customer.test', Subject: `Re: [#${ticketRow.number}] Printer broken`, 'Message-ID': '<m7@customer.test>' }, 'It broke again.\r\n'));
    await importNow();
    const link = await db().selectFrom('helpdesk_ticket_links').selectAll().where('previous_ticket_id', '=', ticketRow.id).executeTakeFirstOrThrow();
    const followUp = await app.services.db.selectFrom('tickets').selectAll().where('id', '=', link.ticket_id).executeTakeFirstOrThrow();
    expect(followUp.description).toContain(`#${ticketRow.number}`);
    expect(followUp.requester_id).toBe(ticketRow.requester_id);
    const oldNote = await app.services.db.selectFrom('ticket_articles').select('body_text').where('ticket_id', '=', ticketRow.id).orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(oldNote.body_text).toContain(`#${followUp.number}`);
  });

  it('reopens a solved ticket when the customer answers by mail', async () => {
    await append(message({ From: 'erin@customer.test', Subject: 'Scanner jams', 'Message-ID': '<solved-1@customer.test>' }));
    await importNow();
    const ticket = await db().selectFrom('tickets').selectAll().where('subject', '=', 'Scanner jams').executeTakeFirstOrThrow();
    const service = await tenantTicketService(app.services, tenantId);
    await service.changeStatus(ticket.number, 'solved', agent());
    await append(message({ From: 'erin@customer.test', Subject: `Re: [#${ticket.number}] Scanner jams`, 'Message-ID': '<solved-2@customer.test>' }, 'It jams again.\r\n'));
    await importNow();
    const after = await app.services.db.selectFrom('tickets').select(['status']).where('id', '=', ticket.id).executeTakeFirstOrThrow();
    expect(after.status).toBe('open');
    const history = await app.services.db.selectFrom('ticket_history').select(['action', 'old_value', 'new_value']).where('ticket_id', '=', ticket.id).where('field', '=', 'status').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(history).toMatchObject({ old_value: 'solved', new_value: 'open' });
    const articles = await app.services.db.selectFrom('ticket_articles').select(['kind', 'channel', 'body_text']).where('ticket_id', '=', ticket.id).execute();
    expect(articles).toEqual([{ kind: 'customer', channel: 'mail', body_text: expect.stringContaining('It jams again.') }]);
  });

  it('sends a sender at most autoRepliesPerSenderPerHour confirmations, yet opens every ticket', async () => {
    const sentBefore = smtp.received.length;
    for (let n = 1; n <= 4; n++) await append(message({ From: 'dave@customer.test', Subject: `Dave's problem ${n}`, 'Message-ID': `<dave-${n}@customer.test>` }));
    await importNow();
    const tickets = await db().selectFrom('tickets').select('number').where('subject', 'like', "Dave's problem %").execute();
    expect(tickets).toHaveLength(4);
    const replies = await db().selectFrom('helpdesk_auto_replies').select('ticket_id').where('recipient', '=', 'dave@customer.test').execute();
    expect(replies).toHaveLength(3);
    const sent = await Promise.all(smtp.received.slice(sentBefore).map((raw) => simpleParser(raw)));
    expect(sent.filter((mail) => mail.to && !Array.isArray(mail.to) && mail.to.value[0]?.address === 'dave@customer.test')).toHaveLength(3);
  });

  it('keeps mails beyond mailsPerTicketPerHour open with a note instead of adding them to the ticket', async () => {
    await updatePluginSettings(app.services.db, app.services.registry, tenantId, 'helpdesk', { mailsPerTicketPerHour: 2 });
    try {
      await append(message({ From: 'frank@customer.test', Subject: 'Storm', 'Message-ID': '<storm-0@customer.test>' }));
      await importNow();
      const ticket = await db().selectFrom('tickets').selectAll().where('subject', '=', 'Storm').executeTakeFirstOrThrow();
      for (let n = 1; n <= 3; n++) await append(message({ From: 'frank@customer.test', Subject: `Re: [#${ticket.number}] Storm`, 'Message-ID': `<storm-${n}@customer.test>` }, `Storm ${n}\r\n`));
      await importNow();
      // The opening mail counts too: one more answer fits, the other two wait for an agent.
      const articles = await app.services.db.selectFrom('ticket_articles').select('body_text').where('ticket_id', '=', ticket.id).execute();
      expect(articles.map((a) => a.body_text.trim())).toEqual(['Storm 1']);
      const held = await db().selectFrom('helpdesk_mails').select(['message_id', 'status', 'note', 'ticket_id']).where('message_id', 'in', ['<storm-2@customer.test>', '<storm-3@customer.test>']).orderBy('id').execute();
      expect(held.map((m) => [m.message_id, m.status, m.ticket_id])).toEqual([['<storm-2@customer.test>', 'open', null], ['<storm-3@customer.test>', 'open', null]]);
      expect(held[0]!.note).toBe(`Ticket ${ticket.number} received too many mails within an hour; kept here for an agent.`);
    } finally {
      await updatePluginSettings(app.services.db, app.services.registry, tenantId, 'helpdesk', {});
    }
  });

  it('imports a mail delivered while the IDLE watcher runs within seconds, without the polling job', async () => {
    const worker = app.services.registry.get('helpdesk')!.contributions.workers.find((w) => w.id === 'imap-idle')!;
    const stopped = new AbortController();
    const running = await worker.start({ services: app.services, signal: stopped.signal, leases: createLeases(app.services.db, () => new Date(), { owner: 'mail-channel-test', ttlMs: 30_000 }) });
    try {
      // Let the watcher connect and settle what it finds, then deliver while it idles.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const delivered = Date.now();
      await append(message({ From: 'grace@customer.test', Subject: 'Delivered during IDLE', 'Message-ID': '<idle-1@customer.test>' }));
      let mail: { status: string } | undefined;
      while (Date.now() - delivered < 8000) {
        mail = await db().selectFrom('helpdesk_mails').select('status').where('message_id', '=', '<idle-1@customer.test>').executeTakeFirst();
        if (mail?.status === 'ticket') break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(mail?.status).toBe('ticket');
      expect(Date.now() - delivered).toBeLessThan(8000);
    } finally {
      stopped.abort();
      await running.stop();
    }
  });

  it('a reply to a merged ticket, by thread id or by the number in the subject, lands on the survivor, also across a chain of merges', async () => {
    await append(message({ From: 'dana@customer.test', To: 'support@acme.test', Subject: 'VPN drops', 'Message-ID': '<merge-src@customer.test>' }));
    await importNow();
    const source = await db().selectFrom('tickets').selectAll().where('subject', '=', 'VPN drops').executeTakeFirstOrThrow();
    const service = await tenantTicketService(app.services, tenantId);
    const middle = await service.create({ subject: 'VPN (merged)', description: 'x', requesterId: source.requester_id }, agent());
    const survivor = await service.create({ subject: 'VPN outage', description: 'y', requesterId: source.requester_id }, agent());
    await service.merge(source.number, middle.number, agent());
    await service.merge(middle.number, survivor.number, agent());

    await append(message({ From: 'dana@customer.test', Subject: 'Re: VPN drops', 'Message-ID': '<merge-r1@customer.test>', 'In-Reply-To': '<merge-src@customer.test>' }, 'Still dropping.\r\n'));
    await append(message({ From: 'dana@customer.test', Subject: `Re: [#${source.number}] VPN drops`, 'Message-ID': '<merge-r2@customer.test>' }, 'And again.\r\n'));
    await importNow();
    const landed = await app.services.db.selectFrom('ticket_articles').select(['ticket_id', 'message_id']).where('message_id', 'in', ['<merge-r1@customer.test>', '<merge-r2@customer.test>']).orderBy('message_id').execute();
    expect(landed).toEqual([{ ticket_id: survivor.id, message_id: '<merge-r1@customer.test>' }, { ticket_id: survivor.id, message_id: '<merge-r2@customer.test>' }]);
    // No follow-up ticket was opened for the closed (merged) ones.
    expect(await db().selectFrom('tickets').select('id').where('subject', 'in', ['VPN drops', 'VPN (merged)']).execute()).toHaveLength(2);
  });

  it('keeps an oversized mail raw as an open mail with a note, and a new UIDVALIDITY imports nothing twice', async () => {
    await db().updateTable('tenant_plugins').set({ settings: JSON.stringify({ maxMailMegabytes: 1 }) }).where('plugin_id', '=', 'helpdesk').execute();
    await app.services.db.insertInto('meta').values({ key: 'config_revision', value: String(Date.now()) }).onConflict((oc) => oc.column('key').doUpdateSet({ value: String(Date.now()) })).execute();
    await append(message({ From: 'alice@customer.test', Subject: 'Huge scan', 'Message-ID': '<huge@customer.test>' }, `${'x'.repeat(76)}\r\n`.repeat(20_000)));
    await importNow();
    const huge = await db().selectFrom('helpdesk_mails').selectAll().where('message_id', '=', '<huge@customer.test>').executeTakeFirstOrThrow();
    expect(huge).toMatchObject({ status: 'open', subject: 'Huge scan' });
    expect(huge.note).toMatch(/Too large/);
    expect((await app.services.files.get(tenantId, huge.raw_sha256))!.bytes.byteLength).toBe(huge.size);

    const before = await db().selectFrom('helpdesk_mails').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    await db().updateTable('helpdesk_mailboxes').set({ uid_validity: '1', last_uid: 0 }).where('id', '=', mailboxId).execute();
    await importNow();
    const after = await db().selectFrom('helpdesk_mails').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });
});
