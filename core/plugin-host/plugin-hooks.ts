import type { Kysely } from 'kysely';
import type { Child } from 'hono/jsx';
import type { DB } from '../db/schema.js';
import type { Logger } from '../logger.js';
import type { Services } from '../http/app-env.js';
import { tenantScope } from '../tenancy/tenant-scope.js';
import type { EventContext, EventHandler, EventPayload, FilterHandler, SlotContext, SlotView } from './define-plugin.js';
import type { PluginContributions, PluginRegistry } from './registry.js';

export interface PluginHooksDeps {
  /**
   * The tenant's switched-on plugins (TenantDirectory caches them against the config revision).
   * Filters pass their transaction, since on SQLite a read beside it would wait for it forever.
   */
  enabledPlugins(tenantId: number, trx?: Kysely<DB>): Promise<ReadonlySet<string>>;
  log: Logger;
  /** The host's services for after-commit handlers; createApp wires them (they are built around these hooks). */
  services?: (() => Services) | undefined;
}

export interface PluginHooks {
  /** Runs the enabled plugins' filters in dependency order inside `trx`; a throw vetoes (it propagates). */
  runFilters(event: string, payload: EventPayload, trx: Kysely<DB>): Promise<void>;
  /** Runs the enabled plugins' `on` handlers after commit; a failing handler is logged and skipped. */
  emit(event: string, payload: EventPayload): Promise<void>;
  /** Renders the enabled plugins' views for a slot, by their `order`. */
  slot(name: string, ctx: SlotContext): Promise<Child[]>;
  /**
   * What enabled plugins provide for an extension point, in dependency order. A request passes
   * its `c.var.enabledPlugins` (read once per request); jobs and workers leave it out.
   */
  extensions<T>(point: string, tenantId: number, enabledPlugins?: ReadonlySet<string>): Promise<T[]>;
}

interface Owned<T> { pluginId: string; item: T }

/** Groups one kind of contribution by key, keeping the registry's dependency order. */
function index<C, T>(registry: PluginRegistry, pick: (contributions: Readonly<PluginContributions>) => readonly C[], key: (c: C) => string, item: (c: C) => T): ReadonlyMap<string, ReadonlyArray<Owned<T>>> {
  const map = new Map<string, Array<Owned<T>>>();
  for (const plugin of registry.plugins) {
    for (const contribution of pick(plugin.contributions)) {
      const k = key(contribution);
      if (!map.has(k)) map.set(k, []);
      map.get(k)!.push({ pluginId: plugin.id, item: item(contribution) });
    }
  }
  return map;
}

/**
 * Runs what plugins registered (filters, handlers, slots, provides) for one tenant at a time:
 * only plugins the tenant has switched on take part, in dependency order, so a plugin's
 * hook always runs after those of the plugins it builds on.
 */
export function createPluginHooks(registry: PluginRegistry, deps: PluginHooksDeps): PluginHooks {
  const { log } = deps;
  // Built once: the registry is frozen, so lookups per event are map reads.
  const filters = index(registry, (c) => c.filters, (f) => f.event, (f): FilterHandler => f.handler);
  const handlers = index(registry, (c) => c.handlers, (h) => h.event, (h): EventHandler => h.handler);
  const provides = index(registry, (c) => c.provides, (p) => p.extensionPoint, (p) => p.implementation);
  const slots = new Map<string, Array<Owned<{ view: SlotView; order: number }>>>();
  for (const [name, entries] of index(registry, (c) => c.slots, (s) => s.name, (s) => ({ view: s.view, order: s.order }))) {
    // A stable sort keeps dependency order between equal `order` values.
    slots.set(name, [...entries].sort((a, b) => a.item.order - b.item.order));
  }

  async function enabled<T>(entries: ReadonlyArray<Owned<T>> | undefined, tenantId: number, trx?: Kysely<DB>, known?: ReadonlySet<string>): Promise<Array<Owned<T>>> {
    if (!entries?.length) return [];
    const on = known ?? await deps.enabledPlugins(tenantId, trx);
    return entries.filter((entry) => on.has(entry.pluginId));
  }

  return {
    async runFilters(event, payload, trx) {
      const scope = tenantScope(trx, payload.tenantId);
      for (const { item: filter } of await enabled(filters.get(event), payload.tenantId, trx)) {
        await filter(payload, { event, trx, scope });
      }
    },

    async emit(event, payload) {
      for (const { pluginId, item: handler } of await enabled(handlers.get(event), payload.tenantId)) {
        try {
          const ctx: EventContext = {
            event,
            // Read lazily: hooks built without services (unit tests) work until a handler needs them.
            get services(): Services {
              if (!deps.services) throw new Error('plugin hooks were built without services');
              return deps.services();
            },
          };
          await handler(payload, ctx);
        } catch (error) {
          // The change is committed already: one plugin's failure must not hide it from the others.
          log.error('plugin event handler failed', { plugin: pluginId, event, tenantId: payload.tenantId, error: error instanceof Error ? error.stack ?? error.message : String(error) });
        }
      }
    },

    async slot(name, ctx) {
      const rendered: Child[] = [];
      for (const { pluginId, item } of await enabled(slots.get(name), ctx.tenantId, undefined, ctx.enabledPlugins)) {
        try {
          rendered.push(await item.view(ctx));
        } catch (error) {
          // A broken panel of one plugin must not take the host page down.
          log.error('plugin slot view failed', { plugin: pluginId, slot: name, tenantId: ctx.tenantId, error: error instanceof Error ? error.stack ?? error.message : String(error) });
        }
      }
      return rendered;
    },

    async extensions<T>(point: string, tenantId: number, enabledPlugins?: ReadonlySet<string>): Promise<T[]> {
      return (await enabled(provides.get(point), tenantId, undefined, enabledPlugins)).map((entry) => entry.item as T);
    },
  };
}
