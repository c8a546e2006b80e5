import type { Generated } from 'kysely';
import type { SlaDB } from './sla-db.js';

/**
 * One escalation point of a service level: when (relative to one clock's due time) and what happens.
 * `offset_kind` percent: at `offset_value` % of the target (1-100, 100 = at due); minutes: `offset_value`
 * business minutes after due (0 = at due; real minutes for a point that fires also outside business hours);
 * days: `offset_value` business days after due (the same place in the business day).
 */
export interface SlaEscalationPointsTable {
  id: Generated<number>;
  tenant_id: number;
  level_id: number;
  clock: 'first_response' | 'update' | 'solution';
  offset_kind: 'percent' | 'minutes' | 'days';
  offset_value: number;
  /** In-app notification (bell list) to the recipients. */
  notify: number;
  /** E-mail to the recipients. */
  email: number;
  /** Comma list of assignee, group, supervisors, oncall. */
  recipients: string;
  raise_priority: number;
  forward_group_id: number | null;
  /** 1: fires outside the calendar's business hours too, and then tells the on-call person of `rota_id`. */
  outside_hours: number;
  rota_id: number | null;
  created_at: string;
}

/**
 * Each point fired for a ticket's clock: the unique key (tenant, ticket, clock, point, cycle) makes it fire once,
 * whichever process inserts first. `cycle_start` is the clock's start (an update clock starts anew with each reply).
 * `done_at` null: claimed, its follow-up actions (mail, priority, forwarding) not confirmed yet.
 */
export interface SlaEscalationFiringsTable {
  id: Generated<number>;
  tenant_id: number;
  ticket_id: number;
  clock: string;
  point_id: number;
  cycle_start: string;
  /** The instant the point was due. */
  due_at: string;
  fired_at: string;
  /** When the follow-up actions were last taken on (a crashed run's claim is taken over after a lease). */
  claimed_at: string;
  done_at: string | null;
  /** What happened, short (e.g. "notified 2, mailed 1, priority 3"), or the error. */
  outcome: string | null;
  /** 1 when fired outside business hours (routed to the on-call person). */
  outside: number;
  /** The priority the point raises the ticket to, fixed when claimed (so a retried run never raises twice). */
  raise_to: number | null;
}

/** An on-call rota: participants take turns at each occurrence of the rotation (RRULE at the handover time in its zone). */
export interface SlaRotasTable {
  id: Generated<number>;
  tenant_id: number;
  name: string;
  time_zone: string;
  /** DAILY or WEEKLY. */
  freq: string;
  /** Every N days or weeks. */
  interval: number;
  /** For WEEKLY: comma list of MO..SU; empty for daily. */
  by_day: string;
  /** Wall-clock HH:MM in the rota's zone. */
  handover: string;
  /** First handover date YYYY-MM-DD. */
  start_date: string;
  /** JSON array of staff user ids in turn order. */
  participants: string;
  created_at: string;
  updated_at: string;
}

/** A person covering a rota from one instant to another (wins over the rotation). */
export interface SlaRotaOverridesTable {
  id: Generated<number>;
  tenant_id: number;
  rota_id: number;
  user_id: number;
  from_at: string;
  until_at: string;
  created_at: string;
}

/** The foundation's tables and this slice's (escalation points, firings, on-call rotas). */
export interface SlaEscalationDB extends SlaDB {
  sla_escalation_points: SlaEscalationPointsTable;
  sla_escalation_firings: SlaEscalationFiringsTable;
  sla_rotas: SlaRotasTable;
  sla_rota_overrides: SlaRotaOverridesTable;
}
