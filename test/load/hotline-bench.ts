// The hotline statistics on the seed:load tenant (100,000 tickets over three years): the Statistics page
// (today, 7 days, 30 days, three years), GET /api/v1/statistics/hotline and the dashboard, each request
// handled in process (the app's full middleware and rendering, no network), p95 and median over
// BENCH_RUNS sequential requests (BENCH_REPEAT rounds); then one rebuild of the aggregate, timed, and the check that it
// equals a recount. SQLite and PostgreSQL (BENCH_DIALECT: sqlite, postgres or both).
// Run: npx tsx test/load/hotline-bench.ts   (seeds .tmp/bench-hotline[-pg] first when empty; BENCH_TICKETS, default 100000)
import { installedPlugins } from '../../config/plugins.js';
import { createApiToken } from '../../core/auth/api-tokens.js';
import type { Dialect } from '../../core/db/create-database.js';
import { isoToZoned } from '../../core/i18n/time-zone.js';
import { createRegistry } from '../../core/plugin-host/registry.js';
import { rebuildHotline, recountHotline, storedHotline } from '../../core/statistics/hotline-aggregate.js';
import { BENCH_ORIGIN, benchApp, benchCookie, benchDialects, benchSupervisor, loadAverage, seededDatabase, timeRequests, type Timed } from './in-process-bench.js';
import { LOAD_TENANT } from './load-fixture.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 200);
/** Measuring rounds on one seeded database (PostgreSQL is seeded afresh per process). */
const REPEAT = Number(process.env.BENCH_REPEAT ?? 1);

async function bench(dialect: Dialect) {
  const registry = createRegistry(installedPlugins);
  const setup = await seededDatabase(dialect, 'hotline', registry);
  try {
    const { db } = setup.database;
    const { tenant } = setup;
    const email = 'hotline-bench@load.test';
    const userId = await benchSupervisor(setup, email, 'Hotline Bench');
    // A token per round: one token's rate limit would answer 429 from the third round of 200 requests on.
    const tokens: string[] = [];
    for (let round = 0; round < REPEAT; round++) tokens.push((await createApiToken(db, { tenantId: tenant.id, userId, name: `hotline bench ${round + 1}` })).token);
    const { app, mailer } = benchApp(setup, registry);
    const cookie = await benchCookie(app, email);

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
    const coreOnly = benchApp(setup, createRegistry([])).app;
    targets.push(
      { name: 'core-only-page-30d', path: '/desk/statistics?period=30d', headers: { Cookie: cookie } },
      { name: 'core-only-page-3-years', path: `/desk/statistics?period=custom&from=${threeYearsAgo}&to=${today}`, headers: { Cookie: cookie } },
    );
    const rounds: Array<{ results: Record<string, Timed>; loadavg: number[] }> = [];
    for (let round = 0; round < REPEAT; round++) {
      const results: Record<string, Timed> = {};
      for (const target of targets) {
        const handler = target.name.startsWith('core-only') ? coreOnly : app;
        const headers = target.headers.Authorization ? { Authorization: `Bearer ${tokens[round]!}` } : target.headers;
        results[target.name] = await timeRequests(() => handler.request(`${BENCH_ORIGIN}/t/${LOAD_TENANT}${target.path}`, { headers }), RUNS, 10);
      }
      rounds.push({ results, loadavg: loadAverage() });
    }
    const tickets = Number((await db.selectFrom('tickets').select((eb) => eb.fn.countAll<number>().as('n')).where('tenant_id', '=', tenant.id).executeTakeFirstOrThrow()).n);
    const rebuildStarted = performance.now();
    const rows = await rebuildHotline(db, dialect, tenant.id, tenant.time_zone, new Date().toISOString());
    const rebuildMs = Math.round(performance.now() - rebuildStarted);
    const recount = await recountHotline(db, tenant.id, tenant.time_zone);
    const stored = await storedHotline(db, tenant.id);
    const equal = recount.size === stored.size && [...recount].every(([key, n]) => stored.get(key) === n);
    await mailer.close();
    return { dialect, tickets, runs: RUNS, rounds, rebuild: { rows, ms: rebuildMs, equalsRecount: equal }, loadavg: loadAverage() };
  } finally {
    await setup.close();
  }
}

const out = [];
for (const dialect of benchDialects()) out.push(await bench(dialect));
process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
process.exit(0);
