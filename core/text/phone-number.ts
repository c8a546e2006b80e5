/**
 * Phone numbers in one form everywhere: E.164 ("+49301234567"), read from whatever people type
 * ("030 123 45-67", "0049 30 1234567", "+44 20 7946 0958") with the tenant's default country for
 * national numbers. The support directory stores its numbers this way and the connect plugin looks
 * callers up by it (both through core/plugin-api), so a number typed twice compares equal.
 * The parsing rules are libphonenumber's (the libphonenumber-js port and its metadata).
 */
import { getCountries, getCountryCallingCode, isSupportedCountry, Metadata, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/** The longest input read as a phone number (E.164 itself is at most 16 characters; people add spaces and words). */
export const PHONE_INPUT_MAX = 40;

/** An ISO 3166-1 alpha-2 code the phone metadata knows (e.g. "DE", "AT", "CH"). */
export function isPhoneCountry(code: string): boolean {
  return /^[A-Z]{2}$/.test(code) && isSupportedCountry(code);
}

/** Every country code the metadata knows, sorted: for a picker of the default country. */
export function phoneCountries(): string[] {
  return [...getCountries()].sort();
}

/** The country's calling code with "+" ("DE" -> "+49"), or null for a code the metadata does not know. */
export function callingCode(country: string): string | null {
  return isPhoneCountry(country) ? `+${getCountryCallingCode(country as CountryCode)}` : null;
}

/**
 * The main country of a calling code without "+" ("49" -> "DE", "1" -> "US", "44" -> "GB"), or null for a code the
 * metadata does not know. For carrying an old calling-code setting over to a country.
 */
export function countryOfCallingCode(code: string): string | null {
  if (!/^[1-9]\d{0,2}$/.test(code)) return null;
  // The metadata lists a shared code's countries main country first; the typings do not declare the method.
  const metadata = new Metadata() as Metadata & { getCountryCodesForCallingCode?: (code: string) => string[] | undefined };
  const listed = metadata.getCountryCodesForCallingCode?.(code)
    ?? getCountries().filter((country) => getCountryCallingCode(country) === code);
  return listed.find(isPhoneCountry) ?? null;
}

export interface ParsedPhone {
  /** "+" and up to 15 digits. */
  e164: string;
  /** An extension typed after the number ("ext. 12", "x12"), or null. */
  extension: string | null;
  /** The country the number belongs to, when the metadata can tell. */
  country: string | null;
}

/**
 * Reads a phone number; national numbers belong to `defaultCountry`. Null for text that is not a
 * possible number of that plan (too short, too long, letters only, an unknown country code).
 */
export function parsePhone(input: string, defaultCountry: string): ParsedPhone | null {
  const text = input.trim();
  if (!text || text.length > PHONE_INPUT_MAX) return null;
  const country = isPhoneCountry(defaultCountry) ? (defaultCountry as CountryCode) : undefined;
  // "00" is the international prefix in most of Europe; the parser knows it only for the default country's plan.
  const parsed = parsePhoneNumberFromString(text.startsWith('00') ? `+${text.slice(2)}` : text, country);
  if (!parsed || !parsed.isPossible()) return null;
  return { e164: parsed.number, extension: parsed.ext ?? null, country: parsed.country ?? null };
}

/** The E.164 form of a number, or null when it is none (the extension, if any, is left out). */
export function toE164(input: string, defaultCountry: string): string | null {
  return parsePhone(input, defaultCountry)?.e164 ?? null;
}

/** Whether a stored value is in E.164 form. */
export function isE164(value: string): boolean {
  return /^\+[1-9]\d{1,14}$/.test(value);
}

/** The `tel:` link of an E.164 number (RFC 3966's global form), or null for anything else. */
export function telUri(e164: string): string | null {
  return isE164(e164) ? `tel:${e164}` : null;
}

/** An E.164 number grouped for reading ("+49 30 1234567"); anything else unchanged. */
export function formatPhone(e164: string): string {
  if (!isE164(e164)) return e164;
  return parsePhoneNumberFromString(e164)?.formatInternational() ?? e164;
}

/**
 * An E.164 number split into its country calling code and national (significant) number, without "+"
 * ("+49301234567" -> { callingCode: "49", national: "301234567" }), or null when it is none or the
 * code is unknown. For lookups that must match the forms people store ("0049…", "0…").
 */
export function splitE164(e164: string): { callingCode: string; national: string } | null {
  if (!isE164(e164)) return null;
  const callingCode = parsePhoneNumberFromString(e164)?.countryCallingCode;
  if (!callingCode || !e164.startsWith(`+${callingCode}`)) return null;
  return { callingCode, national: e164.slice(1 + callingCode.length) };
}
