/**
 * Escalation points (pure, no database): checking a point as an admin enters it, the instant a point is due
 * for a clock, and the business-hours questions the sweep asks (is it business time now, when does it start).
 */
import { invalidFields, isoToZoned } from '../../core/plugin-api.js';
import type { CalendarTime } from './calendar-time.js';
import { CLOCK_KINDS, type ClockKind } from './ticket-clocks.js';

const MINUTE = 60_000;
const DAY = 86_400_000;
const HORIZON_DAYS = 3 * 366;

export const OFFSET_KINDS = ['percent', 'minutes', 'days'] as const;
export type OffsetKind = (typeof OFFSET_KINDS)[number];
export const RECIPIENTS = ['assignee', 'group', 'supervisors', 'oncall'] as const;
export type Recipient = (typeof RECIPIENTS)[number];
/** Limits of a point's offset per kind (minutes after due: up to a year of business minutes). */
const OFFSET_LIMITS: Record<OffsetKind, readonly [number, number]> = { percent: [1, 100], minutes: [0, 525_600], days: [1, 365] };

/** A point as the sweep and the schedule read it. */
export interface EscalationPoint {
  readonly id: number;
  readonly clock: ClockKind;
  readonly offsetKind: OffsetKind;
  readonly offsetValue: number;
  readonly outsideHours: boolean;
}

/** A clock row as far as the point arithmetic needs it. */
export interface ClockPosition {
  readonly state: string;
  readonly dueAt: string | null;
  readonly remainingMinutes: number;
  readonly computedAt: string;
}

/** What the point form sends. */
export interface PointInput {
  clock: string; offsetKind: string; offsetValue: string;
  notify: boolean; email: boolean; recipients: string[]; raisePriority: boolean;
  forwardGroupId: string; outsideHours: boolean; rotaId: string;
}

export interface PointValues {
  clock: ClockKind; offsetKind: OffsetKind; offsetValue: number;
  notify: boolean; email: boolean; recipients: Recipient[]; raisePriority: boolean;
  forwardGroupId: number | null; outsideHours: boolean; rotaId: number | null;
}

const optionalId = (text: string): number | null | undefined => {
  if (!text.trim()) return null;
  const id = Number(text);
  return Number.isInteger(id) && id > 0 ? id : undefined;
};

/** Checks the form (shape only; the store checks that the group and rota exist); throws a refusal with one message key per field. */
export function checkPoint(input: PointInput): PointValues {
  const fields: Record<string, string> = {};
  const clock = CLOCK_KINDS.find((kind) => kind === input.clock);
  if (!clock) fields.clock = 'sla.esc.clockInvalid';
  const offsetKind = OFFSET_KINDS.find((kind) => kind === input.offsetKind);
  if (!offsetKind) fields.offsetKind = 'sla.esc.offsetKindInvalid';
  const text = input.offsetValue.trim();
  const offsetValue = Number(text);
  if (offsetKind) {
    const [min, max] = OFFSET_LIMITS[offsetKind];
    if (!/^\d+$/.test(text) || offsetValue < min || offsetValue > max) fields.offsetValue = `sla.esc.offsetInvalid.${offsetKind}`;
  }
  const recipients = [...new Set(input.recipients)];
  const known = recipients.filter((r): r is Recipient => (RECIPIENTS as readonly string[]).includes(r));
  if (known.length !== recipients.length) fields.recipients = 'sla.esc.recipientsInvalid';
  else if ((input.notify || input.email) && known.length === 0) fields.recipients = 'sla.esc.recipientsRequired';
  const forwardGroupId = optionalId(input.forwardGroupId);
  if (forwardGroupId === undefined) fields.forwardGroupId = 'sla.esc.groupInvalid';
  const rotaId = optionalId(input.rotaId);
  if (rotaId === undefined) fields.rotaId = 'sla.esc.rotaInvalid';
  else if (rotaId === null && (input.outsideHours || known.includes('oncall'))) fields.rotaId = 'sla.esc.rotaRequired';
  if (!input.notify && !input.email && !input.raisePriority && !forwardGroupId) fields.actions = 'sla.esc.actionRequired';
  if (Object.keys(fields).length) throw invalidFields('error.invalid', fields);
  return {
    clock: clock!, offsetKind: offsetKind!, offsetValue, notify: input.notify, email: input.email, recipients: known,
    raisePriority: input.raisePriority, forwardGroupId: forwardGroupId ?? null, outsideHours: input.outsideHours, rotaId: rotaId ?? null,
  };
}

const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
const localDate = (at: number, zone: string) => isoToZoned(new Date(at).toISOString(), zone).slice(0, 10);

/** The same place in the business day, `days` business days (dates with business hours) after `at`. */
export function businessDaysAfter(time: CalendarTime, zone: string, at: number, days: number): number | null {
  const start = localDate(at, zone);
  const first = time.day(start)[0];
  const into = first ? time.between(first.from, at) : 0;
  let date = start;
  for (let counted = 0, step = 0; counted < days; step++) {
    if (step > HORIZON_DAYS) return null;
    date = addDays(date, 1);
    if (time.day(date).length) counted++;
  }
  const windows = time.day(date);
  return time.addWithin(windows, into) ?? windows.at(-1)!.until;
}

/**
 * When a point is due for a clock that runs now, or null (paused, achieved or stopped clocks escalate
 * nothing; a percentage already passed when the clock was computed is due at that computation).
 */
export function pointInstant(time: CalendarTime, zone: string, clock: ClockPosition, target: number | null, point: EscalationPoint): number | null {
  if (clock.state !== 'running' || clock.dueAt === null || target === null) return null;
  const due = Date.parse(clock.dueAt);
  switch (point.offsetKind) {
    case 'percent': {
      if (point.offsetValue >= 100) return due;
      const computedAt = Date.parse(clock.computedAt);
      const minutes = clock.remainingMinutes - ((100 - point.offsetValue) / 100) * target;
      return minutes <= 0 ? Math.min(computedAt, due) : time.add(computedAt, minutes);
    }
    case 'minutes':
      // A point that fires outside business hours too counts real minutes; otherwise business minutes, like the targets.
      return point.outsideHours ? due + point.offsetValue * MINUTE : time.add(due, point.offsetValue);
    case 'days':
      return businessDaysAfter(time, zone, due, point.offsetValue);
  }
}

/** Whether `at` lies inside one of the calendar's business intervals. */
export function isBusinessTime(time: CalendarTime, zone: string, at: number): boolean {
  return time.day(localDate(at, zone)).some((w) => w.from <= at && at < w.until);
}

/** The first business instant at or after `at` (null when the calendar has none within three years). */
export function nextBusinessStart(time: CalendarTime, zone: string, at: number): number | null {
  let date = localDate(at, zone);
  for (let step = 0; step <= HORIZON_DAYS; step++, date = addDays(date, 1)) {
    const window = time.day(date).find((w) => w.until > at);
    if (window) return Math.max(window.from, at);
  }
  return null;
}

/** The earliest instant among points not fired yet, or null. */
export function nextEscalationAt(instants: ReadonlyArray<{ pointId: number; at: number | null }>, fired: ReadonlySet<number>): number | null {
  let next: number | null = null;
  for (const { pointId, at } of instants) if (at !== null && !fired.has(pointId) && (next === null || at < next)) next = at;
  return next;
}
