import { describe, expect, it } from 'vitest';
import type { Label } from '../i18n/label.js';
import { definePlugin, type PluginDefinition } from '../plugin-host/define-plugin.js';
import { createRegistry, PluginRegistryError } from '../plugin-host/registry.js';
import { auditActionRegistry, coreAuditActions } from './audit-actions.js';

function plugin(id: string, auditActions: Record<string, Label>): PluginDefinition {
  return definePlugin({ id, version: '1.0.0', core: '^1.0.0', name: `${id}.name`, auditActions, register: () => {} });
}

describe('audit action registry', () => {
  it('labels every core action in English and German', () => {
    expect(Object.keys(coreAuditActions).length).toBeGreaterThan(30);
    for (const [action, label] of Object.entries(coreAuditActions)) {
      expect(label.en.trim(), `${action} en`).not.toBe('');
      expect(label.de.trim(), `${action} de`).not.toBe('');
    }
  });

  it('merges the core\'s actions and the plugins\', each with its owner, and labels them in the reader\'s language', () => {
    const actions = auditActionRegistry(createRegistry([plugin('alpha', { 'alpha.thing_done': { en: 'Did the thing', de: 'Das Ding erledigt' } })]));
    expect(actions.label('auth.sign_in', 'en')).toBe('Signed in');
    expect(actions.label('auth.sign_in', 'de')).toBe('Angemeldet');
    expect(actions.label('alpha.thing_done', 'en')).toBe('Did the thing');
    expect(actions.label('alpha.thing_done', 'de')).toBe('Das Ding erledigt');
    expect(actions.get('alpha.thing_done')?.owner).toBe('alpha');
    expect(actions.get('auth.sign_in')?.owner).toBe('core');
    expect(actions.all().at(-1)?.code).toBe('alpha.thing_done');
    // Unknown codes (a removed plugin's) have no label: the page shows the code.
    expect(actions.label('removed_plugin.something', 'en')).toBeNull();
  });

  it('refuses an action declared twice, naming both owners', () => {
    const clash = plugin('admin', { 'admin.user_created': { en: 'Mine', de: 'Meins' } });
    expect(() => auditActionRegistry(createRegistry([clash]))).toThrow(PluginRegistryError);
    expect(() => auditActionRegistry(createRegistry([clash]))).toThrow('audit action "admin.user_created" is declared by both "core" and "admin"');
  });

  it('refuses an action outside the plugin\'s prefix, a bad code and a label missing a language', () => {
    expect(() => auditActionRegistry(createRegistry([plugin('alpha', { 'beta.thing': { en: 'x', de: 'y' } })])))
      .toThrow('plugin "alpha" declares audit action "beta.thing" outside its own prefix "alpha."');
    expect(() => auditActionRegistry(createRegistry([plugin('alpha', { 'alpha.Bad Code': { en: 'x', de: 'y' } })]))).toThrow('lower-case words');
    expect(() => auditActionRegistry(createRegistry([plugin('alpha', { 'alpha.with-dash': { en: 'x', de: 'y' } })]))).toThrow('lower-case words');
    // A plugin id may hold dashes, so the code's first part may too.
    expect(auditActionRegistry(createRegistry([plugin('on-call', { 'on-call.shift_swapped': { en: 'Swapped', de: 'Getauscht' } })])).label('on-call.shift_swapped', 'en')).toBe('Swapped');
    expect(() => auditActionRegistry(createRegistry([plugin('alpha', { 'alpha.thing': { en: 'Thing', de: ' ' } })])))
      .toThrow('audit action "alpha.thing" of "alpha" needs a label in English and German');
  });

  it('reserves the plugin id "core" for the core\'s entries', () => {
    expect(() => createRegistry([plugin('core', {})])).toThrow('plugin id "core" is reserved');
  });
});
