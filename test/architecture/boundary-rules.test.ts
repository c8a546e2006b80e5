import { describe, expect, it } from 'vitest';
import { coreImportsOfPlugins, importCycles, pluginBoundaryViolations, pluginTestBoundaryViolations, type PluginPartners } from './boundary-rules.js';
import type { ImportEdge, ImportGraph } from './import-graph.js';

/** A graph from `file: [target, …]`; a target starting with `type:` is a type-only import, one without a slash a package. */
function graphOf(edges: Record<string, string[]>): ImportGraph {
  const imports = new Map<string, ImportEdge[]>();
  for (const [from, targets] of Object.entries(edges)) {
    imports.set(from, targets.map((target, at) => {
      const typeOnly = target.startsWith('type:');
      const to = target.replace(/^type:/, '');
      return { from, specifier: to.includes('/') ? `./${to}` : to, to: to.includes('/') ? to : undefined, typeOnly, line: at + 1 };
    }));
  }
  return { files: Object.keys(edges).sort(), imports };
}

const plugins: PluginPartners[] = [
  { id: 'alpha', dependsOn: ['beta'], enhances: [] },
  { id: 'beta', dependsOn: [], enhances: [] },
  { id: 'gamma', dependsOn: [], enhances: ['beta'] },
];

describe('boundary rules', () => {
  it('core and views importing a plugin are reported with file, line and specifier', () => {
    const graph = graphOf({ 'core/a.ts': ['core/b.ts', 'plugins/beta/extension-points.ts'], 'core/b.ts': [], 'views/c.tsx': ['type:plugins/beta/x.ts'], 'config/plugins.ts': ['plugins/beta/index.ts'] });
    expect(coreImportsOfPlugins(graph)).toEqual([
      "core/a.ts:2 imports './plugins/beta/extension-points.ts' -> plugins/beta/extension-points.ts",
      "views/c.tsx:1 imports './plugins/beta/x.ts' (type-only) -> plugins/beta/x.ts",
    ]);
  });

  it('a plugin may import its own files, the plugin API, packages and declared partners\' published files', () => {
    const graph = graphOf({
      'plugins/alpha/index.ts': ['core/plugin-api.ts', 'plugins/alpha/routes.tsx', 'hono', 'plugins/beta/extension-points.ts', 'plugins/beta/events.ts'],
      'plugins/gamma/index.ts': ['type:plugins/beta/extension-points.ts'],
      'plugins/beta/index.ts': ['core/plugin-api.ts'],
    });
    expect(pluginBoundaryViolations(graph, plugins)).toEqual([]);
  });

  it('lets a plugin\'s tests use the core, the harness, their own folder and published files, but no other plugin\'s folder', () => {
    const graph = graphOf({
      'plugins/alpha/routes.test.ts': ['core/tickets/ticket-service.ts', 'test/harness/installed-plugin.ts', 'plugins/alpha/index.ts', 'plugins/beta/extension-points.ts', 'plugins/beta/index.ts'],
      'plugins/alpha/alpha-fixture.ts': ['plugins/beta/beta-fixture.ts'],
      'plugins/alpha/routes.tsx': ['plugins/beta/index.ts'],
    });
    expect(pluginTestBoundaryViolations(graph)).toEqual([
      "plugins/alpha/alpha-fixture.ts:1 imports './plugins/beta/beta-fixture.ts' -> plugins/beta/beta-fixture.ts: a plugin's test reaches another plugin through the harness (installedPlugin) or its extension-points.ts or events.ts",
      "plugins/alpha/routes.test.ts:5 imports './plugins/beta/index.ts' -> plugins/beta/index.ts: a plugin's test reaches another plugin through the harness (installedPlugin) or its extension-points.ts or events.ts",
    ]);
  });

  it('reports core internals, another plugin\'s internals, an undeclared partner and a folder without a plugin', () => {
    const graph = graphOf({
      'plugins/alpha/routes.tsx': ['core/tickets/ticket-service.ts', 'views/components/page.tsx', 'plugins/beta/mail/parser.ts', 'plugins/beta/sub/extension-points.ts'],
      'plugins/beta/index.ts': ['plugins/alpha/extension-points.ts'],
      'plugins/delta/index.ts': ['core/db/schema.ts'],
      // Tests and fixtures set up their world through the core and the harness.
      'plugins/alpha/routes.test.ts': ['core/tickets/ticket-service.ts', 'test/harness/test-app.ts'],
      'plugins/alpha/alpha-fixture.ts': ['core/db/schema.ts'],
    });
    expect(pluginBoundaryViolations(graph, plugins)).toEqual([
      "plugins/alpha/routes.tsx:1 imports './core/tickets/ticket-service.ts' -> core/tickets/ticket-service.ts: a plugin reaches the core only through core/plugin-api.ts",
      "plugins/alpha/routes.tsx:2 imports './views/components/page.tsx' -> views/components/page.tsx: a plugin reaches the core only through core/plugin-api.ts",
      "plugins/alpha/routes.tsx:3 imports './plugins/beta/mail/parser.ts' -> plugins/beta/mail/parser.ts: another plugin is reached only through its extension-points.ts or events.ts",
      "plugins/alpha/routes.tsx:4 imports './plugins/beta/sub/extension-points.ts' -> plugins/beta/sub/extension-points.ts: another plugin is reached only through its extension-points.ts or events.ts",
      "plugins/beta/index.ts:1 imports './plugins/alpha/extension-points.ts' -> plugins/alpha/extension-points.ts: plugin 'beta' lists 'alpha' neither in dependsOn nor in enhances",
      "plugins/delta/index.ts:1 imports './core/db/schema.ts' -> core/db/schema.ts: plugins/delta/ has no plugin definition with id 'delta'",
    ]);
  });

  it('reports a cycle with its chain, marks type-only steps and names the group', () => {
    const graph = graphOf({
      'core/a.ts': ['type:core/b.ts'],
      'core/b.ts': ['core/c.ts', 'type:core/c.ts'],
      'core/c.ts': ['core/a.ts', 'core/d.ts'],
      'core/d.ts': ['core/b.ts'],
      'core/e.ts': ['core/a.ts'],
    });
    expect(importCycles(graph, () => true)).toEqual([
      'core/a.ts -(type)-> core/b.ts -> core/c.ts -> core/a.ts (one cycle of a group of 4 files: core/a.ts, core/b.ts, core/c.ts, core/d.ts)',
    ]);
    // Leaving a file out of the check breaks the cycles through it.
    expect(importCycles(graph, (file) => file !== 'core/c.ts')).toEqual([]);
  });
});
