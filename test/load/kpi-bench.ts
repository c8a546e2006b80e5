// The KPI report on the seed:load tenant (100,000 tickets over three years): the page for one year grouped
// by agent (the budget: p95 <= 300 ms), by group and by organisation, 30 days by agent, the one-year CSV and
// GET /api/v1/reports/kpi, each request handled in process (the app's full middleware and rendering, no
// network), p95 and median over BENCH_RUNS sequential requests (BENCH_REPEAT rounds). Before: the facts
// rebuilt from the tickets' history (timed; the seed writes past the ticket service), after: the check that
// the stored facts equal a recount. SQLite and PostgreSQL (BENCH_DIALECT: sqlite, postgres or both).
// Run: npx tsx test/load/kpi-bench.ts   (seeds .tmp/bench-kpi[-pg] first when empty; BENCH_TICKETS, default 100000)
import { isDeepStrictEqual } from 'node:util';
import { sql } from 'kysely';
import { installedPlugins } from '../../config/plugins.js';
import { createApiToken } from '../../core/auth/api-tokens.js';
import type { Dialect } from '../../core/db/create-database.js';
import { isoToZoned } from '../../core/i18n/time-zone.js';
import { createRegistry } from '../../core/plugin-host/registry.js';
import { KPI_BUSINESS_TIME } from '../../core/statistics/kpi-business-time.js';
import { rebuildKpiFacts, recountKpiFacts, storedKpiFacts } from '../../core/statistics/kpi-fact-store.js';
import { BENCH_ORIGIN, benchApp, benchCookie, benchDialects, benchSupervisor, loadAverage, seededDatabase, timeRequests, type Timed } from './in-process-bench.js';
import { LOAD_TENANT } from './load-fixture.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 50);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 1);

async function bench(dialect: Dialect) {
  const registry = createRegistry(installedPlugins);
  const setup = await seededDatabase(dialect, 'kpi', registry);
  try {
    const { db } = setup.database;
    const { tenant } = setup;
    const email = 'kpi-bench@load.test';
    const userId = await benchSupervisor(setup, email, 'KPI Bench');
    const { token } = await createApiToken(db, { tenantId: tenant.id, userId, name: 'kpi bench' });
    const { app, services, mailer } = benchApp(setup, registry);
    const [business] = await services.hooks.extensions(KPI_BUSINESS_TIME, tenant.id);

    const rebuildStarted = performance.now();
    const facts = await rebuildKpiFacts(db, dialect, tenant.id, tenant.time_zone, business, new Date().toISOString());
    const rebuildMs = Math.round(performance.now() - rebuildStarted);
    // Fresh planner statistics for the new table (as the hourly cleanup's 'pragma optimize' and PostgreSQL's autovacuum would).
    await sql.raw('analyze kpi_facts').execute(db);

    const cookie = await benchCookie(app, email);
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
    const rounds: Array<{ results: Record<string, Timed>; loadavg: number[] }> = [];
    for (let round = 0; round < REPEAT; round++) {
      const results: Record<string, Timed> = {};
      for (const target of targets) results[target.name] = await timeRequests(() => app.request(`${BENCH_ORIGIN}/t/${LOAD_TENANT}${target.path}`, { headers: target.headers }), RUNS, 5);
      rounds.push({ results, loadavg: loadAverage() });
    }
    const answered = Number((await db.selectFrom('kpi_facts').select((eb) => eb.fn.countAll<number>().as('n')).where('tenant_id', '=', tenant.id)
      .where('resolved_at', '>=', `${yearAgo}T00:00:00`).executeTakeFirstOrThrow()).n);
    const equal = isDeepStrictEqual(await recountKpiFacts(db, tenant.id, tenant.time_zone, business), await storedKpiFacts(db, tenant.id));
    await mailer.close();
    return { dialect, facts, businessTime: business !== undefined, solvedInYear: answered, runs: RUNS, rounds, rebuild: { ms: rebuildMs, equalsRecount: equal }, loadavg: loadAverage() };
  } finally {
    await setup.close();
  }
}

const out = [];
for (const dialect of benchDialects()) out.push(await bench(dialect));
process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
process.exit(0);
