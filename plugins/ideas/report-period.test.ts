import { describe, expect, it } from 'vitest';
import { reportPeriod } from './submitters-report.js';

describe('the submitters report period', () => {
  it('defaults to the current year up to today in the tenant\'s zone, also in the hour when UTC is still a day behind', () => {
    const lateNewYearsEve = new Date('2026-12-31T23:30:00Z');
    expect(reportPeriod({}, lateNewYearsEve, 'Europe/Berlin')).toEqual({ from: '2027-01-01', to: '2027-01-01' });
    expect(reportPeriod({}, lateNewYearsEve, 'UTC')).toEqual({ from: '2026-01-01', to: '2026-12-31' });
    expect(reportPeriod({}, new Date('2026-12-06T23:15:00Z'), null)).toEqual({ from: '2026-01-01', to: '2026-12-07' });
    expect(reportPeriod({ from: '2026-03-01', to: '2026-03-31' }, lateNewYearsEve, 'Europe/Berlin')).toEqual({ from: '2026-03-01', to: '2026-03-31' });
  });

  it('refuses a malformed day and a start after the end at the field', () => {
    expect(() => reportPeriod({ from: '2026-13-01' }, new Date(), 'UTC')).toThrow();
    expect(() => reportPeriod({ from: '2026-05-02', to: '2026-05-01' }, new Date(), 'UTC')).toThrow();
  });
});
