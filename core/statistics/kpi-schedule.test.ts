import { describe, expect, it } from 'vitest';
import { duePeriodFor, latestDuePeriod } from './kpi-schedule.js';

const BERLIN = 'Europe/Berlin';

describe('KPI mail schedule', () => {
  it('sends the week before on Monday 07:00 in the tenant zone, across the change to summer time', () => {
    // Monday 23 March 2026, 07:00 in Berlin is 06:00 UTC (winter time).
    expect(latestDuePeriod('weekly', new Date('2026-03-23T05:59:00Z'), BERLIN)).toMatchObject({ key: '2026-03-09', from: '2026-03-09', to: '2026-03-15' });
    expect(latestDuePeriod('weekly', new Date('2026-03-23T06:00:00Z'), BERLIN)).toEqual({ key: '2026-03-16', from: '2026-03-16', to: '2026-03-22', dueAt: '2026-03-23T06:00:00.000Z' });
    // Clocks go forward on Sunday 29 March: Monday 30 March 07:00 is 05:00 UTC.
    expect(latestDuePeriod('weekly', new Date('2026-03-30T04:59:00Z'), BERLIN).key).toBe('2026-03-16');
    expect(latestDuePeriod('weekly', new Date('2026-03-30T05:00:00Z'), BERLIN)).toEqual({ key: '2026-03-23', from: '2026-03-23', to: '2026-03-29', dueAt: '2026-03-30T05:00:00.000Z' });
    // And back on Sunday 25 October: Monday 26 October 07:00 is 06:00 UTC again.
    expect(latestDuePeriod('weekly', new Date('2026-10-26T05:30:00Z'), BERLIN).key).toBe('2026-10-12');
    expect(latestDuePeriod('weekly', new Date('2026-10-26T06:00:00Z'), BERLIN).dueAt).toBe('2026-10-26T06:00:00.000Z');
  });

  it('sends the month before on the 1st 07:00, and the week in another zone', () => {
    expect(latestDuePeriod('monthly', new Date('2026-04-01T04:59:00Z'), BERLIN)).toMatchObject({ key: '2026-02', from: '2026-02-01', to: '2026-02-28' });
    expect(latestDuePeriod('monthly', new Date('2026-04-01T05:00:00Z'), BERLIN)).toEqual({ key: '2026-03', from: '2026-03-01', to: '2026-03-31', dueAt: '2026-04-01T05:00:00.000Z' });
    expect(latestDuePeriod('monthly', new Date('2027-01-01T06:00:00Z'), BERLIN)).toMatchObject({ key: '2026-12', from: '2026-12-01', to: '2026-12-31' });
    // Sunday 22:00 UTC is already Monday 07:00 in Tokyo.
    expect(latestDuePeriod('weekly', new Date('2026-03-22T22:00:00Z'), 'Asia/Tokyo')).toMatchObject({ key: '2026-03-16', dueAt: '2026-03-22T22:00:00.000Z' });
  });

  it('is due once per period, and not for a period that fell due before the subscription', () => {
    const sub = { frequency: 'weekly' as const, last_period: null, created_at: '2026-03-25T10:00:00.000Z' };
    expect(duePeriodFor(sub, new Date('2026-03-29T10:00:00Z'), BERLIN)).toBeNull();
    expect(duePeriodFor(sub, new Date('2026-03-30T05:00:00Z'), BERLIN)?.key).toBe('2026-03-23');
    expect(duePeriodFor({ ...sub, last_period: '2026-03-23' }, new Date('2026-03-30T09:00:00Z'), BERLIN)).toBeNull();
    expect(duePeriodFor({ ...sub, last_period: '2026-03-23' }, new Date('2026-04-06T05:00:00Z'), BERLIN)?.key).toBe('2026-03-30');
  });
});
