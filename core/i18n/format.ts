import type { Locale } from './translate.js';
import { DEFAULT_TIME_ZONE } from './time-zone.js';

type Style = 'dateTime' | 'date';
const OPTIONS: Record<Style, Intl.DateTimeFormatOptions> = { dateTime: { dateStyle: 'medium', timeStyle: 'short' }, date: { dateStyle: 'medium' } };

/**
 * Intl formatters by locale, zone and style (building one costs far more than using it). One
 * instance lives in the services; bounded, since zones come from tenant settings: the oldest
 * entry makes room.
 */
export class DateFormats {
  readonly #formats = new Map<string, Intl.DateTimeFormat>();
  constructor(private readonly max = 256) {}

  get(locale: Locale, timeZone: string, style: Style): Intl.DateTimeFormat {
    const key = `${locale}|${timeZone}|${style}`;
    let format = this.#formats.get(key);
    if (!format) {
      format = new Intl.DateTimeFormat(locale === 'de' ? 'de-DE' : 'en-GB', { ...OPTIONS[style], timeZone });
      if (this.#formats.size >= this.max) this.#formats.delete(this.#formats.keys().next().value!);
      this.#formats.set(key, format);
    }
    return format;
  }
}

/** Whom a date is shown to: their language, the tenant's zone, and the shared formatter cache. */
export interface DateContext {
  locale: Locale;
  timeZone: string;
  formats: DateFormats;
}

export function dateContext(formats: DateFormats, locale: Locale, timeZone: string | null | undefined): DateContext {
  return { locale, timeZone: timeZone || DEFAULT_TIME_ZONE, formats };
}

/** Timestamps as people in the tenant read them: in the tenant's zone. */
export function formatDateTime(iso: string | null | undefined, when: DateContext): string {
  if (!iso) return '—';
  return when.formats.get(when.locale, when.timeZone, 'dateTime').format(new Date(iso));
}

/** A calendar date ("2026-12-01") is the same day everywhere; a timestamp shows its day in the tenant's zone. */
export function formatDate(iso: string | null | undefined, when: DateContext): string {
  if (!iso) return '—';
  if (iso.length === 10) return when.formats.get(when.locale, 'UTC', 'date').format(new Date(`${iso}T12:00:00Z`));
  return when.formats.get(when.locale, when.timeZone, 'date').format(new Date(iso));
}
