import { describe, expect, it } from 'vitest';
import { definePlugin, type PluginDefinition } from './define-plugin.js';
import { createRegistry, PluginRegistryError } from './registry.js';
import { buildPermissionTable } from '../permissions.js';
import { checklistPlugin, notesPlugin } from '../../test/plugins/test-plugins.js';

function plugin(id: string, dependsOn: string[] = [], extra: Partial<PluginDefinition> = {}): PluginDefinition {
  return definePlugin({ id, version: '1.0.0', core: '^1.0.0', name: `${id}.name`, dependsOn, register: () => {}, ...extra });
}

describe('plugin registry', () => {
  it('sorts plugins so dependencies come first, whatever the listed order', () => {
    const registry = createRegistry([plugin('ideas', ['knowledge']), plugin('sla', ['helpdesk']), plugin('knowledge'), plugin('helpdesk')]);
    const order = registry.plugins.map((p) => p.id);
    expect(order.indexOf('knowledge')).toBeLessThan(order.indexOf('ideas'));
    expect(order.indexOf('helpdesk')).toBeLessThan(order.indexOf('sla'));
    expect(registry.get('ideas')!.allDependencies).toEqual(new Set(['knowledge']));
  });

  it('fails on a cycle and names its path', () => {
    expect(() => createRegistry([plugin('alpha', ['beta']), plugin('beta', ['gamma']), plugin('gamma', ['alpha'])]))
      .toThrow('plugin dependency cycle: alpha -> beta -> gamma -> alpha');
  });

  it('refuses a missing dependency, a duplicate, a bad id, version or core range', () => {
    expect(() => createRegistry([plugin('alpha', ['ghost'])])).toThrow('plugin "alpha" depends on "ghost", which is not installed');
    expect(() => createRegistry([plugin('alpha'), plugin('alpha')])).toThrow('listed twice');
    expect(() => createRegistry([plugin('Bad_Id')])).toThrow(PluginRegistryError);
    expect(() => createRegistry([plugin('alpha', [], { version: 'one' })])).toThrow('invalid version');
    expect(() => createRegistry([plugin('alpha', [], { core: '^2.0.0' })])).toThrow('needs core ^2.0.0');
  });

  it('collects what a plugin declares, and the registry is frozen', () => {
    const registry = createRegistry([checklistPlugin, notesPlugin]);
    const notes = registry.get('notes')!;
    expect(notes.contributions.nav.map((n) => n.href)).toEqual(['/p/notes']);
    expect(notes.contributions.routes).toHaveLength(1);
    expect(notes.contributions.slots.map((s) => s.name)).toEqual(['dashboard.side']);
    expect(Object.isFrozen(registry.plugins)).toBe(true);
    expect(Object.isFrozen(notes.contributions)).toBe(true);
  });

  it('declared permissions match the ones the plugins use, and stay inside the plugin prefix', () => {
    const registry = createRegistry([notesPlugin, checklistPlugin]);
    const table = buildPermissionTable(registry);
    for (const p of registry.plugins) {
      for (const item of p.contributions.nav) if (item.permission) expect(table.keys()).toContain(item.permission);
    }
    expect(table.has('agent', 'notes.read')).toBe(true);
    expect(table.has('agent', 'notes.write')).toBe(false);
    const rogue = plugin('rogue', [], { permissions: [{ key: 'tickets.delete', roles: ['agent'] }] });
    expect(() => buildPermissionTable(createRegistry([rogue]))).toThrow('outside its own prefix');
  });
});
