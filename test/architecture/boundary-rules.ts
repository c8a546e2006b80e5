import { findCycles } from './find-cycles.js';
import type { ImportEdge, ImportGraph } from './import-graph.js';

/** What a plugin declares about the others: it may use the published files of these. */
export interface PluginPartners {
  id: string;
  dependsOn: readonly string[];
  enhances: readonly string[];
}

/** The one door into the core for a plugin. */
export const PLUGIN_API = 'core/plugin-api.ts';
/** What a plugin publishes to the plugins that declare it. */
export const PUBLISHED_FILES = ['extension-points.ts', 'events.ts'];

/**
 * Tests and their fixtures reach into the core to set up a world (test harness, services, the
 * database); they are not shipped (tsconfig.build.json leaves them out) and nothing imports them.
 */
export function isTestCode(file: string): boolean {
  return /\.test\.tsx?$/.test(file) || /-fixture\.tsx?$/.test(file);
}

function describeEdge(edge: ImportEdge): string {
  return `${edge.from}:${edge.line} imports '${edge.specifier}'${edge.typeOnly ? ' (type-only)' : ''} -> ${edge.to}`;
}

function edgesOf(graph: ImportGraph, files: (file: string) => boolean): ImportEdge[] {
  return graph.files.filter(files).flatMap((file) => graph.imports.get(file) ?? []);
}

/** (a) Core and shared views never import a plugin: plugins plug into the core, not the other way. */
export function coreImportsOfPlugins(graph: ImportGraph): string[] {
  return edgesOf(graph, (file) => file.startsWith('core/') || file.startsWith('views/'))
    .filter((edge) => edge.to?.startsWith('plugins/'))
    .map(describeEdge);
}

/**
 * (b) A plugin's own files import, outside its folder, only `core/plugin-api.ts`, packages, and
 * the published files of a plugin it lists in `dependsOn` or `enhances`. Test code is exempt.
 */
export function pluginBoundaryViolations(graph: ImportGraph, plugins: readonly PluginPartners[], root = 'plugins/'): string[] {
  const byId = new Map(plugins.map((plugin) => [plugin.id, plugin]));
  const problems: string[] = [];
  for (const edge of edgesOf(graph, (file) => file.startsWith(root) && !isTestCode(file))) {
    const owner = edge.from.slice(root.length).split('/')[0]!;
    const to = edge.to;
    if (to === undefined || to.startsWith(`${root}${owner}/`) || to === PLUGIN_API) continue;
    const plugin = byId.get(owner);
    if (!plugin) {
      problems.push(`${describeEdge(edge)}: ${root}${owner}/ has no plugin definition with id '${owner}'`);
      continue;
    }
    // Another plugin: an installed one under plugins/, or a neighbour under the same root (test fixtures).
    const base = [root, 'plugins/'].find((prefix) => to.startsWith(prefix));
    const [other, ...rest] = base ? to.slice(base.length).split('/') : [];
    if (!base || other === undefined) {
      problems.push(`${describeEdge(edge)}: a plugin reaches the core only through ${PLUGIN_API}`);
      continue;
    }
    if (rest.length !== 1 || !PUBLISHED_FILES.includes(rest[0]!)) {
      problems.push(`${describeEdge(edge)}: another plugin is reached only through its ${PUBLISHED_FILES.join(' or ')}`);
      continue;
    }
    if (!plugin.dependsOn.includes(other) && !plugin.enhances.includes(other)) {
      problems.push(`${describeEdge(edge)}: plugin '${owner}' lists '${other}' neither in dependsOn nor in enhances`);
    }
  }
  return problems;
}

/**
 * (b2) A plugin's tests and fixtures set up their world through the core and the test harness, but reach another
 * plugin only as a plugin's own files do: through its published files. Another plugin switched on in a test comes
 * from the harness (`installedPlugin(id)`), never from its folder; a test about two plugins together lives under test/.
 */
export function pluginTestBoundaryViolations(graph: ImportGraph, root = 'plugins/'): string[] {
  const problems: string[] = [];
  for (const edge of edgesOf(graph, (file) => file.startsWith(root) && isTestCode(file))) {
    const owner = edge.from.slice(root.length).split('/')[0]!;
    const to = edge.to;
    const base = to === undefined ? undefined : [root, 'plugins/'].find((prefix) => to.startsWith(prefix));
    if (to === undefined || base === undefined) continue;
    const [other, ...rest] = to.slice(base.length).split('/');
    if (other === owner && base === root) continue;
    if (rest.length !== 1 || !PUBLISHED_FILES.includes(rest[0]!)) {
      problems.push(`${describeEdge(edge)}: a plugin's test reaches another plugin through the harness (installedPlugin) or its ${PUBLISHED_FILES.join(' or ')}`);
    }
  }
  return problems;
}

/**
 * (c) Import cycles among the given files, type-only imports included, as
 * `a.ts -> b.ts -(type)-> a.ts`, followed by the whole group when more files take part.
 */
export function importCycles(graph: ImportGraph, include: (file: string) => boolean): string[] {
  const adjacency = new Map<string, string[]>();
  for (const file of graph.files.filter(include)) {
    adjacency.set(file, (graph.imports.get(file) ?? []).flatMap((edge) => (edge.to && include(edge.to) ? [edge.to] : [])));
  }
  return findCycles(adjacency).map(({ chain, group }) => {
    const steps = chain.slice(1).map((to, at) => {
      // A runtime import wins over a type-only one of the same file.
      const edges = graph.imports.get(chain[at]!)!.filter((candidate) => candidate.to === to);
      return `${edges.every((edge) => edge.typeOnly) ? ' -(type)-> ' : ' -> '}${to}`;
    });
    const more = group.length > chain.length - 1 ? ` (one cycle of a group of ${group.length} files: ${group.join(', ')})` : '';
    return `${chain[0]}${steps.join('')}${more}`;
  });
}
