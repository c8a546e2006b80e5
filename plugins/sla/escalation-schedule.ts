import { pluginScope, type Services } from '../../core/plugin-api.js';
import type { CalendarTime } from './calendar-time.js';
import type { SlaEscalationDB } from './escalation-db.js';
import { nextEscalationAt, pointInstant, type EscalationPoint, type OffsetKind } from './escalation-points.js';
import type { ClockKind, ClockResult, ClockTargets } from './ticket-clocks.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The points of a level as the arithmetic reads them. */
export async function levelPoints(services: Services, tenantId: number, levelId: number): Promise<EscalationPoint[]> {
  const rows = await pluginScope<SlaEscalationDB>(services.db, tenantId).selectFrom('sla_escalation_points')
    .select(['id', 'clock', 'offset_kind', 'offset_value', 'outside_hours']).where('level_id', '=', levelId).orderBy('id').execute();
  return rows.map((row) => ({ id: row.id, clock: row.clock, offsetKind: row.offset_kind as OffsetKind, offsetValue: row.offset_value, outsideHours: row.outside_hours === 1 }));
}

/** The point ids already fired for each clock cycle of a ticket (`<clock>@<cycle start>`). */
export async function firedPoints(services: Services, tenantId: number, ticketId: number): Promise<Map<string, Set<number>>> {
  const rows = await pluginScope<SlaEscalationDB>(services.db, tenantId).selectFrom('sla_escalation_firings')
    .select(['clock', 'cycle_start', 'point_id']).where('ticket_id', '=', ticketId).execute();
  const fired = new Map<string, Set<number>>();
  for (const row of rows) {
    const key = `${row.clock}@${row.cycle_start}`;
    fired.set(key, (fired.get(key) ?? new Set()).add(row.point_id));
  }
  return fired;
}

/**
 * The next escalation instant of each clock of a ticket just computed (ISO, or null): the earliest point of
 * its level not fired yet in the clock's current cycle. Called by the clock store with every recompute, so a
 * changed calendar, level, priority or pause moves it with the due time. One read when the level has no points.
 */
export async function escalationSchedule(services: Services, tenantId: number, input: {
  ticketId: number; levelId: number; zone: () => Promise<string>; time: CalendarTime; targets: ClockTargets; clocks: readonly ClockResult[]; computedAt: string;
}): Promise<Map<ClockKind, string | null>> {
  const next = new Map<ClockKind, string | null>();
  const points = await levelPoints(services, tenantId, input.levelId);
  if (points.length === 0 || input.clocks.every((c) => c.state !== 'running')) return next;
  const zone = await input.zone();
  const fired = await firedPoints(services, tenantId, input.ticketId);
  for (const c of input.clocks) {
    const position = { state: c.state, dueAt: iso(c.dueAt), remainingMinutes: c.remainingMinutes, computedAt: input.computedAt };
    const instants = points.filter((p) => p.clock === c.clock).map((p) => ({ pointId: p.id, at: pointInstant(input.time, zone, position, input.targets[c.clock], p) }));
    next.set(c.clock, iso(nextEscalationAt(instants, fired.get(`${c.clock}@${iso(c.startedAt)}`) ?? new Set())));
  }
  return next;
}
