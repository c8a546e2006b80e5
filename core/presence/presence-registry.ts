import type { AppEvent, EventBus } from '../events/event-bus.js';
import type { Clock } from '../time.js';

export type PresenceState = 'viewing' | 'editing';

/** Who else has a ticket open, and whether they type into it. */
export interface PresenceEntry { userId: number; name: string; state: PresenceState; expiresAt: number }

/** The event that carries one beat between instances (PostgreSQL NOTIFY); never sent to browsers. */
export const PRESENCE_BEAT = 'presence.beat';
/** The local-only event telling this instance's pages of one ticket that its presence changed (data.number). */
export const PRESENCE_CHANGED = 'presence';

/** How long a tab counts as there after its last beat: a tab beats every 20 s, so two lost beats and some slack. */
export const PRESENCE_TTL_MS = 45_000;

interface Beat { number: string; tab: string; userId: number; name: string; state: PresenceState | 'gone' }

/**
 * Presence on ticket pages, kept in memory on each instance: no database write per heartbeat. A tab's beat
 * goes through the event bus (and with it through the PostgreSQL transport to every other instance), and every
 * instance applies every beat to its own map. An entry lasts PRESENCE_TTL_MS after its last beat, so a tab that
 * vanished without a word (crash, lost network) drops out too; expired entries are pruned when read, so there is
 * no timer. Only a beat that changes what people see (someone came, left, or started or stopped editing) tells
 * the pages of that ticket (PRESENCE_CHANGED, local delivery only: each instance tells its own).
 */
export function createPresenceRegistry(events: EventBus, clock: Clock, ttlMs = PRESENCE_TTL_MS) {
  /** `${tenantId}:${number}` -> `${userId}:${tab}` -> entry */
  const tickets = new Map<string, Map<string, PresenceEntry>>();
  const keyOf = (tenantId: number, number: string) => `${tenantId}:${number}`;

  function prune(key: string, now: number): Map<string, PresenceEntry> | undefined {
    const tabs = tickets.get(key);
    if (!tabs) return undefined;
    for (const [tab, entry] of tabs) if (entry.expiresAt <= now) tabs.delete(tab);
    if (tabs.size === 0) {
      tickets.delete(key);
      return undefined;
    }
    return tabs;
  }

  /** What the pages show of one ticket: each user once, editing wins over viewing. */
  function visible(tabs: Map<string, PresenceEntry> | undefined): string {
    if (!tabs) return '';
    const byUser = new Map<number, PresenceState>();
    for (const entry of tabs.values()) if (byUser.get(entry.userId) !== 'editing') byUser.set(entry.userId, entry.state);
    return [...byUser].sort(([a], [b]) => a - b).map(([user, state]) => `${user}:${state}`).join(',');
  }

  function apply(tenantId: number, beat: Beat): void {
    const key = keyOf(tenantId, beat.number);
    const now = clock().getTime();
    const before = visible(prune(key, now));
    const tab = `${beat.userId}:${beat.tab}`;
    if (beat.state === 'gone') tickets.get(key)?.delete(tab);
    else {
      if (!tickets.has(key)) tickets.set(key, new Map());
      tickets.get(key)!.set(tab, { userId: beat.userId, name: beat.name, state: beat.state, expiresAt: now + ttlMs });
    }
    if (visible(prune(key, now)) !== before) events.deliverRemote({ tenantId, type: PRESENCE_CHANGED, data: { number: beat.number } });
  }

  const decode = (event: AppEvent): Beat | undefined => {
    const d = event.data ?? {};
    const state = d.s;
    if (typeof d.n !== 'string' || typeof d.k !== 'string' || typeof d.u !== 'number' || typeof d.l !== 'string') return undefined;
    if (state !== 'viewing' && state !== 'editing' && state !== 'gone') return undefined;
    return { number: d.n, tab: d.k, userId: d.u, name: d.l, state };
  };
  // Beats from this instance and from the others (the transport delivers theirs).
  const unsubscribe = events.subscribeAll((event) => {
    if (event.type !== PRESENCE_BEAT) return;
    const beat = decode(event);
    if (beat) apply(event.tenantId, beat);
  });

  return {
    /** A tab's heartbeat (or its goodbye): applied here and on every other instance. */
    beat(tenantId: number, beat: Beat): void {
      events.publish({ tenantId, type: PRESENCE_BEAT, data: { n: beat.number, k: beat.tab, u: beat.userId, l: beat.name, s: beat.state } });
    },
    /** Who has the ticket open now, each user once (editing wins), by name; `except` leaves out the asking user. */
    present(tenantId: number, number: string, except?: number): Array<{ userId: number; name: string; state: PresenceState }> {
      const tabs = prune(keyOf(tenantId, number), clock().getTime());
      const byUser = new Map<number, { userId: number; name: string; state: PresenceState }>();
      for (const entry of tabs?.values() ?? []) {
        if (entry.userId === except) continue;
        const seen = byUser.get(entry.userId);
        if (!seen || (seen.state === 'viewing' && entry.state === 'editing')) byUser.set(entry.userId, { userId: entry.userId, name: entry.name, state: entry.state });
      }
      return [...byUser.values()].sort((a, b) => a.name.localeCompare(b.name));
    },
    /** Tickets with someone on them (for the benchmark and tests). */
    size(): number {
      return tickets.size;
    },
    close: unsubscribe,
  };
}
export type PresenceRegistry = ReturnType<typeof createPresenceRegistry>;
