import { labelText, type Label } from '../i18n/label.js';
import type { Locale } from '../i18n/translate.js';
import { PluginRegistryError, type PluginRegistry } from './registry.js';

/** Who declared a code: the core, or the id of the plugin that brought it. */
export const CORE_OWNER = 'core';

export interface LabelledCode {
  code: string;
  owner: string;
  label: Label;
}

/**
 * Codes with labels that the core and the installed plugins contribute (audit actions, notification
 * kinds): merged once at start, read by the pages that show them.
 */
export interface LabelledCodes {
  get(code: string): LabelledCode | undefined;
  /** The label in the reader's language, or null for a code nobody declares (e.g. its plugin was removed). */
  label(code: string, locale: Locale): string | null;
  /** Every code, the core's first, then the plugins' in dependency order. */
  all(): readonly LabelledCode[];
}

/** `<owner>.<word>…`: the first part may hold dashes, as a plugin id may (`on-call.shift_swapped`). */
const CODE_PATTERN = /^[a-z][a-z0-9_-]*(\.[a-z][a-z0-9_]*)*$/;

function checkLabel(what: string, code: string, owner: string, label: Label | undefined): void {
  if (!label || typeof label.en !== 'string' || typeof label.de !== 'string' || !label.en.trim() || !label.de.trim()) {
    throw new PluginRegistryError(`${what} "${code}" of "${owner}" needs a label in English and German`);
  }
}

/**
 * Merges the core's codes with those the installed plugins declare (`pick(plugin)`). Refuses, naming
 * the owners: a code declared twice, a plugin code outside its own prefix (`<plugin id>.`), a code that
 * is no dotted lower-case name, and a label missing a language.
 */
export function mergeLabelledCodes(
  what: string,
  core: Readonly<Record<string, Label>>,
  registry: PluginRegistry,
  pick: (plugin: PluginRegistry['plugins'][number]) => Readonly<Record<string, Label>> | undefined,
): LabelledCodes {
  const byCode = new Map<string, LabelledCode>();
  const add = (owner: string, code: string, label: Label) => {
    if (!CODE_PATTERN.test(code)) throw new PluginRegistryError(`${what} "${code}" of "${owner}" must be lower-case words joined by dots`);
    checkLabel(what, code, owner, label);
    const earlier = byCode.get(code);
    if (earlier) throw new PluginRegistryError(`${what} "${code}" is declared by both "${earlier.owner}" and "${owner}"`);
    byCode.set(code, Object.freeze({ code, owner, label }));
  };
  for (const [code, label] of Object.entries(core)) add(CORE_OWNER, code, label);
  for (const plugin of registry.plugins) {
    for (const [code, label] of Object.entries(pick(plugin) ?? {})) {
      if (!code.startsWith(`${plugin.id}.`)) {
        throw new PluginRegistryError(`plugin "${plugin.id}" declares ${what} "${code}" outside its own prefix "${plugin.id}."`);
      }
      add(plugin.id, code, label);
    }
  }
  const all = Object.freeze([...byCode.values()]);
  return Object.freeze({
    get: (code: string) => byCode.get(code),
    label: (code: string, locale: Locale) => {
      const entry = byCode.get(code);
      return entry ? labelText(entry.label, locale) : null;
    },
    all: () => all,
  });
}
