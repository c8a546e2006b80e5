import { PayloadError, jsonObject, text } from './parse/monitoring-event.js';

/** What the PBX says happened to a call. */
export const CALL_EVENTS = ['newCall', 'answer', 'hangup'] as const;
export type CallEventName = (typeof CALL_EVENTS)[number];

/** One call event, whichever of the accepted formats it came in. */
export interface CallEvent {
  event: CallEventName;
  callId: string;
  direction: 'in' | 'out';
  from: string;
  to: string;
  /** The agents' extensions (or logins) the call rings at or was placed from; for answer, who picked up. */
  users: string[];
  /** hangup only: normalClearing, busy, cancel, noAnswer, congestion, notFound, forwarded (or the PBX's own word). */
  cause: string;
  /** An Asterisk AMI event the call flow does not need (Newstate, DialEnd with BUSY…): logged, nothing else. */
  ignored?: boolean;
}

export const CALL_ID_MAX = 120;
export const NUMBER_MAX = 60;
const USERS_MAX = 20;

/** Form fields with `user[]` (or repeated `user`) collected into a list, JSON as it is. */
function readBody(body: string, contentType: string): Record<string, unknown> {
  if (!contentType.startsWith('application/x-www-form-urlencoded')) return jsonObject(body);
  const fields: Record<string, unknown> = {};
  for (const [rawKey, value] of new URLSearchParams(body)) {
    const key = rawKey.replace(/\[\]$/, '');
    if (rawKey.endsWith('[]') || key in fields) fields[key] = [...(Array.isArray(fields[key]) ? fields[key] as unknown[] : key in fields ? [fields[key]] : []), value];
    else fields[key] = value;
  }
  return fields;
}

function userList(value: unknown, field: string): string[] {
  if (value === undefined || value === null || value === '') return [];
  const list = Array.isArray(value) ? value : [value];
  if (list.length > USERS_MAX) throw new PayloadError(field, 'connect.payload.tooLong');
  return list.map((item) => text(item, field, NUMBER_MAX, false)).filter(Boolean);
}

/**
 * The generic CTI format (Zammad's, also what sipgate.io, Placetel and FusionPBX scripts post): `event`
 * newCall | answer | hangup, `from`, `to`, `direction` in | out, `callId`, `user[]` (newCall), `answeringNumber`
 * (answer), `cause` (hangup); as a form or JSON.
 */
function generic(fields: Record<string, unknown>): CallEvent {
  const event = fields.event;
  if (typeof event !== 'string' || !(CALL_EVENTS as readonly string[]).includes(event)) throw new PayloadError('event', 'connect.call.event');
  const direction = fields.direction === undefined || fields.direction === '' ? 'in' : fields.direction;
  if (direction !== 'in' && direction !== 'out') throw new PayloadError('direction', 'connect.call.direction');
  const callId = text(fields.callId ?? fields.call_id ?? fields.callid, 'callId', CALL_ID_MAX);
  const users = userList(fields.user ?? fields.userId, 'user');
  const answering = text(fields.answeringNumber, 'answeringNumber', NUMBER_MAX, false);
  return {
    event: event as CallEventName, callId, direction,
    from: text(fields.from, 'from', NUMBER_MAX, event === 'newCall'),
    to: text(fields.to, 'to', NUMBER_MAX, event === 'newCall'),
    users: answering ? [answering] : users,
    cause: event === 'hangup' ? text(fields.cause, 'cause', 40, false) : '',
  };
}

/** Q.850 causes as Asterisk's Hangup event numbers them, in the generic format's words. */
const Q850: Readonly<Record<string, string>> = { 16: 'normalClearing', 17: 'busy', 18: 'noAnswer', 19: 'noAnswer', 21: 'cancel', 1: 'notFound', 34: 'congestion', 42: 'congestion' };

/**
 * An Asterisk AMI event as an AMI-to-HTTP bridge forwards it (JSON with AMI's header names): `Newchannel` (a call
 * begins: CallerIDNum, Exten), `DialBegin` (it rings an agent: DestCallerIDNum), `DialEnd` with DialStatus ANSWER
 * (picked up), `Hangup` (Cause as a Q.850 number). The call is its `Linkedid` (the first channel's Uniqueid); the
 * bridge may add `Direction: out` for calls the agents place.
 */
function asterisk(fields: Record<string, unknown>): CallEvent {
  const name = text(fields.Event, 'Event', 40);
  const callId = text(fields.Linkedid ?? fields.Uniqueid, 'Linkedid', CALL_ID_MAX);
  const direction = fields.Direction === undefined ? 'in' : String(fields.Direction).toLowerCase();
  if (direction !== 'in' && direction !== 'out') throw new PayloadError('Direction', 'connect.call.direction');
  const base = { callId, direction: direction as 'in' | 'out', from: text(fields.CallerIDNum, 'CallerIDNum', NUMBER_MAX, false), to: text(fields.Exten, 'Exten', NUMBER_MAX, false), users: [] as string[], cause: '' };
  switch (name) {
    case 'Newchannel':
      if (!base.from) throw new PayloadError('CallerIDNum', 'connect.payload.required');
      return { ...base, event: 'newCall' };
    case 'DialBegin': {
      const agent = text(fields.DestCallerIDNum ?? fields.DestExten, 'DestCallerIDNum', NUMBER_MAX);
      return { ...base, event: 'newCall', users: [agent] };
    }
    case 'DialEnd': {
      const agent = text(fields.DestCallerIDNum ?? fields.DestExten, 'DestCallerIDNum', NUMBER_MAX);
      return fields.DialStatus === 'ANSWER' ? { ...base, event: 'answer', users: [agent] } : { ...base, event: 'answer', users: [agent], ignored: true };
    }
    case 'Hangup': {
      const code = text(fields.Cause, 'Cause', 5, false);
      if (code && !/^\d{1,3}$/.test(code)) throw new PayloadError('Cause', 'connect.payload.type');
      return { ...base, event: 'hangup', cause: Q850[code] ?? (code ? `q850-${code}` : '') };
    }
    default:
      throw new PayloadError('Event', 'connect.call.event');
  }
}

/** The event of a body: AMI when it names an `Event`, else the generic format; a field message when it is neither. */
export function parseCallEvent(body: string, contentType: string): CallEvent {
  const fields = readBody(body, contentType);
  return 'Event' in fields ? asterisk(fields) : generic(fields);
}
