import type { GroupLevel } from '../db/schema.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';
import { hotlineNow, type StatusCounts } from '../statistics/hotline-queries.js';
import { countAssignedActive, countQueues, type CountedQueue } from './ticket-counts.js';

// The agent dashboard's reads (core/routes/dashboard.tsx renders them).

export interface DashboardFigures {
  /** The viewer's queues, counted as their tabs count them (ticket-counts.ts). */
  queues: Record<CountedQueue | 'active', number>;
  /** The whole hotline right now per status, as the Statistics page shows it (the aggregate). */
  hotline: StatusCounts;
  /** The user's own active tickets (new, open, waiting), from the counters. */
  mine: number;
  /** The user's support groups by name. */
  groups: Array<{ name: string; level: GroupLevel }>;
}

/** The viewer's queue counts, the whole hotline's, the user's own open load and their groups. */
export async function dashboardFigures(tenantScope: TenantScope, userId: number): Promise<DashboardFigures> {
  const groups = await tenantScope.selectFrom('group_members').innerJoin('support_groups', 'support_groups.id', 'group_members.group_id')
    .select(['support_groups.id', 'support_groups.name', 'support_groups.level']).where('group_members.user_id', '=', userId).orderBy('support_groups.name').execute();
  const [queues, hotline, mine] = await Promise.all([
    countQueues(tenantScope, { userId, groupIds: groups.map((g) => g.id) }),
    hotlineNow(tenantScope),
    countAssignedActive(tenantScope, userId),
  ]);
  return { queues, hotline, mine, groups: groups.map((g) => ({ name: g.name, level: g.level })) };
}
