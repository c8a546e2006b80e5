import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enablePlugin } from '../../../core/plugin-host/plugin-switches.js';
import { tenantScope } from '../../../core/tenancy/tenant-scope.js';
import { createTicketService } from '../../../core/tickets/ticket-service.js';
import { startSmtpPeer, type SmtpPeer } from '../../../test/harness/smtp-peer.js';
import { createTestApp, type TestApp } from '../../../test/harness/test-app.js';
import { dialects } from '../../../test/harness/test-database.js';
import { helpdeskSettings } from '../settings.js';
import { helpdeskPlugin } from '../index.js';
import { createMailboxStore } from './mailbox-store.js';
import { sendConfirmation } from './mail-outgoing.js';
import { createSecretBox } from './secret-box.js';

/**
 * A mail to a ticket's requester is written in the requester's language, not in the German of the agent (or the
 * tenant) that caused it; a requester without a language gets the tenant's (issue 18 point 9). Through a real SMTP peer.
 */
describe.each(dialects)('the helpdesk\'s mail to a requester in the requester\'s language on %s', (dialect) => {
  let app: TestApp;
  let smtp: SmtpPeer;
  let tenantId: number;
  let mailboxId: number;
  let agentId: number;

  beforeAll(async () => {
    smtp = await startSmtpPeer();
    app = await createTestApp(dialect, [helpdeskPlugin]);
    tenantId = (await app.createTenant('acme')).id;
    await app.services.db.updateTable('tenants').set({ locale: 'de' }).where('id', '=', tenantId).execute();
    await enablePlugin(app.services.db, app.services.registry, tenantId, 'helpdesk');
    agentId = await app.createStaff(tenantId, 'agent', 'agent@acme.test');
    await app.services.db.updateTable('users').set({ locale: 'de' }).where('id', '=', agentId).execute();
    const store = createMailboxStore(app.services.db, tenantId, createSecretBox(app.services.config.secret));
    mailboxId = await store.create({ name: 'Support', imap_host: '127.0.0.1', imap_port: 1, imap_tls: 'none', imap_user: 'u', imap_password: 'p', imap_folder: 'INBOX', smtp_url: smtp.url, from_address: 'support@acme.test', from_name: 'ACME Support', active: true });
  });
  afterAll(async () => {
    await smtp?.stop();
    await app?.cleanup();
  });

  async function confirmFor(email: string, locale: string | null, subject: string) {
    const scope = tenantScope(app.services.db, tenantId);
    const person = await scope.insertInto('people', { name: email.split('@')[0]!, email, locale }).returning('id').executeTakeFirstOrThrow();
    const tenant = (await app.services.tenants.byId(tenantId))!;
    // The German agent's ticket service, as in their request: it speaks German.
    const german = app.services.catalog.translator('de');
    const { db, database, clock, events, files, hooks, log } = app.services;
    const ticket = await createTicketService({ db, dialect: database.dialect, clock, events, files, hooks, log }, tenant, german)
      .create({ subject, description: 'd', requesterId: person.id, channel: 'mail' }, { kind: 'user', id: agentId, label: 'Agnes Agent', can: () => true });
    const before = smtp.received.length;
    const sent = await sendConfirmation(app.services, { tenantId, mailboxId, ticket, to: email, inReplyTo: null, settings: helpdeskSettings({}), t: german });
    expect(sent).toBe(true);
    expect(smtp.received.length).toBe(before + 1);
    return { mail: await simpleParser(smtp.received.at(-1)!), ticket };
  }

  it('German agent and tenant, English customer: the confirmation is English', async () => {
    const { mail, ticket } = await confirmFor('paul@customer.test', 'en', 'Printer broken');
    const en = app.services.catalog.translator('en');
    expect(mail.to && 'value' in mail.to ? mail.to.value[0]?.address : undefined).toBe('paul@customer.test');
    expect(mail.subject).toContain(en('helpdesk.confirmation.subject', { subject: 'Printer broken' }));
    expect(mail.text).toContain(en('helpdesk.confirmation.text', { number: ticket.number, subject: 'Printer broken' }).split('\n')[0]);
    expect(en('helpdesk.confirmation.subject', { subject: 'x' })).not.toBe(app.services.catalog.translator('de')('helpdesk.confirmation.subject', { subject: 'x' }));
  });

  it('a customer without a language gets the tenant\'s (German); one who chose German gets German', async () => {
    const de = app.services.catalog.translator('de');
    for (const [email, locale] of [['greta@customer.test', null], ['dora@customer.test', 'de']] as const) {
      const { mail } = await confirmFor(email, locale, 'Drucker kaputt');
      expect(mail.subject, email).toContain(de('helpdesk.confirmation.subject', { subject: 'Drucker kaputt' }));
    }
  });
});
