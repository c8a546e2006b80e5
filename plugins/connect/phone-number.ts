/**
 * Phone numbers as a PBX and people write them, made E.164 (`+<country code><national number>`) with the tenant's
 * default country for national forms. Written here because core has no normaliser yet (the support directory's
 * core/text/phone-number.ts is being written in parallel; the lead folds the two together).
 */

/** Two-digit country calling codes (ITU); `1` and `7` are the one-digit ones, every other code has three digits. */
const TWO_DIGIT = new Set(['20', '27', '30', '31', '32', '33', '34', '36', '39', '40', '41', '43', '44', '45', '46', '47', '48', '49',
  '51', '52', '53', '54', '55', '56', '57', '58', '60', '61', '62', '63', '64', '65', '66', '81', '82', '84', '86', '90', '91', '92', '93', '94', '95', '98']);

/** The country calling code an international digit string begins with (country codes never prefix one another). */
export function countryCodeOf(digits: string): string {
  if (digits.startsWith('1') || digits.startsWith('7')) return digits.slice(0, 1);
  return TWO_DIGIT.has(digits.slice(0, 2)) ? digits.slice(0, 2) : digits.slice(0, 3);
}

/** E.164 has at most 15 digits; the shortest real numbers (small island states) have 7 with their code. */
const E164 = /^\+[1-9]\d{6,14}$/;
/** Internal numbers (extensions, queues) are short; they are never a caller to look up. */
const EXTENSION = /^\d{1,6}$/;

export type PhoneNumber = { kind: 'e164'; value: string } | { kind: 'extension'; value: string } | { kind: 'unknown'; value: string };

/**
 * Normalises `raw` ("+49 (0)30 1234-56", "0049 30 123456", "030 123456", "4930123456", "sip:+4930123456@pbx",
 * "anonymous") with `defaultCountry` the tenant's calling code without "+" (49): an E.164 number, an internal
 * extension, or unknown (withheld, letters, too short or long) with the cleaned text.
 */
export function normalisePhone(raw: string, defaultCountry: string): PhoneNumber {
  let text = raw.trim().slice(0, 100);
  // A SIP or tel URI: the user part.
  const uri = /^(?:sips?|tel):([^@;]+)/i.exec(text);
  if (uri) text = uri[1]!;
  text = text.replace(/[\s\u00a0\-/.]/g, '');
  const plus = text.startsWith('+');
  // "+49 (0)30": the trunk 0 in brackets is dropped from international forms.
  let digits = text.replace(/^\+/, '').replace(/\(0\)/g, '').replace(/[()]/g, '');
  if (!/^\d+$/.test(digits)) return { kind: 'unknown', value: text.slice(0, 40) };
  let international: string;
  if (plus) international = digits;
  else if (digits.startsWith('00')) international = digits.slice(2);
  else if (digits.startsWith('0')) {
    digits = digits.replace(/^0+/, '');
    international = `${defaultCountry}${digits}`;
  } else if (EXTENSION.test(digits)) return { kind: 'extension', value: digits };
  // Digits without any prefix and long enough: a PBX that sends international numbers without "+".
  else if (digits.length >= 10) international = digits;
  else return { kind: 'unknown', value: digits };
  const value = `+${international}`;
  return E164.test(value) ? { kind: 'e164', value } : { kind: 'unknown', value: text.slice(0, 40) };
}

/** The E.164 form, or null when the text is no full number. */
export function toE164(raw: string, defaultCountry: string): string | null {
  const number = normalisePhone(raw, defaultCountry);
  return number.kind === 'e164' ? number.value : null;
}

/**
 * The forms a stored phone field may have for `e164`, after stripping blanks, dashes, slashes, dots and brackets and
 * turning "+" into "00" (what the index `0017-phone-lookup` keeps): "00<cc><n>", "00<cc>0<n>", "<cc><n>", and for
 * the tenant's own country "0<n>".
 */
export function phoneKeys(e164: string, defaultCountry: string): string[] {
  const digits = e164.slice(1);
  const cc = countryCodeOf(digits);
  const national = digits.slice(cc.length);
  const keys = [`00${digits}`, `00${cc}0${national}`, digits];
  if (cc === defaultCountry) keys.push(`0${national}`);
  return keys;
}

/** "+4930123456" as "+49 30123456": the country code apart, for reading. */
export function displayPhone(e164: string): string {
  const digits = e164.slice(1);
  const cc = countryCodeOf(digits);
  return `+${cc} ${digits.slice(cc.length)}`;
}
