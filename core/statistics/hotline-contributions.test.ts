import { describe, expect, it } from 'vitest';
import { dayIn, zoneDays } from './hotline-contributions.js';
import { periodSegments, resolvePeriod } from './hotline-queries.js';

describe('zoneDays', () => {
  it('gives the day dayIn gives for every quarter hour of a year, also on the days clocks change', () => {
    for (const zone of ['Europe/Berlin', 'Australia/Lord_Howe', 'Asia/Kathmandu']) {
      const dayOf = zoneDays(zone);
      for (let ms = Date.parse('2025-01-01T00:00:00Z'); ms < Date.parse('2026-01-01T00:00:00Z'); ms += 15 * 60_000 + 7_000) {
        const iso = new Date(ms).toISOString();
        if (dayOf(iso) !== dayIn(iso, zone)) expect(`${zone} ${iso}: ${dayOf(iso)}`).toBe(`${zone} ${iso}: ${dayIn(iso, zone)}`);
      }
    }
  });

  it('puts 23:30 UTC in Berlin on the next day and in New York on the same', () => {
    expect(zoneDays('Europe/Berlin')('2026-03-04T23:30:00.000Z')).toBe('2026-03-05');
    expect(zoneDays('America/New_York')('2026-03-04T23:30:00.000Z')).toBe('2026-03-04');
  });

});

describe('periodSegments', () => {
  const segments = (from: string, to: string) => {
    const resolved = resolvePeriod({ from, to }, new Date('2026-12-06T12:00:00Z'), 'Europe/Berlin');
    if (!('period' in resolved)) throw new Error('refused');
    return periodSegments(resolved.period);
  };
  it('reads short periods from days, long ones from whole months and the days around them', () => {
    expect(segments('2026-11-07', '2026-12-06')).toEqual({ days: [['2026-11-07', '2026-12-06']], months: undefined });
    expect(segments('2023-12-08', '2026-12-06')).toEqual({ days: [['2023-12-08', '2023-12-31'], ['2026-12-01', '2026-12-06']], months: ['2024-01', '2026-11'] });
    expect(segments('2024-01-01', '2024-12-31')).toEqual({ days: [], months: ['2024-01', '2024-12'] });
    expect(segments('2024-02-15', '2024-04-30')).toEqual({ days: [['2024-02-15', '2024-02-29']], months: ['2024-03', '2024-04'] });
  });
  it('refuses reversed, impossible and too long periods', () => {
    expect(resolvePeriod({ from: '2026-02-01', to: '2026-01-01' }, new Date(), 'UTC')).toEqual({ errors: { to: 'order' } });
    expect(resolvePeriod({ from: '2026-02-30', to: '2026-03-01' }, new Date(), 'UTC')).toEqual({ errors: { from: 'date' } });
    expect(resolvePeriod({ from: '2000-01-01', to: '2026-03-01' }, new Date(), 'UTC')).toEqual({ errors: { from: 'length' } });
  });
});
