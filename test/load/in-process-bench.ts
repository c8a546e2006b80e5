// What the in-process benches of the statistics (hotline-bench.ts, kpi-bench.ts) share: the seed:load tenant in a data
// directory of their own (SQLite kept, PostgreSQL seeded afresh in a throwaway server), a supervisor to sign in as, the
// app built around that database, and requests timed one after another without a network in between.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import type { Hono } from 'hono';
import { createApp } from '../../core/app/create-app.js';
import { createDatabase, type Database, type Dialect } from '../../core/db/create-database.js';
import type { Tenant } from '../../core/db/schema.js';
import { migrateAll } from '../../core/db/migrate.js';
import { createEventBus } from '../../core/events/event-bus.js';
import { createLogger } from '../../core/logger.js';
import { createMailer, type Mailer } from '../../core/mail/mailer.js';
import { createUser } from '../../core/people/user-service.js';
import type { PluginRegistry } from '../../core/plugin-host/registry.js';
import { startPostgres, type PostgresServer } from '../harness/postgres-server.js';
import { testConfig, TEST_PASSWORD, TEST_SCRYPT_LOG_N, cookiesOf } from '../harness/test-app.js';
import { LOAD_TENANT } from './load-fixture.js';

export const BENCH_ORIGIN = 'http://tresen.bench';

/** BENCH_DIALECT: sqlite, postgres or both (the default). */
export function benchDialects(): readonly Dialect[] {
  return (process.env.BENCH_DIALECT ?? 'both') === 'both' ? ['sqlite', 'postgres'] : [process.env.BENCH_DIALECT as Dialect];
}

export const quantile = (sorted: number[], q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]! * 100) / 100;
export const loadAverage = () => loadavg().map((n) => Math.round(n * 100) / 100);

function seed(tickets: string, dataDir: string, databaseUrl?: string): void {
  process.stderr.write(`seeding ${tickets} tickets into ${databaseUrl ?? dataDir} …\n`);
  const result = spawnSync(resolve('node_modules/.bin/tsx'), ['test/load/seed-load.ts', '--tickets', tickets], {
    env: { ...process.env, DATA_DIR: dataDir, ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) }, stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (result.status !== 0) throw new Error(`seed:load failed with ${result.status}`);
}

export interface BenchSetup {
  database: Database;
  dataDir: string;
  url: string;
  tenant: Tenant;
  /** Closes the database and stops PostgreSQL's throwaway server. */
  close(): Promise<void>;
}

/** The seeded tenant of `.tmp/bench-<name>` (SQLite, seeded when missing) or `.tmp/bench-<name>-pg` (PostgreSQL, seeded afresh). */
export async function seededDatabase(dialect: Dialect, name: string, registry: PluginRegistry, tickets = process.env.BENCH_TICKETS ?? '100000'): Promise<BenchSetup> {
  let server: PostgresServer | undefined;
  const dataDir = resolve(dialect === 'sqlite' ? `.tmp/bench-${name}` : `.tmp/bench-${name}-pg`);
  mkdirSync(dataDir, { recursive: true });
  let url = `sqlite:${join(dataDir, 'tresen.db')}`;
  if (dialect === 'postgres') {
    server = await startPostgres();
    url = server.url;
    seed(tickets, dataDir, url);
  } else if (!existsSync(join(dataDir, 'tresen.db'))) {
    seed(tickets, dataDir);
  }
  const database = await createDatabase(url);
  await migrateAll(database.db, registry);
  const tenant = await database.db.selectFrom('tenants').selectAll().where('slug', '=', LOAD_TENANT).executeTakeFirstOrThrow();
  return { database, dataDir, url, tenant, close: async () => { await database.close(); await server?.stop(); } };
}

/** The bench's supervisor (created once per database). */
export async function benchSupervisor(setup: BenchSetup, email: string, name: string): Promise<number> {
  const { db } = setup.database;
  const existing = await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
  return existing?.id ?? await createUser(db, { tenantId: setup.tenant.id, email, name, role: 'supervisor', password: TEST_PASSWORD }, TEST_SCRYPT_LOG_N);
}

/** The app around the bench's database (`registry` decides the plugins), with a mailer that sends nothing. */
export function benchApp(setup: BenchSetup, registry: PluginRegistry): { app: Hono<any>; services: ReturnType<typeof createApp>['services']; mailer: Mailer } {
  const clock = () => new Date();
  const log = createLogger('silent');
  const config = testConfig({ dataDir: setup.dataDir, databaseUrl: setup.url });
  const mailer = createMailer({ db: setup.database.db, clock, defaultSmtpUrl: undefined, defaultFrom: config.smtpFrom, log });
  const { app, services } = createApp(registry, { config, database: setup.database, clock, log, mailer, events: createEventBus() });
  return { app, services, mailer };
}

/** Signs in through the form and returns the session cookie. */
export async function benchCookie(app: Hono<any>, email: string): Promise<string> {
  const login = await app.request(`${BENCH_ORIGIN}/t/${LOAD_TENANT}/login`, { method: 'POST', body: new URLSearchParams({ email, password: TEST_PASSWORD }), headers: { Origin: BENCH_ORIGIN } });
  if (login.status !== 303) throw new Error(`sign-in failed: ${login.status}`);
  return cookiesOf(login);
}

export interface Timed { p95Ms: number; medianMs: number; status: number }

/** Times `runs` requests one after another (after `warmup` untimed ones): p95, median and the last status. */
export async function timeRequests(call: () => Response | Promise<Response>, runs: number, warmup: number): Promise<Timed> {
  for (let i = 0; i < warmup; i++) await (await call()).arrayBuffer();
  const samples: number[] = [];
  let status = 0;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const response = await call();
    await response.arrayBuffer();
    samples.push(performance.now() - started);
    status = response.status;
  }
  samples.sort((a, b) => a - b);
  return { p95Ms: quantile(samples, 0.95), medianMs: quantile(samples, 0.5), status };
}
