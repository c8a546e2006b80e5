import { HOST_MAX, OUTPUT_MAX, PayloadError, SERVICE_MAX, fields, stateWord, text, type AlertState, type MonitoringEvent } from './monitoring-event.js';

const SHORT: Readonly<Record<string, AlertState>> = { CRIT: 'critical', WARN: 'warning', UNKN: 'unknown', UNREACH: 'unreachable' };
const STATE_TYPES = new Set(['PROBLEM', 'RECOVERY', 'CUSTOM']);

const word = (value: unknown, field: string): AlertState => SHORT[String(value ?? '').trim().toUpperCase()] ?? stateWord(value, field);

/**
 * A Checkmk notification script's post: the NOTIFY_* variables Checkmk hands every notification script, as a
 * JSON object (or form). NOTIFY_WHAT says host or service; NOTIFY_MICROTIME (microseconds) is the time.
 */
export function parseCheckmk(body: string, contentType: string, now: Date): MonitoringEvent[] {
  const data = fields(body, contentType);
  const what = text(data.NOTIFY_WHAT, 'NOTIFY_WHAT', 10).toUpperCase();
  if (what !== 'HOST' && what !== 'SERVICE') throw new PayloadError('NOTIFY_WHAT', 'connect.payload.choice');
  const host = text(data.NOTIFY_HOSTNAME, 'NOTIFY_HOSTNAME', HOST_MAX);
  const service = what === 'SERVICE' ? text(data.NOTIFY_SERVICEDESC, 'NOTIFY_SERVICEDESC', SERVICE_MAX) : '';
  const state = service ? word(data.NOTIFY_SERVICESTATE, 'NOTIFY_SERVICESTATE') : word(data.NOTIFY_HOSTSTATE, 'NOTIFY_HOSTSTATE');
  const output = text(service ? data.NOTIFY_SERVICEOUTPUT : data.NOTIFY_HOSTOUTPUT, service ? 'NOTIFY_SERVICEOUTPUT' : 'NOTIFY_HOSTOUTPUT', OUTPUT_MAX, false);
  const micro = text(data.NOTIFY_MICROTIME, 'NOTIFY_MICROTIME', 20, false);
  if (micro && !/^\d{15,17}$/.test(micro)) throw new PayloadError('NOTIFY_MICROTIME', 'connect.payload.time');
  const at = micro ? new Date(Math.floor(Number(micro) / 1000)).toISOString() : now.toISOString();
  const type = text(data.NOTIFY_NOTIFICATIONTYPE, 'NOTIFY_NOTIFICATIONTYPE', 40, false).toUpperCase();
  return [{ host, service, state, output, at, raw: body, ignored: type !== '' && !STATE_TYPES.has(type) }];
}
