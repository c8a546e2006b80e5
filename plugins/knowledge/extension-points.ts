/**
 * The knowledge plugin's published extension points: other plugins import these types (and only these) and
 * consume them with `services.hooks.extensions(POINT, tenantId)` while declaring `dependsOn: ['knowledge']`.
 */
import { defineExtensionPoint, type Services } from '../../core/plugin-api.js';

/** What a KB entry taken from a ticket is made of; the entry starts as an internal draft in `language`. */
export interface EntryFromTicketInput {
  /** The tenant's ticket the entry is taken from: kept as its origin (staff see the link, customers never). */
  ticketId: number;
  /** The topic, found by either name (case-insensitive) or created with both names when the tenant has none. */
  topic: { name_de: string; name_en: string };
  language: 'de' | 'en';
  /** The problem (the KB entry's title) and the solution (its body); `cause` optional. */
  title: string;
  body: string;
  cause?: string | undefined;
  /** Who takes it over (the audit entry and the entry's "created by"). */
  actor: { id: number; label: string };
}

export interface KnowledgeEntriesFromTickets {
  /**
   * A KB entry from a ticket: idempotent per origin ticket (a second call, also a concurrent one, returns the
   * entry the first made: `created` false). Refusals are DomainErrors (`invalidFields` at title/body, `not_found`
   * for a ticket that is not the tenant's).
   */
  fromTicket(services: Services, tenantId: number, input: EntryFromTicketInput): Promise<{ entryId: number; created: boolean }>;
  /** The KB entry taken from the ticket, if any (the lowest id when there were several). */
  entryOf(services: Services, tenantId: number, ticketId: number): Promise<number | null>;
}

export const KNOWLEDGE_ENTRIES = defineExtensionPoint<KnowledgeEntriesFromTickets>('knowledge.entriesFromTickets');
