import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { DomainError } from '../domain-error.js';
import { tenantScope } from '../tenancy/tenant-scope.js';
import { attachmentType, checkAttachments, cleanFilename, type AttachmentInput } from './attachment-rules.js';
import { applyStatus } from './ticket-lifecycle-steps.js';
import type { ArticleInput, TicketActor } from './ticket-service-types.js';
import { current, notifyGroup, type Step, type TicketContext } from './ticket-unit.js';
import { waitingUntilStep } from './ticket-waiting.js';
import { cleanText } from '../text/text-hygiene.js';

export interface StoredAttachment { filename: string; mimeType: string; size: number; sha256: string; contentId: string | null }

/**
 * Puts the bytes into the file store before the ticket's transaction: the store writes its row
 * through its own connection, which on SQLite (one connection) would wait on the open transaction forever.
 */
export async function putAttachments(ctx: TicketContext, files: readonly AttachmentInput[] | undefined): Promise<StoredAttachment[]> {
  const stored: StoredAttachment[] = [];
  for (const file of files ?? []) {
    const filename = cleanFilename(file.filename);
    const mimeType = attachmentType(filename) ?? 'application/octet-stream';
    stored.push({ filename, mimeType, size: file.bytes.byteLength, sha256: await ctx.deps.files.put(ctx.tenantId, file.bytes, mimeType), contentId: file.contentId ?? null });
  }
  return stored;
}

export async function storeAttachments(ctx: TicketContext, trx: Kysely<DB>, ticketId: number, articleId: number | null, files: readonly StoredAttachment[]) {
  for (const file of files) {
    await tenantScope(trx, ctx.tenantId).insertInto('ticket_attachments', {
      ticket_id: ticketId, article_id: articleId, sha256: file.sha256, filename: file.filename, mime_type: file.mimeType, size: file.size, content_id: file.contentId,
    }).execute();
  }
}

export function refuseAttachments(ctx: TicketContext, files: readonly AttachmentInput[] | undefined) {
  const { t } = ctx;
  const refusal = files ? checkAttachments(files) : undefined;
  if (refusal) throw new DomainError('invalid', t(refusal.key, refusal.params), { attachments: t(refusal.key, refusal.params) });
}

/** A public reply, internal note or customer message, with attachments and the status rules that come with it. */
export async function articleStep(ctx: TicketContext, step: Step, input: ArticleInput, attachments: StoredAttachment[], actor: TicketActor): Promise<number> {
  const { t, tenantId } = ctx;
  const { trx, unit, now, values } = step;
  const ticket = current(step);
  if (ticket.status === 'closed' && input.kind !== 'note') throw new DomainError('conflict', t('ticket.refused.closed'));
  const article = await tenantScope(trx, tenantId).insertInto('ticket_articles', {
    ticket_id: ticket.id, kind: input.kind, channel: input.channel ?? 'web',
    author_user_id: actor.kind === 'user' ? actor.id : null, author_person_id: actor.kind === 'person' ? actor.id : null,
    author_label: actor.label, body_text: cleanText(input.body), body_html: input.bodyHtml ?? null, message_id: input.messageId ?? null, created_at: now,
    time_spent_minutes: input.timeSpentMinutes ?? null,
    body_markdown: input.bodyMarkdown ?? null, cc: input.cc?.length ? input.cc.join(', ') : null, bcc: input.bcc?.length ? input.bcc.join(', ') : null,
  }).returning('id').executeTakeFirstOrThrow();
  // The ticket's sum moves with the article, in this transaction (never summed per view).
  if (input.timeSpentMinutes) values.time_spent_minutes = ticket.time_spent_minutes + input.timeSpentMinutes;
  if (attachments.length) await storeAttachments(ctx, trx, ticket.id, article.id, attachments);
  unit.history.push({ action: input.kind, field: 'article', new: article.id });
  if (input.kind === 'reply') {
    if (!ticket.first_response_at) values.first_response_at = now;
    if (ticket.status === 'new' && !input.statusAfter) applyStatus(ctx, step.ticket, 'open', actor, values, unit, now);
  }
  if (input.kind === 'customer') {
    // The customer answered: support is up again, and a solved ticket reopens.
    if (ticket.status === 'waiting' || ticket.status === 'solved') applyStatus(ctx, step.ticket, 'open', actor, values, unit, now);
    const message = { key: 'notification.customerReply', params: { number: ticket.number, subject: ticket.subject } };
    const summary = t(message.key, message.params);
    if (ticket.assignee_id) unit.notifications.push({ userId: ticket.assignee_id, kind: 'customer_reply', summary, message });
    else if (ticket.group_id) await notifyGroup(ctx, trx, ticket.group_id, undefined, 'customer_reply', summary, unit, message);
  }
  if (input.kind === 'note') {
    for (const userId of await mentionedUsers(ctx, trx, input.body)) {
      const params = { number: ticket.number, subject: ticket.subject };
      unit.notifications.push({ userId, kind: 'mention', summary: t('notification.mention', params), message: { key: 'notification.mention', params } });
    }
  }
  if (input.statusAfter && input.statusAfter !== current(step).status) applyStatus(ctx, step.ticket, input.statusAfter, actor, values, unit, now);
  if (input.waitingUntil !== undefined) {
    if (current(step).status !== 'waiting') throw new DomainError('invalid', t('error.invalid'), { waiting_until: t('waiting.onlyWaiting') });
    waitingUntilStep(ctx, step, input.waitingUntil);
  }
  unit.reindex = true;
  unit.articles.push({ number: ticket.number, ticketId: ticket.id, articleId: article.id, kind: input.kind });
  return article.id;
}

/** Staff named in a note as @name (the part of their e-mail before the @) or @full-address. */
async function mentionedUsers(ctx: TicketContext, trx: Kysely<DB>, body: string): Promise<number[]> {
  const handles = [...body.matchAll(/(?:^|[\s(])@([\w.+-]+(?:@[\w.-]+\.\w+)?)/g)].map((m) => m[1]!.toLowerCase().replace(/\.$/, ''));
  if (handles.length === 0) return [];
  const users = await trx.selectFrom('users').select(['id', 'email']).where('tenant_id', '=', ctx.tenantId).where('active', '=', 1).execute();
  return users.filter((u) => handles.includes(u.email.toLowerCase()) || handles.includes(u.email.toLowerCase().split('@')[0]!)).map((u) => u.id);
}
