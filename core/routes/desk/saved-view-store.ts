import type { TenantScope } from '../../tenancy/tenant-scope.js';
import { customFieldFilters, ticketFilterSchema, type TicketFilter, type Viewer } from '../../tickets/ticket-queries.js';
import { pluginFilterValues } from '../../tickets/ticket-list-extensions.js';

export interface SavedView {
  id: number;
  name: string;
  query: string;
  user_id: number;
  group_id: number | null;
  owner_name: string | null;
  group_name: string | null;
}

/** The order in which filter keys appear in a list URL and a saved view's query. */
const FILTER_KEYS = ['q', 'status', 'priority', 'assignee', 'group', 'organisation', 'tag', 'from', 'to', 'deleted', 'sort', 'dir'] as const;

/** A filter as a query string: known keys in a fixed order, then custom fields; the page is left out. */
export function filterQuery(filter: TicketFilter): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = filter[key];
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  for (const [key, value] of customFieldFilters(filter)) params.set(`cf.${key}`, value);
  for (const [key, value] of pluginFilterValues(filter)) params.set(`p.${key}`, value);
  return params;
}

/** A stored or posted query string as a clean filter, or undefined when it does not parse. */
export function parseFilterQuery(query: string): TicketFilter | undefined {
  const raw = Object.fromEntries(new URLSearchParams(query));
  const parsed = ticketFilterSchema.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}

/** Saved views of ticket management: the viewer's own, and those shared with one of the viewer's groups. */
export function savedViewStore(scope: TenantScope) {
  return {
    async visible(viewer: Viewer): Promise<SavedView[]> {
      return scope.selectFrom('saved_views')
        .leftJoin('users as owner', 'owner.id', 'saved_views.user_id')
        .leftJoin('support_groups as grp', 'grp.id', 'saved_views.group_id')
        .select(['saved_views.id', 'saved_views.name', 'saved_views.query', 'saved_views.user_id', 'saved_views.group_id', 'owner.name as owner_name', 'grp.name as group_name'])
        .where((eb) => eb.or([
          eb('saved_views.user_id', '=', viewer.userId),
          ...(viewer.groupIds.length ? [eb('saved_views.group_id', 'in', viewer.groupIds)] : []),
        ]))
        .orderBy('saved_views.name').orderBy('saved_views.id')
        .execute() as Promise<SavedView[]>;
    },

    async create(viewer: Viewer, view: { name: string; groupId: number | null; query: string }, now: string): Promise<number> {
      const row = await scope.insertInto('saved_views', { user_id: viewer.userId, group_id: view.groupId, name: view.name, query: view.query, created_at: now })
        .returning('id').executeTakeFirstOrThrow();
      return row.id;
    },

    /** Deletes one of the viewer's own views; another user's view (shared or not) is not theirs to delete. */
    async removeOwn(viewer: Viewer, id: number): Promise<string | undefined> {
      const view = await scope.selectFrom('saved_views').select(['id', 'name']).where('id', '=', id).where('user_id', '=', viewer.userId).executeTakeFirst();
      if (!view) return undefined;
      await scope.deleteFrom('saved_views').where('id', '=', view.id).where('user_id', '=', viewer.userId).execute();
      return view.name;
    },
  };
}
