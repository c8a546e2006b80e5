import { describe, expect, it } from 'vitest';
import { installedPlugins } from '../../config/plugins.js';

describe('switch-off confirmation texts', () => {
  const plugins = installedPlugins;

  it('covers the installed plugins', () => {
    expect(plugins.map((plugin) => plugin.id)).toEqual(expect.arrayContaining(['helpdesk', 'portal', 'sla', 'hardware', 'knowledge', 'survey', 'ideas', 'connect']));
  });

  it.each(plugins.map((plugin) => [plugin.id, plugin] as const))('%s says in English and German what switching it off does', (id, plugin) => {
    const key = `${id}.switchOff`;
    for (const locale of ['en', 'de'] as const) {
      const text = plugin.messages?.[locale]?.[key];
      expect(text, `${key} (${locale})`).toBeTypeOf('string');
      expect(text!.trim().length, `${key} (${locale})`).toBeGreaterThan(20);
    }
    expect(plugin.messages!.de[key]).not.toBe(plugin.messages!.en[key]);
  });
});
