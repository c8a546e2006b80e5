// The hotline statistics on the seed:load tenant (100,000 tickets over three years): the Statistics page
// (today, 7 days, 30 days, three years), GET /api/v1/statistics/hotline and the dashboard, each request
// handled in process (the app's full middleware and rendering, no network), p95 and median over
// BENCH_RUNS sequential requests (BENCH_REPEAT rounds); then one rebuild of the aggregate, timed, and the check that it
// equals a recount. SQLite and PostgreSQL (BENCH_DIALECT: sqlite, postgres or both).
// Run: npx tsx test/load/hotline-bench.ts   (seeds .tmp/bench-hotline[-pg] first when empty; BENCH_TICKETS, default 100000)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { installedPlugins } from '../../config/plugins.js';
import { createApp } from '../../core/app/create-app.js';
import { createApiToken } from '../../core/auth/api-tokens.js';
import { createDatabase, type Database, type Dialect } from '../../core/db/create-database.js';
import { migrateAll } from '../../core/db/migrate.js';
import { createEventBus } from '../../core/events/event-bus.js';
import { isoToZoned } from '../../core/i18n/time-zone.js';
import { createLogger } from '../../core/logger.js';
import { createMailer } from '../../core/mail/mailer.js';
import { createUser } from '../../core/people/user-service.js';
import { createRegistry } from '../../core/plugin-host/registry.js';
import { rebuildHotline, recountHotline, storedHotline } from '../../core/statistics/hotline-aggregate.js';
import { startPostgres, type PostgresServer } from '../harness/postgres-server.js';
import { testConfig, TEST_PASSWORD, TEST_SCRYPT_LOG_N, cookiesOf } from '../harness/test-app.js';
import { LOAD_TENANT } from './load-fixture.js';

const TICKETS = process.env.BENCH_TICKETS ?? '100000';
const RUNS = Number(process.env.BENCH_RUNS ?? 200);
const DIALECTS = (process.env.BENCH_DIALECT ?? 'both') === 'both' ? ['sqlite', 'postgres'] as const : [process.env.BENCH_DIALECT as Dialect];
const ORIGIN = 'http://tresen.bench';
/** Measuring rounds on one seeded database (PostgreSQL is seeded afresh per process). */
const REPEAT = Number(process.env.BENCH_REPEAT ?? 1);

const quantile = (sorted: number[], q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]! * 100) / 100;

function seed(dataDir: string, databaseUrl?: string): void {
  process.stderr.write(`seeding ${TICKETS} tickets into ${databaseUrl ?? dataDir} …\n`);
  const result = spawnSync(resolve('node_modules/.bin/tsx'), ['test/load/seed-load.ts', '--tickets', TICKETS], {
    env: { ...process.env, DATA_DIR: dataDir, ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) }, stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (result.status !== 0) throw new Error(`seed:load failed with ${result.status}`);
}

async function bench(dialect: Dialect) {
  let server: PostgresServer | undefined;
  const dataDir = resolve(dialect === 'sqlite' ? '.tmp/bench-hotline' : '.tmp/bench-hotline-pg');
  mkdirSync(dataDir, { recursive: true });
  let url = `sqlite:${join(dataDir, 'tresen.db')}`;
  if (dialect === 'postgres') {
    server = await startPostgres();
    url = server.url;
    seed(dataDir, url);
  } else if (!existsSync(join(dataDir, 'tresen.db'))) {
    seed(dataDir);
  }
  const registry = createRegistry(installedPlugins);
  const database: Database = await createDatabase(url);
  try {
    await migrateAll(database.db, registry);
    const db = database.db;
    const tenant = await db.selectFrom('tenants').selectAll().where('slug', '=', LOAD_TENANT).executeTakeFirstOrThrow();
    const email = 'hotline-bench@load.test';
    const existing = await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
    const userId = existing?.id ?? await createUser(db, { tenantId: tenant.id, email, name: 'Hotline Bench', role: 'supervisor', password: TEST_PASSWORD }, TEST_SCRYPT_LOG_N);
    // A token per round: one token's rate limit would answer 429 from the third round of 200 requests on.
    const tokens: string[] = [];
    for (let round = 0; round < REPEAT; round++) tokens.push((await createApiToken(db, { tenantId: tenant.id, userId, name: `hotline bench ${round + 1}` })).token);
    const clock = () => new Date();
    const log = createLogger('silent');
    const config = testConfig({ dataDir, databaseUrl: url });
    const mailer = createMailer({ db, clock, defaultSmtpUrl: undefined, defaultFrom: config.smtpFrom, log });
    const { app } = createApp(registry, { config, database, clock, log, mailer, events: createEventBus() });
    const login = await app.request(`${ORIGIN}/t/${LOAD_TENANT}/login`, { method: 'POST', body: new URLSearchParams({ email, password: TEST_PASSWORD }), headers: { Origin: ORIGIN } });
    if (login.status !== 303) throw new Error(`sign-in failed: ${login.status}`);
    const cookie = cookiesOf(login);

    const today = isoToZoned(new Date().toISOString(), tenant.time_zone).slice(0, 10);
    const threeYearsAgo = new Date(Date.parse(`${today}T00:00:00Z`) - 1094 * 86_400_000).toISOString().slice(0, 10);
    const targets: Array<{ name: string; path: string; headers: Record<string, string> }> = [
      { name: 'page-today', path: '/desk/statistics?period=today', headers: { Cookie: cookie } },
      { name: 'page-7d', path: '/desk/statistics?period=7d', headers: { Cookie: cookie } },
      { name: 'page-30d', path: '/desk/statistics?period=30d', headers: { Cookie: cookie } },
      { name: 'page-3-years', path: `/desk/statistics?period=custom&from=${threeYearsAgo}&to=${today}`, headers: { Cookie: cookie } },
      { name: 'csv-30d', path: '/desk/statistics/hotline.csv?period=30d', headers: { Cookie: cookie } },
      { name: 'api-30d', path: `/api/v1/statistics/hotline?from=${new Date(Date.parse(`${today}T00:00:00Z`) - 29 * 86_400_000).toISOString().slice(0, 10)}&to=${today}`, headers: { Authorization: 'token' } },
      { name: 'dashboard', path: '/desk', headers: { Cookie: cookie } },
    ];
    // The same pages with no plugin installed: the core's hotline panel alone (the seeded tenant has every plugin on,
    // and the SLA, hardware and survey plugins add statistics panels of their own).
    const coreOnly = createApp(createRegistry([]), { config, database, clock, log, mailer, events: createEventBus() }).app;
    targets.push(
      { name: 'core-only-page-30d', path: '/desk/statistics?period=30d', headers: { Cookie: cookie } },
      { name: 'core-only-page-3-years', path: `/desk/statistics?period=custom&from=${threeYearsAgo}&to=${today}`, headers: { Cookie: cookie } },
    );
    const rounds: Array<{ results: Record<string, { p95Ms: number; medianMs: number; status: number }>; loadavg: number[] }> = [];
    for (let round = 0; round < REPEAT; round++) {
      const results: Record<string, { p95Ms: number; medianMs: number; status: number }> = {};
      for (const target of targets) {
        const handler = target.name.startsWith('core-only') ? coreOnly : app;
        const headers = target.headers.Authorization ? { Authorization: `Bearer ${tokens[round]!}` } : target.headers;
        const call = () => handler.request(`${ORIGIN}/t/${LOAD_TENANT}${target.path}`, { headers });
        let status = 0;
        for (let i = 0; i < 10; i++) await (await call()).arrayBuffer();
        const samples: number[] = [];
        for (let i = 0; i < RUNS; i++) {
          const started = performance.now();
          const response = await call();
          await response.arrayBuffer();
          samples.push(performance.now() - started);
          status = response.status;
        }
        samples.sort((a, b) => a - b);
        results[target.name] = { p95Ms: quantile(samples, 0.95), medianMs: quantile(samples, 0.5), status };
      }
      rounds.push({ results, loadavg: loadavg().map((n) => Math.round(n * 100) / 100) });
    }
    const tickets = Number((await db.selectFrom('tickets').select((eb) => eb.fn.countAll<number>().as('n')).where('tenant_id', '=', tenant.id).executeTakeFirstOrThrow()).n);
    const rebuildStarted = performance.now();
    const rows = await rebuildHotline(db, dialect, tenant.id, tenant.time_zone, new Date().toISOString());
    const rebuildMs = Math.round(performance.now() - rebuildStarted);
    const recount = await recountHotline(db, tenant.id, tenant.time_zone);
    const stored = await storedHotline(db, tenant.id);
    const equal = recount.size === stored.size && [...recount].every(([key, n]) => stored.get(key) === n);
    await mailer.close();
    return { dialect, tickets, runs: RUNS, rounds, rebuild: { rows, ms: rebuildMs, equalsRecount: equal }, loadavg: loadavg().map((n) => Math.round(n * 100) / 100) };
  } finally {
    await database.close();
    await server?.stop();
  }
}

const out = [];
for (const dialect of DIALECTS) out.push(await bench(dialect));
process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
process.exit(0);
