import type { CalendarTime } from './calendar-time.js';

/**
 * The first-line time box of a level (optional, off by default): once a first-line agent has accepted a ticket,
 * it has `minutes` business minutes in the first-line group; then it must be forwarded to the next level.
 * With `forwardGroupId` the plugin forwards it there; without, the ticket shows overdue to the first-line lead.
 */
export interface FirstLineRule { minutes: number; groupId: number; forwardGroupId: number | null }

/** A change of group, assignee or status as the ticket's history recorded it (values as history keeps them). */
export interface RoutingChange { at: number; field: 'group_id' | 'assignee_id' | 'status'; value: string | null }

/** The box of one ticket: when it was accepted, its due time, when it left first line (or null), and its state. */
export interface FirstLineBox { acceptedAt: number; dueAt: number; endedAt: number | null; state: 'running' | 'met' | 'over' }

const FINAL = new Set(['solved', 'closed']);

/**
 * "Accepted" is the first instant the ticket has an assignee while it is in the first-line group (an assignment,
 * an agent taking it, or a ticket created with an assignee there). The box ends when the ticket leaves the group
 * or is solved/closed; it does not start again. A ticket never accepted in first line has no box.
 */
export function computeFirstLine(
  time: CalendarTime, rule: FirstLineRule, initial: { createdAt: number; groupId: number | null; assigneeId: number | null },
  changes: readonly RoutingChange[], now: number,
): FirstLineBox | null {
  let group = initial.groupId === null ? null : String(initial.groupId);
  let assignee = initial.assigneeId === null ? null : String(initial.assigneeId);
  let status = 'new';
  const first = String(rule.groupId);
  let acceptedAt: number | null = group === first && assignee !== null ? initial.createdAt : null;
  let endedAt: number | null = null;
  for (const change of [...changes].sort((a, b) => a.at - b.at)) {
    if (change.field === 'group_id') group = change.value;
    if (change.field === 'assignee_id') assignee = change.value;
    if (change.field === 'status' && change.value) status = change.value;
    if (acceptedAt === null) {
      if (group === first && assignee !== null && !FINAL.has(status)) acceptedAt = change.at;
      continue;
    }
    if (group !== first || FINAL.has(status)) { endedAt = change.at; break; }
  }
  if (acceptedAt === null) return null;
  const dueAt = time.add(acceptedAt, rule.minutes);
  const state = endedAt !== null ? (endedAt <= dueAt ? 'met' : 'over') : now >= dueAt ? 'over' : 'running';
  return { acceptedAt, dueAt, endedAt, state };
}

/** The initial group or assignee: the first history line of the field knew the value before it, else it never changed. */
export function initialValue(changes: ReadonlyArray<{ field: string | null; old_value: string | null }>, field: string, current: number | null): number | null {
  const first = changes.find((change) => change.field === field);
  if (!first) return current;
  return first.old_value === null || first.old_value === '' ? null : Number(first.old_value);
}
