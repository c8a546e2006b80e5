import { HOST_MAX, OUTPUT_MAX, PayloadError, SERVICE_MAX, instant, jsonObject, text, type AlertState, type MonitoringEvent } from './monitoring-event.js';

const SERVICE_STATES: readonly AlertState[] = ['ok', 'warning', 'critical', 'unknown'];
const HOST_STATES: readonly AlertState[] = ['up', 'down'];
const TYPES = new Set(['StateChange', 'CheckResult', 'Notification']);
const NOTIFICATION_STATE_TYPES = new Set(['Problem', 'Recovery', 'Custom', 'PROBLEM', 'RECOVERY', 'CUSTOM']);

/**
 * An Icinga 2 event as its API's event stream writes it (types StateChange, CheckResult, Notification),
 * forwarded one JSON object per post. The state is a number (services 0–3, hosts 0–1); a soft state
 * (state_type 0) is logged only, as Icinga itself would not notify yet.
 */
export function parseIcinga(body: string, _contentType: string, now: Date): MonitoringEvent[] {
  const data = jsonObject(body);
  const type = text(data.type, 'type', 40);
  if (!TYPES.has(type)) throw new PayloadError('type', 'connect.payload.choice');
  const host = text(data.host, 'host', HOST_MAX);
  const service = text(data.service, 'service', SERVICE_MAX, false);
  const result = (typeof data.check_result === 'object' && data.check_result !== null ? data.check_result : {}) as Record<string, unknown>;
  const number = type === 'StateChange' ? data.state : result.state;
  const states = service ? SERVICE_STATES : HOST_STATES;
  if (typeof number !== 'number' || !Number.isInteger(number) || !states[number]) throw new PayloadError(type === 'StateChange' ? 'state' : 'check_result.state', 'connect.payload.state');
  const output = text(result.output, 'check_result.output', OUTPUT_MAX, false);
  const soft = type === 'StateChange' && data.state_type === 0;
  const notice = type === 'Notification' && !NOTIFICATION_STATE_TYPES.has(String(data.notification_type ?? ''));
  return [{ host, service, state: states[number]!, output, at: instant(data.timestamp, 'timestamp', now), raw: body, ignored: soft || notice }];
}
