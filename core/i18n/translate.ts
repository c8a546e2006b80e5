export type Locale = 'de' | 'en';
export const LOCALES: readonly Locale[] = ['de', 'en'];
export type Messages = Readonly<Record<string, string>>;
export type Translate = (key: string, params?: Record<string, string | number>) => string;

export function isLocale(value: unknown): value is Locale {
  return value === 'de' || value === 'en';
}

/** Picks the first supported language from an Accept-Language header, honouring q-values. */
export function negotiateLocale(header: string | undefined, fallback: Locale): Locale {
  if (!header) return fallback;
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag = '', ...rest] = part.trim().split(';');
      const q = rest.find((p) => p.trim().startsWith('q='));
      return { language: tag.trim().toLowerCase().split('-')[0], q: q ? Number(q.trim().slice(2)) : 1 };
    })
    .filter((entry) => entry.language && !Number.isNaN(entry.q) && entry.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const entry of ranked) if (isLocale(entry.language)) return entry.language;
  return fallback;
}

export interface Catalog {
  translator(locale: Locale): Translate;
  has(key: string): boolean;
}

/** Merges the core catalog with every plugin's; a missing key shows as itself so it is noticed. */
export function createCatalog(sources: ReadonlyArray<{ en: Messages; de: Messages }>): Catalog {
  const merged: Record<Locale, Map<string, string>> = { de: new Map(), en: new Map() };
  for (const source of sources) {
    for (const locale of LOCALES) for (const [key, text] of Object.entries(source[locale])) merged[locale].set(key, text);
  }
  const translators = new Map<Locale, Translate>();
  for (const locale of LOCALES) {
    const messages = merged[locale];
    translators.set(locale, (key, params) => {
      const text = messages.get(key) ?? merged.en.get(key) ?? key;
      if (!params) return text;
      return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
    });
  }
  return { translator: (locale) => translators.get(locale)!, has: (key) => merged.en.has(key) };
}
