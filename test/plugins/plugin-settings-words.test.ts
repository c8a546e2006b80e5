import { describe, expect, it } from 'vitest';
import { installedPlugins } from '../../config/plugins.js';
import { settingsFormFields } from '../../core/plugin-host/settings-form.js';

/**
 * The platform operator sets each plugin's settings on the tenant page: every field the form offers has a label and a
 * hint in both languages (`<id>.settings.<key>`, `<id>.settings.<key>.hint`), and every choice of an enum its words,
 * so no raw key or value shows there. (Fields set on the plugin's own page, kind 'elsewhere', are named only.)
 */
describe.each(installedPlugins.filter((plugin) => plugin.settings))('the settings form of $id', (plugin) => {
  it('names and explains every field and choice in English and German', () => {
    const missing: string[] = [];
    for (const locale of ['en', 'de'] as const) {
      const messages = plugin.messages?.[locale] ?? {};
      for (const field of settingsFormFields(plugin.settings)) {
        const key = `${plugin.id}.settings.${field.key}`;
        if (!(key in messages)) missing.push(`${locale}: ${key}`);
        if (field.kind !== 'elsewhere' && !(`${key}.hint` in messages)) missing.push(`${locale}: ${key}.hint`);
        if (field.kind === 'enum' || field.kind === 'enumSet') {
          for (const option of field.options) if (!(`${key}.${option}` in messages)) missing.push(`${locale}: ${key}.${option}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });
});
