import type { Kysely } from 'kysely';
import { isoToZoned, pluginScope, priorityName, zonedDayEnd, zonedDayStart, type DB, type Translate, type ticketSettings } from '../../core/plugin-api.js';

type TicketSettings = ReturnType<typeof ticketSettings>;
import { parseTargets } from './level-store.js';
import type { SlaDB } from './sla-db.js';
import type { ClockKind } from './ticket-clocks.js';

/** What a report is grouped by: the tickets' level, group, assignee, priority, organisation, or the month they were opened. */
export const REPORT_GROUPS = ['level', 'group', 'agent', 'priority', 'organisation', 'month'] as const;
export type ReportGroup = (typeof REPORT_GROUPS)[number];

/** The period and grouping, as the page's URL and the API's query carry them (dates in the tenant's zone, both included). */
export interface ReportQuery { from: string; to: string; groupBy: ReportGroup }

/** One line of the report. Counts are over the tickets' clocks (first response, update, solution). */
export interface ReportRow {
  key: string;
  label: string;
  /** Tickets opened in the period that run under a service level. */
  tickets: number;
  /** Clocks achieved within their target. */
  met: number;
  /** Clocks achieved late, and clocks still open but past their due time. */
  breached: number;
  /** met / (met + breached) in percent, one decimal; null while nothing was decided. */
  compliance: number | null;
  /** Business minutes the solution clocks stood still (waiting on the customer). */
  pausedMinutes: number;
  /** Median business minutes to the first response / to the solution, of the clocks that were achieved; null for none. */
  firstResponseMedian: number | null;
  solutionMedian: number | null;
}

export interface Report { query: ReportQuery; rows: ReportRow[]; total: ReportRow }

/** The middle value (the mean of the two middle ones for an even count), rounded to whole minutes. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return Math.round(sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2);
}

interface Acc { label: string; tickets: Set<number>; met: number; breached: number; paused: number; first: number[]; solution: number[] }
const acc = (label: string): Acc => ({ label, tickets: new Set(), met: 0, breached: 0, paused: 0, first: [], solution: [] });
const rowOf = (key: string, a: Acc): ReportRow => ({
  key, label: a.label, tickets: a.tickets.size, met: a.met, breached: a.breached,
  compliance: a.met + a.breached ? Math.round((1000 * a.met) / (a.met + a.breached)) / 10 : null,
  pausedMinutes: Math.round(a.paused), firstResponseMedian: median(a.first), solutionMedian: median(a.solution),
});

/**
 * SLA compliance of the tickets opened from `from` to `to` (calendar days in the tenant's zone), grouped.
 * A clock counts as met or breached once decided; an open clock past its due time at `now` counts as breached.
 * The business minutes to achieve a clock are its level's target for the ticket's priority plus its minutes over.
 */
export async function slaReport(db: Kysely<DB>, tenantId: number, zone: string, ticketSettings: TicketSettings, t: Translate, query: ReportQuery, now: Date): Promise<Report> {
  const scope = pluginScope<SlaDB>(db, tenantId);
  const start = zonedDayStart(query.from, zone)!;
  const end = zonedDayEnd(query.to, zone)!;
  const rows = await scope.selectFrom('sla_clocks')
    .innerJoin('tickets', 'tickets.id', 'sla_clocks.ticket_id')
    .innerJoin('sla_levels', 'sla_levels.id', 'sla_clocks.level_id')
    .leftJoin('support_groups', 'support_groups.id', 'tickets.group_id')
    .leftJoin('users', 'users.id', 'tickets.assignee_id')
    .leftJoin('organisations', 'organisations.id', 'tickets.organisation_id')
    .select([
      'sla_clocks.ticket_id', 'sla_clocks.clock', 'sla_clocks.state', 'sla_clocks.due_at', 'sla_clocks.paused_minutes', 'sla_clocks.over_minutes',
      'tickets.priority', 'tickets.created_at', 'sla_levels.id as level_id', 'sla_levels.name as level_name', 'sla_levels.targets',
      'tickets.group_id', 'support_groups.name as group_name', 'tickets.assignee_id', 'users.name as agent_name',
      'tickets.organisation_id', 'organisations.name as organisation_name',
    ])
    .where('tickets.created_at', '>=', start).where('tickets.created_at', '<', end).where('tickets.deleted_at', 'is', null)
    .execute();
  const at = now.toISOString();
  const groups = new Map<string, Acc>();
  const total = acc(t('sla.report.total'));
  for (const row of rows) {
    const [key, label] = groupOf(query.groupBy, row, zone, ticketSettings, t);
    const group = groups.get(key) ?? groups.set(key, acc(label)).get(key)!;
    const target = parseTargets(row.targets)[row.clock as ClockKind][row.priority - 1] ?? null;
    const spent = row.over_minutes !== null && target !== null ? target + Number(row.over_minutes) : null;
    for (const a of [group, total]) {
      a.tickets.add(row.ticket_id);
      if (row.state === 'met') a.met++;
      else if (row.state === 'breached' || ((row.state === 'running' || row.state === 'paused') && row.due_at !== null && row.due_at < at)) a.breached++;
      if (row.clock === 'solution') a.paused += Number(row.paused_minutes);
      if (spent !== null && row.clock === 'first_response') a.first.push(spent);
      if (spent !== null && row.clock === 'solution') a.solution.push(spent);
    }
  }
  const result = [...groups.entries()].map(([key, a]) => rowOf(key, a));
  result.sort((a, b) => (query.groupBy === 'month' || query.groupBy === 'priority' ? a.key.localeCompare(b.key, 'en', { numeric: true }) : a.label.localeCompare(b.label)));
  return { query, rows: result, total: rowOf('total', total) };
}

interface GroupRow {
  priority: number; created_at: string; level_id: number; level_name: string; group_id: number | null; group_name: string | null;
  assignee_id: number | null; agent_name: string | null; organisation_id: number | null; organisation_name: string | null;
}

function groupOf(by: ReportGroup, row: GroupRow, zone: string, settings: TicketSettings, t: Translate): [string, string] {
  switch (by) {
    case 'level': return [String(row.level_id), row.level_name];
    case 'group': return row.group_id === null ? ['none', t('sla.report.noGroup')] : [String(row.group_id), row.group_name ?? ''];
    case 'agent': return row.assignee_id === null ? ['none', t('sla.report.noAgent')] : [String(row.assignee_id), row.agent_name ?? ''];
    case 'priority': return [String(row.priority), priorityName(settings, row.priority, t)];
    case 'organisation': return row.organisation_id === null ? ['none', t('sla.report.noOrganisation')] : [String(row.organisation_id), row.organisation_name ?? ''];
    case 'month': {
      const month = isoToZoned(row.created_at, zone).slice(0, 7);
      return [month, month];
    }
  }
}
