/**
 * The tenant's time zone: which names are valid, and how wall-clock input (datetime-local
 * fields, date filters) maps to UTC instants there, DST changes included. Stored timestamps
 * stay ISO-8601 UTC; only input and display speak the zone.
 */

/** Tenants that never chose a zone keep the one Tresen always used. */
export const DEFAULT_TIME_ZONE = 'Europe/Berlin';

let zoneNames: readonly string[] | undefined;

/** Every IANA zone name this runtime knows, sorted (UTC included, which some runtimes leave out of the list). */
export function timeZoneNames(): readonly string[] {
  // The runtime's list never changes while it runs: built once, on first use.
  zoneNames ??= [...new Set([...Intl.supportedValuesOf('timeZone'), 'UTC'])].sort();
  return zoneNames;
}

/**
 * The canonical spelling of an IANA zone name, or undefined for anything else. Offsets such as
 * "+01:00" (accepted by newer runtimes) are refused: a named zone knows its DST rules.
 */
export function canonicalTimeZone(name: string): string | undefined {
  const text = name.trim();
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(text)) return undefined;
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en-GB', { timeZone: text }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
  if (resolved === 'UTC' || resolved === 'Etc/UTC') return text.toUpperCase() === 'UTC' ? 'UTC' : resolved;
  const known = timeZoneNames();
  if (known.includes(text)) return text;
  // A differently cased or legacy name (Europe/Kiev -> Europe/Kyiv) is stored as the runtime spells it.
  return known.find((zone) => zone.toLowerCase() === text.toLowerCase()) ?? (known.includes(resolved) ? resolved : undefined);
}

export const isTimeZone = (name: string): boolean => canonicalTimeZone(name) !== undefined;

/** Zones grouped by their region (the part before the first slash), for a select. */
export function timeZoneGroups(): Array<{ region: string; zones: string[] }> {
  const groups = new Map<string, string[]>();
  for (const zone of timeZoneNames()) {
    const region = zone.includes('/') ? zone.slice(0, zone.indexOf('/')) : 'Other';
    if (!groups.has(region)) groups.set(region, []);
    groups.get(region)!.push(zone);
  }
  return [...groups].map(([region, zones]) => ({ region, zones }));
}

// One formatter per zone (building one costs ~20 times what using it does); at most the runtime's zones.
const partsFormats = new Map<string, Intl.DateTimeFormat>();

function partsFormat(zone: string): Intl.DateTimeFormat {
  let format = partsFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    partsFormats.set(zone, format);
  }
  return format;
}

/** The zone's offset from UTC at an instant, in ms. */
function zoneOffset(format: Intl.DateTimeFormat, at: number): number {
  const parts = Object.fromEntries(format.formatToParts(new Date(at)).map((p) => [p.type, p.value]));
  const asUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return asUtc - Math.floor(at / 1000) * 1000;
}

const HOUR = 3_600_000;

/**
 * A wall-clock time in the zone ("2026-12-01T09:30", as a datetime-local input sends it) to an
 * ISO instant. Undefined when it is malformed or does not exist there (the hour skipped when
 * clocks go forward). In the hour that repeats when clocks go back, the first (summer) one.
 */
export function zonedToIso(local: string, zone: string): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})$/.exec(local.trim());
  if (!match) return undefined;
  const [year, month, day, hour, minute] = match.slice(1).map(Number) as [number, number, number, number, number];
  if (month < 1 || month > 12 || hour > 23 || minute > 59) return undefined;
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  const check = new Date(wall);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return undefined;
  const format = partsFormat(zone);
  // The offsets on either side of any change near this time; the earlier instant that reads as the
  // wall time wins, none reading as it means the time falls into a gap.
  const candidates = [...new Set([zoneOffset(format, wall - 24 * HOUR), zoneOffset(format, wall + 24 * HOUR), zoneOffset(format, wall)])]
    .map((offset) => wall - offset)
    .filter((instant) => wall === instant + zoneOffset(format, instant))
    .sort((a, b) => a - b);
  return candidates.length ? new Date(candidates[0]!).toISOString() : undefined;
}

/** An ISO instant as the zone's wall-clock value of a datetime-local input ("2026-12-01T09:30"). */
export function isoToZoned(iso: string | null | undefined, zone: string): string {
  if (!iso) return '';
  const at = new Date(iso).getTime();
  if (Number.isNaN(at)) return '';
  return new Date(at + zoneOffset(partsFormat(zone), at)).toISOString().slice(0, 16);
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The first instant of a calendar day in the zone ("2026-12-01"); undefined for a malformed date.
 * A day whose midnight is skipped (some zones change clocks at 00:00) starts at its first existing minute.
 */
export function zonedDayStart(date: string, zone: string): string | undefined {
  if (!DATE.test(date)) return undefined;
  for (let minutes = 0; minutes <= 120; minutes += 15) {
    const iso = zonedToIso(`${date}T${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`, zone);
    if (iso) return iso;
  }
  return undefined;
}

/** The first instant after a calendar day in the zone (the next day's start). */
export function zonedDayEnd(date: string, zone: string): string | undefined {
  if (!DATE.test(date)) return undefined;
  const next = new Date(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)) + 1));
  return zonedDayStart(next.toISOString().slice(0, 10), zone);
}
