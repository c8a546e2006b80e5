import { describe, expect, it } from 'vitest';
import { ALWAYS_HOURS, parseDayHours, type DayHours } from './business-calendar.js';
import { calendarTime } from './calendar-time.js';
import { computeClocks, type ClockResult, type TicketTimeline } from './ticket-clocks.js';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const always = calendarTime({ zone: 'UTC', hours: ALWAYS_HOURS, holidays: [] });
const targets = { first_response: 60, update: 120, solution: 480 };
const waiting = new Set(['waiting']);
const byKind = (clocks: ClockResult[]) => Object.fromEntries(clocks.map((c) => [c.clock, c]));

function timeline(statuses: Array<[string, string]>, replies: string[] = []): TicketTimeline {
  return { createdAt: at(statuses[0]![0]), statuses: statuses.map(([when, status]) => ({ at: at(when), status })), replies: replies.map(at) };
}

describe('ticket clocks', () => {
  it('runs all clocks from creation and stops first response at the first reply', () => {
    const ticket = timeline([['2026-06-15T08:00:00Z', 'new'], ['2026-06-15T08:30:00Z', 'open']], ['2026-06-15T08:30:00Z']);
    const clocks = byKind(computeClocks(always, ticket, targets, waiting, at('2026-06-15T09:00:00Z')));
    expect(clocks.first_response).toMatchObject({ state: 'met', overMinutes: -30, dueAt: at('2026-06-15T09:00:00Z'), achievedAt: at('2026-06-15T08:30:00Z') });
    expect(clocks.update).toMatchObject({ state: 'running', dueAt: at('2026-06-15T10:30:00Z'), remainingMinutes: 90 });
    expect(clocks.solution).toMatchObject({ state: 'running', dueAt: at('2026-06-15T16:00:00Z'), remainingMinutes: 420 });
  });

  it('pauses while waiting (rebuilt from the statuses) and moves the due time by the paused minutes', () => {
    const ticket = timeline([['2026-06-15T08:00:00Z', 'new'], ['2026-06-15T09:00:00Z', 'waiting'], ['2026-06-15T11:00:00Z', 'open']]);
    const clocks = byKind(computeClocks(always, ticket, targets, waiting, at('2026-06-15T12:00:00Z')));
    expect(clocks.solution).toMatchObject({ state: 'running', pausedMinutes: 120, remainingMinutes: 360 });
    expect(iso(clocks.solution!.dueAt)).toBe('2026-06-15T18:00:00.000Z');
    // While it waits, the due time is unknown and the clock says paused; a status not in the list does not pause.
    const still = byKind(computeClocks(always, timeline([['2026-06-15T08:00:00Z', 'new'], ['2026-06-15T09:00:00Z', 'waiting']]), targets, waiting, at('2026-06-15T12:00:00Z')));
    expect(still.solution).toMatchObject({ state: 'paused', dueAt: null, pausedMinutes: 180, remainingMinutes: 420 });
    const notPausing = byKind(computeClocks(always, timeline([['2026-06-15T08:00:00Z', 'new'], ['2026-06-15T09:00:00Z', 'waiting']]), targets, new Set(), at('2026-06-15T12:00:00Z')));
    expect(notPausing.solution).toMatchObject({ state: 'running', pausedMinutes: 0, remainingMinutes: 240 });
  });

  it('continues the solution clock after a reopen, not counting the solved time', () => {
    const solved = timeline([['2026-06-15T08:00:00Z', 'new'], ['2026-06-15T09:00:00Z', 'open'], ['2026-06-15T10:00:00Z', 'solved']], ['2026-06-15T09:00:00Z']);
    const once = byKind(computeClocks(always, solved, targets, waiting, at('2026-06-15T12:00:00Z')));
    expect(once.solution).toMatchObject({ state: 'met', achievedAt: at('2026-06-15T10:00:00Z'), overMinutes: -360 });
    expect(once.update).toMatchObject({ state: 'stopped' });
    const reopened = timeline([['2026-06-15T08:00:00Z', 'new'], ['2026-06-15T09:00:00Z', 'open'], ['2026-06-15T10:00:00Z', 'solved'], ['2026-06-16T10:00:00Z', 'open']], ['2026-06-15T09:00:00Z']);
    const again = byKind(computeClocks(always, reopened, targets, waiting, at('2026-06-16T11:00:00Z')));
    // Two hours before the solve, one after the reopen: 180 of 480 used, the day in between not counted.
    expect(again.solution).toMatchObject({ state: 'running', achievedAt: null, remainingMinutes: 300 });
    expect(iso(again.solution!.dueAt)).toBe('2026-06-16T16:00:00.000Z');
  });

  it('counts only business time, and breaches when the reply comes after the due time', () => {
    const day = parseDayHours('08:00-12:00, 13:00-17:00') as DayHours;
    const office = calendarTime({ zone: 'Europe/Berlin', hours: { 1: day, 2: day, 3: day, 4: day, 5: day }, holidays: [] });
    // Created Friday 16:30 CEST, first reply Monday 09:00 CEST: 30 + 60 business minutes, 30 over a 60 minute target.
    const ticket = timeline([['2026-06-12T14:30:00Z', 'new'], ['2026-06-15T07:00:00Z', 'open']], ['2026-06-15T07:00:00Z']);
    const clocks = byKind(computeClocks(office, ticket, targets, waiting, at('2026-06-15T08:00:00Z')));
    expect(clocks.first_response).toMatchObject({ state: 'breached', overMinutes: 30, dueAt: at('2026-06-15T06:30:00Z') });
  });

  it('has no clock without a target', () => {
    const clocks = computeClocks(always, timeline([['2026-06-15T08:00:00Z', 'new']]), { first_response: null, update: null, solution: 30 }, waiting, at('2026-06-15T09:00:00Z'));
    expect(clocks.map((c) => [c.clock, c.state, c.remainingMinutes])).toEqual([['solution', 'running', -30]]);
  });
});
