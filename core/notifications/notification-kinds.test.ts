import { describe, expect, it } from 'vitest';
import { definePlugin, type PluginDefinition } from '../plugin-host/define-plugin.js';
import { createRegistry } from '../plugin-host/registry.js';
import type { Label } from '../i18n/label.js';
import { notificationKindRegistry } from './notification-kinds.js';

function plugin(id: string, notificationKinds: Record<string, Label>): PluginDefinition {
  return definePlugin({ id, version: '1.0.0', core: '^1.0.0', name: `${id}.name`, notificationKinds, register: () => {} });
}

describe('notification kind registry', () => {
  it('merges the core\'s kinds and the plugins\', labelled in both languages', () => {
    const kinds = notificationKindRegistry(createRegistry([plugin('alpha', { 'alpha.overdue': { en: 'Overdue', de: 'Überfällig' } })]));
    expect(kinds.label('mention', 'en')).toBe('Mention');
    expect(kinds.label('mention', 'de')).toBe('Erwähnung');
    expect(kinds.label('alpha.overdue', 'en')).toBe('Overdue');
    expect(kinds.label('alpha.overdue', 'de')).toBe('Überfällig');
    expect(kinds.get('alpha.overdue')?.owner).toBe('alpha');
    expect(kinds.label('gone.kind', 'en')).toBeNull();
  });

  it('refuses a plugin kind that takes a core name or lies outside its prefix, and a missing language', () => {
    expect(() => notificationKindRegistry(createRegistry([plugin('alpha', { mention: { en: 'Mine', de: 'Meins' } })])))
      .toThrow('plugin "alpha" declares notification kind "mention" outside its own prefix "alpha."');
    expect(() => notificationKindRegistry(createRegistry([plugin('alpha', { 'alpha.overdue': { en: 'Overdue', de: '' } })])))
      .toThrow('notification kind "alpha.overdue" of "alpha" needs a label in English and German');
  });
});
