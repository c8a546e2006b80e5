import { isoToZoned, zonedDayEnd, zonedDayStart } from '../../core/plugin-api.js';
import type { Month } from './defect-stats.js';
import { isDate } from './device-fields.js';

export const GROUP_BYS = ['type', 'model', 'manufacturer', 'location', 'organisation'] as const;
export type GroupBy = (typeof GROUP_BYS)[number];
/** The longest period the page counts (months). */
export const MAX_MONTHS = 36;

export interface DefectQuery { from: string; to: string; groupBy: GroupBy }

const isGroupBy = (value: string): value is GroupBy => (GROUP_BYS as readonly string[]).includes(value);
const monthKey = (year: number, month: number) => `${year}-${String(month).padStart(2, '0')}`;

/** The default period: the eleven months before this one and this one up to today, in the tenant's zone. */
export function defaultPeriod(now: Date, zone: string): { from: string; to: string } {
  const today = isoToZoned(now.toISOString(), zone).slice(0, 10);
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  const first = new Date(Date.UTC(year, month - 1 - 11, 1));
  return { from: `${first.toISOString().slice(0, 7)}-01`, to: today };
}

/** Reads `from`, `to` and `groupBy` of the URL (defaults for the missing ones); field → message key for bad ones. */
export function readDefectQuery(query: Readonly<Record<string, string | undefined>>, now: Date, zone: string): { query: DefectQuery; errors: Record<string, string> } {
  const fallback = defaultPeriod(now, zone);
  const from = (query.from ?? '').trim() || fallback.from;
  const to = (query.to ?? '').trim() || fallback.to;
  const groupBy = (query.groupBy ?? '').trim() || 'type';
  const errors: Record<string, string> = {};
  if (!isDate(from)) errors.from = 'hardware.device.dateInvalid';
  if (!isDate(to)) errors.to = 'hardware.device.dateInvalid';
  if (!errors.from && !errors.to) {
    if (to < from) errors.to = 'hardware.stats.toBeforeFrom';
    else if (monthsBetween(from, to) > MAX_MONTHS) errors.to = 'hardware.stats.tooLong';
  }
  if (!isGroupBy(groupBy)) errors.groupBy = 'hardware.field.choose';
  return { query: { from, to, groupBy: isGroupBy(groupBy) ? groupBy : 'type' }, errors };
}

const monthsBetween = (from: string, to: string) => (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + Number(to.slice(5, 7)) - Number(from.slice(5, 7)) + 1;

/**
 * The calendar months the period touches, each cut to the period, in the zone: from the first instant of
 * `from` to the end of `to` (both days included).
 */
export function periodMonths(from: string, to: string, zone: string): Month[] {
  const start = Date.parse(zonedDayStart(from, zone)!);
  const end = Date.parse(zonedDayEnd(to, zone)!);
  const months: Month[] = [];
  let year = Number(from.slice(0, 4));
  let month = Number(from.slice(5, 7));
  for (let i = 0; i < monthsBetween(from, to); i++) {
    const next = month === 12 ? { year: year + 1, month: 1 } : { year, month: month + 1 };
    const monthStart = Date.parse(zonedDayStart(`${monthKey(year, month)}-01`, zone)!);
    const monthEnd = Date.parse(zonedDayStart(`${monthKey(next.year, next.month)}-01`, zone)!);
    months.push({ key: monthKey(year, month), start: Math.max(start, monthStart), end: Math.min(end, monthEnd) });
    ({ year, month } = next);
  }
  return months;
}
