import rrulePackage from 'rrule';

// rrule ships CommonJS; Node's ESM loader only sees its default export.
const { RRule } = rrulePackage;

/** Business hours of one day: intervals in minutes after local midnight, [start, end), sorted, not overlapping (end up to 1440). */
export type DayHours = ReadonlyArray<readonly [number, number]>;
/** Monday (1) to Sunday (7), ISO numbering; a missing day has no business hours. */
export type WeeklyHours = Readonly<Partial<Record<1 | 2 | 3 | 4 | 5 | 6 | 7, DayHours>>>;

/** A holiday: one calendar date, or a recurrence (RFC 5545 RRULE, at least daily) starting on a date. */
export type HolidayRule = { readonly date: string } | { readonly rrule: string; readonly start: string };

/** What the arithmetic needs of a calendar: its IANA zone, weekly hours and holidays (all wall-clock, in the zone). */
export interface BusinessCalendar {
  readonly zone: string;
  readonly hours: WeeklyHours;
  readonly holidays: readonly HolidayRule[];
}

export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Around the clock, every day: the default calendar every tenant gets. */
export const ALWAYS_HOURS: WeeklyHours = Object.fromEntries(WEEKDAYS.map((day) => [day, [[0, 1440]]])) as WeeklyHours;

const TIME = /^([01]\d|2[0-4]):([0-5]\d)$/;

function minuteOf(text: string): number | undefined {
  const match = TIME.exec(text.trim());
  if (!match) return undefined;
  const minute = Number(match[1]) * 60 + Number(match[2]);
  return minute <= 1440 ? minute : undefined;
}

/**
 * One day's hours as an admin types them ("08:00-12:00, 13:00-17:00"; empty for none). Returns the
 * intervals, or a message key when malformed, empty, reversed or overlapping.
 */
export function parseDayHours(text: string): DayHours | string {
  const parts = text.split(/[,;]/).map((part) => part.trim()).filter(Boolean);
  const intervals: Array<[number, number]> = [];
  for (const part of parts) {
    const [from, to, extra] = part.split(/\s*[-–]\s*/);
    const start = from === undefined ? undefined : minuteOf(from);
    const end = to === undefined ? undefined : minuteOf(to);
    if (extra !== undefined || start === undefined || end === undefined) return 'sla.hours.malformed';
    if (end <= start) return 'sla.hours.reversed';
    intervals.push([start, end]);
  }
  intervals.sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < intervals.length; i++) if (intervals[i]![0] < intervals[i - 1]![1]) return 'sla.hours.overlap';
  return intervals;
}

const pad = (n: number) => String(n).padStart(2, '0');
const clock = (minute: number) => `${pad(Math.floor(minute / 60))}:${pad(minute % 60)}`;

/** A day's hours as the form shows them again. */
export function formatDayHours(hours: DayHours | undefined): string {
  return (hours ?? []).map(([start, end]) => `${clock(start)}-${clock(end)}`).join(', ');
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date "YYYY-MM-DD". */
export function isDate(text: string): boolean {
  const match = DATE.exec(text);
  if (!match) return false;
  const at = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return at.toISOString().slice(0, 10) === text;
}

/** Frequencies a holiday may recur at: never finer than daily (an hourly rule would make every day a holiday many times). */
const HOLIDAY_FREQUENCIES = new Set([RRule.YEARLY, RRule.MONTHLY, RRule.WEEKLY, RRule.DAILY]);

/** Checks a holiday recurrence rule ("FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=25"): null when usable, else a message key. */
export function holidayRuleProblem(rule: string): string | null {
  const text = rule.trim().replace(/^RRULE:/i, '');
  if (!text || text.length > 500 || /DTSTART/i.test(text)) return 'sla.holiday.rruleInvalid';
  try {
    const options = RRule.parseString(text);
    if (options.freq === undefined || !HOLIDAY_FREQUENCIES.has(options.freq)) return 'sla.holiday.rruleInvalid';
    if (options.byhour || options.byminute || options.bysecond) return 'sla.holiday.rruleInvalid';
  } catch {
    return 'sla.holiday.rruleInvalid';
  }
  return null;
}

/** The dates a recurring holiday falls on in one year (floating dates: the rule runs in UTC and only the date counts). */
export function holidayDatesIn(rule: { rrule: string; start: string }, year: number): string[] {
  const options = RRule.parseString(rule.rrule.trim().replace(/^RRULE:/i, ''));
  const [y, m, d] = rule.start.split('-').map(Number) as [number, number, number];
  const recurrence = new RRule({ ...options, dtstart: new Date(Date.UTC(y, m - 1, d)) });
  return recurrence.between(new Date(Date.UTC(year, 0, 1)), new Date(Date.UTC(year, 11, 31, 23, 59)), true).map((at) => at.toISOString().slice(0, 10));
}
