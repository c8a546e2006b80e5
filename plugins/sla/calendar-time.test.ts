import { describe, expect, it } from 'vitest';
import { ALWAYS_HOURS, parseDayHours, type BusinessCalendar, type DayHours, type HolidayRule } from './business-calendar.js';
import { CalendarError, calendarTime } from './calendar-time.js';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();
const hours = (text: string) => parseDayHours(text) as DayHours;

/** Monday to Friday 08:00-12:00 and 13:00-17:00 (a lunch break: two intervals a day). */
function office(zone: string, holidays: HolidayRule[] = [], weekend = false): BusinessCalendar {
  const day = hours('08:00-12:00, 13:00-17:00');
  return { zone, holidays, hours: { 1: day, 2: day, 3: day, 4: day, 5: day, ...(weekend ? { 6: day, 7: day } : {}) } };
}

describe('business-time arithmetic', () => {
  it('adds across the lunch break and the weekend, and counts the same minutes back', () => {
    const time = calendarTime(office('Europe/Berlin'));
    // Friday 2026-06-12 11:30 in Berlin (CEST, +2) plus 60 minutes: 30 before lunch, 30 after it.
    expect(iso(time.add(at('2026-06-12T09:30:00Z'), 60))).toBe('2026-06-12T11:30:00.000Z');
    // Friday 16:30 plus 60: 30 on Friday, 30 on Monday from 08:00.
    expect(iso(time.add(at('2026-06-12T14:30:00Z'), 60))).toBe('2026-06-15T06:30:00.000Z');
    expect(time.between(at('2026-06-12T14:30:00Z'), at('2026-06-15T06:30:00Z'))).toBe(60);
    // An instant at night starts at the next opening.
    expect(iso(time.add(at('2026-06-13T22:00:00Z'), 1))).toBe('2026-06-15T06:01:00.000Z');
    expect(time.between(at('2026-06-15T00:00:00Z'), at('2026-06-16T00:00:00Z'))).toBe(480);
    expect(time.between(at('2026-06-16T00:00:00Z'), at('2026-06-15T00:00:00Z'))).toBe(0);
  });

  it.each([
    // Berlin: clocks go forward on Sunday 2026-03-29 (+1 -> +2) and back on Sunday 2026-10-25 (+2 -> +1).
    ['Europe/Berlin', '2026-03-28T15:00:00Z', '2026-03-29T07:00:00.000Z'],
    ['Europe/Berlin', '2026-10-24T14:00:00Z', '2026-10-25T08:00:00.000Z'],
    // New York: forward on Sunday 2026-03-08 (-5 -> -4), back on Sunday 2026-11-01 (-4 -> -5).
    ['America/New_York', '2026-03-07T21:00:00Z', '2026-03-08T13:00:00.000Z'],
    ['America/New_York', '2026-10-31T20:00:00Z', '2026-11-01T14:00:00.000Z'],
  ])('keeps wall-clock hours across the DST change in %s (from %s)', (zone, start, due) => {
    // Saturday 16:00 local plus 120 business minutes (seven days a week): 60 on Saturday, 60 from Sunday 08:00 local.
    const time = calendarTime(office(zone, [], true));
    expect(iso(time.add(at(start), 120))).toBe(due);
    expect(time.between(at(start), at(due))).toBe(120);
  });

  it.each([
    ['Europe/Berlin', '2026-03-28T11:00:00Z', '2026-03-29T10:00:00Z', 23 * 60],
    ['Europe/Berlin', '2026-10-24T10:00:00Z', '2026-10-25T11:00:00Z', 25 * 60],
    ['America/New_York', '2026-03-07T17:00:00Z', '2026-03-08T16:00:00Z', 23 * 60],
    ['America/New_York', '2026-10-31T16:00:00Z', '2026-11-01T17:00:00Z', 25 * 60],
  ])('a 24/7 calendar in %s counts real minutes over the short and the long day', (zone, from, until, minutes) => {
    // Noon to noon local across the change: 23 hours in spring, 25 in autumn.
    const time = calendarTime({ zone, hours: ALWAYS_HOURS, holidays: [] });
    expect(time.between(at(from), at(until))).toBe(minutes);
    expect(iso(time.add(at(from), minutes))).toBe(new Date(until).toISOString());
  });

  it('moves a boundary in the skipped hour to the end of the gap', () => {
    // 02:00-04:00 local on the day Berlin skips 02:00-03:00: one real hour, from 03:00 CEST (01:00Z).
    const night = hours('02:00-04:00');
    const time = calendarTime({ zone: 'Europe/Berlin', hours: { 7: night }, holidays: [] });
    expect(time.day('2026-03-29')).toEqual([{ from: at('2026-03-29T01:00:00Z'), until: at('2026-03-29T02:00:00Z') }]);
    // And the day the hour repeats: three real hours, from the first 02:00 (00:00Z) to 04:00 CET (03:00Z).
    expect(time.between(at('2026-10-25T00:00:00Z'), at('2026-10-25T12:00:00Z'))).toBe(180);
  });

  it('skips single and yearly holidays across the year end', () => {
    const holidays: HolidayRule[] = [
      { rrule: 'FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=24,25,26', start: '2020-12-24' },
      { rrule: 'FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=1', start: '2020-01-01' },
      { date: '2027-01-04' },
    ];
    const time = calendarTime(office('Europe/Berlin', holidays));
    // Wednesday 2026-12-23 16:00 CET plus 120: 60 that day, then Thursday 24th and Friday 25th are holidays, the weekend
    // follows: Monday 28th 09:00.
    expect(iso(time.add(at('2026-12-23T15:00:00Z'), 120))).toBe('2026-12-28T08:00:00.000Z');
    // Thursday 2026-12-31 16:00 plus 120: New Year's Day (Friday), the weekend, Monday 4th (a single holiday): Tuesday 09:00.
    expect(iso(time.add(at('2026-12-31T15:00:00Z'), 120))).toBe('2027-01-05T08:00:00.000Z');
    expect(time.between(at('2026-12-31T15:00:00Z'), at('2027-01-05T08:00:00Z'))).toBe(120);
    expect(time.day('2027-12-24')).toEqual([]);
  });

  it('counts and adds only inside the windows a clock runs in', () => {
    const time = calendarTime(office('Europe/Berlin'));
    // Running Monday 08:00-09:00 local, paused until Tuesday 10:00, then running on.
    const windows = [{ from: at('2026-06-15T06:00:00Z'), until: at('2026-06-15T07:00:00Z') }, { from: at('2026-06-16T08:00:00Z'), until: Infinity }];
    expect(iso(time.addWithin(windows, 120)!)).toBe('2026-06-16T09:00:00.000Z');
    expect(time.addWithin(windows.slice(0, 1), 120)).toBeNull();
    expect(time.within([{ from: at('2026-06-15T06:00:00Z'), until: at('2026-06-15T07:00:00Z') }, { from: at('2026-06-16T08:00:00Z'), until: at('2026-06-16T09:00:00Z') }])).toBe(120);
  });

  it('gives up on a calendar without business hours instead of looping', () => {
    expect(() => calendarTime({ zone: 'UTC', hours: {}, holidays: [] }).add(at('2026-01-01T00:00:00Z'), 1)).toThrow(CalendarError);
  });

  it('reads business hours as typed and refuses malformed, reversed and overlapping ones', () => {
    expect(parseDayHours('13:00-17:00, 08:00 - 12:00')).toEqual([[480, 720], [780, 1020]]);
    expect(parseDayHours('00:00-24:00')).toEqual([[0, 1440]]);
    expect(parseDayHours('')).toEqual([]);
    expect(parseDayHours('8-12')).toBe('sla.hours.malformed');
    expect(parseDayHours('12:00-08:00')).toBe('sla.hours.reversed');
    expect(parseDayHours('08:00-12:00, 11:00-13:00')).toBe('sla.hours.overlap');
  });
});
