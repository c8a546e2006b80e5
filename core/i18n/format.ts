import type { Locale } from './translate.js';

const dateTimeFormats = new Map<Locale, Intl.DateTimeFormat>();
const dateFormats = new Map<Locale, Intl.DateTimeFormat>();
const TIME_ZONE = 'Europe/Berlin';

function cached(map: Map<Locale, Intl.DateTimeFormat>, locale: Locale, options: Intl.DateTimeFormatOptions) {
  let format = map.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(locale === 'de' ? 'de-DE' : 'en-GB', { ...options, timeZone: TIME_ZONE });
    map.set(locale, format);
  }
  return format;
}

/** Timestamps as people in the tenant read them (Intl formatters are costly to build, so they are reused). */
export function formatDateTime(iso: string | null | undefined, locale: Locale): string {
  if (!iso) return '—';
  return cached(dateTimeFormats, locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

export function formatDate(iso: string | null | undefined, locale: Locale): string {
  if (!iso) return '—';
  return cached(dateFormats, locale, { dateStyle: 'medium' }).format(new Date(iso.length === 10 ? `${iso}T12:00:00Z` : iso));
}
