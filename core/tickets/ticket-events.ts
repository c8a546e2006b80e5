/**
 * The ticket events plugins hook into (published through core/plugin-api). A change of the ticket
 * service raises every event that applies to it (a reply that solves raises TICKET_ARTICLE_ADDED,
 * TICKET_CHANGED, TICKET_STATUS_CHANGED and TICKET_SOLVED), in the order of TICKET_ACTION_EVENTS:
 * inside its transaction for filters (`api.filter`: may veto, which undoes the whole change) and
 * after commit for handlers (`api.on`). Which apply is read from what the change wrote to the
 * ticket's history, so an event never fires for a change that did not happen.
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

/** A field's value before and after a change (ids as numbers, custom field values as text, null for empty). */
export interface FieldChange {
  readonly old: string | number | null;
  readonly new: string | number | null;
}

/**
 * The fields one change moved, by their history names: `subject`, `priority`, `category`, `status`,
 * `organisation_id`, `requester_id`, `contract_id`, `group_id`, `assignee_id`, `custom_fields.<key>`.
 * Each goes from its value before the change to its value after it; a field moved and moved back is
 * not in it. For TICKET_CREATED: every one of these fields the new ticket was given, from null.
 */
export type TicketDiff = Readonly<Record<string, FieldChange>>;

export interface TicketChangePayload extends EventPayload {
  ticketId: number;
  number: string;
  /** Everything the change wrote to the ticket's history, in order. */
  changes: readonly TicketChange[];
  /** The fields the change moved, each with its old and new value (see TicketDiff). */
  diff: TicketDiff;
  /**
   * On TICKET_CREATED: what plugins' create-form fields sent (`p.<plugin>.<field>`); a filter validates
   * its own and refuses with `invalidFields(...)` (422 at those fields), or stores them in the transaction.
   * Empty for other events and for tickets created without a form (mail, API without them).
   */
  pluginFields: Readonly<Record<string, string>>;
  /** The staff user who made the change; null for a customer, mail or the system. */
  actorUserId: number | null;
}

export interface TicketArticlePayload extends EventPayload {
  ticketId: number;
  number: string;
  articleId: number;
  kind: ArticleKind;
}

/** A ticket was opened (by an agent, the phone form, the portal, mail, the API). */
export const TICKET_CREATED = defineEvent<TicketChangePayload>('ticket.created');
/** An existing ticket's fields moved (any of them, status and assignment included); `diff` says which. */
export const TICKET_CHANGED = defineEvent<TicketChangePayload>('ticket.changed');
/** The status moved (`diff.status`), by an explicit move, accepting, a reply or a customer's answer. */
export const TICKET_STATUS_CHANGED = defineEvent<TicketChangePayload>('ticket.status_changed');
/** The ticket became solved. */
export const TICKET_SOLVED = defineEvent<TicketChangePayload>('ticket.solved');
/** The ticket became closed (final). */
export const TICKET_CLOSED = defineEvent<TicketChangePayload>('ticket.closed');
/** A solved ticket went back to open (a customer's answer, or an agent reopening it). */
export const TICKET_REOPENED = defineEvent<TicketChangePayload>('ticket.reopened');
/**
 * The ticket got an assignee or another one (`diff.assignee_id.new`): accepted or taken into work,
 * forwarded to an agent, or created with one. Losing the assignee (forwarded to a group) is no assignment.
 */
export const TICKET_ASSIGNED = defineEvent<TicketChangePayload>('ticket.assigned');
/** The ticket moved to another group, level or agent. */
export const TICKET_FORWARDED = defineEvent<TicketChangePayload>('ticket.forwarded');
/** A reply, note or customer message was added through the composer, the portal, mail or the API. */
export const TICKET_ARTICLE_ADDED = defineEvent<TicketChangePayload>('ticket.article_added');
export const TICKET_DELETED = defineEvent<TicketChangePayload>('ticket.deleted');
export const TICKET_RESTORED = defineEvent<TicketChangePayload>('ticket.restored');
/** After commit only: an article (reply, note, customer message, a forward's note or word to the customer) was added, with its id and kind. */
export const TICKET_ARTICLE = defineEvent<TicketArticlePayload>('ticket.article');

/** The actions one ticket change may contain, each with its event, in the order they are raised. */
export const TICKET_ACTION_EVENTS = {
  created: TICKET_CREATED,
  changed: TICKET_CHANGED,
  status_changed: TICKET_STATUS_CHANGED,
  solved: TICKET_SOLVED,
  closed: TICKET_CLOSED,
  reopened: TICKET_REOPENED,
  assigned: TICKET_ASSIGNED,
  forwarded: TICKET_FORWARDED,
  article_added: TICKET_ARTICLE_ADDED,
  deleted: TICKET_DELETED,
  restored: TICKET_RESTORED,
} as const satisfies Record<string, EventRef<TicketChangePayload>>;
export type TicketAction = keyof typeof TICKET_ACTION_EVENTS;
