import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { DomainError } from '../domain-error.js';
import { DEFAULT_TIME_ZONE, isoToZoned } from '../i18n/time-zone.js';

/**
 * Licence seats: how many staff users ("agents": agents, supervisors and admins alike) and portal
 * users may be signed in at once per tenant. "Signed in" means a live session whose last_seen_at
 * (written at most once a minute, see session-store) lies within the tenant's window; one person
 * with several browsers holds one seat. Limits only ever refuse a new sign-in: a session that is
 * already open is never ended when the operator lowers the seats, the tenant simply shows over the limit
 * until enough people have left.
 */

export type SeatKind = 'agents' | 'portal';
export type PortalSeatPolicy = 'refuse' | 'warn';
export const PORTAL_SEAT_POLICIES: readonly PortalSeatPolicy[] = ['refuse', 'warn'];
/** The windows an operator can choose; few values keep the all-tenants overview to a handful of queries. */
export const SEAT_WINDOWS: readonly number[] = [5, 10, 15, 30, 60];
export const DEFAULT_SEAT_WINDOW = 15;
/** Seat limits above this are refused as a typing error. */
export const MAX_SEATS = 100_000;

export interface SeatSettings {
  agentSeats: number | null;
  portalSeats: number | null;
  portalPolicy: PortalSeatPolicy;
  windowMinutes: number;
}

export interface SeatCounts { agents: number; portal: number }

export interface SeatUsage extends SeatSettings, SeatCounts {
  tenantId: number;
}

export interface SeatPeak { day: string; agents: number; portal: number }

/** A sign-in refused because every seat of its kind is taken; nothing was written. */
export class SeatsFullError extends DomainError {
  constructor(readonly seatKind: SeatKind, readonly seats: number) {
    super('conflict', `all ${seats} ${seatKind === 'agents' ? 'agent' : 'portal'} seats are in use`);
    this.name = 'SeatsFullError';
  }
}

type Db = Kysely<DB> | Transaction<DB>;

const DEFAULTS: SeatSettings = { agentSeats: null, portalSeats: null, portalPolicy: 'refuse', windowMinutes: DEFAULT_SEAT_WINDOW };

function toSettings(row: { agent_seats: number | null; portal_seats: number | null; portal_policy: string; window_minutes: number } | undefined): SeatSettings {
  if (!row) return { ...DEFAULTS };
  return {
    agentSeats: row.agent_seats === null ? null : Number(row.agent_seats),
    portalSeats: row.portal_seats === null ? null : Number(row.portal_seats),
    portalPolicy: row.portal_policy === 'warn' ? 'warn' : 'refuse',
    windowMinutes: Number(row.window_minutes),
  };
}

export async function seatSettings(db: Db, tenantId: number): Promise<SeatSettings> {
  return toSettings(await db.selectFrom('licence_seats').selectAll().where('tenant_id', '=', tenantId).executeTakeFirst());
}

/** The operator's limits for a tenant (null = unlimited); the caller validated the values. */
export async function saveSeatSettings(db: Kysely<DB>, tenantId: number, settings: SeatSettings, now: Date): Promise<void> {
  const values = {
    agent_seats: settings.agentSeats, portal_seats: settings.portalSeats, portal_policy: settings.portalPolicy,
    window_minutes: settings.windowMinutes, updated_at: now.toISOString(),
  };
  await db.insertInto('licence_seats').values({ tenant_id: tenantId, ...values })
    .onConflict((oc) => oc.column('tenant_id').doUpdateSet(values)).execute();
}

function cutoff(now: Date, windowMinutes: number): string {
  return new Date(now.getTime() - windowMinutes * 60_000).toISOString();
}

/** Distinct staff users and portal users with a session seen within the window (served by sessions_tenant_seen). */
export async function countSignedIn(db: Db, tenantId: number, now: Date, windowMinutes: number, except?: { kind: SeatKind; id: number }): Promise<SeatCounts> {
  let query = db.selectFrom('sessions')
    .select([sql<number>`count(distinct user_id)`.as('agents'), sql<number>`count(distinct person_id)`.as('portal')])
    .where('tenant_id', '=', tenantId).where('last_seen_at', '>=', cutoff(now, windowMinutes)).where('expires_at', '>', now.toISOString());
  if (except) {
    const column = except.kind === 'agents' ? 'user_id' : 'person_id';
    query = query.where((eb) => eb.or([eb(column, 'is', null), eb(column, '!=', except.id)]));
  }
  const row = await query.executeTakeFirstOrThrow();
  return { agents: Number(row.agents), portal: Number(row.portal) };
}

export async function seatUsage(db: Kysely<DB>, tenantId: number, now: Date): Promise<SeatUsage> {
  const settings = await seatSettings(db, tenantId);
  return { tenantId, ...settings, ...(await countSignedIn(db, tenantId, now, settings.windowMinutes)) };
}

/** Every tenant's settings and counts, one grouped query per window in use. */
export async function allSeatUsage(db: Kysely<DB>, tenantIds: readonly number[], now: Date): Promise<Map<number, SeatUsage>> {
  const result = new Map<number, SeatUsage>();
  if (tenantIds.length === 0) return result;
  const rows = await db.selectFrom('licence_seats').selectAll().where('tenant_id', 'in', [...tenantIds]).execute();
  const settings = new Map(rows.map((row) => [row.tenant_id, toSettings(row)]));
  const byWindow = new Map<number, number[]>();
  for (const id of tenantIds) {
    const window = settings.get(id)?.windowMinutes ?? DEFAULT_SEAT_WINDOW;
    byWindow.set(window, [...(byWindow.get(window) ?? []), id]);
  }
  for (const [window, ids] of byWindow) {
    const counts = await db.selectFrom('sessions')
      .select(['tenant_id', sql<number>`count(distinct user_id)`.as('agents'), sql<number>`count(distinct person_id)`.as('portal')])
      .where('tenant_id', 'in', ids).where('last_seen_at', '>=', cutoff(now, window)).where('expires_at', '>', now.toISOString())
      .groupBy('tenant_id').execute();
    const found = new Map(counts.map((row) => [row.tenant_id, row]));
    for (const id of ids) {
      const row = found.get(id);
      result.set(id, { tenantId: id, ...(settings.get(id) ?? DEFAULTS), agents: Number(row?.agents ?? 0), portal: Number(row?.portal ?? 0) });
    }
  }
  return result;
}

export interface Admission {
  /** The sign-in was let in beyond the portal limit (policy 'warn'). */
  overLimit: boolean;
  /** Who is signed in once this session exists, when the check had to count (so the peak need not count again). */
  counts?: SeatCounts;
}

/**
 * Decides, inside the transaction that then writes the session, whether one more person of a kind
 * may sign in. Someone who already holds a seat (another live session) always may. On PostgreSQL the
 * tenant's seat row is locked, so two sign-ins racing for the last seat cannot both win; SQLite runs
 * one write transaction at a time anyway.
 */
export async function admit(trx: Transaction<DB>, dialect: 'sqlite' | 'postgres', tenantId: number, who: { kind: SeatKind; id: number }, now: Date): Promise<Admission> {
  const query = trx.selectFrom('licence_seats').selectAll().where('tenant_id', '=', tenantId);
  const settings = toSettings(await (dialect === 'postgres' ? query.forUpdate() : query).executeTakeFirst());
  const seats = who.kind === 'agents' ? settings.agentSeats : settings.portalSeats;
  if (seats === null) return { overLimit: false };
  const others = await countSignedIn(trx, tenantId, now, settings.windowMinutes, who);
  // Everyone but this person, plus this person (counted once, whether or not another session of theirs is live).
  const counts = { ...others, [who.kind]: others[who.kind] + 1 };
  if (others[who.kind] < seats) return { overLimit: false, counts };
  const holdsSeat = await trx.selectFrom('sessions').select('id').where('tenant_id', '=', tenantId)
    .where(who.kind === 'agents' ? 'user_id' : 'person_id', '=', who.id)
    .where('last_seen_at', '>=', cutoff(now, settings.windowMinutes)).where('expires_at', '>', now.toISOString()).executeTakeFirst();
  if (holdsSeat) return { overLimit: false, counts };
  if (who.kind === 'portal' && settings.portalPolicy === 'warn') return { overLimit: true, counts };
  throw new SeatsFullError(who.kind, seats);
}

/**
 * Raises today's peaks (the tenant's day) to the current counts; called when a session becomes active.
 * `known` are the counts an admission just made in the same transaction.
 */
export async function recordPeak(db: Db, tenantId: number, now: Date, known?: SeatCounts): Promise<void> {
  const tenant = await db.selectFrom('tenants').leftJoin('licence_seats', 'licence_seats.tenant_id', 'tenants.id')
    .select(['tenants.time_zone', 'licence_seats.window_minutes']).where('tenants.id', '=', tenantId).executeTakeFirst();
  if (!tenant) return;
  const counts = known ?? await countSignedIn(db, tenantId, now, tenant.window_minutes === null ? DEFAULT_SEAT_WINDOW : Number(tenant.window_minutes));
  const day = isoToZoned(now.toISOString(), tenant.time_zone || DEFAULT_TIME_ZONE).slice(0, 10);
  await db.insertInto('licence_seat_peaks').values({ tenant_id: tenantId, day, agents_peak: counts.agents, portal_peak: counts.portal })
    .onConflict((oc) => oc.columns(['tenant_id', 'day']).doUpdateSet({
      agents_peak: sql<number>`case when licence_seat_peaks.agents_peak > excluded.agents_peak then licence_seat_peaks.agents_peak else excluded.agents_peak end`,
      portal_peak: sql<number>`case when licence_seat_peaks.portal_peak > excluded.portal_peak then licence_seat_peaks.portal_peak else excluded.portal_peak end`,
    })).execute();
}

/** Whether a touch after this gap makes the session count again (it had dropped out of the window). */
export async function becameActive(db: Kysely<DB>, tenantId: number, gapMs: number): Promise<boolean> {
  if (gapMs < SEAT_WINDOWS[0]! * 60_000) return false;
  const settings = await seatSettings(db, tenantId);
  return gapMs >= settings.windowMinutes * 60_000;
}

/** The daily peaks of a tenant from `fromDay` to `toDay` (inclusive, YYYY-MM-DD), oldest first. */
export async function seatPeaks(db: Kysely<DB>, tenantId: number, fromDay: string, toDay: string): Promise<SeatPeak[]> {
  const rows = await db.selectFrom('licence_seat_peaks').select(['day', 'agents_peak', 'portal_peak'])
    .where('tenant_id', '=', tenantId).where('day', '>=', fromDay).where('day', '<=', toDay).orderBy('day').execute();
  return rows.map((row) => ({ day: row.day, agents: Number(row.agents_peak), portal: Number(row.portal_peak) }));
}

/** The last `days` calendar days ending today in the zone, oldest first (every day, with or without a peak). */
export function lastDays(now: Date, zone: string, days: number): string[] {
  const today = isoToZoned(now.toISOString(), zone).slice(0, 10);
  const base = Date.parse(`${today}T12:00:00Z`);
  return Array.from({ length: days }, (_, index) => new Date(base - (days - 1 - index) * 86_400_000).toISOString().slice(0, 10));
}

/** 'ok' below 90 %, 'warn' from 90 %, 'full' at or above the limit; 'none' without a limit. */
export function seatLevel(used: number, seats: number | null): 'none' | 'ok' | 'warn' | 'full' {
  if (seats === null) return 'none';
  if (used >= seats) return 'full';
  return used >= seats * 0.9 ? 'warn' : 'ok';
}
