import type { Context, Hono } from 'hono';
import type { Child } from 'hono/jsx';
import type { AppEnv } from '../../http/app-env.js';
import { csvQuery } from './ticket-list-csv.js';
import { href, isHtmx, requirePermission, requireTenant, requireUser, tenantOf } from '../../http/guards.js';
import { render } from '../../http/render.js';
import { formatDateTime } from '../../i18n/format.js';
import type { SortColumn, TicketRow } from '../../tickets/ticket-queries.js';
import type { PluginListState } from './ticket-list-columns.js';
import { HIT_END, HIT_START } from '../../tickets/ticket-search.js';
import { priorityName, ticketSettings } from '../../tickets/ticket-settings.js';
import { Page } from '../../../views/components/page.js';
import { Pagination } from '../../../views/components/pagination.js';
import { filterQuery } from './saved-view-store.js';
import { resolvePicked } from './organisation-picker.js';
import { FilterForm, QuickSearch, SavedViews } from './ticket-list-filter.js';
import { activeFilters, ListTools } from './list-tools.js';
import { PluginCells, PluginColumnHeaders } from './ticket-list-columns.js';
import { ViewChips } from './ticket-views.js';
import { BulkCheck, BulkCheckAll, BulkForm } from './ticket-bulk-form.js';
import { defaultDirection, LIST_IDS, listUrl, loadList, queueOf, readFilter, TABS, type ListState } from './ticket-list-state.js';

/** Search hits arrive wrapped in control-character marks; JSX escapes the text, the marks become <mark>. */
export function Highlighted(props: { text: string }) {
  const parts: Child[] = [];
  let hit = false;
  for (const piece of props.text.split(new RegExp(`(${HIT_START}|${HIT_END})`))) {
    if (piece === HIT_START) hit = true;
    else if (piece === HIT_END) hit = false;
    else if (piece) parts.push(hit ? <mark>{piece}</mark> : piece);
  }
  return <>{parts}</>;
}

/** The tab bar with a count on each tab; swapped out-of-band when the list refreshes. */
export function TabBar(props: { c: Context<AppEnv>; state: ListState; oob?: boolean }) {
  const { c, state } = props;
  const t = c.var.t;
  return (
    <nav id={LIST_IDS.tabs} class="queue-tabs" aria-label={t('list.tabs')} {...(props.oob ? { 'hx-swap-oob': 'true' } : {})}>
      <ul>
        {TABS.map((queue) => {
          const url = listUrl(c, queue);
          return (
            <li>
              <a href={url} id={`tab-${queue}`} class={`queue-tab queue-tab-${queue}`} aria-current={state.queue === queue ? 'page' : undefined}
                hx-get={url} hx-target={`#${LIST_IDS.workspace}`} hx-swap="outerHTML" hx-push-url="true"
                title={queue === 'all' ? t('list.allCount', { count: state.counts.all }) : undefined}>
                <span class="queue-tab-label">{t(`list.tab.${queue}`)}</span>
                <span class="queue-count" data-count={queue}>{state.counts[queue]}</span>
              </a>
            </li>
          );
        })}
      </ul>
      <ViewChips c={c} views={state.views} current={state.queue === 'all' ? state.filter : undefined} />
    </nav>
  );
}

function SortHeader(props: { c: Context<AppEnv>; state: ListState; column: SortColumn; label: string }) {
  const { c, state, column } = props;
  if (state.queue !== 'all') return <th scope="col">{props.label}</th>;
  const current = state.filter.sort ?? 'updated_at';
  const currentDir = state.filter.dir ?? defaultDirection(current);
  const active = current === column;
  const dir = active ? (currentDir === 'asc' ? 'desc' : 'asc') : defaultDirection(column);
  const url = listUrl(c, 'all', { ...state.filter, sort: column, dir });
  return (
    <th scope="col" aria-sort={active ? (currentDir === 'asc' ? 'ascending' : 'descending') : undefined} class={active ? 'sorted' : undefined}>
      <a href={url} hx-get={url} hx-target={`#${LIST_IDS.results}`} hx-swap="outerHTML" hx-push-url="true"
        title={c.var.t('list.sortBy', { column: props.label })} data-sort={column}>
        {props.label}<span class="sort-mark" aria-hidden="true">{active ? (currentDir === 'asc' ? '▲' : '▼') : '↕'}</span>
      </a>
    </th>
  );
}

function TicketTableRow(props: { c: Context<AppEnv>; row: TicketRow; management: boolean; plugins: PluginListState | undefined; bulk: boolean }) {
  const { c, row } = props;
  const t = c.var.t;
  const settings = ticketSettings(tenantOf(c));
  const url = href(c, `/desk/tickets/${row.number}`);
  const classes = ['ticket-row', `row-${row.status}`, row.priority >= 3 ? `prio-high${row.priority >= 4 ? ' prio-critical' : ''}` : ''].filter(Boolean).join(' ');
  return (
    <tr class={classes} data-ticket-row data-number={row.number} data-href={url}>
      {props.bulk ? <BulkCheck c={c} number={row.number} /> : null}
      <td class="col-number nowrap">{row.number}</td>
      <td class="col-subject">
        <a href={url} id={`ticket-${row.number}`} class="ticket-link">{row.snippet ? <Highlighted text={row.snippet.subject} /> : row.subject}</a>
        {row.snippet?.body ? <p class="snippet"><Highlighted text={row.snippet.body} /></p> : null}
      </td>
      <td class="col-requester">
        {row.requester_name ?? <span class="muted">—</span>}
        {row.organisation_name ? <small class="org">{row.organisation_name}</small> : null}
      </td>
      <td class="col-status"><span class={`badge status-badge status-badge-${row.status}`}>{t(`status.${row.status}`)}</span></td>
      <td class="col-priority"><span class={`prio prio-${row.priority}`}>{priorityName(settings, row.priority, t)}</span></td>
      <td class="col-group">{row.group_name ?? <span class="muted">—</span>}</td>
      <td class="col-assignee">{row.assignee_name ?? <span class="muted">{t('list.unassigned')}</span>}</td>
      <PluginCells plugins={props.plugins} ticketId={row.id} />
      {props.management ? <td class="col-created nowrap"><time datetime={row.created_at}>{formatDateTime(row.created_at, c.var.dates)}</time></td> : null}
      <td class="col-updated nowrap"><time datetime={row.updated_at}>{formatDateTime(row.updated_at, c.var.dates)}</time></td>
    </tr>
  );
}

/**
 * The table with paging. It reloads itself on every ticket event (debounced) and every
 * 30 s as a fallback, from the current URL, so filter, sort and page stay.
 */
export function Results(props: { c: Context<AppEnv>; state: ListState }) {
  const { c, state } = props;
  const t = c.var.t;
  const { result, queue, filter } = state;
  const self = listUrl(c, queue, filter, result.page);
  const management = queue === 'all';
  return (
    <div id={LIST_IDS.results} class="ticket-results" hx-get={self} hx-trigger="sse:ticket delay:300ms, every 30s" hx-swap="outerHTML focus-scroll:false" data-live-list>
      {management ? <input type="hidden" name="query" form={LIST_IDS.saveView} value={filterQuery(filter).toString()} /> : null}
      {result.rows.length === 0 ? (
        <div class="empty-state" id="ticket-empty"><p>{t(`list.empty.${queue}`)}</p></div>
      ) : (
        <div class="table-wrap">
          <table class="table ticket-table" id="ticket-table" data-queue={queue}>
            <thead>
              <tr>
                {state.bulk ? <BulkCheckAll c={c} /> : null}
                <SortHeader c={c} state={state} column="number" label={t('list.number')} />
                <SortHeader c={c} state={state} column="subject" label={t('list.subject')} />
                <th scope="col">{t('list.requester')}</th>
                <SortHeader c={c} state={state} column="status" label={t('list.status')} />
                <SortHeader c={c} state={state} column="priority" label={t('list.priority')} />
                <th scope="col">{t('list.group')}</th>
                <th scope="col">{t('list.assignee')}</th>
                <PluginColumnHeaders plugins={state.plugins} />
                {management ? <SortHeader c={c} state={state} column="created_at" label={t('list.created')} /> : null}
                <SortHeader c={c} state={state} column="updated_at" label={t('list.updated')} />
              </tr>
            </thead>
            <tbody>
              {result.rows.map((row) => <TicketTableRow c={c} row={row} management={management} plugins={state.plugins} bulk={state.bulk !== undefined} />)}
            </tbody>
          </table>
        </div>
      )}
      <div hx-boost="true" hx-target={`#${LIST_IDS.results}`} hx-swap="outerHTML" hx-push-url="true">
        <Pagination page={result.page} pageSize={result.pageSize} total={result.total} capped={result.totalCapped} rowsOnPage={result.rows.length} t={t} link={(page) => listUrl(c, queue, filter, page)} />
      </div>
      {management && result.total > 0 ? <p class="list-export"><a class="button-small" href={href(c, `/desk/tickets.csv?${csvQuery(filter)}`)} id="ticket-csv" download>{t('list.csv')}</a></p> : null}
    </div>
  );
}

/** Tabs, the filter (or a quick search) and the results: what a tab switch swaps. */
export function Workspace(props: { c: Context<AppEnv>; state: ListState }) {
  const { c, state } = props;
  return (
    <div id={LIST_IDS.workspace} class="ticket-workspace" data-queue={state.queue}>
      <TabBar c={c} state={state} />
      {state.queue === 'all' ? (
        <ListTools c={c} open={Boolean(state.errors || state.viewForm)} active={activeFilters(state.filter)}>
          <SavedViews c={c} state={state} />
          <FilterForm c={c} state={state} />
        </ListTools>
      ) : <QuickSearch c={c} />}
      {state.bulk ? <BulkForm c={c} choices={state.bulk} /> : null}
      <Results c={c} state={state} />
    </div>
  );
}

/**
 * The page, or for htmx only what the request targets: the results (with the tab counts
 * out-of-band) for live refreshes, sorting, paging and filtering; the workspace for tab switches.
 */
export function renderList(c: Context<AppEnv>, state: ListState, status: 200 | 422 = 200) {
  const t = c.var.t;
  const target = c.req.header('HX-Target');
  const fragment = isHtmx(c) && target === LIST_IDS.results
    ? <><Results c={c} state={state} /><TabBar c={c} state={state} oob /></>
    : <Workspace c={c} state={state} />;
  return render(c, {
    title: `${t(`list.tab.${state.queue}`)} · ${t('list.title')}`,
    status,
    live: href(c, '/events'),
    fragment,
    page: (
      <Page title={t('list.title')} actions={c.var.can('tickets.edit') ? <a class="button-primary" href={href(c, '/desk/tickets/new')} id="new-ticket">{t('list.newTicket')}</a> : undefined}>
        <Workspace c={c} state={state} />
        <p class="muted list-footnote"><span>{t('list.live')}</span> <span class="shortcut-hint">{t('list.shortcuts')}</span></p>
      </Page>
    ),
  });
}

export function ticketListRoutes(app: Hono<AppEnv>): void {
  app.get('/desk/tickets', requireTenant, requireUser, requirePermission('tickets.view'), async (c) => {
    const query: Record<string, string | undefined> = c.req.query();
    const queue = queueOf(query.queue);
    if (queue !== 'all') {
      // Queues have a fixed order; only the page travels.
      const state = await loadList(c, queue, { page: readFilter(c, query as Record<string, string>).filter.page }, undefined);
      return renderList(c, state);
    }
    // Without JavaScript the organisation picker sends a typed name; it becomes the id here (or a field message).
    const pickError = await resolvePicked(c, query, 'organisation');
    const read = readFilter(c, query as Record<string, string>);
    const filter = read.filter;
    const errors = pickError ? { ...read.errors, organisation: pickError } : read.errors;
    const state = await loadList(c, queue, filter, errors);
    return renderList(c, state, state.errors ? 422 : 200);
  });
}
