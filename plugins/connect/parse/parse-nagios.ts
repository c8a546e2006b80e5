import { HOST_MAX, OUTPUT_MAX, SERVICE_MAX, fields, instant, stateWord, text, type MonitoringEvent } from './monitoring-event.js';

/** Notification types that report a state; the others (ACKNOWLEDGEMENT, DOWNTIME…, FLAPPING…) are logged only. */
const STATE_TYPES = new Set(['PROBLEM', 'RECOVERY', 'CUSTOM']);

/**
 * A Nagios notification command's post: the macros by their own names (HOSTNAME, SERVICEDESC, SERVICESTATE or
 * HOSTSTATE, SERVICEOUTPUT or HOSTOUTPUT, NOTIFICATIONTYPE, TIMET), as a form or a JSON object. Without
 * SERVICEDESC it is a host notification.
 */
export function parseNagios(body: string, contentType: string, now: Date): MonitoringEvent[] {
  const data = fields(body, contentType);
  const host = text(data.HOSTNAME, 'HOSTNAME', HOST_MAX);
  const service = text(data.SERVICEDESC, 'SERVICEDESC', SERVICE_MAX, false);
  const state = service ? stateWord(data.SERVICESTATE, 'SERVICESTATE') : stateWord(data.HOSTSTATE, 'HOSTSTATE');
  const output = text(service ? data.SERVICEOUTPUT : data.HOSTOUTPUT, service ? 'SERVICEOUTPUT' : 'HOSTOUTPUT', OUTPUT_MAX, false);
  const type = text(data.NOTIFICATIONTYPE, 'NOTIFICATIONTYPE', 40, false).toUpperCase();
  return [{ host, service, state, output, at: instant(data.TIMET, 'TIMET', now), raw: body, ignored: type !== '' && !STATE_TYPES.has(type) }];
}
