import { installedPlugins } from '../../config/plugins.js';
import type { PluginDefinition } from '../../core/plugin-host/define-plugin.js';

/** An installed plugin by id, for a plugin's tests that need another one on (without importing its folder). */
export function installedPlugin(id: string): PluginDefinition {
  const plugin = installedPlugins.find((candidate) => candidate.id === id);
  if (!plugin) throw new Error(`no installed plugin "${id}"`);
  return plugin;
}
