import { describe, expect, it } from 'vitest';
import { formatDuration, isFinal, parseDuration, serviceOrderTransitions } from './service-order-rules.js';

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
});
