import { sql, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { DB, TicketStatus } from '../db/schema.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';

// The one definition of each ticket count the desk shows. The queue tabs, the dashboard's "your
// queues" tiles (both: countQueues, read from the per-tenant counters of ticket-counters.ts and
// tested equal to countQueuesInTickets) and the hotline figures (the dashboard's "whole hotline" tiles,
// the Statistics page and GET /api/v1/statistics/hotline: the aggregate, checked against
// countTicketsByStatus) read them from here. Before, the dashboard's "Customer waits" tile counted
// the whole tenant's open tickets while the tab of the same name counted only the viewer's and
// their groups' (7 against 4).

/** Every status, in the lifecycle's order. */
export const COUNTED_STATUSES: readonly TicketStatus[] = ['new', 'open', 'waiting', 'solved', 'closed'];
/** Tickets somebody still has to work on: the "all" tab's count, ticket management's default view. */
export const ACTIVE_STATUSES = ['new', 'open', 'waiting'] as const satisfies readonly TicketStatus[];

/** The queues with a count of their own, and the status each one lists. */
export const QUEUE_STATUS = { new: 'new', customer: 'open', support: 'waiting' } as const satisfies Record<string, TicketStatus>;
export type CountedQueue = keyof typeof QUEUE_STATUS;

/**
 * Whose tickets a queue reads: the new queue is the whole tenant's (anybody takes the next one);
 * "customer waits" and "support waits" are the viewer's: assigned to them or in one of their groups.
 */
export const QUEUE_REACH: Readonly<Record<CountedQueue, 'tenant' | 'viewer'>> = { new: 'tenant', customer: 'viewer', support: 'viewer' };

/** Who is looking: for the viewer's queues. */
export interface CountViewer { userId: number; groupIds: readonly number[] }

/** The viewer's reach: assigned to them, or in one of their groups. */
export function inViewerReach(eb: ExpressionBuilder<DB, 'tickets'>, viewer: CountViewer) {
  return eb.or([
    eb('tickets.assignee_id', '=', viewer.userId),
    ...(viewer.groupIds.length ? [eb('tickets.group_id', 'in', [...viewer.groupIds])] : []),
  ]);
}

/** A queue's condition (besides `deleted_at is null`): its status, within the viewer's reach where the queue has one. */
export function inQueueCondition(eb: ExpressionBuilder<DB, 'tickets'>, queue: CountedQueue, viewer: CountViewer) {
  const status = eb('tickets.status', '=', QUEUE_STATUS[queue]);
  return QUEUE_REACH[queue] === 'viewer' ? eb.and([status, inViewerReach(eb, viewer)]) : status;
}

/** The same conditions over the counters (ticket-counters.ts: a row per status, assignee and group; 0 is none). */
function counted(eb: ExpressionBuilder<DB, 'ticket_live_counts'>, queue: CountedQueue, viewer: CountViewer) {
  const status = eb('ticket_live_counts.status', '=', QUEUE_STATUS[queue]);
  if (QUEUE_REACH[queue] === 'tenant') return status;
  return eb.and([status, eb.or([
    eb('ticket_live_counts.assignee_id', '=', viewer.userId),
    ...(viewer.groupIds.length ? [eb('ticket_live_counts.group_id', 'in', [...viewer.groupIds])] : []),
  ])]);
}

/**
 * The three queues' counts as the viewer sees them and every active ticket of the tenant, read
 * from the tenant's counters (a few rows per status, assignee and group, however many tickets).
 */
export async function countQueues(scope: TenantScope, viewer: CountViewer): Promise<Record<CountedQueue | 'active', number>> {
  const sum = (eb: ExpressionBuilder<DB, 'ticket_live_counts'>) => eb.fn.sum<number | string | null>('ticket_live_counts.tickets');
  const row = await scope.selectFrom('ticket_live_counts')
    .select((eb) => [
      sum(eb).filterWhere((f) => counted(f, 'new', viewer)).as('new'),
      sum(eb).filterWhere((f) => counted(f, 'customer', viewer)).as('customer'),
      sum(eb).filterWhere((f) => counted(f, 'support', viewer)).as('support'),
      sum(eb).as('active'),
    ])
    .where('status', 'in', [...ACTIVE_STATUSES])
    .executeTakeFirstOrThrow();
  return { new: Number(row.new ?? 0), customer: Number(row.customer ?? 0), support: Number(row.support ?? 0), active: Number(row.active ?? 0) };
}

/** One queue's count as the viewer sees it, from the counters. */
export async function countQueue(scope: TenantScope, queue: CountedQueue, viewer: CountViewer): Promise<number> {
  const row = await scope.selectFrom('ticket_live_counts').select((eb) => eb.fn.sum<number | string | null>('ticket_live_counts.tickets').as('n'))
    .where((eb) => counted(eb, queue, viewer)).executeTakeFirstOrThrow();
  return Number(row.n ?? 0);
}

/** What ticket management's list can be narrowed by and still be counted from the counters. */
export interface CountedFilter { status?: TicketStatus | 'active' | undefined; assignee?: number | 'none' | undefined; group?: number | undefined }

/** The live tickets a list filtered only by status, assignee and group holds, from the counters. */
export async function countFiltered(scope: TenantScope, filter: CountedFilter): Promise<number> {
  let query = scope.selectFrom('ticket_live_counts').select((eb) => eb.fn.sum<number | string | null>('ticket_live_counts.tickets').as('n'));
  if (filter.status === 'active') query = query.where('status', 'in', [...ACTIVE_STATUSES]);
  else if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.assignee !== undefined) query = query.where('assignee_id', '=', filter.assignee === 'none' ? 0 : filter.assignee);
  if (filter.group !== undefined) query = query.where('group_id', '=', filter.group);
  return Number((await query.executeTakeFirstOrThrow()).n ?? 0);
}

/** A user's own active tickets (new, open, waiting): the dashboard's "mine", from the counters. */
export function countAssignedActive(scope: TenantScope, userId: number): Promise<number> {
  return countFiltered(scope, { status: 'active', assignee: userId });
}

/**
 * countQueues counted in the tickets table, in one pass over the live status index: what the
 * counters must equal (tests and the recount compare them).
 */
export async function countQueuesInTickets(scope: TenantScope, viewer: CountViewer): Promise<Record<CountedQueue | 'active', number>> {
  const row = await scope.selectFrom('tickets')
    .select((eb) => [
      eb.fn.countAll<number>().filterWhere((f) => inQueueCondition(f, 'new', viewer)).as('new'),
      eb.fn.countAll<number>().filterWhere((f) => inQueueCondition(f, 'customer', viewer)).as('customer'),
      eb.fn.countAll<number>().filterWhere((f) => inQueueCondition(f, 'support', viewer)).as('support'),
      eb.fn.countAll<number>().as('active'),
    ])
    // Literal, as the partial index tickets_active_updated (migration 0004) spells it.
    .where('deleted_at', 'is', null).where(sql<SqlBool>`status in ('new', 'open', 'waiting')`)
    .executeTakeFirstOrThrow();
  return { new: Number(row.new), customer: Number(row.customer), support: Number(row.support), active: Number(row.active) };
}

/**
 * The tenant's tickets (not deleted) per status, counted in the tickets table: the definition the
 * hotline aggregate's "right now" (hotline_now) must equal, and what tests recount it with.
 */
export async function countTicketsByStatus(scope: TenantScope, statuses: readonly TicketStatus[] = COUNTED_STATUSES): Promise<Map<TicketStatus, number>> {
  const rows = await scope.selectFrom('tickets').select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('status', 'in', [...statuses]).where('deleted_at', 'is', null).groupBy('status').execute();
  return new Map(statuses.map((status) => [status, Number(rows.find((row) => row.status === status)?.n ?? 0)]));
}
