import { DomainError, pluginScope, type DB, type Services } from '../../core/plugin-api.js';
import type { Kysely } from 'kysely';
import type { KnowledgeDB } from './knowledge-db.js';

/** What a KB entry taken from a ticket starts with: the subject, the customer's first message and the solving reply. */
export interface TicketDraft { ticketId: number; number: string; subject: string; problem: string; solution: string }

/** The ticket an entry was taken from; `deleted` once the ticket is deleted or gone (the number stays readable). */
export interface TicketOrigin { ticketId: number; number: string; subject: string | null; deleted: boolean; creditedTo: string | null }

/**
 * The knowledge base's side of tickets: drafting an entry from a solved ticket, the origin link (it outlives
 * the ticket), the entries taken from a ticket, and the usage counters (an entry put into a ticket's reply,
 * and solved once that ticket is solved), each change in one transaction.
 */
export function ticketKnowledge(services: Services, tenantId: number) {
  const scope = pluginScope<KnowledgeDB>(services.db, tenantId);

  return {
    /** The draft from a solved (or closed) ticket of the tenant; 404 for another tenant's, a deleted or an unsolved one. */
    async draft(ticketId: number): Promise<TicketDraft> {
      const ticket = await scope.selectFrom('tickets').select(['id', 'number', 'subject', 'description', 'status', 'solved_at'])
        .where('id', '=', ticketId).where('deleted_at', 'is', null).executeTakeFirst();
      if (!ticket || !['solved', 'closed'].includes(ticket.status)) throw new DomainError('not_found', 'error.notFound');
      const firstCustomer = await scope.selectFrom('ticket_articles').select('body_text')
        .where('ticket_id', '=', ticketId).where('kind', '=', 'customer').orderBy('created_at').orderBy('id').limit(1).executeTakeFirst();
      // The solving reply: the last reply up to the moment it was solved (the last reply at all without that moment).
      let replies = scope.selectFrom('ticket_articles').select('body_text').where('ticket_id', '=', ticketId).where('kind', '=', 'reply');
      if (ticket.solved_at) replies = replies.where('created_at', '<=', ticket.solved_at);
      const solving = await replies.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
      return { ticketId: ticket.id, number: ticket.number, subject: ticket.subject, problem: firstCustomer?.body_text ?? ticket.description, solution: solving?.body_text ?? '' };
    },

    /** Where the entry came from (staff only: never rendered for customers). */
    async originOf(entryId: number): Promise<TicketOrigin | null> {
      const origin = await scope.selectFrom('knowledge_ticket_origins').select(['ticket_id', 'ticket_number', 'credited_to']).where('entry_id', '=', entryId).executeTakeFirst();
      if (!origin) return null;
      const ticket = await scope.selectFrom('tickets').select(['subject', 'deleted_at']).where('id', '=', origin.ticket_id).executeTakeFirst();
      return { ticketId: origin.ticket_id, number: origin.ticket_number, subject: ticket?.subject ?? null, deleted: !ticket || ticket.deleted_at !== null, creditedTo: origin.credited_to };
    },

    /** The entries taken from a ticket (for its page). */
    async takenFrom(ticketId: number): Promise<Array<{ id: number; title: string; state: string }>> {
      return scope.selectFrom('knowledge_ticket_origins as o').innerJoin('knowledge_entries as e', 'e.id', 'o.entry_id')
        .select(['e.id', 'e.title', 'e.state']).where('o.ticket_id', '=', ticketId).orderBy('e.id').execute();
    },

    /**
     * An agent put the entry into the ticket's reply: counted once per ticket and entry, in one transaction.
     * Returns the text to insert, and whether customers may read the entry themselves (then a link goes with it).
     */
    async use(ticketId: number, entryId: number): Promise<{ title: string; body: string; forCustomers: boolean }> {
      return services.db.transaction().execute(async (trx) => {
        const tx = scope.withDb(trx);
        const ticket = await tx.selectFrom('tickets').select(['id', 'status']).where('id', '=', ticketId).where('deleted_at', 'is', null).executeTakeFirst();
        const entry = await tx.selectFrom('knowledge_entries').select(['id', 'title', 'body', 'steps', 'state', 'visibility']).where('id', '=', entryId).executeTakeFirst();
        if (!ticket || !entry) throw new DomainError('not_found', 'error.notFound');
        const inserted = await tx.insertInto('knowledge_ticket_uses', { ticket_id: ticketId, entry_id: entryId, used_at: services.clock().toISOString() })
          .onConflict((oc) => oc.columns(['ticket_id', 'entry_id']).doNothing()).executeTakeFirst();
        if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0) {
          await tx.updateTable('knowledge_entries').set((eb) => ({ used_count: eb('used_count', '+', 1) })).where('id', '=', entryId).execute();
        }
        return {
          title: entry.title, body: [entry.body, entry.steps].filter(Boolean).join('\n\n'),
          forCustomers: entry.state === 'published' && entry.visibility !== 'internal',
        };
      });
    },
  };
}

/**
 * Inside the transaction that solves a ticket (the TICKET_SOLVED filter): every entry used in it and not yet
 * counted for it counts one "solved a ticket".
 */
export async function countSolved(trx: Kysely<DB>, tenantId: number, ticketId: number): Promise<void> {
  const scope = pluginScope<KnowledgeDB>(trx, tenantId);
  const open = await scope.selectFrom('knowledge_ticket_uses').select('entry_id').where('ticket_id', '=', ticketId).where('solved', '=', 0).execute();
  if (open.length === 0) return;
  const ids = open.map((row) => row.entry_id);
  await scope.updateTable('knowledge_ticket_uses').set({ solved: 1 }).where('ticket_id', '=', ticketId).where('entry_id', 'in', ids).execute();
  await scope.updateTable('knowledge_entries').set((eb) => ({ solved_count: eb('solved_count', '+', 1) })).where('id', 'in', ids).execute();
}
