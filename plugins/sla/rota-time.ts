/**
 * On-call rotas (pure, no database): handovers from an RRULE at a wall-clock time in the rota's zone, turns
 * through the participants, overrides that win over the rotation, "who is on call at T", shifts between two
 * instants and one person's shifts as an iCal feed. A handover at 09:00 stays at 09:00 local time on either
 * side of a DST change; one in the skipped hour moves to the first minute after the gap.
 */
import rrulePackage from 'rrule';
import { zonedToIso } from '../../core/plugin-api.js';

// rrule ships CommonJS; Node's ESM loader only sees its default export.
const { RRule } = rrulePackage;

const DAY = 86_400_000;
const MINUTE = 60_000;
export const ROTA_WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type RotaWeekday = (typeof ROTA_WEEKDAYS)[number];

export interface Rota {
  readonly zone: string;
  readonly freq: 'DAILY' | 'WEEKLY';
  readonly interval: number;
  /** Handover days for a weekly rota (empty: the start date's weekday). */
  readonly byDay: readonly RotaWeekday[];
  /** Wall-clock "HH:MM" in the zone. */
  readonly handover: string;
  /** The first handover's date "YYYY-MM-DD". */
  readonly startDate: string;
  /** Staff user ids in turn order. */
  readonly participants: readonly number[];
}

/** A person covering the rota over [from, until) (epoch ms); a later override wins over an earlier one. */
export interface RotaOverride { readonly userId: number; readonly from: number; readonly until: number }
export interface Shift { readonly userId: number; readonly from: number; readonly until: number; readonly override: boolean }

/** The RRULE text of a rota (as stored and shown): "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO". */
export function rotaRule(rota: Pick<Rota, 'freq' | 'interval' | 'byDay'>): string {
  return [`FREQ=${rota.freq}`, `INTERVAL=${rota.interval}`, ...(rota.freq === 'WEEKLY' && rota.byDay.length ? [`BYDAY=${rota.byDay.join(',')}`] : [])].join(';');
}

/** A wall-clock minute as an instant; a time in a skipped hour moves to the gap's end. */
function wallInstant(date: string, hhmm: string, zone: string): number {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  for (let shift = 0; shift <= 180; shift++) {
    const minute = h * 60 + m + shift;
    const day = new Date(Date.parse(`${date}T00:00:00Z`) + Math.floor(minute / 1440) * DAY).toISOString().slice(0, 10);
    const wall = minute % 1440;
    const iso = zonedToIso(`${day}T${String(Math.floor(wall / 60)).padStart(2, '0')}:${String(wall % 60).padStart(2, '0')}`, zone);
    if (iso) return Date.parse(iso);
  }
  throw new Error(`no wall-clock time near ${date} ${hhmm} in ${zone}`);
}

/**
 * The handover instants from the rota's start up to `until`, plus the first one after it (so the last shift
 * has an end). The recurrence runs on floating dates (UTC stands for the zone's wall clock); each date is
 * then placed in the zone.
 */
export function handovers(rota: Rota, until: number): number[] {
  const [y, mo, d] = rota.startDate.split('-').map(Number) as [number, number, number];
  const rule = new RRule({
    freq: rota.freq === 'DAILY' ? RRule.DAILY : RRule.WEEKLY,
    interval: rota.interval,
    ...(rota.freq === 'WEEKLY' && rota.byDay.length ? { byweekday: rota.byDay.map((day) => ROTA_WEEKDAYS.indexOf(day)) } : {}),
    dtstart: new Date(Date.UTC(y, mo - 1, d)),
  });
  const result: number[] = [];
  // Floating bound: a day beyond `until` covers any zone offset; the loop stops after the first instant past it.
  const bound = new Date(until + DAY + rota.interval * 7 * DAY);
  for (const date of rule.between(new Date(Date.UTC(y, mo - 1, d)), bound, true)) {
    const at = wallInstant(date.toISOString().slice(0, 10), rota.handover, rota.zone);
    result.push(at);
    if (at > until) break;
  }
  return result;
}

/** Who the rotation (without overrides) has on call over [from, until): one shift per handover. */
function rotationShifts(rota: Rota, from: number, until: number): Shift[] {
  if (rota.participants.length === 0) return [];
  const list = handovers(rota, until);
  const shifts: Shift[] = [];
  for (let i = 0; i < list.length; i++) {
    const start = list[i]!;
    const end = list[i + 1] ?? Infinity;
    if (end <= from || start >= until) continue;
    shifts.push({ userId: rota.participants[i % rota.participants.length]!, from: Math.max(start, from), until: Math.min(end, until), override: false });
  }
  return shifts;
}

/** Who is on call over [from, until), overrides included, adjacent pieces of the same person merged. */
export function shifts(rota: Rota, overrides: readonly RotaOverride[], from: number, until: number): Shift[] {
  const base = rotationShifts(rota, from, until);
  const edges = new Set<number>([from, until]);
  for (const s of base) { edges.add(s.from); edges.add(s.until); }
  for (const o of overrides) { if (o.from > from && o.from < until) edges.add(o.from); if (o.until > from && o.until < until) edges.add(o.until); }
  const points = [...edges].sort((a, b) => a - b);
  const result: Shift[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i]!;
    const b = points[i + 1]!;
    const override = overrides.filter((o) => o.from <= a && a < o.until).at(-1);
    const regular = base.find((s) => s.from <= a && a < s.until);
    const userId = override?.userId ?? regular?.userId;
    if (userId === undefined) continue;
    const last = result.at(-1);
    if (last && last.userId === userId && last.until === a && last.override === Boolean(override)) result[result.length - 1] = { ...last, until: b };
    else result.push({ userId, from: a, until: b, override: Boolean(override) });
  }
  return result;
}

/** The one person on call at `at`, or null (no participants, before the start). */
export function onCallAt(rota: Rota, overrides: readonly RotaOverride[], at: number): number | null {
  return shifts(rota, overrides, at, at + MINUTE)[0]?.userId ?? null;
}

const icsTime = (at: number) => new Date(at).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
const icsText = (text: string) => text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/([,;])/g, '\\$1');

/** One person's shifts of several rotas as an iCal calendar (UTC times; lines stay short enough not to need folding). */
export function icalFeed(input: { calendarName: string; userId: number; rotas: ReadonlyArray<{ rotaId: number; rotaName: string; shifts: readonly Shift[] }>; now: number }): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Tresen//SLA on-call//EN', 'CALSCALE:GREGORIAN', `X-WR-CALNAME:${icsText(input.calendarName)}`];
  for (const rota of input.rotas) {
    for (const shift of rota.shifts) {
      if (shift.userId !== input.userId || !Number.isFinite(shift.until)) continue;
      lines.push('BEGIN:VEVENT', `UID:sla-rota-${rota.rotaId}-${input.userId}-${shift.from}@tresen`, `DTSTAMP:${icsTime(input.now)}`,
        `DTSTART:${icsTime(shift.from)}`, `DTEND:${icsTime(shift.until)}`, `SUMMARY:${icsText(rota.rotaName)}`, 'TRANSP:OPAQUE', 'END:VEVENT');
    }
  }
  lines.push('END:VCALENDAR');
  return `${lines.join('\r\n')}\r\n`;
}
