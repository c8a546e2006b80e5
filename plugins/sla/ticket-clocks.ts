/**
 * The three clocks of a ticket (pure, no database): first response, update and solution, computed from
 * the ticket's history against a calendar and the targets of its level. A clock consumes business time
 * only while the ticket runs: not in a pausing status (`waiting` by default) and not solved or closed. So
 * the paused time is always rebuilt from the history, and a changed calendar, level or priority yields
 * new due times when the clocks are computed again.
 */
import type { CalendarTime, Window } from './calendar-time.js';

export const CLOCK_KINDS = ['first_response', 'update', 'solution'] as const;
export type ClockKind = (typeof CLOCK_KINDS)[number];
export type ClockState = 'running' | 'paused' | 'met' | 'breached' | 'stopped';

/** Target minutes of each clock for the ticket's priority; null: no target, no clock. */
export type ClockTargets = Readonly<Record<ClockKind, number | null>>;

/** What the clocks read of a ticket: when it began, its statuses over time and the agents' public replies. */
export interface TicketTimeline {
  readonly createdAt: number;
  /** Every status the ticket entered, in order, the first at creation (`new`). */
  readonly statuses: ReadonlyArray<{ readonly at: number; readonly status: string }>;
  /** Instants of the agents' public replies, in order. */
  readonly replies: readonly number[];
}

export interface ClockResult {
  readonly clock: ClockKind;
  readonly startedAt: number;
  /** When the target is (or was) reached in running business time; null while paused before reaching it. */
  readonly dueAt: number | null;
  readonly achievedAt: number | null;
  /** Business minutes the clock stood still in a pausing status, from its start to its end (or now). */
  readonly pausedMinutes: number;
  /** For an achieved clock: business minutes over (positive) or under (negative) its target. */
  readonly overMinutes: number | null;
  /** Business minutes left at `now` (negative: overdue); for an achieved clock, what was left then. */
  readonly remainingMinutes: number;
  readonly state: ClockState;
}

const FINAL = new Set(['solved', 'closed']);

interface Segment { from: number; until: number; status: string }

function segments(timeline: TicketTimeline, now: number): Segment[] {
  const list = timeline.statuses.length ? timeline.statuses : [{ at: timeline.createdAt, status: 'new' }];
  return list.map((entry, i) => ({ from: entry.at, until: Math.max(entry.at, list[i + 1]?.at ?? now), status: entry.status }));
}

function clip(list: readonly Segment[], from: number, until: number, keep: (status: string) => boolean): Window[] {
  const windows: Window[] = [];
  for (const s of list) {
    if (!keep(s.status)) continue;
    const a = Math.max(s.from, from);
    const b = Math.min(s.until, until);
    if (b <= a) continue;
    const last = windows.at(-1);
    if (last && last.until === a) windows[windows.length - 1] = { from: last.from, until: b };
    else windows.push({ from: a, until: b });
  }
  return windows;
}

/** Running windows continued from `end` on for ever: the due time as if the clock ran on from there. */
function openEnded(windows: readonly Window[], end: number): Window[] {
  const last = windows.at(-1);
  if (last && last.until === end) return [...windows.slice(0, -1), { from: last.from, until: Infinity }];
  return [...windows, { from: end, until: Infinity }];
}

const round = (minutes: number) => Math.round(minutes * 100) / 100;

export function computeClocks(time: CalendarTime, timeline: TicketTimeline, targets: ClockTargets, pausing: ReadonlySet<string>, now: number): ClockResult[] {
  const list = segments(timeline, now);
  const current = list.at(-1)!.status;
  const runs = (status: string) => !pausing.has(status) && !FINAL.has(status);
  const paused = (status: string) => pausing.has(status) && !FINAL.has(status);
  const results: ClockResult[] = [];

  const clock = (kind: ClockKind, startedAt: number, achievedAt: number | null) => {
    const target = targets[kind];
    if (target === null) return;
    const end = achievedAt ?? Math.max(now, startedAt);
    const running = clip(list, startedAt, end, runs);
    const consumed = time.within(running);
    const pausedMinutes = round(time.within(clip(list, startedAt, end, paused)));
    const stillRunning = achievedAt === null && runs(current);
    // Achieved or running now: the due time is where the target is reached if the clock runs on. Paused or stopped:
    // only a due time already passed is known.
    const dueAt = achievedAt !== null || stillRunning ? time.addWithin(openEnded(running, end), target) : time.addWithin(running, target);
    let state: ClockState;
    if (achievedAt !== null) state = consumed <= target ? 'met' : 'breached';
    else if (FINAL.has(current)) state = 'stopped';
    else state = stillRunning ? 'running' : 'paused';
    results.push({
      clock: kind, startedAt, dueAt, achievedAt, pausedMinutes,
      overMinutes: achievedAt === null ? null : round(consumed - target),
      remainingMinutes: round(target - consumed), state,
    });
  };

  const firstReply = timeline.replies[0];
  clock('first_response', timeline.createdAt, firstReply ?? null);
  // The update clock runs from the latest public reply to the next one; before the first reply the first response clock runs.
  const lastReply = timeline.replies.at(-1);
  if (lastReply !== undefined) clock('update', lastReply, null);
  // Solved (or closed) is reached when the ticket last entered a final status; a reopened ticket's clock continues.
  let solvedAt: number | null = null;
  if (FINAL.has(current)) {
    for (let i = list.length - 1; i >= 0 && FINAL.has(list[i]!.status); i--) solvedAt = list[i]!.from;
  }
  clock('solution', timeline.createdAt, solvedAt);
  return results;
}
