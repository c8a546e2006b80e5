import { describe, expect, it } from 'vitest';
import { dayEnd, dayStart, formatDuration, isFinal, isoToLocal, localToIso, parseDuration, serviceOrderTransitions } from './service-order-rules.js';

describe('service order rules', () => {
  it('moves planned → in progress → done, cancels open orders, and keeps done and cancelled final', () => {
    expect(serviceOrderTransitions('planned')).toEqual(['in_progress', 'cancelled']);
    expect(serviceOrderTransitions('in_progress')).toEqual(['done', 'cancelled']);
    expect(serviceOrderTransitions('done')).toEqual([]);
    expect(serviceOrderTransitions('cancelled')).toEqual([]);
    expect(isFinal('done') && isFinal('cancelled') && !isFinal('planned')).toBe(true);
  });

  it('reads time spent as h:mm or minutes and refuses anything else', () => {
    expect(parseDuration('1:30')).toBe(90);
    expect(parseDuration(' 0:05 ')).toBe(5);
    expect(parseDuration('45')).toBe(45);
    expect(parseDuration('')).toBeNull();
    for (const bad of ['1:60', '1.5', '-5', 'abc', '1:5', '1000:00', '99999']) expect(parseDuration(bad)).toBeUndefined();
    expect(formatDuration(90)).toBe('1:30');
    expect(formatDuration(5)).toBe('0:05');
    expect(formatDuration(null)).toBe('');
  });

  it('converts wall-clock times of the tenant zone both ways, also across DST, and refuses times that do not exist', () => {
    expect(localToIso('2026-12-01T09:30')).toBe('2026-12-01T08:30:00.000Z');
    expect(localToIso('2026-07-01T09:30')).toBe('2026-07-01T07:30:00.000Z');
    expect(isoToLocal('2026-07-01T07:30:00.000Z')).toBe('2026-07-01T09:30');
    expect(isoToLocal('2026-12-01T08:30:00.000Z')).toBe('2026-12-01T09:30');
    expect(localToIso('2026-03-29T02:30')).toBeUndefined();
    expect(localToIso('2026-02-30T10:00')).toBeUndefined();
    expect(localToIso('2026-12-01 25:00')).toBeUndefined();
    expect(localToIso('tomorrow')).toBeUndefined();
    expect(dayStart('2026-12-01')).toBe('2026-11-30T23:00:00.000Z');
    expect(dayEnd('2026-12-31')).toBe('2026-12-31T23:00:00.000Z');
    expect(dayStart('12/01/2026')).toBeUndefined();
  });
});
