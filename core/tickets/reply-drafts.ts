import type { TenantScope } from '../tenancy/tenant-scope.js';
import { DomainError } from '../domain-error.js';
import type { Translate } from '../i18n/translate.js';
import { MAX_ATTACHMENTS } from './attachment-rules.js';

/** A file of a draft: already in the file store, attached to the article when the reply is sent. */
export interface DraftAttachment { sha256: string; filename: string; size: number }

/** What an agent has typed into a ticket's composer and not sent yet. */
export interface ReplyDraft {
  kind: 'reply' | 'note';
  body: string;
  cc: string;
  bcc: string;
  statusAfter: string;
  attachments: DraftAttachment[];
  updatedAt: string;
}

export type DraftText = Omit<ReplyDraft, 'attachments' | 'updatedAt'>;

export const MAX_DRAFT_TEXT = 100_000;
export const MAX_DRAFT_ADDRESSES_TEXT = 4_000;

function parseAttachments(json: string): DraftAttachment[] {
  try {
    const list = JSON.parse(json) as unknown;
    return Array.isArray(list) ? list.filter((a): a is DraftAttachment => typeof a?.sha256 === 'string' && typeof a?.filename === 'string' && typeof a?.size === 'number') : [];
  } catch {
    return [];
  }
}

/**
 * Drafts of replies, one per ticket and agent, in the tenant's scope: an agent reads and writes
 * only their own (every query names the user), nobody else's and no other tenant's.
 */
export function replyDrafts(s: TenantScope, clock: () => Date, t: Translate) {
  const row = (ticketId: number, userId: number) =>
    s.selectFrom('ticket_reply_drafts').selectAll().where('ticket_id', '=', ticketId).where('user_id', '=', userId).executeTakeFirst();

  const toDraft = (r: NonNullable<Awaited<ReturnType<typeof row>>>): ReplyDraft => ({
    kind: r.kind === 'note' ? 'note' : 'reply', body: r.body, cc: r.cc, bcc: r.bcc, statusAfter: r.status_after,
    attachments: parseAttachments(r.attachments), updatedAt: r.updated_at,
  });

  async function upsert(ticketId: number, userId: number, values: { kind?: string; body?: string; cc?: string; bcc?: string; status_after?: string; attachments?: string }): Promise<ReplyDraft> {
    const updated_at = clock().toISOString();
    await s.insertInto('ticket_reply_drafts', { ticket_id: ticketId, user_id: userId, ...values, updated_at })
      .onConflict((oc) => oc.columns(['tenant_id', 'ticket_id', 'user_id']).doUpdateSet({ ...values, updated_at }))
      .execute();
    return toDraft((await row(ticketId, userId))!);
  }

  return {
    async load(ticketId: number, userId: number): Promise<ReplyDraft | undefined> {
      const found = await row(ticketId, userId);
      return found ? toDraft(found) : undefined;
    },

    /** Saves the text, copies and status choice; the attached files stay as they are. */
    async save(ticketId: number, userId: number, draft: DraftText): Promise<ReplyDraft> {
      const fields: Record<string, string> = {};
      if (draft.body.length > MAX_DRAFT_TEXT) fields.body = t('validation.tooLong', { max: MAX_DRAFT_TEXT });
      for (const name of ['cc', 'bcc'] as const) if (draft[name].length > MAX_DRAFT_ADDRESSES_TEXT) fields[name] = t('validation.tooLong', { max: MAX_DRAFT_ADDRESSES_TEXT });
      if (Object.keys(fields).length) throw new DomainError('invalid', t('error.invalid'), fields);
      return upsert(ticketId, userId, { kind: draft.kind, body: draft.body, cc: draft.cc, bcc: draft.bcc, status_after: draft.statusAfter });
    },

    /** Adds files already put into the file store; refused beyond the number one reply may carry. */
    async attach(ticketId: number, userId: number, files: DraftAttachment[]): Promise<ReplyDraft> {
      const current = (await row(ticketId, userId))?.attachments;
      const list = [...(current ? parseAttachments(current) : []), ...files];
      if (list.length > MAX_ATTACHMENTS) {
        const message = t('attachment.count', { max: MAX_ATTACHMENTS });
        throw new DomainError('invalid', message, { attachments: message });
      }
      return upsert(ticketId, userId, { attachments: JSON.stringify(list) });
    },

    /** Removes the file at `index` (the list may hold the same file twice). */
    async detach(ticketId: number, userId: number, index: number): Promise<ReplyDraft | undefined> {
      const current = await row(ticketId, userId);
      if (!current) return undefined;
      const list = parseAttachments(current.attachments).filter((_, i) => i !== index);
      return upsert(ticketId, userId, { attachments: JSON.stringify(list) });
    },

    async discard(ticketId: number, userId: number): Promise<void> {
      await s.deleteFrom('ticket_reply_drafts').where('ticket_id', '=', ticketId).where('user_id', '=', userId).execute();
    },
  };
}
export type ReplyDrafts = ReturnType<typeof replyDrafts>;
