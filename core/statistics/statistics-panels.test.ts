import { describe, expect, it } from 'vitest';
import { definePlugin, type PluginDefinition, type StatisticsPanel } from '../plugin-host/define-plugin.js';
import { createRegistry, PluginRegistryError } from '../plugin-host/registry.js';
import { buildPermissionTable } from '../permissions.js';
import { statisticsPanelRegistry } from './statistics-panels.js';

const panel = (id: string, extra: Partial<StatisticsPanel> = {}): StatisticsPanel => ({ id, label: { en: `Panel ${id}`, de: `Tafel ${id}` }, render: () => id, ...extra });
function plugin(id: string, panels: StatisticsPanel[], extra: Partial<PluginDefinition> = {}): PluginDefinition {
  return definePlugin({ id, version: '1.0.0', core: '^1.0.0', name: `${id}.name`, register: (api) => panels.forEach((p) => api.statisticsPanel(p)), ...extra });
}
function panels(plugins: PluginDefinition[], core: StatisticsPanel[] = [panel('tickets-by-status')]) {
  const registry = createRegistry(plugins);
  return statisticsPanelRegistry(registry, buildPermissionTable(registry), core);
}

describe('statistics panel registry', () => {
  const alpha = plugin('alpha', [panel('first'), panel('secret', { permission: 'alpha.secret' })], {
    permissions: [{ key: 'alpha.secret', roles: ['admin'], label: { en: 'See secrets', de: 'Geheimes sehen' } }],
  });

  it('puts the core\'s panels first, then the plugins\' in dependency and registration order', () => {
    const beta = plugin('beta', [panel('second')], { dependsOn: ['alpha'] });
    expect(panels([beta, alpha]).all().map((p) => p.key)).toEqual(['core.tickets-by-status', 'alpha.first', 'alpha.secret', 'beta.second']);
    expect(panels([alpha]).all()[1]!.domId).toBe('stat-alpha-first');
  });

  it('shows a viewer the core\'s panels and the switched-on plugins\' panels they hold the permission for', () => {
    const registry = panels([alpha]);
    const keys = (enabled: string[], can: (key: string) => boolean) => registry.visible(new Set(enabled), can).map((p) => p.key);
    expect(keys([], () => true)).toEqual(['core.tickets-by-status']);
    expect(keys(['alpha'], () => false)).toEqual(['core.tickets-by-status', 'alpha.first']);
    expect(keys(['alpha'], (key) => key === 'alpha.secret')).toEqual(['core.tickets-by-status', 'alpha.first', 'alpha.secret']);
  });

  it('refuses a panel id used twice by one owner, naming it', () => {
    expect(() => panels([plugin('alpha', [panel('first'), panel('first')])])).toThrow(PluginRegistryError);
    expect(() => panels([plugin('alpha', [panel('first'), panel('first')])])).toThrow('statistics panel "alpha.first" is declared by both "alpha" and "alpha"');
    expect(() => panels([], [panel('one'), panel('one')])).toThrow('statistics panel "core.one" is declared by both "core" and "core"');
  });

  it('refuses a bad id, a label missing a language and a permission nobody declares', () => {
    expect(() => panels([plugin('alpha', [panel('Not ok')])])).toThrow('lower-case letters');
    expect(() => panels([plugin('alpha', [panel('first', { label: { en: 'First', de: '' } })])])).toThrow('statistics panel "alpha.first" needs a label in English and German');
    expect(() => panels([plugin('alpha', [panel('first', { permission: 'alpha.ghost' })])]))
      .toThrow('statistics panel "alpha.first" needs permission "alpha.ghost", which nobody declares');
  });
});
