import type { Locale } from './translate.js';

/**
 * A short text in both languages, declared where the thing it names is declared (an audit action,
 * a permission, a notification kind, a statistics panel): a plugin brings its labels with its
 * declarations instead of editing a core catalog.
 */
export type Label = Readonly<Record<Locale, string>>;

export function labelText(label: Label, locale: Locale): string {
  return label[locale] || label.en;
}
