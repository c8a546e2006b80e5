import { AsyncLocalStorage } from 'node:async_hooks';
import type { Kysely } from 'kysely';
import type { DB, FilterContext, TicketChangePayload } from '../../../core/plugin-api.js';
import { helpdeskScope, type HelpdeskMailsTable } from '../helpdesk-db.js';

/** Mail columns filled from the parsed message when it is settled. */
export type ParsedColumns = Pick<HelpdeskMailsTable, 'from_address' | 'from_name' | 'subject' | 'sent_at' | 'in_reply_to' | 'reference_ids' | 'body_text' | 'body_html' | 'auto_kind' | 'note'>;
export interface StoredPart { sha256: string; filename: string; mime_type: string; size: number; content_id: string | null }

/** What settling one claimed mail writes, in the same transaction as the ticket change it causes. */
export interface MailSettlement {
  tenantId: number;
  mailId: number;
  claim: string;
  mailboxId: number | null;
  status: 'ticket' | 'article' | 'open';
  columns: ParsedColumns;
  parts: StoredPart[];
  /** Message-IDs that thread to the ticket (this mail's own, so answers to it match too). */
  threadIds: string[];
  /** A mail to a closed ticket: the new ticket links to this one. */
  previousTicketId?: number | undefined;
  consumed?: boolean;
  ticketId?: number;
}

export class SettlementLost extends Error {}

/** Writes the settlement: the claimed row (only if still ours), its parts, thread ids, link. */
export async function writeSettlement(trx: Kysely<DB>, settlement: MailSettlement, ticket: { id: number; articleId: number | null } | null): Promise<void> {
  const scope = helpdeskScope(trx, settlement.tenantId);
  const updated = await scope.updateTable('helpdesk_mails').set({
    ...settlement.columns, status: settlement.status, ticket_id: ticket?.id ?? null, article_id: ticket?.articleId ?? null, claim: null, claimed_at: null,
  }).where('id', '=', settlement.mailId).where('status', '=', 'processing').where('claim', '=', settlement.claim).executeTakeFirst();
  // Another importer took the mail over (our claim expired): its result counts, ours rolls back.
  if (Number(updated.numUpdatedRows) !== 1) throw new SettlementLost(`mail ${settlement.mailId} is no longer claimed by this importer`);
  if (settlement.parts.length) {
    await scope.insertInto('helpdesk_mail_parts', settlement.parts.map((part) => ({ mail_id: settlement.mailId, ...part }))).execute();
  }
  if (ticket) {
    for (const messageId of settlement.threadIds) {
      await scope.insertInto('helpdesk_thread_ids', { message_id: messageId, ticket_id: ticket.id, outgoing: 0, mailbox_id: settlement.mailboxId })
        .onConflict((oc) => oc.columns(['tenant_id', 'message_id']).doNothing()).execute();
    }
    if (settlement.previousTicketId) {
      await scope.insertInto('helpdesk_ticket_links', { ticket_id: ticket.id, previous_ticket_id: settlement.previousTicketId }).execute();
    }
  }
}

/**
 * Carries the settlement of the mail being processed into the ticket service's transaction:
 * the importer runs the ticket change inside `run`, and the helpdesk's filter on
 * ticket.created / ticket.article_added writes the settlement with that change, so the
 * ticket change and "this mail is done" commit together or not at all.
 */
export function createSettlementContext() {
  const storage = new AsyncLocalStorage<MailSettlement>();
  return {
    run<T>(settlement: MailSettlement, work: () => Promise<T>): Promise<T> {
      return storage.run(settlement, work);
    },
    async filter(payload: TicketChangePayload, ctx: FilterContext): Promise<void> {
      const settlement = storage.getStore();
      if (!settlement || settlement.consumed || settlement.tenantId !== payload.tenantId) return;
      settlement.consumed = true;
      const articleId = payload.changes.find((change) => change.field === 'article')?.new;
      await writeSettlement(ctx.trx, settlement, { id: payload.ticketId, articleId: typeof articleId === 'number' ? articleId : null });
      settlement.ticketId = payload.ticketId;
    },
  };
}
export type SettlementContext = ReturnType<typeof createSettlementContext>;
