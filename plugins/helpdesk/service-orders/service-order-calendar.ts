/**
 * A service order as an iCalendar (RFC 5545) message for the technician's calendar: METHOD:REQUEST
 * to add or update the appointment, METHOD:CANCEL to take it out (RFC 5546, iTIP). Written by hand:
 * the maintained generator (ical-generator 11) needs Node 22, and the format is small; what matters
 * is escaping text (3.3.11), quoting parameters (3.2) and folding lines at 75 octets (3.1).
 */

export interface CalendarMessage {
  method: 'REQUEST' | 'CANCEL';
  /** The same for every message about one order, so calendars update the one appointment. */
  uid: string;
  /** Grows with every message about the order: a calendar ignores anything older than what it has. */
  sequence: number;
  /** ISO instants (UTC). Without an end the appointment is given an hour. */
  start: string;
  end: string | null;
  /** When the message was made (DTSTAMP). */
  stamp: string;
  summary: string;
  description: string;
  url: string;
  organizer: { name: string; email: string };
  attendee: { name: string; email: string };
}

const DEFAULT_MINUTES = 60;

/** An instant as a UTC DATE-TIME ("20261201T083000Z"). */
export function icsDateTime(iso: string): string {
  return new Date(iso).toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

/** TEXT values: backslash, semicolon, comma and line breaks escaped. */
export function escapeText(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/[\\;,]/g, (ch) => `\\${ch}`).replace(/\n/g, '\\n');
}

/** A parameter value (CN): quoted, without the characters a quoted value cannot hold. */
function paramValue(text: string): string {
  return `"${text.replace(/["\r\n\x00-\x1f]/g, '')}"`;
}

/** Folds one content line into pieces of at most 75 octets, never inside a UTF-8 character. */
export function foldLine(line: string): string {
  const encoder = new TextEncoder();
  if (encoder.encode(line).length <= 75) return line;
  const pieces: string[] = [];
  let current = '';
  let octets = 0;
  // The first piece holds 75 octets; the others 74 after their leading space.
  let limit = 75;
  for (const ch of line) {
    const size = encoder.encode(ch).length;
    if (octets + size > limit) {
      pieces.push(current);
      current = '';
      octets = 0;
      limit = 74;
    }
    current += ch;
    octets += size;
  }
  pieces.push(current);
  return pieces.join('\r\n ');
}

/** The whole VCALENDAR object, CRLF line endings, folded. */
export function calendarText(message: CalendarMessage): string {
  const end = message.end ?? new Date(new Date(message.start).getTime() + DEFAULT_MINUTES * 60_000).toISOString();
  const cancel = message.method === 'CANCEL';
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Tresen//Service orders//EN',
    'CALSCALE:GREGORIAN',
    `METHOD:${message.method}`,
    'BEGIN:VEVENT',
    `UID:${message.uid}`,
    `SEQUENCE:${message.sequence}`,
    `DTSTAMP:${icsDateTime(message.stamp)}`,
    `DTSTART:${icsDateTime(message.start)}`,
    `DTEND:${icsDateTime(end)}`,
    `SUMMARY:${escapeText(message.summary)}`,
    `DESCRIPTION:${escapeText(message.description)}`,
    `URL:${message.url}`,
    `ORGANIZER;CN=${paramValue(message.organizer.name)}:mailto:${message.organizer.email}`,
    `ATTENDEE;CN=${paramValue(message.attendee.name)};ROLE=REQ-PARTICIPANT;PARTSTAT=${cancel ? 'DECLINED' : 'NEEDS-ACTION'};RSVP=FALSE:mailto:${message.attendee.email}`,
    `STATUS:${cancel ? 'CANCELLED' : 'CONFIRMED'}`,
    'TRANSP:OPAQUE',
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return `${lines.map(foldLine).join('\r\n')}\r\n`;
}
