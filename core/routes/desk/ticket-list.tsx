import type { Context, Hono } from 'hono';
import type { Child } from 'hono/jsx';
import type { AppEnv } from '../../http/app-env.js';
import { href, isHtmx, requirePermission, requireTenant, requireUser, scope, staff } from '../../http/guards.js';
import { render } from '../../http/render.js';
import { formatDateTime } from '../../i18n/format.js';
import type { Translate } from '../../i18n/translate.js';
import { ticketQueries } from '../../tickets/ticket-context.js';
import { customFieldFilters, ticketFilterSchema, type QueueId, type SortColumn, type TicketFilter, type TicketPage, type TicketRow, type Viewer } from '../../tickets/ticket-queries.js';
import { HIT_END, HIT_START } from '../../tickets/ticket-search.js';
import { priorityName, priorityOptions, ticketSettings } from '../../tickets/ticket-settings.js';
import { Page } from '../../../views/components/page.js';
import { Pagination } from '../../../views/components/pagination.js';
import { FormError, SelectField, TextField, type FieldErrors } from '../../../views/components/form.js';
import { filterQuery, savedViewStore, type SavedView } from './saved-view-store.js';
import { OrganisationPicker, organisationDisplay, resolvePicked } from './organisation-picker.js';
import { PluginCells, PluginColumnHeaders, PluginFilterControls, pluginColumns, pluginFiltering, type PluginListState } from './ticket-list-columns.js';

const TABS = ['new', 'customer', 'support', 'all'] as const satisfies readonly QueueId[];
const PAGE_SIZE = 25;
/** Custom field types that make sense as a list filter. */
const FILTERABLE_FIELDS = ['select', 'checkbox', 'text'] as const;

/** Ids of the swappable regions (htmx sends the target's id as HX-Target). */
export const LIST_IDS = { workspace: 'ticket-workspace', tabs: 'ticket-tabs', results: 'ticket-results', filter: 'ticket-filter', saveView: 'save-view' } as const;

interface FilterField { key: string; label: string; type: (typeof FILTERABLE_FIELDS)[number]; options: string[] }
interface Choice { value: string; label: string }

/** Everything one rendering of the ticket lists needs, loaded once per request. */
export interface ListState {
  queue: QueueId;
  filter: TicketFilter;
  errors: FieldErrors | undefined;
  result: TicketPage;
  counts: Record<QueueId, number>;
  /** Ticket management only: choices for the filter form and the saved views. */
  form?: {
    statuses: Choice[];
    priorities: Choice[];
    assignees: Choice[];
    groups: Choice[];
    myGroups: Choice[];
    /** The filtered organisation's name (or text typed without JavaScript that matched none), for the picker. */
    organisationName: string | undefined;
    fields: FilterField[];
    views: SavedView[];
    canSeeDeleted: boolean;
  } | undefined;
  /** The save-view form's state after a refused save. */
  viewForm?: { errors: FieldErrors; values: Record<string, string> } | undefined;
  /** The enabled plugins' columns (with this page's cells) and filters; undefined when none provides any. */
  plugins?: PluginListState | undefined;
}

const defaultDirection = (sort: SortColumn) => (sort === 'subject' || sort === 'number' ? 'asc' : 'desc');

/** The list URL of a queue with a filter (and optionally a page). */
export function listUrl(c: Context<AppEnv>, queue: QueueId, filter: TicketFilter = {}, page?: number): string {
  const params = queue === 'all' ? filterQuery(filter) : new URLSearchParams();
  params.set('queue', queue);
  // queue first reads better in the address bar.
  const ordered = new URLSearchParams([['queue', queue], ...[...params].filter(([key]) => key !== 'queue')]);
  if (page && page > 1) ordered.set('page', String(page));
  return href(c, `/desk/tickets?${ordered.toString()}`);
}

/** Set by header links and the pager, not by form fields: a stale or edited value falls back to the default. */
const UNFIELDED = new Set(['sort', 'dir', 'page']);

/** Reads the query string; invalid values are dropped and reported as field errors (HTTP 422). */
export function readFilter(c: Context<AppEnv>, raw: Record<string, string>): { filter: TicketFilter; errors: FieldErrors | undefined } {
  const input: Record<string, string> = { ...raw };
  delete input.queue;
  const errors: FieldErrors = {};
  let parsed = ticketFilterSchema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? '');
      if (key) {
        if (!UNFIELDED.has(key)) errors[key] = c.var.t(key === 'from' || key === 'to' ? 'validation.date' : 'validation.choice');
        delete input[key];
      }
    }
    parsed = ticketFilterSchema.safeParse(input);
  }
  const filter: TicketFilter = parsed.success ? parsed.data : {};
  // Deleted tickets are for those who may delete (and restore) them.
  if (filter.deleted && !c.var.can('tickets.delete')) delete filter.deleted;
  return { filter, errors: Object.keys(errors).length ? errors : undefined };
}

function queueOf(value: string | undefined): QueueId {
  return (TABS as readonly string[]).includes(value ?? '') ? (value as QueueId) : 'new';
}

/** Loads tickets, counts and (for ticket management) the filter form's choices. */
export async function loadList(c: Context<AppEnv>, queue: QueueId, filter: TicketFilter, errors?: FieldErrors): Promise<ListState> {
  const t = c.var.t;
  const queries = ticketQueries(c);
  const user = staff(c);
  const viewer: Viewer = await queries.viewer(user.id);
  const page = filter.page ?? 1;
  // Plugins' filters narrow the search; their columns load the page's cells in one batch each (ticket-list-columns.tsx).
  const plugins = await pluginFiltering(c, queue, filter);
  const [counts, result] = await Promise.all([
    queries.queueCounts(viewer),
    queue === 'all' ? queries.search(plugins.filter, viewer, PAGE_SIZE, plugins.narrow) : queries.queue(queue, viewer, page, PAGE_SIZE),
  ]);
  const refused = errors || plugins.errors ? { ...errors, ...plugins.errors } : undefined;
  const state: ListState = { queue, filter: plugins.filter, errors: refused, result, counts: { new: counts.new, customer: counts.customer, support: counts.support, all: counts.active } };
  [state.form, state.plugins] = await Promise.all([
    queue === 'all' ? loadFormChoices(c, viewer, t, plugins.filter) : undefined,
    pluginColumns(c, plugins, result.rows.map((row) => row.id)),
  ]);
  return state;
}

async function loadFormChoices(c: Context<AppEnv>, viewer: Viewer, t: Translate, filter: TicketFilter): Promise<NonNullable<ListState['form']>> {
  const tenantScope = scope(c);
  const tenantId = c.var.tenant!.id;
  const settings = ticketSettings(c.var.tenant!);
  const [users, groups, organisationName, fields, views] = await Promise.all([
    // users.tenant_id may be null for operators, so users is not a scoped table.
    c.var.services.db.selectFrom('users').select(['id', 'name']).where('tenant_id', '=', tenantId).where('role', 'in', ['agent', 'supervisor', 'admin']).where('active', '=', 1).orderBy('name').execute(),
    tenantScope.selectFrom('support_groups').select(['id', 'name']).orderBy('name').execute(),
    // A tenant may have thousands of customers: the filter picks one as-you-type, the URL carries its id.
    filter.organisation ? organisationDisplay(c, filter.organisation) : Promise.resolve(c.req.query('organisation_text')),
    tenantScope.selectFrom('ticket_fields').select(['key', 'label', 'type', 'options']).where('active', '=', 1).where('type', 'in', [...FILTERABLE_FIELDS]).orderBy('position').orderBy('id').execute(),
    savedViewStore(tenantScope).visible(viewer),
  ]);
  const mine = new Set(viewer.groupIds);
  return {
    statuses: [{ value: 'active', label: t('list.active') }, ...(['new', 'open', 'waiting', 'solved', 'closed'] as const).map((s) => ({ value: s, label: t(`status.${s}`) }))],
    priorities: priorityOptions(settings, t).map((p) => ({ value: String(p.value), label: p.label })),
    assignees: [{ value: 'me', label: t('list.assigneeMe') }, { value: 'none', label: t('list.assigneeNone') }, ...users.map((u) => ({ value: String(u.id), label: u.name }))],
    groups: groups.map((g) => ({ value: String(g.id), label: g.name })),
    myGroups: groups.filter((g) => mine.has(g.id)).map((g) => ({ value: String(g.id), label: g.name })),
    organisationName,
    fields: fields.map((f) => ({ key: f.key, label: f.label, type: f.type as FilterField['type'], options: safeOptions(f.options) })),
    views,
    canSeeDeleted: c.var.can('tickets.delete'),
  };
}

function safeOptions(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

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

function TicketTableRow(props: { c: Context<AppEnv>; row: TicketRow; management: boolean; plugins: PluginListState | undefined }) {
  const { c, row } = props;
  const t = c.var.t;
  const settings = ticketSettings(c.var.tenant!);
  const url = href(c, `/desk/tickets/${row.number}`);
  const classes = ['ticket-row', `row-${row.status}`, row.priority >= 3 ? `prio-high${row.priority >= 4 ? ' prio-critical' : ''}` : ''].filter(Boolean).join(' ');
  return (
    <tr class={classes} data-ticket-row data-number={row.number} data-href={url}>
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
              {result.rows.map((row) => <TicketTableRow c={c} row={row} management={management} plugins={state.plugins} />)}
            </tbody>
          </table>
        </div>
      )}
      <div hx-boost="true" hx-target={`#${LIST_IDS.results}`} hx-swap="outerHTML" hx-push-url="true">
        <Pagination page={result.page} pageSize={result.pageSize} total={result.total} capped={result.totalCapped} rowsOnPage={result.rows.length} t={t} link={(page) => listUrl(c, queue, filter, page)} />
      </div>
    </div>
  );
}

function SavedViews(props: { c: Context<AppEnv>; state: ListState }) {
  const { c, state } = props;
  const t = c.var.t;
  const form = state.form!;
  const me = c.var.user!.id;
  const values = state.viewForm?.values ?? {};
  return (
    <section class="card saved-views" id="saved-views" aria-labelledby="saved-views-title">
      <h2 id="saved-views-title">{t('views.title')}</h2>
      {form.views.length === 0 ? <p class="muted views-none">{t('views.none')}</p> : (
        <ul class="view-chips">
          {form.views.map((view) => (
            <li class="view-chip" data-view-id={view.id}>
              <a href={href(c, `/desk/tickets?queue=all${view.query ? `&${view.query}` : ''}`)}>{view.name}</a>
              {view.group_id ? <small class="muted">{t('views.sharedBy', { name: view.owner_name ?? '', group: view.group_name ?? '' })}</small> : null}
              {view.user_id === me ? (
                <form method="post" action={href(c, `/desk/views/${view.id}/delete`)}>
                  <button type="submit" class="chip-delete" aria-label={t('views.delete', { name: view.name })} title={t('views.delete', { name: view.name })}>×</button>
                </form>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {/* Saving is occasional: folded away until wanted, open again when a save was refused. */}
      <details class="save-view-details" open={state.viewForm ? true : undefined}>
        <summary>{t('views.save')}</summary>
        <FormError message={state.viewForm ? t('error.invalid') : undefined} />
        <form method="post" action={href(c, '/desk/views')} id={LIST_IDS.saveView} class="save-view">
          <TextField name="view_name" label={t('views.name')} value={values.view_name} required maxlength={80} errors={state.viewForm?.errors} />
          <SelectField name="view_group" label={t('views.share')} value={values.view_group ?? ''} empty={t('views.personal')} options={form.myGroups} errors={state.viewForm?.errors} />
          <button type="submit" class="button">{t('views.save')}</button>
        </form>
      </details>
    </section>
  );
}

function FilterForm(props: { c: Context<AppEnv>; state: ListState }) {
  const { c, state } = props;
  const t = c.var.t;
  const form = state.form!;
  const { filter, errors } = state;
  const custom = new Map(customFieldFilters(filter));
  const action = href(c, '/desk/tickets');
  return (
    <section class="card filter-card">
      <form method="get" action={action} id={LIST_IDS.filter} class="filter-form" role="search"
        hx-get={action} hx-target={`#${LIST_IDS.results}`} hx-swap="outerHTML" hx-push-url="true" hx-trigger="submit, change" hx-sync={`#${LIST_IDS.results}:replace`}>
        <input type="hidden" name="queue" value="all" />
        {filter.sort ? <input type="hidden" name="sort" value={filter.sort} /> : null}
        {filter.dir ? <input type="hidden" name="dir" value={filter.dir} /> : null}
        <FormError message={errors ? t('error.invalid') : undefined} />
        <div class="filter-grid">
          <div class="filter-q">
            <TextField name="q" type="search" label={t('list.search')} value={filter.q} placeholder={t('list.searchHint')} maxlength={200} errors={errors} />
          </div>
          <SelectField name="status" label={t('list.status')} value={filter.status} empty={t('list.any')} options={form.statuses} errors={errors} />
          <SelectField name="priority" label={t('list.priority')} value={filter.priority} empty={t('list.any')} options={form.priorities} errors={errors} />
          <SelectField name="assignee" label={t('list.assignee')} value={filter.assignee} empty={t('list.any')} options={form.assignees} errors={errors} />
          <SelectField name="group" label={t('list.group')} value={filter.group} empty={t('list.any')} options={form.groups} errors={errors} />
          <OrganisationPicker c={c} name="organisation" label={t('list.organisation')} value={filter.organisation} display={form.organisationName} errors={errors} />
          <TextField name="from" type="date" label={t('list.from')} value={filter.from} errors={errors} />
          <TextField name="to" type="date" label={t('list.to')} value={filter.to} errors={errors} />
          {form.fields.map((field) => field.type === 'text' ? (
            <TextField name={`cf.${field.key}`} label={field.label} value={custom.get(field.key)} maxlength={200} />
          ) : (
            <SelectField name={`cf.${field.key}`} label={field.label} value={custom.get(field.key)} empty={t('list.any')}
              options={field.type === 'checkbox' ? [{ value: 'true', label: t('list.yes') }, { value: 'false', label: t('list.no') }] : field.options.map((o) => ({ value: o, label: o }))} />
          ))}
          <PluginFilterControls c={c} plugins={state.plugins} errors={errors} />
        </div>
        <div class="filter-actions">
          {form.canSeeDeleted ? (
            <div class="field field-check">
              <input type="checkbox" id="f-deleted" name="deleted" value="1" checked={Boolean(filter.deleted)} />
              <label for="f-deleted">{t('list.deleted')}</label>
            </div>
          ) : null}
          <button type="submit" class="button-primary">{t('list.apply')}</button>
          <a class="button" href={listUrl(c, 'all')}>{t('list.reset')}</a>
        </div>
      </form>
    </section>
  );
}

/** On the queue tabs: one search field that leads into ticket management. */
function QuickSearch(props: { c: Context<AppEnv> }) {
  const { c } = props;
  const t = c.var.t;
  const action = href(c, '/desk/tickets');
  return (
    <form method="get" action={action} class="quick-search" role="search"
      hx-get={action} hx-target={`#${LIST_IDS.workspace}`} hx-swap="outerHTML" hx-push-url="true">
      <input type="hidden" name="queue" value="all" />
      <label for="f-q" class="visually-hidden">{t('list.search')}</label>
      <input type="search" id="f-q" name="q" placeholder={t('list.searchHint')} maxlength={200} />
      <button type="submit" class="button">{t('list.search')}</button>
    </form>
  );
}

/** Tabs, the filter (or a quick search) and the results: what a tab switch swaps. */
export function Workspace(props: { c: Context<AppEnv>; state: ListState }) {
  const { c, state } = props;
  return (
    <div id={LIST_IDS.workspace} class="ticket-workspace" data-queue={state.queue}>
      <TabBar c={c} state={state} />
      {state.queue === 'all' ? (
        <>
          <SavedViews c={c} state={state} />
          <FilterForm c={c} state={state} />
        </>
      ) : <QuickSearch c={c} />}
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
