import type { Generated } from 'kysely';
import type { DB } from '../../core/plugin-api.js';

/** A business-hours calendar: zone, weekly hours (JSON of WeeklyHours); `is_default` marks the tenant's 24/7 one. */
export interface SlaCalendarsTable {
  id: Generated<number>;
  tenant_id: number;
  name: string;
  time_zone: string;
  /** JSON: `{ "1": [[480, 720], [780, 1020]], … }` minutes after local midnight per ISO weekday. */
  hours: string;
  is_default: number;
  created_at: string;
  updated_at: string;
}

/** A calendar's holiday: a single date, or a recurrence (RRULE) from a start date. */
export interface SlaHolidaysTable {
  id: Generated<number>;
  tenant_id: number;
  calendar_id: number;
  name: string;
  /** A single date (YYYY-MM-DD), or the first date of the recurrence. */
  date: string;
  /** RFC 5545 RRULE (at least daily), or null for a single date. */
  rrule: string | null;
}

/** A service level: calendar and target minutes per clock and priority (JSON of LevelTargets). */
export interface SlaLevelsTable {
  id: Generated<number>;
  tenant_id: number;
  name: string;
  calendar_id: number;
  /** JSON: `{ "first_response": [p1, p2, p3, p4], "update": […], "solution": […] }`, minutes or null. */
  targets: string;
  /** The first-line time box (business minutes after acceptance), or null: off. */
  first_line_minutes: number | null;
  /** The first-line group the box watches. */
  first_line_group_id: number | null;
  /** Where the plugin forwards a ticket whose box ran out; null: it shows overdue to the first-line lead. */
  first_line_forward_group_id: number | null;
  created_at: string;
  updated_at: string;
}

/** Which level a contract or an organisation (its default) has. */
export interface SlaAssignmentsTable {
  id: Generated<number>;
  tenant_id: number;
  kind: 'contract' | 'organisation';
  target_id: number;
  level_id: number;
}

/** The level a ticket runs under and why (computed with its clocks). */
export interface SlaTicketsTable {
  id: Generated<number>;
  tenant_id: number;
  ticket_id: number;
  level_id: number;
  /** component, contract, organisation or tenant. */
  source: string;
  /** What the source is called (a contract's number, an organisation's name, a component's label). */
  source_label: string;
  computed_at: string;
}

/** One clock of a ticket as last computed (one row per ticket and clock). */
export interface SlaClocksTable {
  id: Generated<number>;
  tenant_id: number;
  ticket_id: number;
  clock: 'first_response' | 'update' | 'solution';
  level_id: number;
  started_at: string;
  /** Null while paused before reaching the target. Indexed: overdue and "breaks within" filters. */
  due_at: string | null;
  achieved_at: string | null;
  paused_minutes: number;
  over_minutes: number | null;
  remaining_minutes: number;
  state: 'running' | 'paused' | 'met' | 'breached' | 'stopped';
  /** The next escalation point's instant, for the escalation sweep (a later slice); indexed. */
  next_escalation_at: string | null;
  computed_at: string;
}

/** Tickets whose clocks must be computed again (after a calendar, level or assignment changed); the job drains it. */
export interface SlaRecomputeTable {
  id: Generated<number>;
  tenant_id: number;
  ticket_id: number;
}

/** The tenant's current recompute run (one row per tenant): how many tickets it was given since the queue was last empty. */
export interface SlaRecomputeRunsTable {
  id: Generated<number>;
  tenant_id: number;
  total: number;
  started_at: string;
}

/** A ticket's edit lock (one row per ticket): who holds it since when, until when (renewed while their page is open). */
export interface SlaLocksTable {
  id: Generated<number>;
  tenant_id: number;
  ticket_id: number;
  user_id: number;
  /** The holder's name as the others see it ("locked by …"). */
  user_label: string;
  taken_at: string;
  renewed_at: string;
  /** After this instant the lock is gone (nothing stale survives a restart: every check compares it with now). */
  expires_at: string;
}

/** A ticket's first-line time box as last computed (one row per ticket whose level has a box and that was accepted in first line). */
export interface SlaFirstLineTable {
  id: Generated<number>;
  tenant_id: number;
  ticket_id: number;
  level_id: number;
  group_id: number;
  forward_group_id: number | null;
  accepted_at: string;
  /** Indexed: the overdue filter, the at-risk view and the forwarding job read it. */
  due_at: string;
  /** When the ticket left the first-line group (or was solved); null while it is still there. */
  ended_at: string | null;
  state: 'running' | 'met' | 'over';
  /** Set once by the job that forwards it (compare-and-set: a second process or a rerun forwards nothing). */
  forwarded_at: string | null;
  computed_at: string;
}

/** The plugin's tables, declared once: the tenant scope (pluginScope<SlaDB>) reaches them like the core's. */
export interface SlaDB extends DB {
  sla_calendars: SlaCalendarsTable;
  sla_holidays: SlaHolidaysTable;
  sla_levels: SlaLevelsTable;
  sla_assignments: SlaAssignmentsTable;
  sla_tickets: SlaTicketsTable;
  sla_clocks: SlaClocksTable;
  sla_recompute: SlaRecomputeTable;
  sla_locks: SlaLocksTable;
  sla_first_line: SlaFirstLineTable;
  sla_recompute_runs: SlaRecomputeRunsTable;
}
