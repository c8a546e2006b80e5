import type { Context } from 'hono';
import type { AppEnv } from '../../http/app-env.js';
import { href, scope, staff, tenantOf } from '../../http/guards.js';
import type { Translate } from '../../i18n/translate.js';
import { ticketQueries } from '../../tickets/ticket-context.js';
import { ticketFilterChoices, type FilterField } from '../../tickets/ticket-list-queries.js';
import { ticketFilterSchema, type QueueId, type SortColumn, type TicketFilter, type TicketPage, type Viewer } from '../../tickets/ticket-queries.js';
import { priorityOptions, ticketSettings } from '../../tickets/ticket-settings.js';
import { MANAGEMENT_DEFAULT } from '../../tickets/ticket-views.js';
import type { FieldErrors } from '../../../views/components/form.js';
import { filterQuery, savedViewStore, type SavedView } from './saved-view-store.js';
import { pluginColumns, pluginFiltering, type PluginListState } from './ticket-list-columns.js';
import { organisationDisplay } from './organisation-picker.js';
import { loadViews, type ListView } from './ticket-views.js';
import { loadBulkChoices, type BulkChoices } from './ticket-bulk-form.js';

// The ticket lists' state: the queue, the filter read from the query string, and what one rendering loads.

export const TABS = ['new', 'customer', 'support', 'all'] as const satisfies readonly QueueId[];
const PAGE_SIZE = 25;

/** Ids of the swappable regions (htmx sends the target's id as HX-Target). */
export const LIST_IDS = { workspace: 'ticket-workspace', tabs: 'ticket-tabs', results: 'ticket-results', filter: 'ticket-filter', saveView: 'save-view' } as const;

interface Choice { value: string; label: string }

/** Everything one rendering of the ticket lists needs, loaded once per request. */
export interface ListState {
  queue: QueueId;
  filter: TicketFilter;
  errors: FieldErrors | undefined;
  result: TicketPage;
  counts: Record<QueueId, number>;
  /** The one-click views ("My tickets", "Unassigned", plugins') with their counts (ticket-views.tsx). */
  views: ListView[];
  /** The bulk form's choices; undefined when this agent may change nothing (no checkboxes then). */
  bulk?: BulkChoices | undefined;
  /** Ticket management only: choices for the filter form and the saved views. */
  form?: {
    statuses: Choice[];
    priorities: Choice[];
    assignees: Choice[];
    groups: Choice[];
    tags: Choice[];
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

export const defaultDirection = (sort: SortColumn) => (sort === 'subject' || sort === 'number' ? 'asc' : 'desc');

/** The list URL of a queue with a filter (and optionally a page). */
export function listUrl(c: Context<AppEnv>, queue: QueueId, filter: TicketFilter = queue === 'all' ? MANAGEMENT_DEFAULT : {}, page?: number): string {
  const params = queue === 'all' ? filterQuery(filter) : new URLSearchParams();
  // "Any status" travels as `status=`: without it ticket management falls back to its default (readFilter).
  if (queue === 'all' && !params.has('status')) params.set('status', '');
  params.set('queue', queue);
  // queue first reads better in the address bar.
  const ordered = new URLSearchParams([['queue', queue], ...[...params].filter(([key]) => key !== 'queue')]);
  if (page && page > 1) ordered.set('page', String(page));
  return href(c, `/desk/tickets?${ordered.toString()}`);
}

/** Set by header links and the pager, not by form fields: a stale or edited value falls back to the default. */
const UNFIELDED = new Set(['sort', 'dir', 'page']);

/**
 * Reads the query string; invalid values are dropped and reported as field errors (HTTP 422). Ticket
 * management opened without any filter (the tab, the menu) shows its default, the active tickets: the set
 * its tab counts, so tab and total agree ("any" status in the form sends `status=` and lists every ticket).
 */
export function readFilter(c: Context<AppEnv>, raw: Record<string, string>): { filter: TicketFilter; errors: FieldErrors | undefined } {
  const bare = Object.keys(raw).every((key) => key === 'queue' || UNFIELDED.has(key));
  const input: Record<string, string> = bare ? { ...MANAGEMENT_DEFAULT as Record<string, string>, ...raw } : { ...raw };
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

export function queueOf(value: string | undefined): QueueId {
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
  const [counts, result, views, bulk] = await Promise.all([
    queries.queueCounts(viewer),
    queue === 'all' ? queries.search(plugins.filter, viewer, PAGE_SIZE, plugins.narrow) : queries.queue(queue, viewer, page, PAGE_SIZE),
    loadViews(c, viewer),
    loadBulkChoices(c),
  ]);
  const refused = errors || plugins.errors ? { ...errors, ...plugins.errors } : undefined;
  const state: ListState = { queue, filter: plugins.filter, errors: refused, result, counts: { new: counts.new, customer: counts.customer, support: counts.support, all: counts.active }, views, bulk };
  [state.form, state.plugins] = await Promise.all([
    queue === 'all' ? loadFormChoices(c, viewer, t, plugins.filter) : undefined,
    pluginColumns(c, plugins, result.rows.map((row) => row.id)),
  ]);
  return state;
}

async function loadFormChoices(c: Context<AppEnv>, viewer: Viewer, t: Translate, filter: TicketFilter): Promise<NonNullable<ListState['form']>> {
  const tenantScope = scope(c);
  const settings = ticketSettings(tenantOf(c));
  const [{ users, groups, fields, tags }, organisationName, views] = await Promise.all([
    ticketFilterChoices(tenantScope),
    // A tenant may have thousands of customers: the filter picks one as-you-type, the URL carries its id.
    filter.organisation ? organisationDisplay(c, filter.organisation) : Promise.resolve(c.req.query('organisation_text')),
    savedViewStore(tenantScope).visible(viewer),
  ]);
  const mine = new Set(viewer.groupIds);
  return {
    statuses: [{ value: 'active', label: t('list.active') }, ...(['new', 'open', 'waiting', 'solved', 'closed'] as const).map((s) => ({ value: s, label: t(`status.${s}`) }))],
    priorities: priorityOptions(settings, t).map((p) => ({ value: String(p.value), label: p.label })),
    assignees: [{ value: 'me', label: t('list.assigneeMe') }, { value: 'none', label: t('list.assigneeNone') }, ...users.map((u) => ({ value: String(u.id), label: u.name }))],
    groups: groups.map((g) => ({ value: String(g.id), label: g.name })),
    tags: tags.map((tag) => ({ value: String(tag.id), label: tag.name })),
    myGroups: groups.filter((g) => mine.has(g.id)).map((g) => ({ value: String(g.id), label: g.name })),
    organisationName,
    fields,
    views,
    canSeeDeleted: c.var.can('tickets.delete'),
  };
}
