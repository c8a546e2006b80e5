import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { calendarText, escapeText, foldLine, icsDateTime, type CalendarMessage } from './service-order-calendar.js';

const message: CalendarMessage = {
  method: 'REQUEST', uid: 'service-order-7@acme.tresen', sequence: 3,
  start: '2026-12-01T14:30:00.000Z', end: null, stamp: '2026-11-25T10:00:00.000Z',
  summary: 'On site: Drucker; Büro 2, "Nord"', description: 'Ticket #2026-000001\nPrinter, floor 2; back\\side',
  url: 'http://tresen.test/t/acme/desk/tickets/2026-000001',
  organizer: { name: 'ACME "Support"', email: 'help@acme.test' }, attendee: { name: 'Tom Technician', email: 'tom@acme.test' },
};

describe('service order calendar messages', () => {
  it('writes UTC times, escapes text and folds long lines at 75 octets without splitting characters', () => {
    expect(icsDateTime('2026-12-01T14:30:00.000Z')).toBe('20261201T143000Z');
    expect(escapeText('a;b,c\\d\r\ne')).toBe('a\\;b\\,c\\\\d\\ne');
    const long = `SUMMARY:${'ä'.repeat(60)}`;
    const folded = foldLine(long);
    for (const piece of folded.split('\r\n')) expect(Buffer.byteLength(piece)).toBeLessThanOrEqual(75);
    expect(folded.split('\r\n').map((p, i) => (i ? p.slice(1) : p)).join('')).toBe(long);
    const text = calendarText({ ...message, description: 'x'.repeat(300) });
    expect(text.endsWith('\r\n')).toBe(true);
    for (const line of text.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
  });

  it('parses back (ical.js) with its UID, SEQUENCE, UTC start, an hour by default, and the text intact', () => {
    const calendar = new ICAL.Component(ICAL.parse(calendarText(message)));
    expect(calendar.getFirstPropertyValue('method')).toBe('REQUEST');
    const event = calendar.getFirstSubcomponent('vevent')!;
    expect(event.getFirstPropertyValue('uid')).toBe('service-order-7@acme.tresen');
    expect(event.getFirstPropertyValue('sequence')).toBe(3);
    const start = event.getFirstPropertyValue('dtstart') as ICAL.Time;
    expect(start.zone?.tzid).toBe('UTC');
    expect(start.toJSDate().toISOString()).toBe('2026-12-01T14:30:00.000Z');
    expect((event.getFirstPropertyValue('dtend') as ICAL.Time).toJSDate().toISOString()).toBe('2026-12-01T15:30:00.000Z');
    expect(event.getFirstPropertyValue('summary')).toBe('On site: Drucker; Büro 2, "Nord"');
    expect(event.getFirstPropertyValue('description')).toBe('Ticket #2026-000001\nPrinter, floor 2; back\\side');
    expect(event.getFirstProperty('organizer')!.getParameter('cn')).toBe('ACME Support');
    expect(event.getFirstPropertyValue('attendee')).toBe('mailto:tom@acme.test');
    const cancel = new ICAL.Component(ICAL.parse(calendarText({ ...message, method: 'CANCEL', sequence: 4, end: '2026-12-01T16:00:00.000Z' })));
    expect(cancel.getFirstPropertyValue('method')).toBe('CANCEL');
    const cancelled = cancel.getFirstSubcomponent('vevent')!;
    expect(cancelled.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(cancelled.getFirstPropertyValue('sequence')).toBe(4);
    expect((cancelled.getFirstPropertyValue('dtend') as ICAL.Time).toJSDate().toISOString()).toBe('2026-12-01T16:00:00.000Z');
  });
});
