/**
 * Business-time arithmetic on a calendar (pure, no database): the business intervals of a day as UTC
 * instants, adding business minutes to an instant, business minutes between two instants, and the same
 * limited to windows in which a clock runs. Days are the calendar's wall-clock days in its zone, so a
 * day of 08:00-17:00 lasts nine real hours on either side of a DST change; a 00:00-24:00 day lasts 23 or 25.
 * A boundary that falls into the skipped hour moves to the first minute after it; one in the repeated hour
 * is its first occurrence (as core's zonedToIso reads wall-clock input).
 */
import { isoToZoned, zonedToIso } from '../../core/plugin-api.js';
import { WEEKDAYS, holidayDatesIn, type BusinessCalendar, type Weekday } from './business-calendar.js';

const MINUTE = 60_000;
const DAY = 86_400_000;
/** How far the arithmetic looks for business time before it gives up (a calendar without hours, or holidays everywhere). */
const HORIZON_DAYS = 3 * 366;

/** A span of time as epoch milliseconds, [from, until); `until` may be Infinity (still running). */
export interface Window { readonly from: number; readonly until: number }

export class CalendarError extends Error {}

const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);

export interface CalendarTime {
  /** The business intervals of one local date, as instants. */
  day(date: string): readonly Window[];
  /** `start` plus `minutes` business minutes (fractions allowed); an instant outside business hours starts at the next opening. */
  add(start: number, minutes: number): number;
  /** Business minutes in [from, until). */
  between(from: number, until: number): number;
  /** Business minutes inside the given windows (sorted, not overlapping). */
  within(windows: readonly Window[]): number;
  /** The instant at which `minutes` business minutes have passed inside the windows, or null when they end first. */
  addWithin(windows: readonly Window[], minutes: number): number | null;
}

/**
 * The arithmetic for one calendar. It caches the days and holiday years it computed, so one instance serves
 * many tickets of a job; build a new one after the calendar changed.
 */
export function calendarTime(calendar: BusinessCalendar): CalendarTime {
  const days = new Map<string, readonly Window[]>();
  const holidayYears = new Map<number, Set<string>>();
  const zone = calendar.zone;

  function holidaysOf(year: number): Set<string> {
    let dates = holidayYears.get(year);
    if (!dates) {
      dates = new Set();
      for (const rule of calendar.holidays) {
        if ('date' in rule) { if (rule.date.startsWith(`${year}-`)) dates.add(rule.date); }
        else for (const date of holidayDatesIn(rule, year)) dates.add(date);
      }
      holidayYears.set(year, dates);
    }
    return dates;
  }

  /** A wall-clock minute of a date as an instant; 1440 is the next day's midnight; a skipped minute moves to the gap's end. */
  function instant(date: string, minute: number): number {
    const day = minute >= 1440 ? addDays(date, 1) : date;
    const m = minute % 1440;
    for (let shift = 0; shift <= 180; shift++) {
      const at = m + shift;
      const wallDate = at >= 1440 ? addDays(day, 1) : day;
      const wall = at % 1440;
      const iso = zonedToIso(`${wallDate}T${String(Math.floor(wall / 60)).padStart(2, '0')}:${String(wall % 60).padStart(2, '0')}`, zone);
      if (iso) return Date.parse(iso);
    }
    throw new CalendarError(`no wall-clock time near ${date} ${minute} in ${zone}`);
  }

  function day(date: string): readonly Window[] {
    let windows = days.get(date);
    if (!windows) {
      const weekday = (((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1) as Weekday;
      const hours = WEEKDAYS.includes(weekday) ? calendar.hours[weekday] ?? [] : [];
      windows = holidaysOf(Number(date.slice(0, 4))).has(date) ? []
        : hours.map(([start, end]) => ({ from: instant(date, start), until: instant(date, end) })).filter((w) => w.until > w.from);
      days.set(date, windows);
    }
    return windows;
  }

  const localDate = (at: number) => isoToZoned(new Date(at).toISOString(), zone).slice(0, 10);

  /** Business intervals clipped to [from, until), in order; stops after the horizon when `until` is open. */
  function* intervals(from: number, until: number): Generator<Window> {
    // A date's intervals lie between its midnight and the next, so the search starts on `from`'s own date.
    let date = localDate(from);
    const last = Number.isFinite(until) ? localDate(until) : addDays(date, HORIZON_DAYS);
    for (;;) {
      for (const w of day(date)) {
        if (w.until <= from) continue;
        if (w.from >= until) return;
        yield { from: Math.max(w.from, from), until: Math.min(w.until, until) };
      }
      if (date >= last) return;
      date = addDays(date, 1);
    }
  }

  function between(from: number, until: number): number {
    if (!(until > from)) return 0;
    let total = 0;
    for (const w of intervals(from, until)) total += w.until - w.from;
    return total / MINUTE;
  }

  function addFrom(from: number, until: number, ms: number): { at: number } | { left: number } {
    let left = ms;
    for (const w of intervals(from, until)) {
      const length = w.until - w.from;
      if (left <= length) return { at: w.from + left };
      left -= length;
    }
    return { left };
  }

  return {
    day,
    between,
    add(start, minutes) {
      if (minutes <= 0) return start;
      const result = addFrom(start, Infinity, minutes * MINUTE);
      if ('at' in result) return result.at;
      throw new CalendarError('the calendar has no business hours within three years');
    },
    within(windows) {
      return windows.reduce((sum, w) => sum + between(w.from, w.until), 0);
    },
    addWithin(windows, minutes) {
      let left = minutes * MINUTE;
      if (left <= 0) return windows[0]?.from ?? null;
      for (const w of windows) {
        const result = addFrom(w.from, w.until, left);
        if ('at' in result) return result.at;
        if (!Number.isFinite(w.until)) throw new CalendarError('the calendar has no business hours within three years');
        left = result.left;
      }
      return null;
    },
  };
}
