import { callingCode, parsePhone, splitE164 } from '../../core/plugin-api.js';

/**
 * Phone numbers as a PBX sends them. The numbering rules (national and international forms, the tenant's country)
 * are core's (core/text/phone-number.ts, libphonenumber); what is left here is what only a PBX does: SIP and tel
 * URIs, short internal extensions, "anonymous" and the like, and international numbers without "+".
 */

/** Internal numbers (extensions, queues) are short; they are never a caller to look up. */
const EXTENSION = /^\d{1,6}$/;
/** Digits without any prefix and this long: a PBX that sends international numbers without "+". */
const INTERNATIONAL_DIGITS = 10;

export type PhoneNumber = { kind: 'e164'; value: string } | { kind: 'extension'; value: string } | { kind: 'unknown'; value: string };

/**
 * Normalises `raw` ("+49 (0)30 1234-56", "0049 30 123456", "030 123456", "4930123456", "sip:+4930123456@pbx",
 * "anonymous") with `country` the tenant's phone country (ISO, "DE"): an E.164 number, an internal extension, or
 * unknown (withheld, letters, too short or long) with the cleaned text.
 */
export function normalisePhone(raw: string, country: string): PhoneNumber {
  let text = raw.trim().slice(0, 100);
  // A SIP or tel URI: the user part.
  const uri = /^(?:sips?|tel):([^@;]+)/i.exec(text);
  if (uri) text = uri[1]!;
  text = text.replace(/[\s\u00a0\-/.]/g, '');
  const plus = text.startsWith('+');
  // "+49 (0)30": the trunk 0 in brackets is dropped from international forms.
  const digits = text.replace(/^\+/, '').replace(/\(0\)/g, '').replace(/[()]/g, '');
  if (!/^\d+$/.test(digits)) return { kind: 'unknown', value: text.slice(0, 40) };
  let candidate: string;
  if (plus || digits.startsWith('0')) candidate = plus ? `+${digits}` : digits;
  else if (EXTENSION.test(digits)) return { kind: 'extension', value: digits };
  else if (digits.length >= INTERNATIONAL_DIGITS) candidate = `+${digits}`;
  else return { kind: 'unknown', value: digits };
  const parsed = parsePhone(candidate, country);
  return parsed ? { kind: 'e164', value: parsed.e164 } : { kind: 'unknown', value: text.slice(0, 40) };
}

/**
 * The forms a stored phone field may have for `e164`, after stripping blanks, dashes, slashes, dots and brackets and
 * turning "+" into "00" (what the index `0017-phone-lookup` keeps): "00<cc><n>", "00<cc>0<n>", "<cc><n>", and for
 * numbers of the tenant's own country (`country`, ISO) "0<n>". None for what is no E.164 number.
 */
export function phoneKeys(e164: string, country: string): string[] {
  const split = splitE164(e164);
  if (!split) return [];
  const { callingCode: code, national } = split;
  const keys = [`00${code}${national}`, `00${code}0${national}`, `${code}${national}`];
  if (callingCode(country) === `+${code}`) keys.push(`0${national}`);
  return keys;
}
