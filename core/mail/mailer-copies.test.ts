import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant } from '../tenancy/tenant-service.js';
import { createMailer } from './mailer.js';
import { createTestDatabase, dialects, type TestDatabase } from '../../test/harness/test-database.js';
import { startSmtpPeer, type SmtpPeer } from '../../test/harness/smtp-peer.js';

describe.each(dialects)('the outbox retry keeps a reply\'s CC and BCC on %s', (dialect) => {
  let database: TestDatabase;
  let smtp: SmtpPeer;
  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    smtp = await startSmtpPeer();
  });
  afterAll(async () => {
    await database.cleanup();
    await smtp.stop();
  });

  it('sends CC as a header and BCC only in the envelope, never the x-tresen- bookkeeping', async () => {
    const acme = await createTenant(database.db, { slug: 'acme', name: 'ACME', locale: 'en' });
    // As the helpdesk's sender leaves a mail whose first attempt failed.
    const row = await database.db.insertInto('mail_outbox').values({
      tenant_id: acme.id, to_address: 'carla@customer.test', from_address: '"ACME" <support@acme.test>', subject: 'Re: Printer', text_body: 'Hello', html_body: '<p>Hello</p>',
      headers: JSON.stringify({ 'x-tresen-cc': 'boss@customer.test, it@customer.test', 'x-tresen-bcc': 'archive@acme.test' }), status: 'failed', message_id: '<r1@acme.test>', error: 'timeout',
    }).returning('id').executeTakeFirstOrThrow();
    await database.db.updateTable('tenants').set({ smtp_url: smtp.url }).where('id', '=', acme.id).execute();
    const mailer = createMailer({ db: database.db, clock: () => new Date(), defaultSmtpUrl: undefined, defaultFrom: 'tresen@example.test' });
    expect(await mailer.deliverPending()).toBe(1);
    await mailer.close();
    const raw = smtp.received.at(-1)!.toString('utf8');
    const mail = await simpleParser(raw);
    expect((Array.isArray(mail.cc) ? mail.cc : [mail.cc!]).flatMap((a) => a.value.map((v) => v.address))).toEqual(['boss@customer.test', 'it@customer.test']);
    expect(raw).not.toMatch(/^(bcc|x-tresen-)/im);
    expect([...smtp.recipients.at(-1)!].sort()).toEqual(['archive@acme.test', 'boss@customer.test', 'carla@customer.test', 'it@customer.test']);
    expect((await database.db.selectFrom('mail_outbox').select('status').where('id', '=', row.id).executeTakeFirstOrThrow()).status).toBe('sent');
  });
});
