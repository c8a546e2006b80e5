import semver from 'semver';
import type { Hono } from 'hono';
import type { AppEnv } from '../http/app-env.js';
import type { EventHandler, FilterHandler, NavItem, PluginDefinition, PluginJob, PluginWorker, SlotView } from './define-plugin.js';
import type { StatisticsPanel } from './define-plugin.js';
import type { PluginCliCommand } from '../cli/plugin-cli.js';
import type { AnyApiRoute } from '../api/openapi.js';
import type { EventPayload, EventRef, ExtensionPointRef, SlotRef } from './refs.js';
import { listPluginStatic, type PluginStaticFile } from './plugin-static.js';
import { adminSectionClash } from './admin-sections.js';
import { RECORD_KIND_PATTERN, TICKET_KIND, type RecordKind } from '../records/record-kinds.js';

/** The version of the API plugins program against (`core/plugin-api`). */
export const CORE_API_VERSION = '1.0.0';

export interface PluginContributions {
  routes: Array<(app: Hono<AppEnv>) => void>;
  portalRoutes: Array<(app: Hono<AppEnv>) => void>;
  publicRoutes: Array<(app: Hono<AppEnv>) => void>;
  nav: NavItem[];
  // Stored by reference; the host matches them by the reference's name. The handlers' own payload
  // types were checked where they were registered (api.on etc.), so they are kept as the base type here.
  slots: Array<{ slot: SlotRef<any>; view: SlotView<any>; order: number }>;
  jobs: PluginJob[];
  filters: Array<{ event: EventRef<any>; handler: FilterHandler<any> }>;
  handlers: Array<{ event: EventRef<any>; handler: EventHandler<any> }>;
  provides: Array<{ point: ExtensionPointRef<any>; implementation: unknown }>;
  workers: PluginWorker[];
  cli: PluginCliCommand[];
  apiRoutes: AnyApiRoute[];
  statisticsPanels: StatisticsPanel[];
  recordKinds: RecordKind[];
}

export interface RegisteredPlugin extends PluginDefinition {
  contributions: Readonly<PluginContributions>;
  /** Every plugin this one needs, directly or through others. */
  allDependencies: ReadonlySet<string>;
  /** The files of its declared static folder (none without one), served under /static/p/<id>/. */
  staticFiles: readonly PluginStaticFile[];
}

export interface PluginRegistry {
  /** Installed plugins in dependency order (dependencies first). */
  plugins: readonly RegisteredPlugin[];
  get(id: string): RegisteredPlugin | undefined;
}

export class PluginRegistryError extends Error {}

const ID_PATTERN = /^[a-z][a-z0-9-]{1,31}$/;

function sortByDependencies(definitions: readonly PluginDefinition[]): PluginDefinition[] {
  const byId = new Map(definitions.map((p) => [p.id, p]));
  const sorted: PluginDefinition[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (plugin: PluginDefinition, path: string[]) => {
    const seen = state.get(plugin.id);
    if (seen === 'done') return;
    if (seen === 'visiting') {
      const cycle = [...path.slice(path.indexOf(plugin.id)), plugin.id];
      throw new PluginRegistryError(`plugin dependency cycle: ${cycle.join(' -> ')}`);
    }
    state.set(plugin.id, 'visiting');
    for (const dependencyId of plugin.dependsOn ?? []) {
      const dependency = byId.get(dependencyId);
      if (!dependency) throw new PluginRegistryError(`plugin "${plugin.id}" depends on "${dependencyId}", which is not installed`);
      visit(dependency, [...path, plugin.id]);
    }
    // A plugin it enhances runs first when installed (its hooks see the enhanced plugin's work); absent is fine.
    for (const partnerId of plugin.enhances ?? []) {
      const partner = byId.get(partnerId);
      if (partner) visit(partner, [...path, plugin.id]);
    }
    state.set(plugin.id, 'done');
    sorted.push(plugin);
  };
  for (const plugin of definitions) visit(plugin, []);
  return sorted;
}

function validate(definitions: readonly PluginDefinition[]): void {
  const ids = new Set<string>();
  for (const plugin of definitions) {
    if (!ID_PATTERN.test(plugin.id)) throw new PluginRegistryError(`plugin id "${plugin.id}" must be lower-case letters, digits and dashes`);
    // The registries of labelled codes and panels name the core's entries' owner "core".
    if (plugin.id === 'core') throw new PluginRegistryError('plugin id "core" is reserved for the core');
    if (ids.has(plugin.id)) throw new PluginRegistryError(`plugin "${plugin.id}" is listed twice`);
    ids.add(plugin.id);
    if (!semver.valid(plugin.version)) throw new PluginRegistryError(`plugin "${plugin.id}" has an invalid version "${plugin.version}"`);
    if (!semver.validRange(plugin.core)) throw new PluginRegistryError(`plugin "${plugin.id}" has an invalid core range "${plugin.core}"`);
    if (!semver.satisfies(CORE_API_VERSION, plugin.core)) {
      throw new PluginRegistryError(`plugin "${plugin.id}" needs core ${plugin.core}, this is ${CORE_API_VERSION}`);
    }
    for (const partnerId of plugin.enhances ?? []) {
      if (!ID_PATTERN.test(partnerId)) throw new PluginRegistryError(`plugin "${plugin.id}" enhances "${partnerId}", which is no plugin id`);
      if (partnerId === plugin.id || plugin.dependsOn?.includes(partnerId)) {
        throw new PluginRegistryError(`plugin "${plugin.id}" lists "${partnerId}" in enhances, where it cannot stand (itself, or already in dependsOn)`);
      }
    }
  }
}

/** A provider must declare the point's owner: it builds on that plugin's published contract. */
function checkProviders(plugin: PluginDefinition, contributions: PluginContributions): void {
  const declared = new Set([plugin.id, ...(plugin.dependsOn ?? []), ...(plugin.enhances ?? [])]);
  for (const { point } of contributions.provides) {
    if (point.owner !== null && !declared.has(point.owner)) {
      throw new PluginRegistryError(`plugin "${plugin.id}" provides "${point.name}" of plugin "${point.owner}" but does not name "${point.owner}" in dependsOn or enhances`);
    }
  }
}

function collect(plugin: PluginDefinition): PluginContributions {
  const contributions: PluginContributions = {
    routes: [], portalRoutes: [], publicRoutes: [], nav: [], slots: [], jobs: [], filters: [], handlers: [], provides: [], workers: [], cli: [], apiRoutes: [],
    statisticsPanels: [], recordKinds: [],
  };
  plugin.register({
    routes: (mount) => void contributions.routes.push(mount),
    portalRoutes: (mount) => void contributions.portalRoutes.push(mount),
    publicRoutes: (mount) => void contributions.publicRoutes.push(mount),
    nav: (item) => void contributions.nav.push(item),
    slot: (slot, view, order = 100) => void contributions.slots.push({ slot, view, order }),
    job: (job) => void contributions.jobs.push(job),
    filter: (event, handler) => void contributions.filters.push({ event, handler: handler as FilterHandler<EventPayload> }),
    on: (event, handler) => void contributions.handlers.push({ event, handler: handler as EventHandler<EventPayload> }),
    provide: (point, implementation) => void contributions.provides.push({ point, implementation }),
    worker: (worker) => void contributions.workers.push(worker),
    cli: (command) => void contributions.cli.push(command),
    apiRoute: (route) => void contributions.apiRoutes.push(route),
    statisticsPanel: (panel) => void contributions.statisticsPanels.push(panel),
    recordKind: (kind) => void contributions.recordKinds.push(kind),
  });
  return contributions;
}

/** A record kind's name is well-formed and nobody else's (the core's 'ticket' included). */
function checkRecordKinds(pluginId: string, kinds: readonly RecordKind[], owners: Map<string, string>): void {
  for (const { kind } of kinds) {
    if (!RECORD_KIND_PATTERN.test(kind)) throw new PluginRegistryError(`record kind "${kind}" of plugin "${pluginId}" must be lower-case letters, digits, _ and -`);
    const owner = owners.get(kind);
    if (owner) throw new PluginRegistryError(`record kind "${kind}" of plugin "${pluginId}" is taken by ${owner}`);
    owners.set(kind, `plugin "${pluginId}"`);
  }
}

/** Validates, sorts and registers the installed plugins once; the result is frozen. */
export function createRegistry(definitions: readonly PluginDefinition[]): PluginRegistry {
  validate(definitions);
  // Admin sections are declared, not registered: their ids and hrefs must not clash with the core's or each other.
  const clash = adminSectionClash(definitions);
  if (clash) throw new PluginRegistryError(clash);
  const sorted = sortByDependencies(definitions);
  const registered = new Map<string, RegisteredPlugin>();
  const kindOwners = new Map<string, string>([[TICKET_KIND, 'the core']]);
  for (const plugin of sorted) {
    const allDependencies = new Set<string>();
    for (const dependencyId of plugin.dependsOn ?? []) {
      allDependencies.add(dependencyId);
      for (const transitive of registered.get(dependencyId)!.allDependencies) allDependencies.add(transitive);
    }
    const contributions = collect(plugin);
    checkProviders(plugin, contributions);
    checkRecordKinds(plugin.id, contributions.recordKinds, kindOwners);
    const listed = listPluginStatic(plugin.id, plugin.static);
    if ('problem' in listed) throw new PluginRegistryError(listed.problem);
    registered.set(plugin.id, Object.freeze({ ...plugin, contributions: Object.freeze(contributions), allDependencies, staticFiles: Object.freeze(listed.files) }));
  }
  const plugins = Object.freeze([...registered.values()]);
  return Object.freeze({ plugins, get: (id: string) => registered.get(id) });
}
