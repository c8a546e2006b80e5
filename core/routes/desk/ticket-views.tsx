import type { Context } from 'hono';
import type { AppEnv } from '../../http/app-env.js';
import { href } from '../../http/guards.js';
import { ticketQueries } from '../../tickets/ticket-context.js';
import { TICKET_LIST_VIEWS, LIST_EXTENSION_KEY } from '../../tickets/ticket-list-extensions.js';
import type { TicketFilter, Viewer } from '../../tickets/ticket-queries.js';
import { CORE_VIEWS, isViewFilter } from '../../tickets/ticket-views.js';
import { filterQuery } from './saved-view-store.js';
import { pluginFiltering } from './ticket-list-columns.js';

// The one-click views beside the queue tabs: "My tickets", "Unassigned" and the enabled plugins' (the SLA's
// "Overdue"), each with its count. A view's count is the total of the list it opens, counted by the very
// query that list runs (queries.search; for the core's views answered from the per-tenant counters), so the
// chip and the list's "n in total" cannot disagree.

export interface ListView {
  key: string;
  label: string;
  filter: TicketFilter;
  count: number;
  /** A plugin-filtered count stops at the list's cap ("more than 1,000"). */
  capped: boolean;
  url: string;
}

/** The views as this viewer sees them, counted; plugin views only while their plugin is on for the tenant. */
export async function loadViews(c: Context<AppEnv>, viewer: Viewer): Promise<ListView[]> {
  const t = c.var.t;
  const plugins = await c.var.services.hooks.extensions(TICKET_LIST_VIEWS, c.var.tenant!.id, c.var.enabledPlugins);
  const seen = new Set<string>();
  const defined: Array<{ key: string; label: string; filter: TicketFilter }> = [
    ...Object.entries(CORE_VIEWS).map(([key, filter]) => ({ key, label: t(`views.quick.${key}`), filter: { ...filter } as TicketFilter })),
    ...plugins.filter((view) => LIST_EXTENSION_KEY.test(view.key) && !seen.has(view.key) && seen.add(view.key))
      .map((view) => ({ key: view.key, label: view.label(t), filter: { ...view.filter } as TicketFilter })),
  ];
  const queries = ticketQueries(c);
  return Promise.all(defined.map(async (view) => {
    // The list's own path: the plugins' filters resolved as the list resolves them, then its count alone (no rows).
    const filtering = await pluginFiltering(c, 'all', view.filter);
    const page = await queries.search(filtering.filter, viewer, 0, filtering.narrow);
    return { ...view, count: page.total, capped: page.totalCapped, url: href(c, `/desk/tickets?queue=all&${filterQuery(view.filter).toString()}`) };
  }));
}

/** The view chips: a link per view with its count; the one whose filter the list shows is marked current. */
export function ViewChips(props: { c: Context<AppEnv>; views: ListView[]; current: TicketFilter | undefined }) {
  const t = props.c.var.t;
  if (props.views.length === 0) return null;
  return (
    <ul class="quick-views" id="quick-views" aria-label={t('views.quick.title')}>
      {props.views.map((view) => {
        const current = props.current !== undefined && isViewFilter(props.current, Object.fromEntries(filterQuery(view.filter)));
        return (
          <li>
            <a href={view.url} class="quick-view" data-view={view.key} aria-current={current ? 'page' : undefined}
              hx-get={view.url} hx-target="#ticket-workspace" hx-swap="outerHTML" hx-push-url="true"
              title={t('views.quick.countTitle', { label: view.label, count: view.count })}>
              <span class="quick-view-label">{view.label}</span>
              <span class="queue-count" data-view-count={view.key}>{view.capped ? `${view.count}+` : view.count}</span>
            </a>
          </li>
        );
      })}
    </ul>
  );
}
