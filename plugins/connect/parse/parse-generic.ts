import { HOST_MAX, OUTPUT_MAX, SERVICE_MAX, instant, jsonObject, stateWord, text, type MonitoringEvent } from './monitoring-event.js';

/** The generic JSON: `{ host, service?, state, output?, timestamp? }`, state one of STATES in any case, timestamp ISO or seconds. */
export function parseGeneric(body: string, _contentType: string, now: Date): MonitoringEvent[] {
  const data = jsonObject(body);
  return [{
    host: text(data.host, 'host', HOST_MAX),
    service: text(data.service, 'service', SERVICE_MAX, false),
    state: stateWord(data.state, 'state'),
    output: text(data.output, 'output', OUTPUT_MAX, false),
    at: instant(data.timestamp, 'timestamp', now),
    raw: body,
  }];
}
