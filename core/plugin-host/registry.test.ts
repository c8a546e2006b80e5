import { describe, expect, it } from 'vitest';
import { definePlugin, type PluginDefinition } from './define-plugin.js';
import { createRegistry, PluginRegistryError } from './registry.js';
import { buildPermissionTable } from '../permissions.js';
import { checklistPlugin, notesPlugin } from '../../test/plugins/test-plugins.js';
import { defineExtensionPoint } from './refs.js';

const GREETER = defineExtensionPoint<{ greet(): string }>('alpha.greeter');
const provider = (id: string, extra: Partial<PluginDefinition> = {}) => plugin(id, [], { register: (api) => api.provide(GREETER, { greet: () => id }), ...extra });

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

  it('refuses at start a provider of an extension point whose owner it does not declare, naming both', () => {
    expect(() => createRegistry([plugin('alpha'), provider('beta')]))
      .toThrow('plugin "beta" provides "alpha.greeter" of plugin "alpha" but does not name "alpha" in dependsOn or enhances');
    expect(createRegistry([plugin('alpha'), provider('beta', { dependsOn: ['alpha'] })]).get('beta')!.contributions.provides).toHaveLength(1);
    // enhances: works with alpha when it is there, and registers without it.
    expect(createRegistry([provider('beta', { enhances: ['alpha'] })]).get('beta')!.contributions.provides).toHaveLength(1);
    // The owner provides its own point.
    expect(createRegistry([provider('alpha')]).get('alpha')!.contributions.provides).toHaveLength(1);
  });

  it('orders a plugin after the installed plugins it enhances; refuses enhancing itself or a dependency', () => {
    const order = createRegistry([plugin('beta', [], { enhances: ['alpha'] }), plugin('alpha')]).plugins.map((p) => p.id);
    expect(order).toEqual(['alpha', 'beta']);
    expect(() => createRegistry([plugin('alpha', [], { enhances: ['alpha'] })])).toThrow('lists "alpha" in enhances');
    expect(() => createRegistry([plugin('alpha'), plugin('beta', ['alpha'], { enhances: ['alpha'] })])).toThrow('lists "alpha" in enhances');
    expect(() => createRegistry([plugin('alpha', [], { enhances: ['Not An Id'] })])).toThrow('no plugin id');
  });

  it('collects what a plugin declares, and the registry is frozen', () => {
    const registry = createRegistry([checklistPlugin, notesPlugin]);
    const notes = registry.get('notes')!;
    expect(notes.contributions.nav.map((n) => n.href)).toEqual(['/p/notes']);
    expect(notes.contributions.routes).toHaveLength(1);
    expect(notes.contributions.slots.map((s) => s.slot.name)).toEqual(['dashboard.side']);
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
    const rogue = plugin('rogue', [], { permissions: [{ key: 'tickets.delete', roles: ['agent'], label: { en: 'Delete', de: 'Löschen' } }] });
    expect(() => buildPermissionTable(createRegistry([rogue]))).toThrow('outside its own prefix');
  });
});
