/** Service orders: the kinds of work, their lifecycle and how times are entered and shown. */

export const SERVICE_ORDER_TYPES = ['on_site', 'repair', 'installation', 'remote', 'other'] as const;
export type ServiceOrderType = (typeof SERVICE_ORDER_TYPES)[number];

export const SERVICE_ORDER_STATUSES = ['planned', 'in_progress', 'done', 'cancelled'] as const;
export type ServiceOrderStatus = (typeof SERVICE_ORDER_STATUSES)[number];

/** planned → in progress → done; cancelled from either open state. done and cancelled are final. */
const TRANSITIONS: Record<ServiceOrderStatus, readonly ServiceOrderStatus[]> = {
  planned: ['in_progress', 'cancelled'],
  in_progress: ['done', 'cancelled'],
  done: [],
  cancelled: [],
};

export function serviceOrderTransitions(from: ServiceOrderStatus): readonly ServiceOrderStatus[] {
  return TRANSITIONS[from];
}

export const isFinal = (status: ServiceOrderStatus) => TRANSITIONS[status].length === 0;

/** The most time one order may record (999 hours): beyond that it is a typing error. */
export const MAX_MINUTES = 999 * 60 + 59;

/** "1:30", "0:05" or plain minutes ("90") to minutes; '' is null; anything else undefined (invalid). */
export function parseDuration(input: string): number | null | undefined {
  const text = input.trim();
  if (text === '') return null;
  let minutes: number;
  const clock = /^(\d{1,3}):([0-5]\d)$/.exec(text);
  if (clock) minutes = Number(clock[1]) * 60 + Number(clock[2]);
  else if (/^\d{1,5}$/.test(text)) minutes = Number(text);
  else return undefined;
  return minutes <= MAX_MINUTES ? minutes : undefined;
}

/** Minutes as h:mm. */
export function formatDuration(minutes: number | null | undefined): string {
  if (minutes === null || minutes === undefined) return '';
  return `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}`;
}

/** People read and type planned times in the tenant's zone (core formats every timestamp in it too). */
export const TIME_ZONE = 'Europe/Berlin';

const zoneParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
});

/** The zone's offset from UTC at an instant, in ms. */
function zoneOffset(at: number): number {
  const parts = Object.fromEntries(zoneParts.formatToParts(new Date(at)).map((p) => [p.type, p.value]));
  const asUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return asUtc - Math.floor(at / 1000) * 1000;
}

/**
 * A wall-clock time as a datetime-local input sends it ("2026-12-01T09:30") to an ISO instant;
 * undefined when it is malformed or does not exist (the hour skipped when clocks go forward).
 */
export function localToIso(local: string): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})$/.exec(local.trim());
  if (!match) return undefined;
  const [year, month, day, hour, minute] = match.slice(1).map(Number) as [number, number, number, number, number];
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  const check = new Date(wall);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59) return undefined;
  let instant = wall - zoneOffset(wall);
  // Near a DST change the first guess can sit on the other side of it.
  instant = wall - zoneOffset(instant);
  if (isoToLocal(new Date(instant).toISOString()) !== `${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}`) return undefined;
  return new Date(instant).toISOString();
}

/** An ISO instant as the wall-clock value of a datetime-local input ("2026-12-01T09:30"). */
export function isoToLocal(iso: string | null | undefined): string {
  if (!iso) return '';
  const at = new Date(iso).getTime();
  return new Date(at + zoneOffset(at)).toISOString().slice(0, 16);
}

/** The first instant of a calendar day in the zone ("2026-12-01"); undefined for a malformed date. */
export function dayStart(date: string): string | undefined {
  return /^\d{4}-\d{2}-\d{2}$/.test(date) ? localToIso(`${date}T00:00`) : undefined;
}

/** The first instant after a calendar day in the zone. */
export function dayEnd(date: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return undefined;
  const next = new Date(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)) + 1));
  return dayStart(next.toISOString().slice(0, 10));
}
