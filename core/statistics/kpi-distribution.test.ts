import { describe, expect, it } from 'vitest';
import { distribution, quantile } from './kpi-distribution.js';

describe('KPI distribution', () => {
  it('interpolates between the nearest ranks like percentile_cont', () => {
    expect(quantile([1, 2, 3, 10], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 10], 0.9)).toBeCloseTo(7.9);
    expect(quantile([5], 0.9)).toBe(5);
    expect(quantile([], 0.5)).toBeNull();
  });

  it('sorts, then gives count, mean, median and 90th percentile', () => {
    expect(distribution([10, 1, 3, 2])).toEqual({ count: 4, average: 4, median: 2.5, p90: expect.closeTo(7.9, 6) });
    expect(distribution([])).toEqual({ count: 0, average: null, median: null, p90: null });
  });
});
