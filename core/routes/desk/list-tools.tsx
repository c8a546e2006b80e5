import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { AppEnv } from '../../http/app-env.js';
import type { TicketFilter } from '../../tickets/ticket-queries.js';
import { filterQuery } from './saved-view-store.js';

/**
 * Saved views and the filter of ticket management behind one "Views and filters" button on a phone, so the
 * first ticket is on the first screen; on wider screens the button is hidden and both show as before. A
 * checkbox and its label (like the Shell's menu toggle): no script needed. Open when the filter was refused; the
 * button says how many filters are set, so a filtered list is never mistaken for the whole.
 */
export function ListTools(props: { c: Context<AppEnv>; open: boolean; active: number; children: Child }) {
  const t = props.c.var.t;
  return (
    <div class="list-tools-wrap">
      <input type="checkbox" id="list-tools-toggle" class="list-tools-toggle" checked={props.open} aria-controls="list-tools" />
      <label for="list-tools-toggle" class="button list-tools-button" id="list-tools-button">{props.active > 0 ? t('layout.viewsAndFiltersActive', { count: props.active }) : t('layout.viewsAndFilters')}</label>
      <div class="list-tools" id="list-tools">{props.children}</div>
    </div>
  );
}

/** How many filters are set (sorting is no filter, nor the list's default of active tickets). */
export function activeFilters(filter: TicketFilter): number {
  const query = filterQuery(filter);
  return [...query.keys()].filter((key) => key !== 'sort' && key !== 'dir' && !(key === 'status' && query.get('status') === 'active')).length;
}
