import { randomBytes } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { Services } from '../../../core/plugin-api.js';
import { helpdeskScope } from '../helpdesk-db.js';
import { createSecretBox } from './secret-box.js';

export interface HelpdeskMail {
  tenantId: number;
  mailboxId: number;
  to: string;
  cc?: string[] | undefined;
  bcc?: string[] | undefined;
  subject: string;
  text: string;
  html: string;
  inReplyTo?: string | undefined;
  references?: string[] | undefined;
  headers?: Record<string, string> | undefined;
  attachments?: Array<{ filename: string; content: Buffer; contentType: string }> | undefined;
}

const quoteName = (name: string) => `"${name.replace(/["\\\r\n]/g, '')}"`;

/** A Message-ID in the sending mailbox's domain; we keep it to thread the answer back. */
export function newMessageId(fromAddress: string): string {
  return `<${randomBytes(12).toString('hex')}.hd@${fromAddress.split('@')[1] ?? 'tresen.local'}>`;
}

/**
 * Sends a mail from a helpdesk mailbox: its address and name, its SMTP server (else the
 * tenant's, else the instance's). The mail is written to mail_outbox first (the operator's
 * record, and core's retry job delivers it later if this attempt fails); without any SMTP it
 * stays stored there, like every other mail of Tresen.
 */
export async function sendFromMailbox(services: Services, mail: HelpdeskMail): Promise<{ messageId: string; status: 'sent' | 'stored' | 'failed' }> {
  const scope = helpdeskScope(services.db, mail.tenantId);
  const mailbox = await scope.selectFrom('helpdesk_mailboxes').select(['from_address', 'from_name', 'smtp_url']).where('id', '=', mail.mailboxId).executeTakeFirstOrThrow();
  const tenant = await scope.db.selectFrom('tenants').select(['name', 'smtp_url']).where('id', '=', mail.tenantId).executeTakeFirstOrThrow();
  const from = `${quoteName(mailbox.from_name ?? tenant.name)} <${mailbox.from_address}>`;
  const smtpUrl = mailbox.smtp_url ? createSecretBox(services.config.secret).open(mailbox.smtp_url) : tenant.smtp_url ?? services.config.smtpUrl;
  const messageId = newMessageId(mailbox.from_address);
  const headers: Record<string, string> = { ...mail.headers };
  if (mail.inReplyTo) headers['x-tresen-in-reply-to'] = mail.inReplyTo;
  if (mail.references?.length) headers['x-tresen-references'] = mail.references.join(' ');
  // Kept for core's retry (core/mail/mailer.ts), which takes them off the headers again; BCC never goes out as a header.
  if (mail.cc?.length) headers['x-tresen-cc'] = mail.cc.join(', ');
  if (mail.bcc?.length) headers['x-tresen-bcc'] = mail.bcc.join(', ');
  const row = await scope.insertInto('mail_outbox', {
    to_address: mail.to, from_address: from, subject: mail.subject, text_body: mail.text, html_body: mail.html,
    headers: JSON.stringify(headers), status: 'stored', message_id: messageId, error: null, sent_at: null,
  }).returning('id').executeTakeFirstOrThrow();
  if (!smtpUrl) return { messageId, status: 'stored' };
  const transport = nodemailer.createTransport(smtpUrl);
  try {
    await transport.sendMail({
      from, to: mail.to, cc: mail.cc, bcc: mail.bcc, subject: mail.subject, text: mail.text, html: mail.html, messageId,
      inReplyTo: mail.inReplyTo, references: mail.references, headers: mail.headers, attachments: mail.attachments,
    });
    await scope.updateTable('mail_outbox').set({ status: 'sent', sent_at: services.clock().toISOString() }).where('id', '=', row.id).execute();
    return { messageId, status: 'sent' };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    services.log.warn('helpdesk mail delivery failed', { tenantId: mail.tenantId, id: row.id, error: message });
    await scope.updateTable('mail_outbox').set({ status: 'failed', error: message.slice(0, 1000) }).where('id', '=', row.id).execute();
    return { messageId, status: 'failed' };
  } finally {
    transport.close();
  }
}
