import type { Context } from 'hono';
import type { Ticket } from '../../db/schema.js';
import type { AppEnv } from '../../http/app-env.js';
import { scope, staff } from '../../http/guards.js';
import type { FieldDefinition } from '../../tickets/custom-fields.js';
import { activeFieldDefinitions } from '../../tickets/custom-field-definitions.js';
import { ticketService } from '../../tickets/ticket-context.js';
import { ticketPageView, type TicketView } from '../../tickets/ticket-page-queries.js';
import { loadComposerExtras } from './reply-tools.js';
import { ticketLinks } from '../../tickets/ticket-links.js';
import { ticketTagList } from '../../tickets/ticket-tags.js';
import { ownerOptions } from '../../tickets/ticket-owner.js';

/** The ticket of this tenant by number; deleted tickets only for those who may restore them. */
export async function findTicket(c: Context<AppEnv>, number: string): Promise<Ticket> {
  return ticketService(c).get(number, { includeDeleted: c.var.can('tickets.delete') });
}

/** The tenant's active custom field definitions in their order. */
export async function fieldDefinitions(c: Context<AppEnv>): Promise<FieldDefinition[]> {
  return activeFieldDefinitions(scope(c));
}

/**
 * Everything the ticket page shows. `organisationId` lets the fields form offer the people
 * and contracts of an organisation the agent has chosen but not yet saved.
 */
export async function loadTicketView(c: Context<AppEnv>, number: string, organisationId?: number | null): Promise<TicketView> {
  const ticket = await findTicket(c, number);
  const [base, extras, links, tags, owners] = await Promise.all([
    ticketPageView(scope(c), ticket, { userId: staff(c).id, organisationId }), loadComposerExtras(c, ticket), ticketLinks(scope(c), ticket.id), ticketTagList(scope(c), ticket.id),
    ownerOptions(c.var.services.db, ticket.tenant_id, ticket),
  ]);
  const view = { ...base, signature: extras.signature, links, tags, owners };
  if (ticket.merged_into_id === null) return view;
  const survivor = await scope(c).selectFrom('tickets').select('number').where('id', '=', ticket.merged_into_id).executeTakeFirst();
  return { ...view, mergedInto: survivor?.number };
}

/** Route of one ticket; the number pattern keeps /desk/tickets/new and friends free. */
export const TICKET_PATH = '/desk/tickets/:number{[0-9]{4}-[0-9]{6,}}';
