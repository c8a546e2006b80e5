import { describe, expect, it } from 'vitest';
import { handovers, icalFeed, onCallAt, shifts, type Rota } from './rota-time.js';

const at = (iso: string) => Date.parse(iso);
const HOUR = 3_600_000;

describe('on-call rota arithmetic', () => {
  const daily: Rota = { zone: 'Europe/Berlin', freq: 'DAILY', interval: 1, byDay: [], handover: '09:00', startDate: '2026-03-27', participants: [1, 2, 3] };

  it('hands over at 09:00 local time on either side of the spring DST change in Europe/Berlin', () => {
    const list = handovers(daily, at('2026-03-31T00:00:00Z')).map((ms) => new Date(ms).toISOString());
    // 27/28 March: CET (UTC+1) -> 08:00Z; from 29 March: CEST (UTC+2) -> 07:00Z.
    expect(list.slice(0, 5)).toEqual(['2026-03-27T08:00:00.000Z', '2026-03-28T08:00:00.000Z', '2026-03-29T07:00:00.000Z', '2026-03-30T07:00:00.000Z', '2026-03-31T07:00:00.000Z']);
    // The shift over the change lasts 23 hours; the turn order continues.
    const over = shifts(daily, [], at('2026-03-28T08:00:00Z'), at('2026-03-29T07:00:00Z'));
    expect(over).toEqual([{ userId: 2, from: at('2026-03-28T08:00:00Z'), until: at('2026-03-29T07:00:00Z'), override: false }]);
    expect(onCallAt(daily, [], at('2026-03-29T06:59:00Z'))).toBe(2);
    expect(onCallAt(daily, [], at('2026-03-29T07:00:00Z'))).toBe(3);
    expect(onCallAt(daily, [], at('2026-03-30T07:30:00Z'))).toBe(1);
    // Before the first handover nobody is on call.
    expect(onCallAt(daily, [], at('2026-03-27T07:59:00Z'))).toBeNull();
  });

  it('rotates weekly on given days every two weeks across the autumn change in America/New_York', () => {
    const weekly: Rota = { zone: 'America/New_York', freq: 'WEEKLY', interval: 2, byDay: ['MO'], handover: '08:30', startDate: '2026-10-19', participants: [7, 8] };
    const list = handovers(weekly, at('2026-11-17T00:00:00Z')).map((ms) => new Date(ms).toISOString());
    // EDT (UTC-4) on 19 Oct; EST (UTC-5) after 1 Nov.
    expect(list.slice(0, 3)).toEqual(['2026-10-19T12:30:00.000Z', '2026-11-02T13:30:00.000Z', '2026-11-16T13:30:00.000Z']);
    expect(onCallAt(weekly, [], at('2026-11-01T12:00:00Z'))).toBe(7);
    expect(onCallAt(weekly, [], at('2026-11-02T13:30:00Z'))).toBe(8);
    expect(onCallAt(weekly, [], at('2026-11-16T13:30:00Z'))).toBe(7);
  });

  it('lets an override win over the rotation for its range; a later override wins over an earlier one', () => {
    const overrides = [{ userId: 9, from: at('2026-03-28T12:00:00Z'), until: at('2026-03-28T20:00:00Z') }, { userId: 5, from: at('2026-03-28T18:00:00Z'), until: at('2026-03-28T19:00:00Z') }];
    expect(onCallAt(daily, overrides, at('2026-03-28T11:59:00Z'))).toBe(2);
    expect(onCallAt(daily, overrides, at('2026-03-28T12:00:00Z'))).toBe(9);
    expect(onCallAt(daily, overrides, at('2026-03-28T18:30:00Z'))).toBe(5);
    expect(onCallAt(daily, overrides, at('2026-03-28T20:00:00Z'))).toBe(2);
    const day = shifts(daily, overrides, at('2026-03-28T08:00:00Z'), at('2026-03-29T07:00:00Z'));
    expect(day.map((s) => [s.userId, (s.until - s.from) / HOUR, s.override])).toEqual([[2, 4, false], [9, 6, true], [5, 1, true], [9, 1, true], [2, 11, false]]);
  });

  it('writes one person\'s shifts as iCal events with UTC times and escaped names', () => {
    const list = shifts(daily, [], at('2026-03-27T08:00:00Z'), at('2026-03-31T07:00:00Z'));
    const ics = icalFeed({ calendarName: 'On call: Ann', userId: 1, rotas: [{ rotaId: 4, rotaName: 'Nights, weekends; all', shifts: list }], now: at('2026-03-01T00:00:00Z') });
    expect(ics.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n')).toBe(true);
    expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(ics.match(/BEGIN:VEVENT/g)).toHaveLength(2);
    expect(ics).toContain('DTSTART:20260327T080000Z\r\nDTEND:20260328T080000Z');
    expect(ics).toContain('DTSTART:20260330T070000Z\r\nDTEND:20260331T070000Z');
    expect(ics).toContain('SUMMARY:Nights\\, weekends\\; all');
  });
});
