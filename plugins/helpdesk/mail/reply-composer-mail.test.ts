import { simpleParser, type AddressObject } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enablePlugin, updatePluginSettings } from '../../../core/plugin-host/plugin-switches.js';
import { tenantScope, tenantTicketService } from '../../../core/plugin-api.js';
import { startSmtpPeer, type SmtpPeer } from '../../../test/harness/smtp-peer.js';
import { createTestApp, type TestApp } from '../../../test/harness/test-app.js';
import { dialects } from '../../../test/harness/test-database.js';
import { helpdeskPlugin } from '../index.js';
import { createMailboxStore } from './mailbox-store.js';
import { createSecretBox } from './secret-box.js';

const addressesOf = (field: AddressObject | AddressObject[] | undefined) => (Array.isArray(field) ? field : field ? [field] : []).flatMap((a) => a.value.map((v) => v.address));

describe.each(dialects)('the composer\'s reply by mail, with CC and BCC, through a real SMTP peer on %s', (dialect) => {
  let app: TestApp;
  let smtp: SmtpPeer;
  let tenantId: number;
  let agentId: number;
  let cookie: string;
  let requesterId: number;

  beforeAll(async () => {
    smtp = await startSmtpPeer();
    app = await createTestApp(dialect, [helpdeskPlugin]);
    tenantId = (await app.createTenant('acme')).id;
    await enablePlugin(app.services.db, app.services.registry, tenantId, 'helpdesk');
    agentId = await app.createStaff(tenantId, 'agent', 'agent@acme.test');
    const store = createMailboxStore(app.services.db, tenantId, createSecretBox(app.services.config.secret));
    await store.create({ name: 'Support', imap_host: '127.0.0.1', imap_port: 1, imap_tls: 'none', imap_user: 'x', imap_password: 'x', imap_folder: 'INBOX', smtp_url: smtp.url, from_address: 'support@acme.test', from_name: 'ACME Support', active: true });
    requesterId = (await tenantScope(app.services.db, tenantId).insertInto('people', { name: 'Carla Kunde', email: 'carla@customer.test' }).returning('id').executeTakeFirstOrThrow()).id;
    cookie = await app.signIn('agent@acme.test', 'acme');
  });
  afterAll(async () => {
    await app?.cleanup();
    await smtp?.stop();
  });

  const newTicket = async (channel: 'mail' | 'phone') => {
    const service = await tenantTicketService(app.services, tenantId);
    return service.create({ subject: `Printer (${channel})`, description: 'It prints blank pages.', requesterId, channel }, { kind: 'user', id: agentId, label: 'Agent', can: () => true });
  };
  const send = (number: string, values: Record<string, string>) =>
    app.request(`/t/acme/desk/tickets/${number}/articles`, { method: 'POST', body: new URLSearchParams(values), cookie, headers: { 'HX-Request': 'true' } });

  it('offers CC/BCC on a mail ticket, and the mail carries the HTML and a readable text part, CC as a header and BCC only in the envelope', async () => {
    const ticket = await newTicket('mail');
    const page = await (await app.request(`/t/acme/desk/tickets/${ticket.number}`, { cookie })).text();
    expect(page).toContain('name="cc"');
    expect(page).toContain('name="bcc"');
    const before = smtp.received.length;
    const response = await send(ticket.number, {
      kind: 'reply', body: 'Hello **Carla**,\n\n- restart the printer\n- read [the manual](https://example.com/m)',
      cc: 'Boss <boss@customer.test>, it@customer.test', bcc: 'archive@acme.test',
    });
    expect(response.status).toBe(200);
    expect(smtp.received.length).toBe(before + 1);
    const mail = await simpleParser(smtp.received.at(-1)!);
    expect(addressesOf(mail.to)).toEqual(['carla@customer.test']);
    expect(addressesOf(mail.cc)).toEqual(['boss@customer.test', 'it@customer.test']);
    expect(mail.bcc).toBeUndefined();
    expect(smtp.received.at(-1)!.toString('utf8')).not.toMatch(/^bcc:/im);
    expect([...smtp.recipients.at(-1)!].sort()).toEqual(['archive@acme.test', 'boss@customer.test', 'carla@customer.test', 'it@customer.test']);
    expect(mail.html).toContain('<strong>Carla</strong>');
    expect(mail.html).toMatch(/<li>restart the printer<\/li>/);
    expect(mail.text).toContain('Hello Carla,');
    expect(mail.text).toContain('- restart the printer\n- read the manual (https://example.com/m)');
    // The article keeps the copies and shows them in its header.
    const html = await response.text();
    expect(html).toContain('CC: boss@customer.test, it@customer.test');
    expect(html).toContain('BCC: archive@acme.test');
  });

  it('refuses an invalid address at its own field, keeps the text, and sends nothing', async () => {
    const ticket = await newTicket('mail');
    const before = smtp.received.length;
    const response = await send(ticket.number, { kind: 'reply', body: 'Kept text', cc: 'boss@customer.test', bcc: 'not-an-address' });
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html).toMatch(/id="bcc-error" class="field-error">“not-an-address” is not an e-mail address.</);
    expect(html).not.toContain('id="cc-error"');
    expect(html).toContain('>Kept text</textarea>');
    expect(smtp.received.length).toBe(before);
    const articles = await tenantScope(app.services.db, tenantId).selectFrom('ticket_articles').select('id').where('ticket_id', '=', ticket.id).execute();
    expect(articles).toEqual([]);
  });

  it('offers no CC/BCC on a phone ticket until the tenant mails replies on every channel', async () => {
    const ticket = await newTicket('phone');
    expect(await (await app.request(`/t/acme/desk/tickets/${ticket.number}`, { cookie })).text()).not.toContain('name="cc"');
    await updatePluginSettings(app.services.db, app.services.registry, tenantId, 'helpdesk', { replyByMailForAllChannels: true });
    expect(await (await app.request(`/t/acme/desk/tickets/${ticket.number}`, { cookie })).text()).toContain('name="cc"');
  });
});
