import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Logger } from '../logger.js';
import type { AppEvent, EventBus } from './event-bus.js';

export const EVENT_CHANNEL = 'tresen_events';
/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more; stay clearly below. */
export const MAX_PAYLOAD_BYTES = 7900;

/** What travels in a notification: short keys, since the payload is capped. */
interface Envelope {
  /** Sending instance: its own echo is dropped, it delivered locally already. */
  i: string;
  t: number;
  y: string;
  d?: Record<string, unknown>;
}

export interface PostgresEventTransportOptions {
  bus: EventBus;
  /** Connection string for the dedicated LISTEN connection. */
  url: string;
  /** Sends NOTIFY through the application's pool. */
  pool: pg.Pool;
  log: Logger;
  instanceId?: string;
  /** Reconnect delays after a lost LISTEN connection: doubling from initialMs up to maxMs. */
  backoff?: { initialMs: number; maxMs: number };
}

export interface PostgresEventTransport {
  readonly instanceId: string;
  /** Resolves once the notifications sent so far have been handed to PostgreSQL. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export function encodeEnvelope(instanceId: string, event: AppEvent): string {
  const full = JSON.stringify({ i: instanceId, t: event.tenantId, y: event.type, ...(event.data ? { d: event.data } : {}) } satisfies Envelope);
  if (Buffer.byteLength(full, 'utf8') <= MAX_PAYLOAD_BYTES) return full;
  // Live pushes are hints to refresh: a remote subscriber still learns the type, the data stays local.
  return JSON.stringify({ i: instanceId, t: event.tenantId, y: event.type.slice(0, 200), d: { truncated: true } } satisfies Envelope);
}

export function decodeEnvelope(payload: string | undefined): (AppEvent & { instanceId: string }) | undefined {
  if (!payload) return undefined;
  try {
    const value = JSON.parse(payload) as Partial<Envelope>;
    if (typeof value.i !== 'string' || typeof value.t !== 'number' || typeof value.y !== 'string') return undefined;
    const data = value.d && typeof value.d === 'object' && !Array.isArray(value.d) ? value.d : undefined;
    return { instanceId: value.i, tenantId: value.t, type: value.y, ...(data ? { data } : {}) };
  } catch {
    return undefined;
  }
}

/**
 * Carries the event bus across every instance on one PostgreSQL database with LISTEN/NOTIFY.
 * Publishing stays synchronous for callers; notifications go out in order through the pool.
 * Events sent while the LISTEN connection is down are missed by this instance: they are UI
 * hints, and the pages reload their data on the next interaction.
 */
export async function startPostgresEventTransport(options: PostgresEventTransportOptions): Promise<PostgresEventTransport> {
  const { bus, url, pool, log } = options;
  const instanceId = options.instanceId ?? randomUUID();
  const backoff = options.backoff ?? { initialMs: 250, maxMs: 30_000 };
  let closed = false;
  let listener: pg.Client | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let delay = backoff.initialMs;
  // One chain keeps the notifications in publish order and lets close() wait for them.
  let sending: Promise<void> = Promise.resolve();

  const onNotification = (message: pg.Notification) => {
    if (message.channel !== EVENT_CHANNEL) return;
    const event = decodeEnvelope(message.payload);
    if (!event) {
      log.warn('event transport: unreadable notification', { payload: message.payload?.slice(0, 200) });
      return;
    }
    if (event.instanceId === instanceId) return;
    const { instanceId: _sender, ...appEvent } = event;
    bus.deliverRemote(appEvent);
  };

  async function connect(): Promise<void> {
    const client = new pg.Client({ connectionString: url });
    // Without an error listener a dropped connection would crash the process.
    client.on('error', (error) => lost(client, error));
    client.on('end', () => lost(client, new Error('connection ended')));
    client.on('notification', onNotification);
    try {
      await client.connect();
      await client.query(`LISTEN ${EVENT_CHANNEL}`);
    } catch (error) {
      client.removeAllListeners('end');
      await client.end().catch(() => {});
      throw error;
    }
    if (closed) {
      await client.end().catch(() => {});
      return;
    }
    listener = client;
    delay = backoff.initialMs;
  }

  function lost(client: pg.Client, error: unknown): void {
    if (closed || listener !== client) return;
    listener = undefined;
    client.removeAllListeners('notification');
    void client.end().catch(() => {});
    log.warn('event transport: LISTEN connection lost, reconnecting', { error: String(error), inMs: delay });
    scheduleReconnect();
  }

  function scheduleReconnect(): void {
    if (closed || retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      connect().catch((error: unknown) => {
        log.warn('event transport: reconnect failed', { error: String(error), nextInMs: delay });
        scheduleReconnect();
      });
    }, delay);
    retryTimer.unref();
    delay = Math.min(backoff.maxMs, delay * 2);
  }

  // Fail at start, like the database itself, rather than run without cross-instance events.
  await connect();

  const detach = bus.attachTransport({
    send(event) {
      if (closed) return;
      const payload = encodeEnvelope(instanceId, event);
      sending = sending.then(() => pool.query('select pg_notify($1, $2)', [EVENT_CHANNEL, payload]))
        .then(() => undefined, (error: unknown) => log.warn('event transport: notify failed', { type: event.type, error: String(error) }));
    },
  });

  return {
    instanceId,
    flush: () => sending,
    async close() {
      if (closed) return;
      closed = true;
      detach();
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = undefined;
      await sending;
      const client = listener;
      listener = undefined;
      if (client) {
        client.removeAllListeners('notification');
        await client.end().catch(() => {});
      }
    },
  };
}
