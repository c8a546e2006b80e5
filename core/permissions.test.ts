import { describe, expect, it } from 'vitest';
import { definePlugin, type PermissionDeclaration, type PluginDefinition } from './plugin-host/define-plugin.js';
import { createRegistry, PluginRegistryError } from './plugin-host/registry.js';
import { buildPermissionTable, corePermissions } from './permissions.js';

function plugin(id: string, permissions: PermissionDeclaration[]): PluginDefinition {
  return definePlugin({ id, version: '1.0.0', core: '^1.0.0', name: `${id}.name`, permissions, register: () => {} });
}
const read = (key: string): PermissionDeclaration => ({ key, roles: ['agent'], label: { en: 'Read it', de: 'Lesen' } });

describe('permission table', () => {
  it('labels every core permission in English and German', () => {
    for (const [key, permission] of Object.entries(corePermissions)) {
      expect(permission.label.en.trim(), `${key} en`).not.toBe('');
      expect(permission.label.de.trim(), `${key} de`).not.toBe('');
    }
  });

  it('merges the core\'s and the plugins\' permissions with their owners, roles and labels', () => {
    const table = buildPermissionTable(createRegistry([plugin('alpha', [read('alpha.read')])]));
    expect(table.has('agent', 'alpha.read')).toBe(true);
    expect(table.has('supervisor', 'alpha.read')).toBe(false);
    expect(table.label('alpha.read', 'en')).toBe('Read it');
    expect(table.label('alpha.read', 'de')).toBe('Lesen');
    expect(table.label('tickets.close', 'en')).toBe('Close tickets');
    expect(table.label('tickets.close', 'de')).toBe('Tickets schließen');
    expect(table.label('nobody.knows', 'en')).toBe('nobody.knows');
    expect(table.entries().find((e) => e.key === 'alpha.read')?.owner).toBe('alpha');
    expect(table.entries().at(0)?.owner).toBe('core');
    expect(table.entries().at(-1)?.key).toBe('alpha.read');
    expect(() => table.has('agent', 'nobody.knows')).toThrow('unknown permission');
  });

  it('refuses a permission declared twice, naming both owners', () => {
    expect(() => buildPermissionTable(createRegistry([plugin('admin', [read('admin.users')])])))
      .toThrow('permission "admin.users" is declared by both "core" and "admin"');
    expect(() => buildPermissionTable(createRegistry([plugin('alpha', [read('alpha.read'), read('alpha.read')])])))
      .toThrow('permission "alpha.read" is declared by both "alpha" and "alpha"');
  });

  it('refuses a permission outside the plugin\'s prefix and one without a label in both languages', () => {
    expect(() => buildPermissionTable(createRegistry([plugin('alpha', [read('tickets.delete')])]))).toThrow(PluginRegistryError);
    expect(() => buildPermissionTable(createRegistry([plugin('alpha', [read('tickets.delete')])]))).toThrow('outside its own prefix');
    const unlabelled = { key: 'alpha.read', roles: ['agent'], label: { en: 'Read it', de: '' } } satisfies PermissionDeclaration;
    expect(() => buildPermissionTable(createRegistry([plugin('alpha', [unlabelled])])))
      .toThrow('permission "alpha.read" of "alpha" needs a label in English and German');
  });
});
