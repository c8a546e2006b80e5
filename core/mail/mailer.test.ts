import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant } from '../tenancy/tenant-service.js';
import { createMailer } from './mailer.js';
import { createTestDatabase, dialects, type TestDatabase } from '../../test/harness/test-database.js';
import { startSmtpPeer, type SmtpPeer } from '../../test/harness/smtp-peer.js';

describe.each(dialects)('mailer on %s', (dialect) => {
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

  it('keeps attachments with the stored mail, so a mail delivered once SMTP is configured still carries them', async () => {
    const mailer = createMailer({ db: database.db, clock: () => new Date(), defaultSmtpUrl: undefined, defaultFrom: 'tresen@example.test' });
    const acme = await createTenant(database.db, { slug: 'acme', name: 'ACME', locale: 'en' });
    const ics = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n';
    const { id } = await mailer.send({
      tenantId: acme.id, to: 'tom@acme.test', subject: 'Service order', text: 'See the calendar entry.',
      attachments: [{ filename: 'order.ics', content: Buffer.from(ics), contentType: 'text/calendar; charset=utf-8; method=REQUEST' }],
    });
    const stored = await database.db.selectFrom('mail_outbox').select(['status', 'attachments']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(stored.status).toBe('stored');
    expect(JSON.parse(stored.attachments!)).toEqual([{ filename: 'order.ics', contentType: 'text/calendar; charset=utf-8; method=REQUEST', content: Buffer.from(ics).toString('base64') }]);
    // A mail without attachments stores none.
    const plain = await mailer.send({ tenantId: acme.id, to: 'tom@acme.test', subject: 'Plain', text: 'No files.' });
    expect((await database.db.selectFrom('mail_outbox').select('attachments').where('id', '=', plain.id).executeTakeFirstOrThrow()).attachments).toBeNull();

    await database.db.updateTable('tenants').set({ smtp_url: smtp.url }).where('id', '=', acme.id).execute();
    // A new mailer: what was kept in the last one's memory is gone, as after a restart.
    const later = createMailer({ db: database.db, clock: () => new Date(), defaultSmtpUrl: undefined, defaultFrom: 'tresen@example.test' });
    expect(await later.deliverPending()).toBe(2);
    await later.close();
    expect(smtp.received).toHaveLength(2);
    const mails = await Promise.all(smtp.received.map((raw) => simpleParser(raw)));
    const withFile = mails.find((m) => m.subject === 'Service order')!;
    expect(withFile.attachments.map((a) => [a.filename, a.contentType, a.content.toString()])).toEqual([['order.ics', 'text/calendar', ics]]);
    expect(mails.find((m) => m.subject === 'Plain')!.attachments).toEqual([]);
    expect((await database.db.selectFrom('mail_outbox').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status).toBe('sent');
    await mailer.close();
  });
});
