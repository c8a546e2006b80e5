import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PayloadError } from './monitoring-event.js';
import { parsePayload } from './parse-payload.js';

const fixture = (name: string) => readFileSync(new URL(`../../../test/fixtures/monitoring/${name}`, import.meta.url), 'utf8');
const now = new Date('2026-12-06T22:00:00Z');
const JSON_TYPE = 'application/json';
const FORM_TYPE = 'application/x-www-form-urlencoded';
const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (error instanceof PayloadError) return { field: error.field, key: error.key, status: error.status };
    throw error;
  }
  throw new Error('not refused');
};

describe('monitoring payloads', () => {
  it('reads a Nagios service notification posted as a form, and its recovery', () => {
    const [problem] = parsePayload('nagios', fixture('nagios-service-problem.form'), FORM_TYPE, now);
    expect(problem).toMatchObject({ host: 'web-01.example.net', service: 'HTTP', state: 'critical', output: 'CRITICAL - Socket timeout after 10 seconds', at: '2026-12-06T21:40:00.000Z', ignored: false });
    const [recovery] = parsePayload('nagios', fixture('nagios-service-recovery.form'), FORM_TYPE, now);
    expect(recovery).toMatchObject({ state: 'ok', ignored: false });
  });

  it('reads a Nagios host notification sent as JSON, and logs an acknowledgement only', () => {
    const [down] = parsePayload('nagios', fixture('nagios-host-down.json'), JSON_TYPE, now);
    expect(down).toMatchObject({ host: 'db-02.example.net', service: '', state: 'down', output: 'PING CRITICAL - Packet loss = 100%' });
    const ack = JSON.stringify({ ...JSON.parse(fixture('nagios-host-down.json')), NOTIFICATIONTYPE: 'ACKNOWLEDGEMENT' });
    expect(parsePayload('nagios', ack, JSON_TYPE, now)[0]!.ignored).toBe(true);
  });

  it('reads an Icinga 2 StateChange (hard), and marks a soft one as not to act on', () => {
    const [hard] = parsePayload('icinga', fixture('icinga-statechange.json'), JSON_TYPE, now);
    expect(hard).toMatchObject({ host: 'web-01.example.net', service: 'http', state: 'critical', output: 'CRITICAL - Socket timeout after 10 seconds', ignored: false });
    expect(hard!.at.startsWith('2026-12-06T21:40:00')).toBe(true);
    expect(parsePayload('icinga', fixture('icinga-statechange-soft.json'), JSON_TYPE, now)[0]!.ignored).toBe(true);
  });

  it('reads Checkmk\'s NOTIFY_ variables', () => {
    const [crit] = parsePayload('checkmk', fixture('checkmk-service-crit.json'), JSON_TYPE, now);
    expect(crit).toMatchObject({ host: 'fs-03', service: 'Filesystem /srv', state: 'critical', at: '2026-12-06T21:40:00.123Z' });
    const short = JSON.stringify({ ...JSON.parse(fixture('checkmk-service-crit.json')), NOTIFY_SERVICESTATE: 'WARN' });
    expect(parsePayload('checkmk', short, JSON_TYPE, now)[0]!.state).toBe('warning');
  });

  it('reads every alert of an Alertmanager group, host without the exporter port', () => {
    const events = parsePayload('prometheus', fixture('alertmanager-firing.json'), JSON_TYPE, now);
    expect(events.map((e) => [e.host, e.service, e.state])).toEqual([['app-07.example.net', 'InstanceDown', 'critical'], ['app-08.example.net', 'InstanceDown', 'critical']]);
    expect(JSON.parse(events[1]!.raw).alerts).toHaveLength(1);
    const [resolved] = parsePayload('prometheus', fixture('alertmanager-resolved.json'), JSON_TYPE, now);
    expect(resolved).toMatchObject({ host: 'app-07.example.net', state: 'ok', at: '2026-12-06T21:52:00.000Z' });
  });

  it('reads the generic JSON', () => {
    expect(parsePayload('generic', fixture('generic-critical.json'), JSON_TYPE, now)[0]).toMatchObject({ host: 'printer-4.example.net', service: 'Toner', state: 'critical', output: 'Toner black at 2%' });
  });

  it('refuses unreadable bodies with the field and a message key', () => {
    expect(refusal(() => parsePayload('generic', '{not json', JSON_TYPE, now))).toEqual({ field: 'body', key: 'connect.payload.json', status: 400 });
    expect(refusal(() => parsePayload('generic', '[1]', JSON_TYPE, now))).toMatchObject({ field: 'body', status: 422 });
    expect(refusal(() => parsePayload('generic', '{"host":"a","state":"PURPLE"}', JSON_TYPE, now))).toMatchObject({ field: 'state', key: 'connect.payload.state' });
    expect(refusal(() => parsePayload('generic', '{"state":"CRITICAL"}', JSON_TYPE, now))).toMatchObject({ field: 'host', key: 'connect.payload.required' });
    expect(refusal(() => parsePayload('generic', JSON.stringify({ host: 'x'.repeat(256), state: 'ok' }), JSON_TYPE, now))).toMatchObject({ field: 'host', key: 'connect.payload.tooLong' });
    expect(refusal(() => parsePayload('generic', '{"host":{"a":1},"state":"ok"}', JSON_TYPE, now))).toMatchObject({ field: 'host', key: 'connect.payload.type' });
    expect(refusal(() => parsePayload('generic', '{"host":"a","state":"ok","timestamp":"yesterday"}', JSON_TYPE, now))).toMatchObject({ field: 'timestamp' });
    expect(refusal(() => parsePayload('prometheus', '{"alerts":[{"status":"firing","labels":{}}]}', JSON_TYPE, now))).toMatchObject({ field: 'alerts.0.labels.instance' });
    expect(refusal(() => parsePayload('prometheus', JSON.stringify({ alerts: Array(101).fill({}) }), JSON_TYPE, now))).toMatchObject({ field: 'alerts', key: 'connect.payload.tooMany' });
    expect(refusal(() => parsePayload('icinga', '{"type":"StateChange","host":"h","service":"s","state":7}', JSON_TYPE, now))).toMatchObject({ field: 'state' });
    expect(refusal(() => parsePayload('checkmk', '{"NOTIFY_WHAT":"PLANET"}', JSON_TYPE, now))).toMatchObject({ field: 'NOTIFY_WHAT' });
    expect(refusal(() => parsePayload('nagios', 'HOSTNAME=a', FORM_TYPE, now))).toMatchObject({ field: 'HOSTSTATE' });
  });

  it('strips control bytes and bidi overrides from what it reads', () => {
    const [event] = parsePayload('generic', JSON.stringify({ host: 'we\u0007b\u202e', state: 'down', output: 'a\u0000b' }), JSON_TYPE, now);
    expect(event).toMatchObject({ host: 'web', output: 'ab' });
  });
});
