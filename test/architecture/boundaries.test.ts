import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PluginDefinition } from '../../core/plugin-host/define-plugin.js';
import { projectRoot } from '../../core/project-root.js';
import { coreImportsOfPlugins, importCycles, pluginBoundaryViolations, pluginTestBoundaryViolations, type PluginPartners } from './boundary-rules.js';
import { buildImportGraph } from './import-graph.js';

const root = projectRoot();
const graph = buildImportGraph(root, ['core', 'views', 'plugins', 'config', 'migrations']);
/** The fixture plugins (the reference plugin and its companion) follow the same rules as installed ones. */
const FIXTURE_PLUGINS = 'test/fixtures/plugins';
const fixtureGraph = buildImportGraph(root, ['core', 'plugins', FIXTURE_PLUGINS]);

/** Each folder under `dir` and the definition its index.ts(x) exports. */
async function pluginPartners(dir = 'plugins'): Promise<PluginPartners[]> {
  const folders = readdirSync(path.join(root, dir), { withFileTypes: true }).filter((entry) => entry.isDirectory());
  return Promise.all(folders.map(async (folder) => {
    const index = ['index.ts', 'index.tsx'].map((name) => path.join(root, dir, folder.name, name)).find((file) => existsSync(file))!;
    const module = await import(index) as Record<string, unknown>;
    const definitions = Object.values(module).filter((value): value is PluginDefinition =>
      typeof value === 'object' && value !== null && typeof (value as PluginDefinition).register === 'function');
    expect(definitions.map((definition) => definition.id), `${dir}/${folder.name}/index exports one plugin definition with id '${folder.name}'`).toEqual([folder.name]);
    const definition = definitions[0]!;
    return { id: definition.id, dependsOn: definition.dependsOn ?? [], enhances: definition.enhances ?? [] };
  }));
}

describe('module boundaries', () => {
  it('reads the project (the graph is not empty and knows the plugin API)', () => {
    expect(graph.files).toContain('core/plugin-api.ts');
    expect(graph.files.filter((file) => file.startsWith('plugins/')).length).toBeGreaterThan(10);
  });

  it('core and views import no plugin', () => {
    expect(coreImportsOfPlugins(graph)).toEqual([]);
  });

  it('a plugin imports only core/plugin-api and the published files of the plugins it declares', async () => {
    expect(pluginBoundaryViolations(graph, await pluginPartners())).toEqual([]);
  });

  it('a plugin\'s tests and fixtures reach other plugins only through the harness or their published files', () => {
    expect(pluginTestBoundaryViolations(graph)).toEqual([]);
  });

  it('the fixture plugins keep the same boundaries (the reference plugin is the one new plugins copy)', async () => {
    expect(fixtureGraph.files.filter((file) => file.startsWith(`${FIXTURE_PLUGINS}/reference/`)).length).toBeGreaterThan(8);
    const partners = [...await pluginPartners(), ...await pluginPartners(FIXTURE_PLUGINS)];
    expect(pluginBoundaryViolations(fixtureGraph, partners, `${FIXTURE_PLUGINS}/`)).toEqual([]);
    expect(importCycles(fixtureGraph, (file) => file.startsWith(FIXTURE_PLUGINS))).toEqual([]);
  });

  it('no import cycles in core, views, plugins, config and migrations (type-only imports count)', () => {
    expect(importCycles(graph, (file) => graph.imports.has(file))).toEqual([]);
  });
});
