import { describe, expect, it } from 'vitest';
import { DateFormats, dateContext, formatDate, formatDateTime } from './format.js';
import { canonicalTimeZone, isoToZoned, timeZoneGroups, zonedDayEnd, zonedDayStart, zonedToIso } from './time-zone.js';

describe('tenant time zones', () => {
  it('knows IANA names (in their canonical spelling) and refuses anything else', () => {
    expect(canonicalTimeZone('Europe/Vienna')).toBe('Europe/Vienna');
    expect(canonicalTimeZone(' America/New_York ')).toBe('America/New_York');
    expect(canonicalTimeZone('europe/london')).toBe('Europe/London');
    expect(canonicalTimeZone('UTC')).toBe('UTC');
    for (const bad of ['', 'Mars/Olympus_Mons', 'Europe/Berlinn', '+01:00', 'CET; drop table', 'Europe/../etc']) expect(canonicalTimeZone(bad)).toBeUndefined();
    const groups = timeZoneGroups();
    expect(groups.find((g) => g.region === 'Europe')?.zones).toContain('Europe/Vienna');
    expect(groups.find((g) => g.region === 'America')?.zones).toContain('America/New_York');
  });

  it('reads wall-clock times in Berlin both ways, across both DST changes, and refuses the skipped hour', () => {
    const zone = 'Europe/Berlin';
    expect(zonedToIso('2026-12-01T09:30', zone)).toBe('2026-12-01T08:30:00.000Z');
    expect(zonedToIso('2026-07-01T09:30', zone)).toBe('2026-07-01T07:30:00.000Z');
    expect(isoToZoned('2026-07-01T07:30:00.000Z', zone)).toBe('2026-07-01T09:30');
    expect(isoToZoned('2026-12-01T08:30:00.000Z', zone)).toBe('2026-12-01T09:30');
    // Last Sunday of March 2026: 02:00 -> 03:00.
    expect(zonedToIso('2026-03-29T01:59', zone)).toBe('2026-03-29T00:59:00.000Z');
    expect(zonedToIso('2026-03-29T02:30', zone)).toBeUndefined();
    expect(zonedToIso('2026-03-29T03:00', zone)).toBe('2026-03-29T01:00:00.000Z');
    // Last Sunday of October 2026: 03:00 -> 02:00; the repeated 02:30 is the first (summer) one.
    expect(zonedToIso('2026-10-25T02:30', zone)).toBe('2026-10-25T00:30:00.000Z');
    expect(zonedToIso('2026-10-25T03:30', zone)).toBe('2026-10-25T02:30:00.000Z');
    expect(isoToZoned('2026-10-25T01:30:00.000Z', zone)).toBe('2026-10-25T02:30');
    for (const bad of ['2026-02-30T10:00', '2026-12-01 25:00', '2026-13-01T10:00', 'tomorrow']) expect(zonedToIso(bad, zone)).toBeUndefined();
    expect(zonedDayStart('2026-12-01', zone)).toBe('2026-11-30T23:00:00.000Z');
    expect(zonedDayEnd('2026-12-31', zone)).toBe('2026-12-31T23:00:00.000Z');
    // The day of the change has 23 hours.
    expect(zonedDayStart('2026-03-29', zone)).toBe('2026-03-28T23:00:00.000Z');
    expect(zonedDayEnd('2026-03-29', zone)).toBe('2026-03-29T22:00:00.000Z');
    expect(zonedDayStart('12/01/2026', zone)).toBeUndefined();
  });

  it('reads wall-clock times in New York across its DST changes (second Sunday of March, first of November)', () => {
    const zone = 'America/New_York';
    expect(zonedToIso('2026-12-01T09:30', zone)).toBe('2026-12-01T14:30:00.000Z');
    expect(zonedToIso('2026-07-01T09:30', zone)).toBe('2026-07-01T13:30:00.000Z');
    expect(zonedToIso('2026-03-08T02:30', zone)).toBeUndefined();
    expect(zonedToIso('2026-03-08T03:30', zone)).toBe('2026-03-08T07:30:00.000Z');
    expect(zonedToIso('2026-11-01T01:30', zone)).toBe('2026-11-01T05:30:00.000Z');
    expect(isoToZoned('2026-11-01T06:30:00.000Z', zone)).toBe('2026-11-01T01:30');
    expect(zonedDayStart('2026-11-01', zone)).toBe('2026-11-01T04:00:00.000Z');
    expect(zonedDayEnd('2026-11-01', zone)).toBe('2026-11-02T05:00:00.000Z');
    // A zone whose clocks change at midnight: the day starts at 01:00 (Santiago, first Sunday of September).
    expect(zonedDayStart('2026-09-06', 'America/Santiago')).toBe(zonedToIso('2026-09-06T01:00', 'America/Santiago'));
  });

  it('formats timestamps in the tenant zone and calendar dates as the same day everywhere, from a bounded cache', () => {
    const formats = new DateFormats(2);
    const berlin = dateContext(formats, 'en', 'Europe/Berlin');
    const newYork = dateContext(formats, 'en', 'America/New_York');
    const tokyo = dateContext(formats, 'de', 'Asia/Tokyo');
    expect(formatDateTime('2026-12-01T23:30:00.000Z', berlin)).toBe('2 Dec 2026, 00:30');
    expect(formatDateTime('2026-12-01T23:30:00.000Z', newYork)).toBe('1 Dec 2026, 18:30');
    expect(formatDateTime('2026-12-01T23:30:00.000Z', tokyo)).toBe('02.12.2026, 08:30');
    expect(formatDate('2026-12-01T23:30:00.000Z', newYork)).toBe('1 Dec 2026');
    expect(formatDate('2026-12-01', dateContext(formats, 'en', 'Pacific/Kiritimati'))).toBe('1 Dec 2026');
    expect(formatDate('2026-12-01', dateContext(formats, 'en', 'Pacific/Pago_Pago'))).toBe('1 Dec 2026');
    expect(formatDateTime(null, berlin)).toBe('—');
    expect(dateContext(formats, 'en', null).timeZone).toBe('Europe/Berlin');
  });
});
