import type { TicketFilter } from './ticket-queries.js';

// The built-in one-click views of ticket management, each a filter of the list (never a count of its
// own): a view's count is the total of the list it opens, counted by the list's own query (for these
// two from the per-tenant counters, ticket-counts.ts: status 'active' with one assignee or none).
// Plugins add theirs through TICKET_LIST_VIEWS (ticket-list-extensions.ts), e.g. the SLA's "overdue".

export const CORE_VIEWS = {
  /** My active tickets (new, customer waits, support waits) assigned to me. */
  mine: { status: 'active', assignee: 'me' },
  /** Active tickets nobody is assigned to. */
  unassigned: { status: 'active', assignee: 'none' },
} as const satisfies Record<string, TicketFilter>;
export type CoreViewId = keyof typeof CORE_VIEWS;

/** Ticket management's default: the active tickets, the set the "Ticket management" tab counts. */
export const MANAGEMENT_DEFAULT: TicketFilter = { status: 'active' };

/** Whether a filter is exactly a view's (ignoring sorting and paging): the view chip is then marked current. */
export function isViewFilter(filter: TicketFilter, view: Readonly<Record<string, string>>): boolean {
  const own = Object.entries(filter).filter(([key, value]) => value !== undefined && key !== 'sort' && key !== 'dir' && key !== 'page');
  const wanted = Object.entries(view);
  return own.length === wanted.length && wanted.every(([key, value]) => String((filter as Record<string, unknown>)[key] ?? '') === value);
}
