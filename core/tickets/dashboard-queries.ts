import type { GroupLevel, TicketStatus } from '../db/schema.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';

// The agent dashboard's reads (core/routes/dashboard.tsx renders them).

/** The statuses the dashboard counts. Closed tickets are the archive: counting them would read most of the table on every visit. */
export const DASHBOARD_STATUSES: readonly TicketStatus[] = ['new', 'open', 'waiting', 'solved'];

export interface DashboardFigures {
  /** Tenant-wide tickets per status of DASHBOARD_STATUSES (a status without tickets is missing). */
  byStatus: Map<TicketStatus, number>;
  /** The user's own active tickets (new, open, waiting). */
  mine: number;
  /** The user's support groups by name. */
  groups: Array<{ name: string; level: GroupLevel }>;
}

/** Ticket counts by status, the user's own open load and their groups. */
export async function dashboardFigures(tenantScope: TenantScope, userId: number): Promise<DashboardFigures> {
  const [byStatus, mine, groups] = await Promise.all([
    tenantScope.selectFrom('tickets').select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('status', 'in', DASHBOARD_STATUSES).where('deleted_at', 'is', null).groupBy('status').execute(),
    tenantScope.selectFrom('tickets').select((eb) => eb.fn.countAll<number>().as('n'))
      .where('assignee_id', '=', userId).where('status', 'in', ['new', 'open', 'waiting']).where('deleted_at', 'is', null).executeTakeFirstOrThrow(),
    tenantScope.selectFrom('group_members').innerJoin('support_groups', 'support_groups.id', 'group_members.group_id')
      .select(['support_groups.name', 'support_groups.level']).where('group_members.user_id', '=', userId).orderBy('support_groups.name').execute(),
  ]);
  return { byStatus: new Map(byStatus.map((row) => [row.status, Number(row.n)])), mine: Number(mine.n), groups };
}
