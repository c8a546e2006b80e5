import type { TicketStatus } from '../db/schema.js';

export const TICKET_STATUSES: readonly TicketStatus[] = ['new', 'open', 'waiting', 'solved', 'closed'];

/**
 * The servicecall lifecycle: log (new), process (open <-> waiting), solve, close.
 * A closed ticket is final: later contact opens a new ticket that refers to it.
 */
const TRANSITIONS: Readonly<Record<TicketStatus, readonly TicketStatus[]>> = {
  new: ['open', 'waiting', 'solved'],
  open: ['waiting', 'solved'],
  waiting: ['open', 'solved'],
  solved: ['open', 'closed'],
  closed: [],
};

export function allowedTransitions(from: TicketStatus): readonly TicketStatus[] {
  return TRANSITIONS[from];
}

/** Undefined when the move is allowed, else the message key that says why not. */
export function transitionRefusal(from: TicketStatus, to: TicketStatus): string | undefined {
  if (from === to) return 'ticket.refused.same';
  if (TRANSITIONS[from].includes(to)) return undefined;
  if (from === 'closed') return 'ticket.refused.closed';
  if (to === 'closed') return 'ticket.refused.closeUnsolved';
  if (to === 'new') return 'ticket.refused.backToNew';
  return 'ticket.refused.generic';
}

/** Statuses in which the customer waits on support, or support on the customer: the working set. */
export const ACTIVE_STATUSES: readonly TicketStatus[] = ['new', 'open', 'waiting'];
