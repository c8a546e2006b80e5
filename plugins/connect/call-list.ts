import { pluginScope, type TenantScope } from '../../core/plugin-api.js';
import type { ConnectDB } from './connect-db.js';

export const CALLS_PAGE = 50;

export interface CallFilter { from?: string | undefined; to?: string | undefined; direction?: 'in' | 'out' | undefined; missed?: boolean | undefined }

export interface CallRow {
  id: number; call_id: string; direction: string; number: string; from_number: string; to_number: string; extension: string; agent: string | null;
  match: string; person: string | null; organisation: string | null; state: string; missed: boolean; cause: string; started_at: string;
  answered_at: string | null; ended_at: string | null; duration_s: number | null; ticket_number: string | null; todo_open: boolean; recording: string;
}

/**
 * The tenant's calls, newest first, one page: started within [from, to) (ISO instants), one direction, missed or
 * not. Walks the (tenant, started_at) index.
 */
export async function listCalls(scope: TenantScope, filter: CallFilter, page = 1, pageSize = CALLS_PAGE): Promise<{ rows: CallRow[]; more: boolean }> {
  let query = pluginScope<ConnectDB>(scope.db, scope.tenantId).selectFrom('connect_calls as c')
    .leftJoin('users as u', 'u.id', 'c.user_id').leftJoin('people as p', 'p.id', 'c.person_id').leftJoin('organisations as o', 'o.id', 'c.organisation_id')
    .leftJoin('tickets as t', 't.id', 'c.ticket_id')
    .select(['c.id', 'c.call_id', 'c.direction', 'c.number', 'c.from_number', 'c.to_number', 'c.extension', 'u.name as agent', 'c.match', 'p.name as person',
      'o.name as organisation', 'c.state', 'c.missed', 'c.cause', 'c.started_at', 'c.answered_at', 'c.ended_at', 'c.duration_s', 't.number as ticket_number', 'c.todo_open', 'c.recording']);
  if (filter.from) query = query.where('c.started_at', '>=', filter.from);
  if (filter.to) query = query.where('c.started_at', '<', filter.to);
  if (filter.direction) query = query.where('c.direction', '=', filter.direction);
  if (filter.missed !== undefined) query = query.where('c.missed', '=', filter.missed ? 1 : 0);
  const rows = await query.orderBy('c.started_at', 'desc').orderBy('c.id', 'desc').limit(pageSize + 1).offset((page - 1) * pageSize).execute();
  return {
    rows: rows.slice(0, pageSize).map((row) => ({ ...row, missed: Number(row.missed) === 1, todo_open: Number(row.todo_open) === 1, duration_s: row.duration_s === null ? null : Number(row.duration_s) })),
    more: rows.length > pageSize,
  };
}

/** The groups whose missed-call to-dos a user sees: theirs, and none (a to-do without a group is everyone's). */
async function todoGroups(scope: TenantScope, userId: number): Promise<number[]> {
  return (await pluginScope<ConnectDB>(scope.db, scope.tenantId).selectFrom('group_members').select('group_id').where('user_id', '=', userId).execute()).map((row) => row.group_id);
}

/** Missed calls waiting to be called back, oldest first: the user's groups' and those without a group. */
export async function openTodos(scope: TenantScope, userId: number, limit = 20) {
  const groups = await todoGroups(scope, userId);
  return pluginScope<ConnectDB>(scope.db, scope.tenantId).selectFrom('connect_calls as c').leftJoin('people as p', 'p.id', 'c.person_id').leftJoin('organisations as o', 'o.id', 'c.organisation_id')
    .select(['c.id', 'c.number', 'c.from_number', 'c.started_at', 'c.person_id', 'c.organisation_id', 'p.name as person', 'o.name as organisation', 'c.group_id'])
    .where('c.todo_open', '=', 1)
    .where((eb) => (groups.length ? eb.or([eb('c.group_id', 'is', null), eb('c.group_id', 'in', groups)]) : eb('c.group_id', 'is', null)))
    .orderBy('c.started_at').orderBy('c.id').limit(limit).execute();
}

/** How many of those wait (for the dashboard tile; the open to-dos are few, read from the (tenant, todo_open) index). */
export async function countTodos(scope: TenantScope, userId: number): Promise<number> {
  const groups = await todoGroups(scope, userId);
  const row = await pluginScope<ConnectDB>(scope.db, scope.tenantId).selectFrom('connect_calls as c').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('c.todo_open', '=', 1)
    .where((eb) => (groups.length ? eb.or([eb('c.group_id', 'is', null), eb('c.group_id', 'in', groups)]) : eb('c.group_id', 'is', null)))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** "1:05", "12:00:03": a call's length. */
export function formatDuration(seconds: number | null): string {
  if (seconds === null) return '';
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = String(seconds % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}
