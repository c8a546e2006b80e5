import { serve, type ServerType } from '@hono/node-server';
import type { AppConfig } from '../config/env.js';
import { createDatabase } from './db/create-database.js';
import { migrateAll } from './db/migrate.js';
import { createApp, type TresenApp } from './app/create-app.js';
import { createReadiness } from './http/readiness.js';
import { createLogger, type Logger } from './logger.js';
import { createMailer } from './mail/mailer.js';
import { createEventBus } from './events/event-bus.js';
import { startPostgresEventTransport } from './events/postgres-event-transport.js';
import type { PluginRegistry } from './plugin-host/registry.js';
import { systemClock } from './time.js';
import { firstStart, formatFirstStartReport } from './bootstrap/first-start.js';
import { createJobRunner } from './jobs/job-runner.js';
import { ensureSystemSchedules, systemJobHandlers } from './jobs/system-jobs.js';
import { createLeases, processOwner } from './jobs/leases.js';
import { withStartupLock } from './bootstrap/startup-lock.js';

export interface RunningServer {
  url: string;
  tresen: TresenApp;
  close(): Promise<void>;
}

export interface StartOptions {
  log?: Logger;
  announce?: (text: string) => void;
  /** Lease lengths: jobs (default 5 minutes) and workers' leases (default 30 s); tests shorten them to see take-overs. */
  jobLeaseMs?: number;
  workerLeaseMs?: number;
  jobPollMs?: number;
}

/** Opens the database, migrates, seeds a fresh install, and serves HTTP until closed. */
export async function startServer(config: AppConfig, registry: PluginRegistry, options: StartOptions = {}): Promise<RunningServer> {
  const log = options.log ?? createLogger(config.logLevel);
  const database = await createDatabase(config.databaseUrl, { onIdleError: (error) => log.warn('database connection ended while idle', { error: error.message }) });
  // Several instances started together: one migrates, the others wait for the lock and find nothing to do.
  await withStartupLock(database, () => migrateAll(database.db, registry));
  const clock = systemClock;
  const mailer = createMailer({ db: database.db, clock, defaultSmtpUrl: config.smtpUrl, defaultFrom: config.smtpFrom, log });
  const events = createEventBus();
  // On PostgreSQL several instances may serve one database: NOTIFY carries the events between them.
  // A SQLite file belongs to one process, so its bus stays in-process.
  const transport = database.dialect === 'postgres' && database.pool
    ? await startPostgresEventTransport({ bus: events, url: database.url, pool: database.pool, log })
    : undefined;
  // Alive (/healthz) as soon as it listens; ready (/readyz, and every route) once the first start is done.
  const readiness = createReadiness(false);
  const tresen = createApp(registry, { config, database, clock, log, mailer, events, readiness });
  await ensureSystemSchedules(database.db, clock, registry);
  // One owner name for this process's job and worker leases: host/pid/random.
  const owner = processOwner();
  const leases = createLeases(database.db, clock, { owner, ttlMs: options.workerLeaseMs ?? 30_000 });
  const jobs = createJobRunner({
    db: database.db, clock, log, owner,
    ...(options.jobLeaseMs ? { leaseMs: options.jobLeaseMs } : {}), ...(options.jobPollMs ? { pollMs: options.jobPollMs } : {}),
    handlers: systemJobHandlers({ mailer, registry, tenants: tresen.services.tenants, services: tresen.services, leases }),
  });
  jobs.start();
  const server: ServerType = await new Promise((resolve) => {
    const instance = serve({ fetch: tresen.app.fetch, port: config.port, hostname: config.host }, () => resolve(instance));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = config.baseUrl ?? `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`;

  // Plugins' long-lived workers (e.g. IMAP IDLE watchers): one per process, started after listening
  // (they are background work), stopped before the database closes. What only one instance may do
  // (watch a given mailbox) they hold under a lease.
  const workersStopped = new AbortController();
  const workers: Array<{ stop(): Promise<void> }> = [];
  for (const plugin of registry.plugins) {
    for (const worker of plugin.contributions.workers) {
      try {
        workers.push(await worker.start({ services: tresen.services, signal: workersStopped.signal, leases }));
      } catch (error) {
        log.error('plugin worker failed to start', { plugin: plugin.id, worker: worker.id, error: String(error) });
      }
    }
  }

  // An unreachable or unwritable attachment store (a wrong bucket, a read-only volume) stops the start, not the first upload.
  await tresen.services.files.blobs.check();
  // Seeding hashes passwords (scrypt) and writes demo data: after listening, so /healthz answers at once.
  // Under the startup lock: of instances started together on an empty database, one seeds; the others find its operator.
  const report = await withStartupLock(database, () => firstStart(database.db, database.dialect, registry, config));
  readiness.markReady();
  (options.announce ?? ((text) => process.stdout.write(`${text}\n`)))(`${formatFirstStartReport(report, url)}\n  Tresen ${config.version} listening on ${url} (${database.dialect})`);

  return {
    url,
    tresen,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Live (SSE) connections never end by themselves.
      (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      await closed;
      workersStopped.abort();
      await Promise.all(workers.map((worker) => worker.stop().catch((error: unknown) => log.warn('plugin worker stop failed', { error: String(error) }))));
      await jobs.stop();
      await mailer.close();
      await transport?.close();
      await database.close();
    },
  };
}
