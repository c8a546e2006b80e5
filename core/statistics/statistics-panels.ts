import type { PermissionKey, PermissionTable } from '../permissions.js';
import type { StatisticsPanel } from '../plugin-host/define-plugin.js';
import { CORE_OWNER } from '../plugin-host/labelled-codes.js';
import { PluginRegistryError, type PluginRegistry } from '../plugin-host/registry.js';

/** A panel as the Statistics page shows it: the core's or a plugin's. */
export interface RegisteredPanel {
  /** `<owner>.<id>`, unique across the core and the installed plugins. */
  key: string;
  /** 'core' or the plugin's id. */
  owner: string;
  /** The panel's element id on the page. */
  domId: string;
  panel: StatisticsPanel;
}

export interface StatisticsPanels {
  /** Every panel, the core's first, then the plugins' in dependency order and registration order. */
  all(): readonly RegisteredPanel[];
  /** The panels a viewer sees: the core's, and those of the tenant's switched-on plugins, each only with its permission. */
  visible(enabledPlugins: ReadonlySet<string>, can: (permission: PermissionKey) => boolean): RegisteredPanel[];
}

const PANEL_ID = /^[a-z][a-z0-9-]{0,47}$/;

/**
 * The core's panels merged with those the installed plugins contribute (`api.statisticsPanel`). Refuses,
 * naming the owners: an id used twice, an id that is no lower-case name, a label missing a language,
 * a permission nobody declares.
 */
export function statisticsPanelRegistry(registry: PluginRegistry, permissions: PermissionTable, corePanels: readonly StatisticsPanel[]): StatisticsPanels {
  const known = new Set(permissions.keys());
  const byKey = new Map<string, RegisteredPanel>();
  const add = (owner: string, panel: StatisticsPanel) => {
    const key = `${owner}.${panel.id}`;
    if (!PANEL_ID.test(panel.id)) throw new PluginRegistryError(`statistics panel "${panel.id}" of "${owner}" needs an id of lower-case letters, digits and dashes`);
    if (byKey.has(key)) throw new PluginRegistryError(`statistics panel "${key}" is declared by both "${byKey.get(key)!.owner}" and "${owner}"`);
    if (!panel.label?.en?.trim() || !panel.label.de?.trim()) throw new PluginRegistryError(`statistics panel "${key}" needs a label in English and German`);
    if (panel.permission !== undefined && !known.has(panel.permission)) {
      throw new PluginRegistryError(`statistics panel "${key}" needs permission "${panel.permission}", which nobody declares`);
    }
    byKey.set(key, Object.freeze({ key, owner, domId: `stat-${owner}-${panel.id}`, panel }));
  };
  for (const panel of corePanels) add(CORE_OWNER, panel);
  for (const plugin of registry.plugins) for (const panel of plugin.contributions.statisticsPanels) add(plugin.id, panel);
  const all = Object.freeze([...byKey.values()]);
  return Object.freeze({
    all: () => all,
    visible: (enabledPlugins: ReadonlySet<string>, can: (permission: PermissionKey) => boolean) => all.filter((entry) =>
      (entry.owner === CORE_OWNER || enabledPlugins.has(entry.owner)) && (entry.panel.permission === undefined || can(entry.panel.permission))),
  });
}
