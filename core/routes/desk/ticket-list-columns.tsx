import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { AppEnv } from '../../http/app-env.js';
import { scope } from '../../http/guards.js';
import { toHttpError } from '../../http/http-error.js';
import { slotContext } from '../../plugin-host/slot-context.js';
import type { QueueId, TicketFilter } from '../../tickets/ticket-queries.js';
import {
  LIST_EXTENSION_KEY, pluginFilterValues, TICKET_LIST_COLUMNS, TICKET_LIST_FILTERS,
  type TicketIdsQuery, type TicketListColumn, type TicketListContext, type TicketListFilter,
} from '../../tickets/ticket-list-extensions.js';
import type { FieldErrors } from '../../../views/components/form.js';

/**
 * The ticket lists' plugin columns and filters (extension points TICKET_LIST_COLUMNS, TICKET_LIST_FILTERS):
 * what the enabled plugins provide is read from the registry with the request's enabled set (no query), a
 * filter becomes `tickets.id in (…)` of the search, and each column loads the page's cells in one batch.
 */

interface Extensions { context: TicketListContext; columns: TicketListColumn[]; filters: TicketListFilter[] }

export interface PluginColumn { key: string; label: string; cells: ReadonlyMap<number, Child> }

/** What the list renders of its plugins: columns with the page's cells, filters with their inputs' values. */
export interface PluginListState {
  columns: PluginColumn[];
  filters: TicketListFilter[];
  context: TicketListContext;
  /** The plugin filter parameters as sent (refused ones too, so an input shows what was typed), by key. */
  filterValues: ReadonlyMap<string, string>;
}

/** A plugin's filters applied to a list's filter: what the search narrows by, and refused values. */
export interface PluginFiltering {
  extensions: Extensions | undefined;
  /** The filter with only the enabled plugins' accepted `p.*` values (links and saved views carry those). */
  filter: TicketFilter;
  narrow: TicketIdsQuery[];
  errors: FieldErrors | undefined;
  values: ReadonlyMap<string, string>;
}

/** Skips a contribution whose key is malformed or already taken by another plugin (logged: a plugin bug). */
function usable<T extends { key: string }>(c: Context<AppEnv>, kind: string, items: T[]): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const ok = LIST_EXTENSION_KEY.test(item.key) && !seen.has(item.key);
    if (ok) seen.add(item.key);
    else c.var.services.log.error('ticket list extension skipped: its key is malformed or taken', { kind, key: item.key });
    return ok;
  });
}

/** Reads the enabled plugins' columns (every list) and filters (ticket management) and applies the filters to `filter`. */
export async function pluginFiltering(c: Context<AppEnv>, queue: QueueId, filter: TicketFilter): Promise<PluginFiltering> {
  const { hooks } = c.var.services;
  const tenantId = c.var.tenant!.id;
  const [columns, filters] = await Promise.all([
    hooks.extensions(TICKET_LIST_COLUMNS, tenantId, c.var.enabledPlugins),
    queue === 'all' ? hooks.extensions(TICKET_LIST_FILTERS, tenantId, c.var.enabledPlugins) : Promise.resolve([]),
  ]);
  const sent = pluginFilterValues(filter);
  const values = new Map(sent);
  if (!columns.length && !filters.length && !sent.length) return { extensions: undefined, filter, narrow: [], errors: undefined, values };
  // Only enabled plugins' accepted values stay; another plugin's (switched off meanwhile) is dropped like a stale parameter.
  const kept: TicketFilter = Object.fromEntries(Object.entries(filter).filter(([key]) => !key.startsWith('p.')));
  const extensions: Extensions = { context: slotContext(c, { queue }), columns: usable(c, 'column', columns), filters: usable(c, 'filter', filters) };
  const byKey = new Map(extensions.filters.map((item) => [item.key, item]));
  const narrow: TicketIdsQuery[] = [];
  const errors: FieldErrors = {};
  const tenantScope = scope(c);
  const list = { dialect: c.var.services.database.dialect };
  for (const [key, value] of sent) {
    const item = byKey.get(key);
    if (!item) continue;
    const name = `p.${key}`;
    try {
      const ids = await item.ticketIds(tenantScope, value, list);
      kept[name] = value;
      if (ids) narrow.push(ids);
    } catch (error) {
      const refusal = toHttpError(error);
      if (refusal?.status !== 422) throw error;
      errors[name] = c.var.t(refusal.fields[name] ?? refusal.message);
    }
  }
  return { extensions, filter: kept, narrow, errors: Object.keys(errors).length ? errors : undefined, values };
}

/** The plugin columns' cells of the page's tickets: one batch per column, all columns at once. */
export async function pluginColumns(c: Context<AppEnv>, filtering: PluginFiltering, ticketIds: number[]): Promise<PluginListState | undefined> {
  const extensions = filtering.extensions;
  if (!extensions) return undefined;
  const columns = await Promise.all(extensions.columns.map(async (column): Promise<PluginColumn> => {
    let cells: ReadonlyMap<number, Child> = new Map();
    if (ticketIds.length) {
      try {
        cells = await column.cells(ticketIds, extensions.context);
      } catch (error) {
        // One plugin's broken column must not take the list down: it stays empty.
        c.var.services.log.error('ticket list column failed', { column: column.key, tenantId: extensions.context.tenantId, error: error instanceof Error ? error.stack ?? error.message : String(error) });
      }
    }
    return { key: column.key, label: column.label(c.var.t), cells };
  }));
  return { columns, filters: extensions.filters, context: extensions.context, filterValues: filtering.values };
}

const columnClass = (key: string) => `col-plugin col-p-${key.replace('.', '-')}`;

export function PluginColumnHeaders(props: { plugins: PluginListState | undefined }) {
  return <>{props.plugins?.columns.map((column) => <th scope="col" class={columnClass(column.key)} data-column={column.key}>{column.label}</th>)}</>;
}

/** A row's plugin cells; on a phone, where rows become cards, each shows its column's label. */
export function PluginCells(props: { plugins: PluginListState | undefined; ticketId: number }) {
  return (
    <>
      {props.plugins?.columns.map((column) => {
        const cell = column.cells.get(props.ticketId);
        return (
          <td class={`${columnClass(column.key)}${cell === undefined ? ' cell-empty' : ''}`} data-column={column.key}>
            <span class="cell-label" aria-hidden="true">{column.label}</span>
            {cell ?? <span class="muted">—</span>}
          </td>
        );
      })}
    </>
  );
}

/** The plugin filters' inputs in the filter form's grid. */
export function PluginFilterControls(props: { c: Context<AppEnv>; plugins: PluginListState | undefined; errors: FieldErrors | undefined }) {
  const { c, plugins } = props;
  if (!plugins?.filters.length) return null;
  return (
    <>
      {plugins.filters.map((item) => {
        try {
          return item.control(plugins.context, { name: `p.${item.key}`, label: item.label(c.var.t), value: plugins.filterValues.get(item.key) ?? '', errors: props.errors });
        } catch (error) {
          c.var.services.log.error('ticket list filter input failed', { filter: item.key, error: error instanceof Error ? error.stack ?? error.message : String(error) });
          return null;
        }
      })}
    </>
  );
}
