import type { Kysely } from 'kysely';
import type { Child } from 'hono/jsx';
import type { DB } from '../db/schema.js';
import type { Logger } from '../logger.js';
import type { Services } from '../http/app-env.js';
import { tenantScope } from '../tenancy/tenant-scope.js';
import type { EventContext, EventHandler, FilterHandler, SlotContext, SlotView } from './define-plugin.js';
import type { EventPayload, EventRef, ExtensionPointRef, SlotRef } from './refs.js';
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
  /**
   * Runs the enabled plugins' filters in dependency order inside `trx`; a throw vetoes (it propagates). A caller
   * running many (a bulk change's batch) passes the tenant's switched-on plugins, read once with `enabledPlugins`.
   */
  runFilters<P extends EventPayload>(event: EventRef<P>, payload: P, trx: Kysely<DB>, enabledPlugins?: ReadonlySet<string>): Promise<void>;
  /** The tenant's switched-on plugins, read inside `trx` when given (as the filters read them). */
  enabledPlugins(tenantId: number, trx?: Kysely<DB>): Promise<ReadonlySet<string>>;
  /** Runs the enabled plugins' `on` handlers after commit; a failing handler is logged and skipped. */
  emit<P extends EventPayload>(event: EventRef<P>, payload: P): Promise<void>;
  /** Renders the enabled plugins' views for a slot, by their `order`. */
  slot<Props>(slot: SlotRef<Props>, ctx: SlotContext<Props>): Promise<Child[]>;
  /** Whether any enabled plugin fills the slot (a page may leave out a column or a frame when none does). */
  fills<Props>(slot: SlotRef<Props>, tenantId: number, enabledPlugins?: ReadonlySet<string>): Promise<boolean>;
  /**
   * What enabled plugins provide for an extension point, in dependency order. A request passes
   * its `c.var.enabledPlugins` (read once per request); jobs and workers leave it out. Inside a
   * transaction pass it (`trx`) so the tenant's switches are read in it.
   */
  extensions<Impl>(point: ExtensionPointRef<Impl>, tenantId: number, enabledPlugins?: ReadonlySet<string>, trx?: Kysely<DB>): Promise<Impl[]>;
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
  const filters = index(registry, (c) => c.filters, (f) => f.event.name, (f): FilterHandler<any> => f.handler);
  const handlers = index(registry, (c) => c.handlers, (h) => h.event.name, (h): EventHandler<any> => h.handler);
  const provides = index(registry, (c) => c.provides, (p) => p.point.name, (p) => p.implementation);
  const slots = new Map<string, Array<Owned<{ view: SlotView<any>; order: number }>>>();
  for (const [name, entries] of index(registry, (c) => c.slots, (s) => s.slot.name, (s) => ({ view: s.view, order: s.order }))) {
    // A stable sort keeps dependency order between equal `order` values.
    slots.set(name, [...entries].sort((a, b) => a.item.order - b.item.order));
  }

  async function enabled<T>(entries: ReadonlyArray<Owned<T>> | undefined, tenantId: number, trx?: Kysely<DB>, known?: ReadonlySet<string>): Promise<Array<Owned<T>>> {
    if (!entries?.length) return [];
    const on = known ?? await deps.enabledPlugins(tenantId, trx);
    return entries.filter((entry) => on.has(entry.pluginId));
  }

  return {
    async runFilters(event, payload, trx, enabledPlugins) {
      const scope = tenantScope(trx, payload.tenantId);
      for (const { item: filter } of await enabled(filters.get(event.name), payload.tenantId, trx, enabledPlugins)) {
        await filter(payload, { event: event.name, trx, scope });
      }
    },

    enabledPlugins: (tenantId, trx) => deps.enabledPlugins(tenantId, trx),

    async emit(event, payload) {
      for (const { pluginId, item: handler } of await enabled(handlers.get(event.name), payload.tenantId)) {
        try {
          const ctx: EventContext = {
            event: event.name,
            // Read lazily: hooks built without services (unit tests) work until a handler needs them.
            get services(): Services {
              if (!deps.services) throw new Error('plugin hooks were built without services');
              return deps.services();
            },
          };
          await handler(payload, ctx);
        } catch (error) {
          // The change is committed already: one plugin's failure must not hide it from the others.
          log.error('plugin event handler failed', { plugin: pluginId, event: event.name, tenantId: payload.tenantId, error: error instanceof Error ? error.stack ?? error.message : String(error) });
        }
      }
    },

    async slot(slot, ctx) {
      const rendered: Child[] = [];
      for (const { pluginId, item } of await enabled(slots.get(slot.name), ctx.tenantId, undefined, ctx.enabledPlugins)) {
        try {
          const view = await item.view(ctx);
          // A view with nothing to show (null, false, '') is left out, so the host never frames an empty card.
          if (view !== null && view !== undefined && view !== false && view !== '') rendered.push(view);
        } catch (error) {
          // A broken panel of one plugin must not take the host page down.
          log.error('plugin slot view failed', { plugin: pluginId, slot: slot.name, tenantId: ctx.tenantId, error: error instanceof Error ? error.stack ?? error.message : String(error) });
        }
      }
      return rendered;
    },

    async fills(slot, tenantId, enabledPlugins) {
      return (await enabled(slots.get(slot.name), tenantId, undefined, enabledPlugins)).length > 0;
    },

    async extensions<Impl>(point: ExtensionPointRef<Impl>, tenantId: number, enabledPlugins?: ReadonlySet<string>, trx?: Kysely<DB>): Promise<Impl[]> {
      // The registry holds implementations untyped; api.provide checked each against the reference's type.
      return (await enabled(provides.get(point.name), tenantId, trx, enabledPlugins)).map((entry) => entry.item as Impl);
    },
  };
}
