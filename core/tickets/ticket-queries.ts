import { sql, type Kysely, type SqlBool } from 'kysely';
import { z } from 'zod';
import type { Dialect } from '../db/create-database.js';
import type { DB, TicketStatus } from '../db/schema.js';
import { tenantScope } from '../tenancy/tenant-scope.js';
import { TICKET_STATUSES } from './ticket-lifecycle.js';
import { countFiltered, countQueue, countQueues, inQueueCondition } from './ticket-counts.js';
import { DEFAULT_TIME_ZONE, zonedDayEnd, zonedDayStart } from '../i18n/time-zone.js';
import type { TicketIdsQuery } from './ticket-list-extensions.js';
import { lookUpMatches, matchesSearch, searchSnippets, searchTerms, ticketNumberIn, type SearchSnippet } from './ticket-search.js';
import { broadSearchPlan } from './ticket-search-walk.js';

export const QUEUES = ['new', 'customer', 'support', 'all'] as const;
export type QueueId = (typeof QUEUES)[number];

export const SORTABLE = ['number', 'subject', 'status', 'priority', 'created_at', 'updated_at'] as const;
export type SortColumn = (typeof SORTABLE)[number];

const blankToUndefined = (value: unknown) => (value === '' || value === null ? undefined : value);
const optionalInt = z.preprocess(blankToUndefined, z.coerce.number().int().positive().optional());
const optionalDate = z.preprocess(blankToUndefined, z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional());

/** Ticket management's filter as it travels in the query string (and in saved views). */
export const ticketFilterSchema = z.object({
  q: z.preprocess(blankToUndefined, z.string().trim().max(200).optional()),
  status: z.preprocess(blankToUndefined, z.enum(['new', 'open', 'waiting', 'solved', 'closed', 'active']).optional()),
  priority: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(4).optional()),
  // 'me' and 'none' besides a user id.
  assignee: z.preprocess(blankToUndefined, z.union([z.literal('me'), z.literal('none'), z.coerce.number().int().positive()]).optional()),
  group: optionalInt,
  organisation: optionalInt,
  /** A tag's id (issue 18 point 7): tickets carrying it, through the ticket_tags index. */
  tag: optionalInt,
  from: optionalDate,
  to: optionalDate,
  deleted: z.preprocess(blankToUndefined, z.literal('1').optional()),
  sort: z.preprocess(blankToUndefined, z.enum(SORTABLE).optional()),
  dir: z.preprocess(blankToUndefined, z.enum(['asc', 'desc']).optional()),
  page: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(100_000).optional()),
}).catchall(z.unknown());
export type TicketFilter = z.infer<typeof ticketFilterSchema>;

export interface TicketRow {
  id: number;
  number: string;
  subject: string;
  status: TicketStatus;
  priority: number;
  category: string | null;
  channel: string;
  created_at: string;
  updated_at: string;
  assignee_name: string | null;
  group_name: string | null;
  organisation_name: string | null;
  requester_name: string | null;
  snippet?: SearchSnippet | undefined;
}

export interface TicketPage {
  rows: TicketRow[];
  total: number;
  page: number;
  pageSize: number;
  /** A text search or a plugin filter stopped counting at SEARCH_COUNT_CAP: `total` is the cap and more tickets match ("more than 1,000"). */
  totalCapped: boolean;
}

/**
 * Text searches and lists narrowed by a plugin's filter count their matches up to this many. Counting
 * every one of 10,000 matches reads 10,000 tickets (~50 ms at 100,000 tickets), and a plugin's filter
 * probes its own table per ticket besides (the SLA's "overdue": 0.4-1.1 s for 100,000); nobody pages that far.
 */
export const SEARCH_COUNT_CAP = 1000;
/**
 * A search's full-text lookup reads up to this many ids: fewer, and they are every match, read by
 * id. Twice the cap, so that a few deleted tickets among them (1 in 500 at 1,000,000 tickets) still
 * leave more than the cap live: the count is then known to be capped without counting.
 */
const LOOKUP_LIMIT = 2 * SEARCH_COUNT_CAP;

export interface Viewer { userId: number; groupIds: number[] }

/** Custom field filters arrive as `cf.<key>=value`. */
export function customFieldFilters(filter: TicketFilter): Array<[string, string]> {
  return Object.entries(filter).flatMap(([key, value]) => (key.startsWith('cf.') && typeof value === 'string' && value !== '' && value.length <= 200 && /^[a-z][a-z0-9_]{0,39}$/.test(key.slice(3)) ? [[key.slice(3), value] as [string, string]] : []));
}

/**
 * The read side of the agent workspace: the three queues, ticket management with filters,
 * sorting and paging, and full-text search. Every query starts from the tenant scope and
 * is shaped to be answered from an index.
 */
export function createTicketQueries(db: Kysely<DB>, dialect: Dialect, tenantId: number, timeZone: string = DEFAULT_TIME_ZONE, options: { broadPlan?: 'walk' | 'set' } = {}) {
  const scoped = tenantScope(db, tenantId);

  /** A list's tickets alone; withNames adds the names to the page picked from them. */
  function base() {
    return scoped.selectFrom('tickets').select([
      'tickets.id', 'tickets.number', 'tickets.subject', 'tickets.status', 'tickets.priority', 'tickets.category', 'tickets.channel',
      'tickets.created_at', 'tickets.updated_at', 'tickets.assignee_id', 'tickets.group_id', 'tickets.organisation_id', 'tickets.requester_id',
    ]);
  }

  type Builder = ReturnType<typeof base>;

  /**
   * Joins the names of assignee, group, customer and requester to one page of tickets (the
   * page's query with its order, limit and offset). With the four joins around the tickets
   * themselves, PostgreSQL weighed every join order against every index of tickets: 1-9 ms of
   * planning per list at 100,000 tickets, more than running it; this way it plans the page
   * alone and joins 25 rows (SQLite likewise reads the page first).
   */
  async function withNames(page: Builder, order: ReadonlyArray<readonly [SortColumn | 'id', 'asc' | 'desc']>): Promise<TicketRow[]> {
    let query = db.selectFrom(page.as('page'))
      .leftJoin('users as assignee', 'assignee.id', 'page.assignee_id')
      .leftJoin('support_groups as grp', 'grp.id', 'page.group_id')
      .leftJoin('organisations as org', 'org.id', 'page.organisation_id')
      .leftJoin('people as requester', 'requester.id', 'page.requester_id')
      .select([
        'page.id', 'page.number', 'page.subject', 'page.status', 'page.priority', 'page.category', 'page.channel',
        'page.created_at', 'page.updated_at', 'assignee.name as assignee_name', 'grp.name as group_name',
        'org.name as organisation_name', 'requester.name as requester_name',
      ]);
    // The joins keep no order of their own.
    for (const [column, direction] of order) query = query.orderBy(`page.${column}`, direction);
    return await query.execute() as TicketRow[];
  }

  /** Restricts a query to one queue as the viewer sees it (ticket-counts.ts defines each queue). */
  function inQueue<Q extends { where: Builder['where'] }>(query: Q, queue: Exclude<QueueId, 'all'>, viewer: Viewer): Q {
    return (query as unknown as Builder).where('tickets.deleted_at', 'is', null).where((eb) => inQueueCondition(eb, queue, viewer)) as unknown as Q;
  }

  return {
    async viewer(userId: number): Promise<Viewer> {
      const groups = await scoped.selectFrom('group_members').select('group_id').where('user_id', '=', userId).execute();
      return { userId, groupIds: groups.map((g) => g.group_id) };
    },

    /** The three queues as the viewer sees them and every active ticket (ticket-counts.ts: the tabs' and the dashboard's counts). */
    async queueCounts(viewer: Viewer): Promise<Record<Exclude<QueueId, 'all'> | 'active', number>> {
      return countQueues(scoped, viewer);
    },

    /** One page of a queue, oldest change first for the new queue (first come, first served), newest first otherwise. */
    async queue(queue: Exclude<QueueId, 'all'>, viewer: Viewer, page: number, pageSize = 25): Promise<TicketPage> {
      const direction = queue === 'new' ? 'asc' : 'desc';
      const [rows, total] = await Promise.all([
        withNames(inQueue(base(), queue, viewer).orderBy('tickets.updated_at', direction).orderBy('tickets.id', direction)
          .limit(pageSize).offset((page - 1) * pageSize), [['updated_at', direction], ['id', direction]]),
        countQueue(scoped, queue, viewer),
      ]);
      return { rows, total, page, pageSize, totalCapped: false };
    },

    /**
     * Ticket management: every filter, column sort, paging; with a text query, highlighted snippets.
     * `narrow`: plugins' filters, each a query of ticket ids the list keeps (`tickets.id in (…)`).
     */
    async search(filter: TicketFilter, viewer: Viewer, pageSize = 25, narrow: readonly TicketIdsQuery[] = []): Promise<TicketPage> {
      const page = filter.page ?? 1;
      const number = filter.q ? ticketNumberIn(filter.q) : undefined;
      const terms = filter.q && !number ? searchTerms(filter.q) : [];
      // What the full-text index alone finds decides the plan: when the lookup returned every
      // match, the page and the count read those tickets by id; with more, the index of the sort
      // walks and probes the matches (planners guess wrong here).
      const lookup = terms.length ? await lookUpMatches(db, dialect, tenantId, terms, LOOKUP_LIMIT) : undefined;
      if (lookup?.complete && lookup.ids.length === 0) return { rows: [], total: 0, page, pageSize, totalCapped: false };
      const byIds = lookup?.complete === true;
      // Searching text alone, more live tickets among the lookup's ids than the cap means
      // "capped" without counting through the tickets: the deleted among them are subtracted
      // (counted through the partial index of deleted tickets).
      const textOnly = terms.length > 0 && !filter.deleted && !filter.status && !filter.priority && !filter.assignee && !filter.group
        && !filter.organisation && !filter.from && !filter.to && customFieldFilters(filter).length === 0 && narrow.length === 0;
      const cappedByIndex = textOnly && lookup !== undefined && !lookup.complete && lookup.ids.length - Number((await scoped.selectFrom('tickets')
        .select((eb) => eb.fn.countAll<number>().as('n')).where('tickets.deleted_at', 'is not', null).where('tickets.id', 'in', lookup.ids)
        .executeTakeFirstOrThrow()).n) > SEARCH_COUNT_CAP;
      const sort = filter.sort ?? 'updated_at';
      // On SQLite, a text search alone sorted by a column whose index covers every ticket walks
      // that index (the broad plan). ANALYZE sees the skewed deleted_at as ~500 tickets per value,
      // so with `deleted_at is null` usable SQLite skip-scanned (tenant, contract or requester,
      // deleted_at, updated_at) and sorted every live match (100,000 tickets: 65 instead of 14 ms
      // for 10,000 matches); the unary plus leaves it the sort's index.
      // By ids likewise: SQLite skip-scanned those indexes for the live tickets instead of reading
      // 522 tickets by id (1,000,000 tickets: 285 ms instead of ~1 ms).
      const sortIndexed = sort === 'updated_at' || sort === 'created_at' || sort === 'number';
      const plusDeleted = dialect === 'sqlite' && (byIds || (lookup !== undefined && textOnly && sortIndexed));
      // That walk probes each ticket's document when the page fills sooner than the set of every
      // match is read (ticket-search-walk.ts); the count, where one is needed, keeps the set.
      const walk = dialect === 'sqlite' && lookup !== undefined && !byIds && textOnly && sortIndexed
        ? (await broadSearchPlan(db, terms, page * pageSize, options.broadPlan)).condition : undefined;
      let query = base();
      let counter = scoped.selectFrom('tickets').select((eb) => eb.fn.countAll<number>().as('n'));
      const apply = <Q extends { where: Builder['where'] }>(q: Q, forPage = false): Q => {
        let w = q as unknown as Builder;
        w = plusDeleted ? w.where(filter.deleted ? sql<SqlBool>`+tickets.deleted_at is not null` : sql<SqlBool>`+tickets.deleted_at is null`)
          : filter.deleted ? w.where('tickets.deleted_at', 'is not', null) : w.where('tickets.deleted_at', 'is', null);
        if (number) w = w.where('tickets.number', '=', number);
        // By ids on SQLite as one JSON list: with a list of bound values the planner trusted the sampled statistics of
        // `pragma optimize` (767 tickets per tenant at 1,000,000) and scanned the tenant's index instead (a rare word
        // with the default status: 132 ms instead of ~1).
        if (lookup) w = byIds ? (dialect === 'sqlite' ? w.where(sql<SqlBool>`tickets.id in (select value from json_each(${JSON.stringify(lookup.ids)}))`) : w.where('tickets.id', 'in', lookup.ids))
          : w.where(forPage && walk ? walk : matchesSearch(dialect, tenantId, terms));
        // Literal, as the partial index tickets_active_updated (migration 0004) spells it.
        // Read by ids, the status is checked on those tickets: SQLite otherwise walked the partial index of every
        // active ticket (ticket management's default since issue 18: a rare word at 1,000,000 tickets 132 ms).
        if (filter.status === 'active') w = w.where(byIds && dialect === 'sqlite' ? sql<SqlBool>`+tickets.status in ('new', 'open', 'waiting')` : sql<SqlBool>`tickets.status in ('new', 'open', 'waiting')`);
        else if (filter.status) w = w.where(byIds && dialect === 'sqlite' ? sql<SqlBool>`+tickets.status = ${filter.status}` : sql<SqlBool>`tickets.status = ${filter.status}`);
        if (filter.priority) w = w.where('tickets.priority', '=', filter.priority);
        if (filter.assignee === 'me') w = w.where('tickets.assignee_id', '=', viewer.userId);
        else if (filter.assignee === 'none') w = w.where('tickets.assignee_id', 'is', null);
        else if (typeof filter.assignee === 'number') w = w.where('tickets.assignee_id', '=', filter.assignee);
        if (filter.group) w = w.where('tickets.group_id', '=', filter.group);
        if (filter.organisation) w = w.where('tickets.organisation_id', '=', filter.organisation);
        if (filter.tag) w = w.where('tickets.id', 'in', scoped.selectFrom('ticket_tags').select('ticket_tags.ticket_id').where('ticket_tags.tag_id', '=', filter.tag));
        // Days of the tenant's calendar: from its midnight to the midnight after `to`.
        const from = filter.from ? zonedDayStart(filter.from, timeZone) : undefined;
        const to = filter.to ? zonedDayEnd(filter.to, timeZone) : undefined;
        if (from) w = w.where('tickets.created_at', '>=', from);
        if (to) w = w.where('tickets.created_at', '<', to);
        for (const [key, value] of customFieldFilters(filter)) {
          const path = `$.${key}`;
          w = dialect === 'sqlite'
            ? w.where(sql<string>`cast(json_extract(tickets.custom_fields, ${path}) as text)`, '=', value === 'true' ? '1' : value === 'false' ? '0' : value)
            : w.where(sql<string>`(tickets.custom_fields::jsonb ->> ${key})`, '=', value);
        }
        for (const ids of narrow) w = w.where('tickets.id', 'in', ids);
        return w as unknown as Q;
      };
      query = apply(query, true);
      // Capped: a text search, or plugins' filters (their match per ticket is a probe of their own table).
      const capped = terms.length > 0 || narrow.length > 0;
      counter = capped
        ? db.selectFrom(apply(scoped.selectFrom('tickets').select('tickets.id') as unknown as Builder).limit(SEARCH_COUNT_CAP + 1).as('matching'))
          .select((eb) => eb.fn.countAll<number>().as('n')) as unknown as typeof counter
        : apply(counter as unknown as Builder) as unknown as typeof counter;
      const direction = filter.dir ?? (sort === 'subject' || sort === 'number' ? 'asc' : 'desc');
      // Within one status or priority the latest change comes first (the order their indexes keep).
      const order: Array<readonly [SortColumn | 'id', 'asc' | 'desc']> = sort === 'status' || sort === 'priority'
        ? [[sort, direction], ['updated_at', direction], ['id', direction]]
        : [[sort, direction], ['id', direction]];
      for (const [column, dir] of order) query = query.orderBy(`tickets.${column}`, dir);
      // Narrowed by nothing but status, assignee and group, the list's total is the counters' (ticket-counts.ts).
      const byCounters = !number && terms.length === 0 && !filter.deleted && !filter.priority && !filter.organisation && !filter.tag && !filter.from && !filter.to
        && customFieldFilters(filter).length === 0 && narrow.length === 0;
      const [result, total] = await Promise.all([
        withNames(query.limit(pageSize).offset((page - 1) * pageSize), order),
        cappedByIndex ? { n: SEARCH_COUNT_CAP + 1 }
          : byCounters ? countFiltered(scoped, { status: filter.status, assignee: filter.assignee === 'me' ? viewer.userId : filter.assignee, group: filter.group }).then((n) => ({ n }))
          : counter.executeTakeFirstOrThrow(),
      ]);
      if (terms.length) {
        const snippets = await searchSnippets(db, dialect, tenantId, terms, result.map((r) => r.id));
        for (const row of result) row.snippet = snippets.get(row.id);
      }
      const counted = Number(total.n);
      const totalCapped = capped && counted > SEARCH_COUNT_CAP;
      return { rows: result, total: totalCapped ? SEARCH_COUNT_CAP : counted, page, pageSize, totalCapped };
    },
  };
}
export type TicketQueries = ReturnType<typeof createTicketQueries>;

export { TICKET_STATUSES };
