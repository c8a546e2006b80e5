/**
 * The ticket events plugins hook into (published through core/plugin-api). Each change of the
 * ticket service raises one event per action it contains, inside its transaction for filters
 * (`api.filter`: may veto) and after commit for handlers (`api.on`).
 */
import type { ArticleKind } from '../db/schema.js';
import { defineEvent, type EventPayload, type EventRef } from '../plugin-host/refs.js';

/** One line of a ticket's history as the change wrote it (a field's old and new value, or an article). */
export interface TicketChange {
  action: string;
  field?: string;
  old?: string | number | null;
  new?: string | number | null;
  note?: string;
}

export interface TicketChangePayload extends EventPayload {
  ticketId: number;
  number: string;
  /** Everything the change wrote to the ticket's history, in order. */
  changes: readonly TicketChange[];
  /**
   * On TICKET_CREATED: what plugins' create-form fields sent (`p.<plugin>.<field>`); a filter validates
   * its own and refuses with `invalidFields(...)` (422 at those fields), or stores them in the transaction.
   * Empty for other events and for tickets created without a form (mail, API without them).
   */
  pluginFields: Readonly<Record<string, string>>;
}

export interface TicketArticlePayload extends EventPayload {
  ticketId: number;
  number: string;
  articleId: number;
  kind: ArticleKind;
}

export const TICKET_CREATED = defineEvent<TicketChangePayload>('ticket.created');
export const TICKET_UPDATED = defineEvent<TicketChangePayload>('ticket.updated');
export const TICKET_STATUS_CHANGED = defineEvent<TicketChangePayload>('ticket.status_changed');
export const TICKET_FORWARDED = defineEvent<TicketChangePayload>('ticket.forwarded');
export const TICKET_ARTICLE_ADDED = defineEvent<TicketChangePayload>('ticket.article_added');
export const TICKET_DELETED = defineEvent<TicketChangePayload>('ticket.deleted');
export const TICKET_RESTORED = defineEvent<TicketChangePayload>('ticket.restored');
/** After commit only: an article (reply, note, customer message) was added, with its id and kind. */
export const TICKET_ARTICLE = defineEvent<TicketArticlePayload>('ticket.article');

/** The actions one ticket change may contain, each with its event. */
export const TICKET_ACTION_EVENTS = {
  created: TICKET_CREATED,
  updated: TICKET_UPDATED,
  status_changed: TICKET_STATUS_CHANGED,
  forwarded: TICKET_FORWARDED,
  article_added: TICKET_ARTICLE_ADDED,
  deleted: TICKET_DELETED,
  restored: TICKET_RESTORED,
} as const satisfies Record<string, EventRef<TicketChangePayload>>;
export type TicketAction = keyof typeof TICKET_ACTION_EVENTS;
