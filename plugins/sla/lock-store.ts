import type { Kysely } from 'kysely';
import { DEFAULT_TIME_ZONE, DomainError, type PluginJob, deliverNotifications, isLocale, isoToZoned, notify, pluginScope, type DB, type Services, type Translate } from '../../core/plugin-api.js';
import { slaMessages } from './messages.js';
import { readSlaSettings } from './settings.js';
import type { SlaDB, SlaLocksTable } from './sla-db.js';

/** A ticket's edit lock as the screens show it. */
export interface EditLock { ticketId: number; userId: number; label: string; since: string; expiresAt: string }
/** Who asks for or takes a lock: a staff user with the name the others see. */
export interface LockUser { id: number; label: string }
/** The live event the lock panels listen to (`sse:sla-lock`): a lock was taken, taken over or let go. */
export const LOCK_EVENT = 'sla-lock';

const MINUTE = 60_000;

/** A lock lasts this long after the holder's last activity on the page, unless the tenant set another length (`lockIdleMinutes`). */
export const LOCK_MINUTES = 5;
/** Expired rows stay this long, so the holder's next save can tell them their lock ran out (then the hourly job removes them). */
const KEEP_EXPIRED_MS = 24 * 60 * MINUTE;
const toLock = (row: Pick<SlaLocksTable, 'ticket_id' | 'user_id' | 'user_label' | 'taken_at' | 'expires_at'>): EditLock =>
  ({ ticketId: row.ticket_id, userId: row.user_id, label: row.user_label, since: row.taken_at, expiresAt: row.expires_at });

/** The lock on a ticket that still holds at `now` (an expired row is as good as none: nothing stale survives a restart). */
export async function liveLock(db: Kysely<DB>, tenantId: number, ticketId: number, now: string): Promise<EditLock | null> {
  const row = await pluginScope<SlaDB>(db, tenantId).selectFrom('sla_locks').select(['ticket_id', 'user_id', 'user_label', 'taken_at', 'expires_at'])
    .where('ticket_id', '=', ticketId).where('expires_at', '>', now).executeTakeFirst();
  return row ? toLock(row) : null;
}

/**
 * Edit locks: a lease per ticket (who, since, until when), renewed by the holder's open page, taken over
 * by a colleague with a confirmation (audited, the former holder is told by a notification and a live event).
 */
export function lockStore(services: Services, tenantId: number) {
  const scope = pluginScope<SlaDB>(services.db, tenantId);
  const now = () => services.clock().toISOString();
  const lease = async () => (await readSlaSettings(scope)).lockIdleMinutes;
  const publish = (ticketId: number) => services.events.publish({ tenantId, type: LOCK_EVENT, data: { ticketId } });

  /** Writes the lock row for `user` (the one row per ticket), keeping `since` when the holder stays the same. */
  async function put(trx: Kysely<DB>, ticketId: number, user: LockUser, since: string, at: string, minutes: number): Promise<EditLock> {
    const s = pluginScope<SlaDB>(trx, tenantId);
    const expiresAt = new Date(Date.parse(at) + minutes * MINUTE).toISOString();
    await s.deleteFrom('sla_locks').where('ticket_id', '=', ticketId).execute();
    await s.insertInto('sla_locks', { ticket_id: ticketId, user_id: user.id, user_label: user.label, taken_at: since, renewed_at: at, expires_at: expiresAt }).execute();
    return { ticketId, userId: user.id, label: user.label, since, expiresAt };
  }

  return {
    /** The lock that holds now, or null. */
    current: (ticketId: number) => liveLock(services.db, tenantId, ticketId, now()),

    /**
     * Takes the lock for `user` or renews theirs for another lease; a colleague's live lock is left alone
     * (`held: false` with their lock). The first lock on a free ticket is announced live. A renewal (`renew`:
     * the page saw the user active) does not take back the user's own lock that ran out while they were idle
     * (`expired: true`): they start again deliberately ("Edit again"), and their next save is told why.
     */
    async hold(ticketId: number, user: LockUser, options: { renew?: boolean } = {}): Promise<{ held: boolean; lock: EditLock | null; expired: boolean }> {
      const minutes = await lease();
      const result = await services.db.transaction().execute(async (trx) => {
        const at = now();
        const existing = await liveLock(trx, tenantId, ticketId, at);
        if (existing && existing.userId !== user.id) return { held: false, lock: existing, fresh: false, expired: false };
        if (!existing && options.renew && await ownExpired(trx, tenantId, ticketId, user.id, at)) return { held: false, lock: null, fresh: false, expired: true };
        return { held: true, lock: await put(trx, ticketId, user, existing?.since ?? at, at, minutes), fresh: !existing, expired: false };
      });
      if (result.fresh) publish(ticketId);
      return { held: result.held, lock: result.lock, expired: result.expired };
    },

    /** Whether the user's own lock on the ticket ran out (idle) and nobody holds the ticket now. */
    async expiredFor(ticketId: number, userId: number): Promise<boolean> {
      const at = now();
      return !(await liveLock(services.db, tenantId, ticketId, at)) && ownExpired(services.db, tenantId, ticketId, userId, at);
    },

    /** Takes a colleague's lock (the caller has confirmed): audited, and the former holder is told at once. */
    async takeOver(ticketId: number, ticketNumber: string, user: LockUser): Promise<{ lock: EditLock; former: EditLock | null }> {
      const minutes = await lease();
      const t = await tenantTranslate(services.db, tenantId);
      const result = await services.db.transaction().execute(async (trx) => {
        const at = now();
        const former = await liveLock(trx, tenantId, ticketId, at);
        const lock = await put(trx, ticketId, user, at, at, minutes);
        if (!former || former.userId === user.id) return { lock, former: null, notice: null };
        await services.audit.record({ tenantId, actor: { userId: user.id, label: user.label }, action: 'sla.lock_taken_over', target: `${ticketNumber}: ${former.label}` }, trx);
        const notice = await notify(trx, {
          tenantId, userId: former.userId, ticketId, kind: 'sla.lock_taken', actorLabel: user.label, now: at,
          summary: t('sla.lock.takenSummary', { number: ticketNumber, who: user.label }),
          message: { key: 'sla.lock.takenSummary', params: { number: ticketNumber, who: user.label } },
        });
        return { lock, former, notice };
      });
      publish(ticketId);
      if (result.notice) await deliverNotifications(services, [result.notice]);
      return { lock: result.lock, former: result.former };
    },

    /** Lets go of the caller's own lock (nothing happens to a colleague's). */
    async release(ticketId: number, userId: number): Promise<void> {
      const gone = await scope.deleteFrom('sla_locks').where('ticket_id', '=', ticketId).where('user_id', '=', userId).executeTakeFirst();
      if (Number(gone.numDeletedRows) > 0) publish(ticketId);
    },
  };
}

/** The user's own lock row on the ticket, expired at `at` (still kept: the hourly job removes it a day later). */
async function ownExpired(db: Kysely<DB>, tenantId: number, ticketId: number, userId: number, at: string): Promise<boolean> {
  const row = await pluginScope<SlaDB>(db, tenantId).selectFrom('sla_locks').select('id').where('ticket_id', '=', ticketId).where('user_id', '=', userId)
    .where('expires_at', '<=', at).executeTakeFirst();
  return row !== undefined;
}

/** The plugin's texts in the tenant's language, for what runs without a request (the filter below). */
async function tenantTranslate(db: Kysely<DB>, tenantId: number): Promise<Translate & { zone: string }> {
  const tenant = await db.selectFrom('tenants').select(['locale', 'time_zone']).where('id', '=', tenantId).executeTakeFirst();
  const messages = slaMessages[isLocale(tenant?.locale) && tenant.locale === 'de' ? 'de' : 'en'];
  const t: Translate = (key, params = {}) => (messages[key] ?? key).replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
  return Object.assign(t, { zone: tenant?.time_zone || DEFAULT_TIME_ZONE });
}

/**
 * Inside a ticket change's transaction: refuses the change when a colleague holds the ticket's lock.
 * Only staff users' changes are held back (customers, mail and the system are never locked out); the holder
 * passes, and so does everyone once the lock has expired. A save whose lock was taken over lands here too.
 */
export async function refuseLockedChange(trx: Kysely<DB>, tenantId: number, ticketId: number, actorUserId: number | null, at = new Date().toISOString()): Promise<void> {
  if (actorUserId === null) return;
  // The ticket's one lock row, live or expired, in one read (a bulk change asks for every ticket it touches).
  const row = await pluginScope<SlaDB>(trx, tenantId).selectFrom('sla_locks').select(['ticket_id', 'user_id', 'user_label', 'taken_at', 'renewed_at', 'expires_at'])
    .where('ticket_id', '=', ticketId).executeTakeFirst();
  if (!row) return;
  const live = row.expires_at > at;
  // The holder passes; so does everyone once another's lock has expired.
  if (live ? row.user_id === actorUserId : row.user_id !== actorUserId) return;
  const t = await tenantTranslate(trx, tenantId);
  // The saver's own lock ran out while their page was idle: tell them rather than save from a form they left.
  if (!live) throw new DomainError('conflict', t('sla.lock.expired', { minutes: Math.round((Date.parse(row.expires_at) - Date.parse(row.renewed_at)) / MINUTE) }));
  const lock = toLock(row);
  throw new DomainError('conflict', t('sla.lock.refused', { who: lock.label, since: isoToZoned(lock.since, t.zone).slice(11, 16) }));
}

/** Hourly: deletes the tenant's lock rows expired for a day (they count as no lock already; kept a day to tell an idle holder on their next save). */
export const pruneLocksJob: PluginJob = {
  id: 'prune-locks',
  schedule: 'FREQ=HOURLY',
  async run(ctx) {
    if (ctx.tenantId === null) return;
    await pluginScope<SlaDB>(ctx.db, ctx.tenantId).deleteFrom('sla_locks').where('expires_at', '<=', new Date(ctx.clock().getTime() - KEEP_EXPIRED_MS).toISOString()).execute();
  },
};
