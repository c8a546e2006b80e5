import { zonedToIso } from '../i18n/time-zone.js';
import type { KpiFrequency } from '../db/schema.js';

// When a periodic KPI mail is due, in the tenant's zone: weekly on Monday at 07:00 for the week
// (Monday to Sunday) before, monthly on the 1st at 07:00 for the month before. Pure date arithmetic
// on calendar days, converted to an instant only for the send time, so a change of the clocks moves
// the instant (06:00 UTC in Berlin's winter, 05:00 UTC in its summer) and never the day.

export const SEND_HOUR = '07:00';
const DAY_MS = 86_400_000;
const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / DAY_MS;
const dayOf = (n: number) => new Date(n * DAY_MS).toISOString().slice(0, 10);

/** A report period a mail covers: its key (the first day, or 'YYYY-MM'), its days, and the instant it is due. */
export interface DuePeriod { key: string; from: string; to: string; dueAt: string }

/** The latest period of this frequency whose send time (in `zone`) is not after `now`. */
export function latestDuePeriod(frequency: KpiFrequency, now: Date, zone: string): DuePeriod {
  const today = localDay(now, zone);
  const candidate = (frequency === 'weekly' ? weeklyFor : monthlyFor)(today, zone);
  return Date.parse(candidate.dueAt) <= now.getTime() ? candidate : (frequency === 'weekly' ? weeklyFor : monthlyFor)(candidate.to, zone);
}

/** The weekly period sent on the Monday on or before `day`: the seven days before that Monday. */
function weeklyFor(day: string, zone: string): DuePeriod {
  const weekday = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7; // Monday 0
  const monday = dayNumber(day) - weekday;
  const from = dayOf(monday - 7);
  return { key: from, from, to: dayOf(monday - 1), dueAt: zonedToIso(`${dayOf(monday)}T${SEND_HOUR}`, zone)! };
}

/** The monthly period sent on the 1st of `day`'s month: the month before. */
function monthlyFor(day: string, zone: string): DuePeriod {
  const first = `${day.slice(0, 7)}-01`;
  const to = dayOf(dayNumber(first) - 1);
  const from = `${to.slice(0, 7)}-01`;
  return { key: from.slice(0, 7), from, to, dueAt: zonedToIso(`${first}T${SEND_HOUR}`, zone)! };
}

function localDay(now: Date, zone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
  return parts.slice(0, 10);
}

/**
 * Whether a subscription has a mail to send now: the latest due period, unless it was sent already or
 * fell due before the subscription existed (a new subscriber waits for the next period).
 */
export function duePeriodFor(sub: { frequency: KpiFrequency; last_period: string | null; created_at: string }, now: Date, zone: string): DuePeriod | null {
  const period = latestDuePeriod(sub.frequency, now, zone);
  if (sub.last_period !== null && sub.last_period >= period.key) return null;
  if (Date.parse(period.dueAt) < Date.parse(sub.created_at)) return null;
  return period;
}
