import type { Kysely } from 'kysely';
import { isLocale, type DB, type ReplyMailChannel, type Services, type Ticket, type TicketArticlePayload, type Translate } from '../../../core/plugin-api.js';
import { helpdeskScope } from '../helpdesk-db.js';
import { helpdeskSettings, type HelpdeskSettings } from '../settings.js';
import { sendFromMailbox } from './mail-sender.js';
import { taggedSubject } from './subject-tag.js';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

/** Plain text as a small HTML part: escaped, paragraphs and line breaks kept. */
export function textToHtml(text: string): string {
  const paragraphs = text.replace(/\r\n?/g, '\n').split(/\n{2,}/).map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`);
  return `<!doctype html><html><body style="font-family:sans-serif">${paragraphs.join('\n')}</body></html>`;
}

/** Which tickets' replies this plugin mails (mailReply below): mail tickets, and all when the tenant says so. */
export const replyMailChannel: ReplyMailChannel = {
  async mailsReplies({ ticket, settings }) {
    if (ticket.channel === 'mail') return true;
    return helpdeskSettings(await settings('helpdesk')).replyByMailForAllChannels;
  },
};

/** The mail's HTML part of a reply written in the composer: its safe HTML (made from markdown and sanitized when saved). */
export function composedHtml(html: string): string {
  return `<!doctype html><html><body style="font-family:sans-serif">${html}</body></html>`;
}

const addresses = (list: string | null) => (list ? list.split(',').map((a) => a.trim()).filter(Boolean) : undefined);

/** The mailbox a ticket's mail goes out through: the one it came in by, else the tenant's first. */
async function mailboxFor(services: Services, tenantId: number, ticketId: number): Promise<number | undefined> {
  const scope = helpdeskScope(services.db, tenantId);
  const came = await scope.selectFrom('helpdesk_mails').innerJoin('helpdesk_mailboxes', 'helpdesk_mailboxes.id', 'helpdesk_mails.mailbox_id')
    .select('helpdesk_mails.mailbox_id').where('helpdesk_mails.ticket_id', '=', ticketId)
    .orderBy('helpdesk_mails.id').executeTakeFirst();
  if (came?.mailbox_id) return came.mailbox_id;
  const first = await scope.selectFrom('helpdesk_mailboxes').select('id').where('active', '=', 1).orderBy('id').executeTakeFirst();
  return first?.id;
}

/** Message-IDs of a ticket's thread, oldest first (for References), and the newest from the customer (for In-Reply-To). */
async function threadOf(services: Services, tenantId: number, ticketId: number): Promise<{ references: string[]; inReplyTo: string | undefined }> {
  const rows = await helpdeskScope(services.db, tenantId).selectFrom('helpdesk_thread_ids').select(['message_id', 'outgoing']).where('ticket_id', '=', ticketId)
    .orderBy('created_at').execute();
  const incoming = rows.filter((r) => !r.outgoing);
  return { references: rows.map((r) => r.message_id).slice(-20), inReplyTo: incoming.at(-1)?.message_id ?? rows.at(-1)?.message_id };
}

async function rememberOutgoing(services: Services, tenantId: number, ticketId: number, mailboxId: number, messageId: string, db: Kysely<DB> = services.db): Promise<void> {
  await helpdeskScope(db, tenantId).insertInto('helpdesk_thread_ids', { message_id: messageId, ticket_id: ticketId, outgoing: 1, mailbox_id: mailboxId, created_at: services.clock().toISOString() })
    .onConflict((oc) => oc.columns(['tenant_id', 'message_id']).doNothing()).execute();
}

/**
 * The words of a mail to a ticket's requester: in the requester's language (set in the portal or by staff on the
 * person), else `fallback` (the tenant's), never in the language of the agent whose action sent it.
 */
export async function requesterTranslate(services: Services, tenantId: number, requesterId: number | null, fallback: Translate): Promise<Translate> {
  if (!requesterId) return fallback;
  const person = await helpdeskScope(services.db, tenantId).selectFrom('people').select('locale').where('id', '=', requesterId).executeTakeFirst();
  return isLocale(person?.locale) ? services.catalog.translator(person.locale) : fallback;
}

/**
 * The confirmation for a ticket a mail opened: the number in the subject, Auto-Submitted:
 * auto-replied (RFC 3834) so other robots stay quiet, and a per-recipient hourly limit. In the
 * requester's language when they have one, else in `t` (the tenant's).
 */
export async function sendConfirmation(services: Services, input: { tenantId: number; mailboxId: number; ticket: Ticket; to: string; inReplyTo: string | null; settings: HelpdeskSettings; t: Translate }): Promise<boolean> {
  const scope = helpdeskScope(services.db, input.tenantId);
  const now = services.clock();
  const since = new Date(now.getTime() - 3600_000).toISOString();
  const recipient = input.to.toLowerCase();
  const recent = await scope.selectFrom('helpdesk_auto_replies').select((eb) => eb.fn.countAll<number>().as('n')).where('recipient', '=', recipient).where('sent_at', '>=', since).executeTakeFirstOrThrow();
  if (Number(recent.n) >= input.settings.autoRepliesPerSenderPerHour) return false;
  const { ticket } = input;
  const t = await requesterTranslate(services, input.tenantId, ticket.requester_id, input.t);
  const text = t('helpdesk.confirmation.text', { number: ticket.number, subject: ticket.subject });
  const { messageId } = await sendFromMailbox(services, {
    tenantId: input.tenantId, mailboxId: input.mailboxId, to: input.to, subject: taggedSubject(t('helpdesk.confirmation.subject', { subject: ticket.subject }), ticket.number, input.settings.subjectTag),
    text, html: textToHtml(text), inReplyTo: input.inReplyTo ?? undefined, references: input.inReplyTo ? [input.inReplyTo] : undefined,
    headers: { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All', 'X-Loop': input.to.replace(/[\r\n]/g, '') },
  });
  await services.db.transaction().execute(async (trx) => {
    await scope.withDb(trx).insertInto('helpdesk_auto_replies', { recipient, ticket_id: ticket.id, sent_at: now.toISOString() }).execute();
    await rememberOutgoing(services, input.tenantId, ticket.id, input.mailboxId, messageId, trx);
  });
  return true;
}

/**
 * After an agent's public reply commits: mail it to the requester from the ticket's mailbox,
 * with the ticket number in the subject, our Message-ID (kept on the article and in the
 * thread, so the answer finds its way back), In-Reply-To/References, text and HTML parts (the
 * composer's HTML where the agent wrote markdown), CC and BCC, and the reply's attachments. Tickets of other channels only when the tenant says so.
 */
export async function mailReply(services: Services, payload: TicketArticlePayload): Promise<void> {
  if (payload.kind !== 'reply') return;
  const tenantId = payload.tenantId;
  const scope = helpdeskScope(services.db, tenantId);
  const ticket = await scope.selectFrom('tickets').selectAll().where('id', '=', payload.ticketId).executeTakeFirst();
  if (!ticket) return;
  const settings = helpdeskSettings(await services.tenants.pluginSettings(tenantId, 'helpdesk'));
  if (ticket.channel !== 'mail' && !settings.replyByMailForAllChannels) return;
  const requester = ticket.requester_id ? await scope.selectFrom('people').select(['email']).where('id', '=', ticket.requester_id).executeTakeFirst() : undefined;
  if (!requester?.email) return;
  const mailboxId = await mailboxFor(services, tenantId, ticket.id);
  if (!mailboxId) return;
  const article = await scope.selectFrom('ticket_articles').select(['id', 'body_text', 'body_html', 'body_markdown', 'cc', 'bcc', 'message_id']).where('id', '=', payload.articleId).executeTakeFirst();
  if (!article || article.message_id) return;
  const files = await scope.selectFrom('ticket_attachments').select(['sha256', 'filename', 'mime_type']).where('article_id', '=', article.id).execute();
  const attachments = [];
  for (const file of files) {
    const stored = await services.files.get(tenantId, file.sha256);
    if (stored) attachments.push({ filename: file.filename, content: stored.bytes, contentType: file.mime_type });
  }
  const thread = await threadOf(services, tenantId, ticket.id);
  const { messageId } = await sendFromMailbox(services, {
    tenantId, mailboxId, to: requester.email, subject: taggedSubject(`Re: ${ticket.subject}`, ticket.number, settings.subjectTag),
    text: article.body_text, html: article.body_markdown !== null && article.body_html ? composedHtml(article.body_html) : textToHtml(article.body_text),
    cc: addresses(article.cc), bcc: addresses(article.bcc), inReplyTo: thread.inReplyTo, references: thread.references, attachments,
  });
  await scope.updateTable('ticket_articles').set({ message_id: messageId }).where('id', '=', article.id).execute();
  await rememberOutgoing(services, tenantId, ticket.id, mailboxId, messageId);
}
