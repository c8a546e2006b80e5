// `npx tsx test/load/sla-list-bench.ts`: what the SLA list column and filters cost ticket management at BENCH_TICKETS
// (100,000) open tickets, each with three clocks (written directly, as a recompute leaves them: created over 30 days,
// so nearly all are overdue, a few break within the hour). Measures through the real queries: the filter's first page
// (the list's page query with its `tickets.id in (…)`), the page with its count (ticketQueries.search), and the "Due"
// column for a page of 25. Env: BENCH_TICKETS (100000), BENCH_DB (sqlite, postgres or both), BENCH_RUNS (20).
// Overdue at five shares (all, every 3rd, 10th, 50th, 1000th ticket): the filter's first page, the page with its (capped)
// count, and page 40 (the last within the cap). Prints JSON (median and p95 per measure). A benchmark, not a test: figures go into plugins/sla/README.md.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type SqlBool } from 'kysely';
import pg from 'pg';
import { createDatabase, type Database } from '../../core/db/create-database.js';
import { DateFormats, dateContext } from '../../core/i18n/format.js';
import { migrateAll } from '../../core/db/migrate.js';
import { enablePlugin } from '../../core/plugin-host/plugin-switches.js';
import { createRegistry } from '../../core/plugin-host/registry.js';
import { pluginScope, tenantScope } from '../../core/tenancy/tenant-scope.js';
import { createTenant } from '../../core/tenancy/tenant-service.js';
import { createTicketQueries } from '../../core/tickets/ticket-queries.js';
import { helpdeskPlugin } from '../../plugins/helpdesk/index.js';
import { slaPlugin } from '../../plugins/sla/index.js';
import { FEW_OVERDUE_CLOCKS, dueColumn, dueFilter, overdueForm, overdueTicketIds } from '../../plugins/sla/list-extensions.js';
import type { SlaDB } from '../../plugins/sla/sla-db.js';
import { startPostgres } from '../harness/postgres-server.js';

const TICKETS = Number(process.env.BENCH_TICKETS ?? 100_000);
const WHICH = process.env.BENCH_DB ?? 'both';
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const NOW = Date.now();
const iso = (ms: number) => new Date(ms).toISOString();
const ms = (from: number) => Math.round((performance.now() - from) * 100) / 100;

async function timed(fn: () => Promise<unknown>): Promise<{ medianMs: number; p95Ms: number }> {
  await fn();
  const runs: number[] = [];
  for (let i = 0; i < RUNS; i++) { const t = performance.now(); await fn(); runs.push(ms(t)); }
  runs.sort((a, b) => a - b);
  return { medianMs: runs[Math.floor(runs.length / 2)]!, p95Ms: runs[Math.min(runs.length - 1, Math.ceil(0.95 * runs.length) - 1)]! };
}

async function bench(database: Database) {
  const registry = createRegistry([helpdeskPlugin, slaPlugin]);
  await migrateAll(database.db, registry);
  const tenant = await createTenant(database.db, { slug: 'bench', name: 'Bench', locale: 'en' });
  for (const id of ['helpdesk', 'sla']) await enablePlugin(database.db, registry, tenant.id, id);
  const scope = pluginScope<SlaDB>(database.db, tenant.id);
  const office = JSON.stringify(Object.fromEntries([1, 2, 3, 4, 5].map((d) => [d, [[480, 1020]]])));
  const calendar = (await scope.insertInto('sla_calendars', { name: 'Office', time_zone: 'Europe/Berlin', hours: office, is_default: 0, created_at: iso(NOW), updated_at: iso(NOW) }).returning('id').executeTakeFirstOrThrow()).id;
  const level = (await scope.insertInto('sla_levels', {
    name: 'Standard', calendar_id: calendar, targets: JSON.stringify({ first_response: [60, 60, 60, 60], update: [240, 240, 240, 240], solution: [480, 480, 480, 480] }),
    first_line_minutes: null, first_line_group_id: null, first_line_forward_group_id: null, created_at: iso(NOW), updated_at: iso(NOW),
  }).returning('id').executeTakeFirstOrThrow()).id;
  for (let i = 0; i < TICKETS; i += 500) {
    const rows = Array.from({ length: Math.min(500, TICKETS - i) }, (_, k) => {
      const at = iso(NOW - ((i + k) % 43_200) * 60_000);
      return { tenant_id: tenant.id, number: `B-${i + k}`, subject: 'Bench ticket', description: 'x', status: 'open' as const, priority: 2, created_at: at, updated_at: at };
    });
    await database.db.insertInto('tickets').values(rows as never).execute();
  }
  const tickets = await scope.selectFrom('tickets').select(['id', 'created_at']).orderBy('id').execute();
  for (let i = 0; i < tickets.length; i += 300) {
    await scope.insertInto('sla_clocks', tickets.slice(i, i + 300).flatMap((t) => ([['first_response', 60], ['update', 240], ['solution', 480]] as const).map(([clock, minutes]) => ({
      ticket_id: t.id, clock, level_id: level, started_at: t.created_at, due_at: iso(Date.parse(t.created_at) + minutes * 60_000), achieved_at: null,
      paused_minutes: 0, over_minutes: null, remaining_minutes: minutes, state: 'running' as const, next_escalation_at: null, computed_at: iso(NOW),
    })))).execute();
  }
  // Planner statistics and (PostgreSQL) a vacuumed table, as a running server has them (SQLite: `pragma optimize` at
  // open and the hourly cleanup; PostgreSQL: autovacuum, which the bench's bulk updates would otherwise outrun).
  const settle = () => sql.raw(database.dialect === 'postgres' ? 'vacuum analyze' : 'analyze').execute(database.db);
  await settle();
  const core = tenantScope(database.db, tenant.id);
  const queries = createTicketQueries(database.db, database.dialect, tenant.id);
  const viewer = { userId: 0, groupIds: [] };
  const list = { dialect: database.dialect };
  const narrow = async (value: string) => (await dueFilter.ticketIds(core, value, list))!;
  const firstPage = async (value: string) => scope.selectFrom('tickets').select('id').where('deleted_at', 'is', null)
    .where('id', 'in', await narrow(value)).orderBy('updated_at', 'desc').orderBy('id', 'desc').limit(25).execute();
  const search = async (value: string, page = 1) => queries.search({ page }, viewer, 25, [await narrow(value)]);
  const result: Record<string, unknown> = { tickets: tickets.length };
  const soon = await search('soon');
  result.soonMatches = soon.total;
  result.soonPageWithCount = await timed(() => search('soon'));
  // The filter's previous form (all overdue ids in one uncorrelated `in (…)`) and the previous uncapped count of the
  // row-tied form, for the before/after in the README (all overdue only: they take seconds a run).
  const now = () => new Date().toISOString();
  const before = () => scope.selectFrom('sla_clocks').select('ticket_id').where('state', 'in', ['running', 'paused']).where('due_at', '<', now());
  result.overdueFirstPageBefore = await timed(() => scope.selectFrom('tickets').select('id').where('deleted_at', 'is', null)
    .where('id', 'in', before()).orderBy('updated_at', 'desc').orderBy('id', 'desc').limit(25).execute());
  const rowTied = () => scope.selectFrom('sla_clocks').select('ticket_id').where('state', 'in', ['running', 'paused'])
    .where((eb) => eb('sla_clocks.ticket_id', '=', eb.ref('tickets.id' as 'sla_clocks.ticket_id'))).where((eb) => eb(eb.fn.coalesce('due_at', eb.val('9999')), '<', now()));
  result.overdueCountUncappedBefore = await timed(() => scope.selectFrom('tickets').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('deleted_at', 'is', null).where('id', 'in', rowTied()).executeTakeFirstOrThrow());
  // Overdue shares: all (as created), then every 3rd, 10th, 50th and 1000th ticket overdue (the others' clocks due tomorrow).
  for (const every of [1, 3, 10, 50, 1000]) {
    if (every > 1) {
      const later = iso(NOW + 86_400_000);
      await scope.updateTable('sla_clocks').set({ due_at: later }).execute();
      await scope.updateTable('sla_clocks').set({ due_at: iso(NOW - 3_600_000) }).where(sql<SqlBool>`ticket_id % ${every} = 0`).execute();
      await settle();
    }
    const label = every === 1 ? 'overdueAll' : `overdueEvery${every}`;
    if (process.env.BENCH_EXPLAIN) {
      // The plans of the list's capped count and first page (as ticketQueries.search builds them), for reading.
      const ids = await narrow('overdue');
      const count = database.db.selectFrom(core.selectFrom('tickets').select('tickets.id').where('tickets.deleted_at', 'is', null).where('tickets.id', 'in', ids).limit(1001).as('matching'))
        .select((eb) => eb.fn.countAll<number>().as('n')).compile();
      const pageQuery = core.selectFrom('tickets').select('tickets.id').where('tickets.deleted_at', 'is', null).where('tickets.id', 'in', ids)
        .orderBy('tickets.updated_at', 'desc').orderBy('tickets.id', 'desc').limit(25).compile();
      const probe = database.db.selectFrom(scope.selectFrom('sla_clocks').select('ticket_id').where(sql<SqlBool>`sla_clocks.state in ('running', 'paused')`)
        .where('due_at', '<', now()).limit(FEW_OVERDUE_CLOCKS + 1).as('late')).select((eb) => eb.fn.countAll<number>().as('n')).compile();
      for (const [name, query] of [['probe', probe], ['count', count], ['page', pageQuery]] as const) {
        const explain = database.dialect === 'sqlite' ? 'explain query plan ' : 'explain (analyze, costs off) ';
        const plan = await database.db.executeQuery({ ...query, sql: explain + query.sql } as never);
        console.error(label, name, query.sql, '\n', (plan.rows as Array<Record<string, unknown>>).map((r) => r.detail ?? r['QUERY PLAN']).join('\n '));
      }
    }
    const first = await search('overdue');
    result[label] = {
      matches: `${first.total}${first.totalCapped ? '+' : ''}`,
      // The look at the late clocks that picks the form (SQLite; PostgreSQL answers without a query).
      formLook: await timed(() => overdueForm(core, new Date(), list)),
      firstPage: await timed(() => firstPage('overdue')),
      pageWithCount: await timed(() => search('overdue')),
      page40WithCount: await timed(() => search('overdue', 40)),
      // Each form forced, whatever the count of late clocks (where the threshold FEW_OVERDUE_CLOCKS belongs).
      shortListPageWithCount: await timed(() => queries.search({}, viewer, 25, [overdueTicketIds(core, new Date(), 'list')])),
      rowTiedPageWithCount: await timed(() => queries.search({}, viewer, 25, [overdueTicketIds(core, new Date(), 'row')])),
      ...(database.dialect === 'postgres' ? { idsPageWithCount: await timed(() => queries.search({}, viewer, 25, [overdueTicketIds(core, new Date(), 'ids')])) } : {}),
    };
  }
  result.unfilteredPageWithCount = await timed(() => queries.search({}, viewer, 25, []));
  const page = tickets.slice(-25).map((t) => t.id);
  const ctx = { tenantId: tenant.id, scope: core, t: (key: string) => key, dates: dateContext(new DateFormats(), 'en', 'Europe/Berlin') } as never;
  result.dueColumnPage = await timed(() => dueColumn.cells(page, ctx));
  return result;
}

const results: Record<string, unknown> = {};
if (WHICH !== 'postgres') {
  const dir = mkdtempSync(join(tmpdir(), 'sla-list-bench-'));
  const sqlite = await createDatabase(`sqlite:${join(dir, 'bench.db')}`);
  results.sqlite = await bench(sqlite);
  await sqlite.close();
  rmSync(dir, { recursive: true, force: true });
}
if (WHICH !== 'sqlite') {
  const server = await startPostgres();
  try {
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    await admin.query('create database sla_list_bench');
    await admin.end();
    const postgres = await createDatabase(server.url.replace(/\/[^/]*$/, '/sla_list_bench'), { poolSize: 5 });
    results.postgres = await bench(postgres);
    await postgres.close();
  } finally {
    await server.stop();
  }
}
console.log(JSON.stringify(results, null, 2));
