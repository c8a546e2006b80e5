import { simpleParser, type AddressObject, type Attachment } from 'mailparser';
import { sanitizeMailHtml } from './html-safety.js';
import type { DeliveryReport, ParsedAttachment, ParsedMail } from './parsed-mail.js';

const LOOP_HEADERS = ['auto-submitted', 'precedence', 'x-loop', 'x-auto-response-suppress', 'list-id', 'list-unsubscribe', 'return-path', 'x-autoreply', 'x-autorespond', 'content-type', 'x-tresen-loop'];
/** Above this, HTML is not parsed into text (it is kept, sanitized, for display). */
const MAX_HTML_TO_TEXT = 2 * 1024 * 1024;

function addresses(value: AddressObject | AddressObject[] | undefined): Array<{ address: string; name: string }> {
  const list = Array.isArray(value) ? value : value ? [value] : [];
  return list.flatMap((entry) => entry.value).flatMap((item) => (item.address ? [{ address: item.address.toLowerCase(), name: item.name ?? '' }] : []));
}

function headerText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return headerText(value[0]);
  if (typeof value === 'object' && 'value' in (value as object)) {
    const v = value as { value: unknown; params?: Record<string, string> };
    const params = v.params ? Object.entries(v.params).map(([k, p]) => `; ${k}=${p}`).join('') : '';
    return `${typeof v.value === 'string' ? v.value : Array.isArray(v.value) ? '' : String(v.value)}${params}`;
  }
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

function idList(value: string | string[] | undefined): string[] {
  const list = Array.isArray(value) ? value : value ? [value] : [];
  return list.flatMap((item) => item.match(/<[^<>\s]+>/g) ?? []).slice(0, 100);
}

function extensionFor(contentType: string): string {
  const sub = contentType.split('/')[1]?.split(/[;+]/)[0] ?? 'bin';
  return ({ jpeg: 'jpg', plain: 'txt', 'rfc822': 'eml', 'delivery-status': 'txt', 'rfc822-headers': 'txt' } as Record<string, string>)[sub] ?? sub.replace(/[^a-z0-9]/gi, '').slice(0, 8);
}

/** The delivery-status part of a bounce: who failed, why, and which of our mails it was. */
function deliveryReport(attachments: Attachment[]): DeliveryReport | null {
  const status = attachments.find((a) => a.contentType === 'message/delivery-status');
  if (!status) return null;
  const statusText = status.content.toString('utf8');
  const lines = statusText.split(/\r?\n/).filter((line) => /^(Final-Recipient|Original-Recipient|Action|Status|Diagnostic-Code):/i.test(line));
  const original = attachments.find((a) => a.contentType === 'message/rfc822' || a.contentType === 'text/rfc822-headers');
  const originalMessageId = original ? /^Message-ID:\s*(<[^>\s]+>)/im.exec(original.content.toString('utf8').split(/\r?\n\r?\n/)[0] ?? '')?.[1] ?? null : null;
  return { originalMessageId, summary: lines.join('\n').slice(0, 2000) };
}

/** Parses a raw message best-effort: broken input gives what could be read, never a rejection. */
export async function parseMail(raw: Buffer): Promise<ParsedMail> {
  const mail = await simpleParser(raw, {
    skipImageLinks: true,
    skipTextToHtml: true,
    skipTextLinks: true,
    keepDeliveryStatus: true,
    maxHtmlLengthToParse: MAX_HTML_TO_TEXT,
  });
  const headers: Record<string, string> = {};
  for (const name of LOOP_HEADERS) {
    const value = mail.headers.get(name);
    if (value !== undefined) headers[name] = headerText(value).slice(0, 500);
  }
  const isReport = /^multipart\/report/i.test(headers['content-type'] ?? '') && /report-type=["']?delivery-status/i.test(headers['content-type'] ?? '');
  const report = isReport || mail.attachments.some((a) => a.contentType === 'message/delivery-status') ? deliveryReport(mail.attachments) : null;
  const html = typeof mail.html === 'string' && mail.html.trim() ? sanitizeMailHtml(mail.html) : null;
  const attachments: ParsedAttachment[] = mail.attachments.map((attachment, index) => {
    const contentId = attachment.contentId ? attachment.contentId.replace(/^<|>$/g, '') : null;
    const inline = Boolean(contentId && html?.includes(`cid:${contentId}`));
    const filename = attachment.filename?.trim() || `${inline ? 'inline' : 'attachment'}-${index + 1}.${extensionFor(attachment.contentType)}`;
    // Own copies: the parser's buffers may share one ArrayBuffer, which cannot be transferred twice.
    return { filename, contentType: attachment.contentType, contentId, inline, bytes: new Uint8Array(attachment.content) };
  });
  const from = addresses(mail.from)[0] ?? null;
  return {
    messageId: idList(mail.messageId)[0] ?? null,
    inReplyTo: idList(mail.inReplyTo)[0] ?? null,
    references: idList(mail.references),
    subject: (mail.subject ?? '').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '').trim().slice(0, 500),
    from,
    replyTo: addresses(mail.replyTo)[0]?.address ?? null,
    to: [...addresses(mail.to), ...addresses(mail.cc)].map((a) => a.address),
    date: mail.date && !Number.isNaN(mail.date.getTime()) ? mail.date.toISOString() : null,
    headers,
    text: (mail.text ?? '').replace(/\r\n?/g, '\n'),
    html,
    attachments,
    report,
  };
}
