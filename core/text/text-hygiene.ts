/**
 * Text as it may be stored: what arrives in forms, API bodies, mail and file names passes through
 * here at the boundary, so the database never holds NUL bytes or half a UTF-16 pair (PostgreSQL
 * refuses the first, and both come out as invalid UTF-8 elsewhere).
 */

// C0 controls except tab, line feed and carriage return; DEL.
const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;
/**
 * Bidirectional embeddings, overrides and isolates, and the marks: in a file name they make
 * `invoice\u202Efdp.exe` look like `invoiceexe.pdf`. Left out of file names entirely.
 */
const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
/** The overrides and embeddings alone: in a subject or a name they can reorder the rest of the line. */
const BIDI_OVERRIDES = /[\u202a-\u202e]/g;

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Lone surrogates become U+FFFD, control characters other than tab and line breaks are dropped. */
export function cleanText(value: string): string {
  return value.replace(LONE_SURROGATE, '\ufffd').replace(CONTROLS, '');
}

/** A one-line text a person reads as a label (a subject, a name): cleaned, and without bidi overrides. */
export function cleanLabel(value: string): string {
  return cleanText(value).replace(BIDI_OVERRIDES, '');
}

/** A file name: cleaned, without any bidirectional formatting character. */
export function cleanFileNameText(value: string): string {
  return cleanText(value).replace(BIDI_CONTROLS, '');
}

/** Every string inside a parsed body (form fields, JSON at any depth) cleaned; files and other values as they are. */
export function cleanDeep<T>(value: T): T {
  if (typeof value === 'string') return cleanText(value) as T;
  if (Array.isArray(value)) return value.map((item) => cleanDeep(item)) as T;
  // Plain objects only (JSON's, and form bodies, which come without a prototype): never a File or a Date.
  const prototype = value && typeof value === 'object' ? Object.getPrototypeOf(value) : undefined;
  if (value && (prototype === Object.prototype || prototype === null)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [cleanText(key), cleanDeep(item)])) as T;
  }
  return value;
}
