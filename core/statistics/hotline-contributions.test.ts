import { describe, expect, it } from 'vitest';
import { dayIn, zoneDays } from './hotline-contributions.js';

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
