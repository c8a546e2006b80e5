/** The monitoring systems the webhook understands: the last part of `/hooks/monitoring/<kind>`. */
export const SOURCE_KINDS = ['nagios', 'icinga', 'checkmk', 'prometheus', 'generic'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];
export const isSourceKind = (value: string): value is SourceKind => (SOURCE_KINDS as readonly string[]).includes(value);

export const STATES = ['critical', 'warning', 'unknown', 'down', 'unreachable', 'ok', 'up'] as const;
export type AlertState = (typeof STATES)[number];

/** One check's state as every source is read into. */
export interface MonitoringEvent {
  host: string;
  /** Empty for a host check. */
  service: string;
  state: AlertState;
  output: string;
  /** ISO instant the source gave, or the time it arrived. */
  at: string;
  /** The raw part of the body this event came from. */
  raw: string;
  /** Not a state to act on (an acknowledgement, a soft state, a downtime notice): logged, nothing else. */
  ignored?: boolean;
}

/** A body that could not be read: which field, and the message key saying why. */
export class PayloadError extends Error {
  constructor(readonly field: string, readonly key: string, readonly status: 400 | 422 = 422) {
    super(`${field}: ${key}`);
  }
}

export const HOST_MAX = 255;
export const SERVICE_MAX = 255;
export const OUTPUT_MAX = 4000;

/** A required text field: present, a string, trimmed, not too long. */
export function text(value: unknown, field: string, max: number, required = true): string {
  if (value === undefined || value === null || value === '') {
    if (required) throw new PayloadError(field, 'connect.payload.required');
    return '';
  }
  if (typeof value !== 'string' && typeof value !== 'number') throw new PayloadError(field, 'connect.payload.type');
  // No control bytes or bidi overrides into tickets (the body is read raw, past the forms' cleaning).
  const trimmed = String(value).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, '').trim();
  if (required && !trimmed) throw new PayloadError(field, 'connect.payload.required');
  if (trimmed.length > max) throw new PayloadError(field, 'connect.payload.tooLong');
  return trimmed;
}

/** A state word as the Nagios family writes it (CRITICAL, DOWN…), else a field message. */
export function stateWord(value: unknown, field: string): AlertState {
  const word = typeof value === 'string' ? value.trim().toLowerCase() : '';
  if ((STATES as readonly string[]).includes(word)) return word as AlertState;
  throw new PayloadError(field, 'connect.payload.state');
}

/** Seconds since 1970 (Nagios' $TIMET$), an ISO string, or nothing (now). */
export function instant(value: unknown, field: string, now: Date): string {
  if (value === undefined || value === null || value === '') return now.toISOString();
  const date = typeof value === 'number' || /^\d{9,11}(\.\d+)?$/.test(String(value))
    ? new Date(Number(value) * 1000)
    : new Date(String(value));
  if (Number.isNaN(date.getTime()) || date.getUTCFullYear() < 2000 || date.getUTCFullYear() > 2200) throw new PayloadError(field, 'connect.payload.time');
  return date.toISOString();
}

/** A JSON object body, else 400 (not JSON) or 422 (JSON but not an object). */
export function jsonObject(body: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new PayloadError('body', 'connect.payload.json', 400);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new PayloadError('body', 'connect.payload.object');
  return parsed as Record<string, unknown>;
}

/** A form body (Nagios' curl --data-urlencode) or a JSON object, by the content type. */
export function fields(body: string, contentType: string): Record<string, unknown> {
  if (contentType.startsWith('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(body));
  return jsonObject(body);
}

export const PROBLEM_STATES: ReadonlySet<AlertState> = new Set(['critical', 'down', 'unreachable']);
export const RECOVERY_STATES: ReadonlySet<AlertState> = new Set(['ok', 'up']);

/** problem (opens or adds), recovery (closes), or other (warning/unknown: only when the tenant opens on warnings). */
export function stateClass(state: AlertState): 'problem' | 'recovery' | 'other' {
  if (PROBLEM_STATES.has(state)) return 'problem';
  if (RECOVERY_STATES.has(state)) return 'recovery';
  return 'other';
}
