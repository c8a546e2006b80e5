import { HOST_MAX, OUTPUT_MAX, PayloadError, SERVICE_MAX, instant, jsonObject, text, type AlertState, type MonitoringEvent } from './monitoring-event.js';

const SEVERITY: Readonly<Record<string, AlertState>> = { critical: 'critical', page: 'critical', error: 'critical', warning: 'warning', warn: 'warning' };
export const ALERTS_MAX = 100;

const record = (value: unknown): Record<string, unknown> => (typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Record<string, unknown> : {});
/** `db1:9100` → `db1`: the exporter's port is not part of the host's name. */
const hostOf = (value: string) => value.replace(/:\d{1,5}$/, '');

/**
 * Prometheus Alertmanager's webhook (version 4): one post carries a group of alerts, each read into one event.
 * Host: the `host`, `hostname` or `instance` label; service: `alertname`; state: resolved → ok, firing → the
 * `severity` label (critical/page/error, warning; none or another: critical); output: the summary or description.
 */
export function parseAlertmanager(body: string, _contentType: string, now: Date): MonitoringEvent[] {
  const data = jsonObject(body);
  if (!Array.isArray(data.alerts)) throw new PayloadError('alerts', 'connect.payload.required');
  if (data.alerts.length === 0) throw new PayloadError('alerts', 'connect.payload.required');
  if (data.alerts.length > ALERTS_MAX) throw new PayloadError('alerts', 'connect.payload.tooMany');
  const { alerts: _all, ...envelope } = data;
  return data.alerts.map((item: unknown, index: number) => {
    const alert = record(item);
    const labels = record(alert.labels);
    const annotations = record(alert.annotations);
    const field = (name: string) => `alerts.${index}.${name}`;
    const status = text(alert.status ?? data.status, field('status'), 20);
    if (status !== 'firing' && status !== 'resolved') throw new PayloadError(field('status'), 'connect.payload.choice');
    const host = hostOf(text(labels.host ?? labels.hostname ?? labels.instance, field('labels.instance'), HOST_MAX));
    const service = text(labels.alertname, field('labels.alertname'), SERVICE_MAX);
    const severity = String(labels.severity ?? '').trim().toLowerCase();
    const state: AlertState = status === 'resolved' ? 'ok' : (SEVERITY[severity] ?? 'critical');
    const output = text(annotations.summary ?? annotations.description, field('annotations.summary'), OUTPUT_MAX, false);
    const at = instant(status === 'resolved' ? alert.endsAt : alert.startsAt, field(status === 'resolved' ? 'endsAt' : 'startsAt'), now);
    return { host, service, state, output, at, raw: JSON.stringify({ ...envelope, alerts: [item] }) };
  });
}
