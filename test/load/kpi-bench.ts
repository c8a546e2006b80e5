// The KPI report on the seed:load tenant (100,000 tickets over three years): the page for one year grouped
// by agent (the budget: p95 <= 300 ms), by group and by organisation, 30 days by agent, the one-year CSV and
// GET /api/v1/reports/kpi, each request handled in process (the app's full middleware and rendering, no
// network), p95 and median over BENCH_RUNS sequential requests (BENCH_REPEAT rounds). Before: the facts
// rebuilt from the tickets' history (timed; the seed writes past the ticket service), after: the check that
// the stored facts equal a recount. SQLite and PostgreSQL (BENCH_DIALECT: sqlite, postgres or both).
// Run: npx tsx test/load/kpi-bench.ts   (seeds .tmp/bench-kpi[-pg] first when empty; BENCH_TICKETS, default 100000)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { sql } from 'kysely';
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
import { KPI_BUSINESS_TIME } from '../../core/statistics/kpi-business-time.js';
import { rebuildKpiFacts, recountKpiFacts, storedKpiFacts } from '../../core/statistics/kpi-fact-store.js';
import { startPostgres, type PostgresServer } from '../harness/postgres-server.js';
import { testConfig, TEST_PASSWORD, TEST_SCRYPT_LOG_N, cookiesOf } from '../harness/test-app.js';
import { LOAD_TENANT } from './load-fixture.js';

const TICKETS = process.env.BENCH_TICKETS ?? '100000';
const RUNS = Number(process.env.BENCH_RUNS ?? 50);
const DIALECTS = (process.env.BENCH_DIALECT ?? 'both') === 'both' ? ['sqlite', 'postgres'] as const : [process.env.BENCH_DIALECT as Dialect];
const ORIGIN = 'http://tresen.bench';
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
  const dataDir = resolve(dialect === 'sqlite' ? '.tmp/bench-kpi' : '.tmp/bench-kpi-pg');
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
    const email = 'kpi-bench@load.test';
    const existing = await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
    const userId = existing?.id ?? await createUser(db, { tenantId: tenant.id, email, name: 'KPI Bench', role: 'supervisor', password: TEST_PASSWORD }, TEST_SCRYPT_LOG_N);
    const { token } = await createApiToken(db, { tenantId: tenant.id, userId, name: 'kpi bench' });
    const clock = () => new Date();
    const log = createLogger('silent');
    const config = testConfig({ dataDir, databaseUrl: url });
    const mailer = createMailer({ db, clock, defaultSmtpUrl: undefined, defaultFrom: config.smtpFrom, log });
    const { app, services } = createApp(registry, { config, database, clock, log, mailer, events: createEventBus() });
    const [business] = await services.hooks.extensions(KPI_BUSINESS_TIME, tenant.id);

    const rebuildStarted = performance.now();
    const facts = await rebuildKpiFacts(db, dialect, tenant.id, tenant.time_zone, business, new Date().toISOString());
    const rebuildMs = Math.round(performance.now() - rebuildStarted);
    // Fresh planner statistics for the new table (as the hourly cleanup's 'pragma optimize' and PostgreSQL's autovacuum would).
    await sql.raw('analyze kpi_facts').execute(db);

    const login = await app.request(`${ORIGIN}/t/${LOAD_TENANT}/login`, { method: 'POST', body: new URLSearchParams({ email, password: TEST_PASSWORD }), headers: { Origin: ORIGIN } });
    if (login.status !== 303) throw new Error(`sign-in failed: ${login.status}`);
    const cookie = cookiesOf(login);
    const today = isoToZoned(new Date().toISOString(), tenant.time_zone).slice(0, 10);
    const yearAgo = new Date(Date.parse(`${today}T00:00:00Z`) - 364 * 86_400_000).toISOString().slice(0, 10);
    const year = `from=${yearAgo}&to=${today}`;
    const targets: Array<{ name: string; path: string; headers: Record<string, string> }> = [
      { name: 'page-1-year-agent', path: `/desk/statistics/kpi?${year}&groupBy=agent`, headers: { Cookie: cookie } },
      { name: 'page-1-year-group', path: `/desk/statistics/kpi?${year}&groupBy=group`, headers: { Cookie: cookie } },
      { name: 'page-1-year-organisation', path: `/desk/statistics/kpi?${year}&groupBy=organisation`, headers: { Cookie: cookie } },
      { name: 'page-30d-agent', path: '/desk/statistics/kpi?period=30d&groupBy=agent', headers: { Cookie: cookie } },
      { name: 'csv-1-year-agent', path: `/desk/statistics/kpi.csv?${year}&groupBy=agent`, headers: { Cookie: cookie } },
      { name: 'api-1-year-agent', path: `/api/v1/reports/kpi?${year}&groupBy=agent`, headers: { Authorization: `Bearer ${token}` } },
    ];
    const rounds: Array<{ results: Record<string, { p95Ms: number; medianMs: number; status: number }>; loadavg: number[] }> = [];
    for (let round = 0; round < REPEAT; round++) {
      const results: Record<string, { p95Ms: number; medianMs: number; status: number }> = {};
      for (const target of targets) {
        const call = () => app.request(`${ORIGIN}/t/${LOAD_TENANT}${target.path}`, { headers: target.headers });
        let status = 0;
        for (let i = 0; i < 5; i++) await (await call()).arrayBuffer();
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
    const answered = Number((await db.selectFrom('kpi_facts').select((eb) => eb.fn.countAll<number>().as('n')).where('tenant_id', '=', tenant.id)
      .where('resolved_at', '>=', `${yearAgo}T00:00:00`).executeTakeFirstOrThrow()).n);
    const equal = isDeepStrictEqual(await recountKpiFacts(db, tenant.id, tenant.time_zone, business), await storedKpiFacts(db, tenant.id));
    await mailer.close();
    return { dialect, facts, businessTime: business !== undefined, solvedInYear: answered, runs: RUNS, rounds, rebuild: { ms: rebuildMs, equalsRecount: equal }, loadavg: loadavg().map((n) => Math.round(n * 100) / 100) };
  } finally {
    await database.close();
    await server?.stop();
  }
}

const out = [];
for (const dialect of DIALECTS) out.push(await bench(dialect));
process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
process.exit(0);
