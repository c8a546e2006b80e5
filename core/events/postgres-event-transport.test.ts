import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createLogger } from '../logger.js';
import { createUser } from '../people/user-service.js';
import { createTenant } from '../tenancy/tenant-service.js';
import { startTestServer, type TestServer } from '../../test/harness/test-server.js';
import { cookiesOf, TEST_PASSWORD, TEST_SCRYPT_LOG_N } from '../../test/harness/test-app.js';
import { createEventBus, type AppEvent, type EventBus } from './event-bus.js';
import { decodeEnvelope, encodeEnvelope, EVENT_CHANNEL, MAX_PAYLOAD_BYTES, startPostgresEventTransport, type PostgresEventTransport } from './postgres-event-transport.js';

interface Instance {
  bus: EventBus;
  pool: pg.Pool;
  transport: PostgresEventTransport;
}

/** Resolves when `check` holds, polling; fails with `what` after the deadline. */
async function until(check: () => boolean | Promise<boolean>, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('event envelope', () => {
  it('round-trips an event, and clips data that would break the NOTIFY limit', () => {
    const event = { tenantId: 3, type: 'ticket-created', data: { number: '2026-000001' } };
    expect(decodeEnvelope(encodeEnvelope('me', event))).toEqual({ ...event, instanceId: 'me' });
    const huge = encodeEnvelope('me', { tenantId: 3, type: 'ticket-created', data: { body: 'x'.repeat(20_000) } });
    expect(Buffer.byteLength(huge)).toBeLessThanOrEqual(MAX_PAYLOAD_BYTES);
    expect(decodeEnvelope(huge)).toEqual({ instanceId: 'me', tenantId: 3, type: 'ticket-created', data: { truncated: true } });
    expect(decodeEnvelope('not json')).toBeUndefined();
    expect(decodeEnvelope('{"i":"x","t":"1","y":"a"}')).toBeUndefined();
  });
});

describe('PostgreSQL event transport', () => {
  const adminUrl = inject('postgresUrl');
  const name = `tresen_events_${randomBytes(6).toString('hex')}`;
  const url = adminUrl.replace(/\/[^/]*$/, `/${name}`);
  const log = createLogger('silent');
  const instances: Instance[] = [];
  let watcher: pg.Client;
  const seenByWatcher: string[] = [];

  async function startInstance(): Promise<Instance> {
    const bus = createEventBus();
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    const transport = await startPostgresEventTransport({ bus, url, pool, log, backoff: { initialMs: 20, maxMs: 200 } });
    const instance = { bus, pool, transport };
    instances.push(instance);
    return instance;
  }

  function record(bus: EventBus, tenantId: number): AppEvent[] {
    const received: AppEvent[] = [];
    bus.subscribe(tenantId, (event) => received.push(event));
    return received;
  }

  const count = (events: AppEvent[], marker: string) => events.filter((e) => e.data?.marker === marker).length;

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    // A plain listener on the channel: a barrier that proves a notification went out.
    watcher = new pg.Client({ connectionString: url });
    await watcher.connect();
    watcher.on('notification', (message) => {
      const marker = decodeEnvelope(message.payload)?.data?.marker;
      if (typeof marker === 'string') seenByWatcher.push(marker);
    });
    await watcher.query(`LISTEN ${EVENT_CHANNEL}`);
  });

  afterAll(async () => {
    for (const instance of instances) {
      await instance.transport.close();
      await instance.pool.end();
    }
    await watcher?.end();
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  });

  it('delivers an event of instance 1 to instance 2 exactly once, and not twice on instance 1', async () => {
    const one = await startInstance();
    const two = await startInstance();
    const onOne = record(one.bus, 1);
    const onTwo = record(two.bus, 1);

    one.bus.publish({ tenantId: 1, type: 'ticket-created', data: { marker: 'first' } });
    // Local subscribers get it at once, without the database.
    expect(count(onOne, 'first')).toBe(1);
    await until(() => count(onTwo, 'first') === 1, 'the event on instance 2');
    expect(onTwo.find((e) => e.data?.marker === 'first')).toEqual({ tenantId: 1, type: 'ticket-created', data: { marker: 'first' } });

    // Notifications arrive in commit order: once instance 1 has this later event, its own echo of the first has been handled.
    two.bus.publish({ tenantId: 1, type: 'ticket-updated', data: { marker: 'second' } });
    await until(() => count(onOne, 'second') === 1, 'the event on instance 1');
    expect(count(onOne, 'first')).toBe(1);
    expect(count(onTwo, 'first')).toBe(1);
    expect(count(onTwo, 'second')).toBe(1);
  });

  it('keeps tenants apart across instances', async () => {
    const [one, two] = instances as [Instance, Instance];
    const acmeOnTwo = record(two.bus, 7);
    const globexOnTwo = record(two.bus, 8);
    one.bus.publish({ tenantId: 8, type: 'ticket-created', data: { marker: 'globex-only' } });
    one.bus.publish({ tenantId: 7, type: 'ticket-created', data: { marker: 'acme-only' } });
    await until(() => count(acmeOnTwo, 'acme-only') === 1, 'the acme event');
    expect(count(globexOnTwo, 'globex-only')).toBe(1);
    expect(acmeOnTwo.map((e) => e.data?.marker)).toEqual(['acme-only']);
    expect(globexOnTwo.map((e) => e.data?.marker)).toEqual(['globex-only']);
  });

  it('reconnects after the LISTEN connection is lost', async () => {
    const [one, two] = instances as [Instance, Instance];
    const onTwo = record(two.bus, 1);
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    const killed = await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity
      where datname = current_database() and pid <> pg_backend_pid() and pid <> $1 and query ilike 'LISTEN%'`, [(watcher as unknown as { processID: number }).processID]);
    await admin.end();
    expect(killed.rowCount).toBe(2);
    // Events sent while it is down are lost by design; keep sending until one arrives.
    let attempt = 0;
    await until(() => {
      one.bus.publish({ tenantId: 1, type: 'ping', data: { marker: `after-${attempt++}` } });
      return onTwo.length > 0;
    }, 'delivery after reconnect', 10_000);
  });

  it('stops delivering once closed, while local delivery goes on', async () => {
    const [one, two] = instances as [Instance, Instance];
    const onTwo = record(two.bus, 1);
    const onOne = record(one.bus, 1);
    await two.transport.close();

    one.bus.publish({ tenantId: 1, type: 'ticket-created', data: { marker: 'after-close' } });
    await until(() => seenByWatcher.includes('after-close'), 'the notification');
    await new Promise((r) => setTimeout(r, 200));
    expect(count(onTwo, 'after-close')).toBe(0);

    // Instance 2 still delivers its own events locally, but sends nothing any more.
    two.bus.publish({ tenantId: 1, type: 'ticket-created', data: { marker: 'local-only' } });
    expect(count(onTwo, 'local-only')).toBe(1);
    one.bus.publish({ tenantId: 1, type: 'ticket-created', data: { marker: 'barrier' } });
    await until(() => seenByWatcher.includes('barrier'), 'the barrier');
    expect(seenByWatcher).not.toContain('local-only');
    expect(count(onOne, 'local-only')).toBe(0);
  });
});

describe('two servers on one PostgreSQL database', () => {
  const adminUrl = inject('postgresUrl');
  const name = `tresen_sse_${randomBytes(6).toString('hex')}`;
  const url = adminUrl.replace(/\/[^/]*$/, `/${name}`);
  const servers: TestServer[] = [];

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    // One after the other: both would migrate the same fresh database.
    servers.push(await startTestServer([], { DATABASE_URL: url }));
    servers.push(await startTestServer([], { DATABASE_URL: url }));
  });

  afterAll(async () => {
    for (const server of servers) await server.stop();
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  });

  it('streams an event published by server 1 to an SSE subscriber of server 2', async () => {
    const [one, two] = servers as [TestServer, TestServer];
    const db = one.tresen.services.db;
    const acme = await createTenant(db, { slug: 'acme', name: 'ACME', locale: 'en' });
    await createUser(db, { tenantId: acme.id, email: 'agent@acme.test', name: 'agent', role: 'agent', password: TEST_PASSWORD }, TEST_SCRYPT_LOG_N);
    const login = await fetch(`${two.url}/t/acme/login`, {
      method: 'POST', redirect: 'manual', headers: { Origin: two.url }, body: new URLSearchParams({ email: 'agent@acme.test', password: TEST_PASSWORD }),
    });
    expect(login.status).toBe(303);
    const controller = new AbortController();
    const response = await fetch(`${two.url}/t/acme/events`, { headers: { Cookie: cookiesOf(login) }, signal: controller.signal });
    expect(response.headers.get('Content-Type')).toContain('text/event-stream');
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const readUntil = async (marker: string) => {
      while (!text.includes(marker)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended before ${marker}`);
        text += decoder.decode(value, { stream: true });
      }
    };
    await readUntil('event: ready');
    one.tresen.services.events.publish({ tenantId: acme.id, type: 'ticket-created', data: { number: '2026-000042' } });
    await readUntil('2026-000042');
    expect(text).toContain('event: ticket-created\ndata: {"number":"2026-000042"}');
    controller.abort();
    await reader.cancel().catch(() => {});
  });
});
