import type { TicketChannel, TicketStatus } from '../db/schema.js';

// What one ticket contributes to the KPI reports (kpi_facts, migration 0014), replayed from the
// ticket and its history. The same function serves the change in a ticket's transaction and the
// rebuild from scratch, so the stored facts and a recount can only differ if a change escaped the
// ticket service.

/** The ticket columns a fact reads. */
export interface FactTicket {
  id: number;
  created_at: string;
  status: TicketStatus;
  group_id: number | null;
  assignee_id: number | null;
  organisation_id: number | null;
  category: string | null;
  channel: TicketChannel | string;
  first_response_at: string | null;
  solved_at: string | null;
  closed_at: string | null;
  deleted_at: string | null;
  /** 'merged' or 'spam' when the ticket was closed as a duplicate or as spam. */
  close_reason: string | null;
}

/** The history lines a fact replays (fields status, group_id, assignee_id), oldest first. */
export interface FactChange { field: string | null; old_value: string | null; new_value: string | null; created_at: string }

export const FACT_FIELDS = ['status', 'group_id', 'assignee_id'] as const;

/** A kpi_facts row without its tenant and without business time (which the store asks the seam for). */
export interface KpiFact {
  ticket_id: number;
  created_at: string;
  first_response_at: string | null;
  first_response_seconds: number | null;
  first_response_day: string | null;
  first_solved_at: string | null;
  resolved_at: string | null;
  resolution_seconds: number | null;
  resolved_day: string | null;
  reopen_count: number;
  agent_id: number | null;
  group_id: number | null;
  organisation_id: number | null;
  category: string | null;
  channel: string;
}

const RESOLVED: ReadonlySet<string | null> = new Set(['solved', 'closed']);
const id = (value: string | null | undefined): number | null => {
  const n = value === null || value === undefined || value === '' ? NaN : Number(value);
  return Number.isInteger(n) && n > 0 ? n : null;
};
const seconds = (from: string, until: string | null) => (until === null ? null : Math.max(0, Math.floor((Date.parse(until) - Date.parse(from)) / 1000)));

/**
 * The ticket's fact, or null for a deleted, merged or spam ticket. Replaying its status lines: it is resolved when it
 * enters solved or closed from another status, and unresolved again when it leaves them (a reopen);
 * `resolved_at` is the last resolution that still holds, `first_solved_at` the first ever. The agent
 * and group are those the ticket had at that last resolution (replayed from the group and assignee
 * lines, in the order they were written), or those it has now while unresolved.
 */
export function ticketFact(ticket: FactTicket, history: readonly FactChange[], dayOf: (iso: string) => string): KpiFact | null {
  // A deleted ticket, a duplicate merged into another and spam are nobody's work: they count nowhere.
  if (ticket.deleted_at || ticket.close_reason) return null;
  const firstGroup = history.find((line) => line.field === 'group_id');
  const firstAgent = history.find((line) => line.field === 'assignee_id');
  let group = firstGroup ? id(firstGroup.old_value) : ticket.group_id;
  let agent = firstAgent ? id(firstAgent.old_value) : ticket.assignee_id;
  let resolved: { at: string; group: number | null; agent: number | null } | null = null;
  let firstSolved: string | null = null;
  let reopens = 0;
  let status: string | null = null;
  for (const line of history) {
    if (line.field === 'group_id') group = id(line.new_value);
    else if (line.field === 'assignee_id') agent = id(line.new_value);
    else if (line.field === 'status') {
      const before = status ?? line.old_value;
      if (RESOLVED.has(line.new_value) && !RESOLVED.has(before)) {
        resolved = { at: line.created_at, group, agent };
        firstSolved ??= line.created_at;
      } else if (!RESOLVED.has(line.new_value) && RESOLVED.has(before)) {
        resolved = null;
        reopens += 1;
      }
      status = line.new_value;
    }
  }
  if (!RESOLVED.has(ticket.status)) resolved = null;
  else if (!resolved) {
    // A ticket written past the ticket service (an import) with no status history: its own dates.
    const at = ticket.solved_at ?? ticket.closed_at ?? ticket.created_at;
    resolved = { at, group: ticket.group_id, agent: ticket.assignee_id };
    firstSolved ??= at;
  }
  return {
    ticket_id: ticket.id,
    created_at: ticket.created_at,
    first_response_at: ticket.first_response_at,
    first_response_seconds: seconds(ticket.created_at, ticket.first_response_at),
    first_response_day: ticket.first_response_at ? dayOf(ticket.first_response_at) : null,
    first_solved_at: firstSolved,
    resolved_at: resolved?.at ?? null,
    resolution_seconds: resolved ? seconds(ticket.created_at, resolved.at) : null,
    resolved_day: resolved ? dayOf(resolved.at) : null,
    reopen_count: reopens,
    agent_id: resolved ? resolved.agent : ticket.assignee_id,
    group_id: resolved ? resolved.group : ticket.group_id,
    organisation_id: ticket.organisation_id,
    category: ticket.category,
    channel: ticket.channel,
  };
}
