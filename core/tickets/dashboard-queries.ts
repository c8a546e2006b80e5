import type { GroupLevel, TicketStatus } from '../db/schema.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';
import { countTicketsByStatus } from './status-counts.js';

// The agent dashboard's reads (core/routes/dashboard.tsx renders them).


export interface DashboardFigures {
  /** Tenant-wide tickets per status of COUNTED_STATUSES (closed ones are the archive). */
  byStatus: Map<TicketStatus, number>;
  /** The user's own active tickets (new, open, waiting). */
  mine: number;
  /** The user's support groups by name. */
  groups: Array<{ name: string; level: GroupLevel }>;
}

/** Ticket counts by status, the user's own open load and their groups. */
export async function dashboardFigures(tenantScope: TenantScope, userId: number): Promise<DashboardFigures> {
  const [byStatus, mine, groups] = await Promise.all([
    countTicketsByStatus(tenantScope),
    tenantScope.selectFrom('tickets').select((eb) => eb.fn.countAll<number>().as('n'))
      .where('assignee_id', '=', userId).where('status', 'in', ['new', 'open', 'waiting']).where('deleted_at', 'is', null).executeTakeFirstOrThrow(),
    tenantScope.selectFrom('group_members').innerJoin('support_groups', 'support_groups.id', 'group_members.group_id')
      .select(['support_groups.name', 'support_groups.level']).where('group_members.user_id', '=', userId).orderBy('support_groups.name').execute(),
  ]);
  return { byStatus, mine: Number(mine.n), groups };
}
