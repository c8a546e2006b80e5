import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import nodemailer, { type Transporter } from 'nodemailer';
import { z } from 'zod';
import type { DB } from '../db/schema.js';
import type { Logger } from '../logger.js';
import type { Clock } from '../time.js';

export interface OutgoingMail {
  tenantId: number | null;
  to: string;
  subject: string;
  text: string;
  html?: string;
  headers?: Record<string, string>;
  replyTo?: string;
  inReplyTo?: string;
  references?: string[];
  attachments?: Array<{ filename: string; content: Buffer; contentType?: string }>;
}

export class MailAddressError extends Error {}

/** The attachments stored with an outbox row, as nodemailer takes them. */
export function readAttachments(json: string | null): OutgoingMail['attachments'] {
  if (!json) return undefined;
  const stored = JSON.parse(json) as Array<{ filename: string; contentType?: string; content: string }>;
  return stored.map((a) => ({ filename: a.filename, contentType: a.contentType, content: Buffer.from(a.content, 'base64') }));
}

const addressSchema = z.email();

/**
 * The one way mail leaves Tresen. Every mail is written to `mail_outbox` first (the
 * durable record the operator reads); with SMTP configured it is then delivered in the
 * background, so no request waits on a mail server.
 */
export function createMailer(options: { db: Kysely<DB>; clock: Clock; defaultSmtpUrl: string | undefined; defaultFrom: string; log?: Logger }) {
  const { db, clock, log } = options;
  const transports = new Map<string, Transporter>();
  const inFlight = new Set<Promise<void>>();

  const transportFor = (url: string) => {
    let transport = transports.get(url);
    if (!transport) {
      transport = nodemailer.createTransport(url);
      transports.set(url, transport);
    }
    return transport;
  };

  async function senderOf(tenantId: number | null): Promise<{ from: string; smtpUrl: string | undefined }> {
    if (tenantId === null) return { from: options.defaultFrom, smtpUrl: options.defaultSmtpUrl };
    const tenant = await db.selectFrom('tenants').select(['name', 'mail_from_name', 'mail_from_address', 'smtp_url']).where('id', '=', tenantId).executeTakeFirst();
    const address = tenant?.mail_from_address ?? options.defaultFrom;
    const name = (tenant?.mail_from_name ?? tenant?.name ?? '').replace(/["\\\r\n]/g, '');
    return { from: name ? `"${name}" <${address}>` : address, smtpUrl: tenant?.smtp_url ?? options.defaultSmtpUrl };
  }

  async function deliver(id: number): Promise<void> {
    const row = await db.selectFrom('mail_outbox').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row || row.status === 'sent') return;
    const { smtpUrl } = await senderOf(row.tenant_id);
    if (!smtpUrl) return;
    const headers = JSON.parse(row.headers) as Record<string, string> & { 'x-tresen-in-reply-to'?: string; 'x-tresen-references'?: string; 'x-tresen-reply-to'?: string; 'x-tresen-cc'?: string; 'x-tresen-bcc'?: string };
    const { 'x-tresen-in-reply-to': inReplyTo, 'x-tresen-references': references, 'x-tresen-reply-to': replyTo, 'x-tresen-cc': cc, 'x-tresen-bcc': bcc, ...extra } = headers;
    try {
      await transportFor(smtpUrl).sendMail({
        from: row.from_address, to: row.to_address, cc, bcc, subject: row.subject, text: row.text_body, html: row.html_body ?? undefined,
        messageId: row.message_id ?? undefined, headers: extra, inReplyTo, references, replyTo,
        attachments: readAttachments(row.attachments),
      });
      await db.updateTable('mail_outbox').set({ status: 'sent', sent_at: clock().toISOString(), error: null }).where('id', '=', id).execute();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log?.warn('mail delivery failed', { id, error: message });
      await db.updateTable('mail_outbox').set({ status: 'failed', error: message.slice(0, 1000) }).where('id', '=', id).execute();
    }
  }

  function inBackground(work: Promise<void>): void {
    const tracked = work.catch((error: unknown) => log?.error('mail delivery crashed', { error: String(error) })).finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
  }

  return {
    async send(mail: OutgoingMail): Promise<{ id: number; messageId: string }> {
      if (!addressSchema.safeParse(mail.to).success) throw new MailAddressError(`"${mail.to}" is not an e-mail address`);
      const { from, smtpUrl } = await senderOf(mail.tenantId);
      const domain = /@([^>\s]+)>?$/.exec(from)?.[1] ?? 'tresen.local';
      const messageId = `<${randomBytes(12).toString('hex')}@${domain}>`;
      const headers: Record<string, string> = { ...mail.headers };
      if (mail.inReplyTo) headers['x-tresen-in-reply-to'] = mail.inReplyTo;
      if (mail.references?.length) headers['x-tresen-references'] = mail.references.join(' ');
      if (mail.replyTo) headers['x-tresen-reply-to'] = mail.replyTo;
      const row = await db.insertInto('mail_outbox').values({
        tenant_id: mail.tenantId, to_address: mail.to, from_address: from, subject: mail.subject, text_body: mail.text,
        html_body: mail.html ?? null, headers: JSON.stringify(headers), status: 'stored', message_id: messageId,
        attachments: mail.attachments?.length ? JSON.stringify(mail.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content.toString('base64') }))) : null,
      }).returning('id').executeTakeFirstOrThrow();
      if (smtpUrl) inBackground(deliver(row.id));
      return { id: row.id, messageId };
    },

    /** Retries failed mails and stored ones whose sender now has SMTP; a job calls this periodically. */
    async deliverPending(limit = 50): Promise<number> {
      const rows = await db.selectFrom('mail_outbox').select('id').where('status', 'in', ['failed', 'stored']).orderBy('id').limit(limit).execute();
      for (const row of rows) await deliver(row.id);
      return rows.length;
    },

    /** Waits for deliveries under way (tests, shutdown). */
    async idle(): Promise<void> {
      await Promise.all([...inFlight]);
    },

    async close(): Promise<void> {
      await Promise.all([...inFlight]);
      for (const transport of transports.values()) transport.close();
      transports.clear();
    },
  };
}
export type Mailer = ReturnType<typeof createMailer>;
