/**
 * Extension points of the agent ticket lists (published through core/plugin-api): columns a plugin adds
 * to every list (the queues and ticket management), and filters it adds to ticket management's form.
 * Only the tenant's enabled plugins take part; without any, the lists run exactly as before (no query more).
 */
import type { AliasableExpression, SelectQueryNode } from 'kysely';
import type { Child } from 'hono/jsx';
import type { Dialect } from '../db/create-database.js';
import type { Translate } from '../i18n/translate.js';
import type { SlotContext } from '../plugin-host/define-plugin.js';
import { defineExtensionPoint } from '../plugin-host/refs.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';

/** What a column or filter gets from the list: the request's tenant, language, links and permissions, and which list it is. */
export type TicketListContext = SlotContext<{ queue: 'new' | 'customer' | 'support' | 'all' }>;

export interface TicketListColumn {
  /** `<plugin>.<name>`, e.g. `sla.due`: the column's class (`col-p-sla-due`) and `data-column`. */
  key: string;
  /** The column header, in the reader's language. */
  label(t: Translate): string;
  /**
   * The cells of one page, in one batch (never a query per row): `ticketIds` are the page's rows (at most a
   * page, never empty). A ticket without a cell shows a dash; a throw leaves the column empty and is logged.
   */
  cells(ticketIds: readonly number[], ctx: TicketListContext): Promise<ReadonlyMap<number, Child>>;
}

/** A query selecting ticket ids (one number column), e.g. `scope.selectFrom(...).select('ticket_id')`. */
export interface TicketIdsQuery extends AliasableExpression<Record<string, number>> {
  readonly isSelectQueryBuilder: true;
  toOperationNode(): SelectQueryNode;
}

/** What a filter's `ticketIds` learns about the list's database besides the tenant's scope. */
export interface TicketIdsContext {
  /** The planners differ: a filter may word its query per dialect (e.g. a short id list where PostgreSQL hashes it). */
  dialect: Dialect;
}

/** The input a filter renders in ticket management's filter form. */
export interface TicketListFilterField {
  /** `p.<key>`: the query string parameter (kept in links, live refreshes and saved views). */
  name: string;
  label: string;
  /** What the parameter holds now ('' for none). */
  value: string;
  /** The list's field messages (at `name` when the value was refused), as SelectField/TextField take them. */
  errors: Readonly<Record<string, string>> | undefined;
}

export interface TicketListFilter {
  /** `<plugin>.<name>`, e.g. `hardware.device`; the parameter is `p.<key>`. */
  key: string;
  label(t: Translate): string;
  /** The input (a select or a text field named `field.name`, id `f-<name>`) in the filter form's grid. */
  control(ctx: TicketListContext, field: TicketListFilterField): Child;
  /**
   * The ticket ids a value selects, as a query the list applies as `tickets.id in (…)` inside the tenant's
   * (so it stays indexed: select from an indexed column of the plugin's table, scoped to `scope`'s tenant).
   * `undefined` filters nothing. A value it does not accept: throw `invalidFields(message, { [name]: message })`
   * (the message may be a key of the plugin's catalog): the list answers 422 with the message at the input,
   * without that filter.
   * It may answer a promise: a filter may first look at its own (indexed) data, or at `list.dialect`, to pick the
   * query's form, e.g. a short id list when few tickets match and a condition tied to the list's row (`tickets.id`)
   * when most do. A list narrowed by a plugin filter counts its matches up to SEARCH_COUNT_CAP ("more than 1,000").
   */
  ticketIds(scope: TenantScope, value: string, list: TicketIdsContext): TicketIdsQuery | undefined | Promise<TicketIdsQuery | undefined>;
}

/**
 * A one-click view a plugin adds beside "My tickets" and "Unassigned" (e.g. the SLA's "Overdue"): a filter of
 * ticket management (query parameters, a plugin filter as `p.<key>`). Its count is the total of the list it opens,
 * counted by the list's own query (capped like any plugin-filtered list), so chip and list always agree.
 */
export interface TicketListView {
  /** `<plugin>.<name>`, e.g. `sla.overdue`. */
  key: string;
  label(t: Translate): string;
  /** The list's query parameters, e.g. `{ 'p.sla.due': 'overdue' }`. */
  filter: Readonly<Record<string, string>>;
}

export const TICKET_LIST_COLUMNS = defineExtensionPoint<TicketListColumn>('core.ticketListColumns');
export const TICKET_LIST_FILTERS = defineExtensionPoint<TicketListFilter>('core.ticketListFilters');
export const TICKET_LIST_VIEWS = defineExtensionPoint<TicketListView>('core.ticketListViews');

/** A column's or filter's key: the plugin's id, a dot, a name. */
export const LIST_EXTENSION_KEY = /^[a-z][a-z0-9-]*\.[a-zA-Z][a-zA-Z0-9_-]{0,39}$/;

/** Plugin filters as they travel in the query string: `p.<plugin>.<name>=value`. */
export function pluginFilterValues(filter: Readonly<Record<string, unknown>>): Array<[string, string]> {
  return Object.entries(filter).flatMap(([key, value]) => (key.startsWith('p.') && LIST_EXTENSION_KEY.test(key.slice(2)) && typeof value === 'string' && value !== '' && value.length <= 200
    ? [[key.slice(2), value] as [string, string]] : []));
}
