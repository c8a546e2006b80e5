// Times the ticket workspace's queries straight against the seeded database and shows the plan
// of every statement they run (SQLite: EXPLAIN QUERY PLAN; PostgreSQL: EXPLAIN (ANALYZE, BUFFERS)),
// to find missing indexes and bad plans. On a busy machine the CPU time (cpuMedianMs: this
// process's user + system time; on PostgreSQL the server's time is not in it) is the steadier figure.
// `npx tsx test/load/query-profile.ts [--runs 20] [--only name,name] [--plans] [--cache-mb 64] [--broad-plan walk|set]`
// Env: BENCH_DATA_DIR (default .tmp/bench, or .tmp/bench-pg with PostgreSQL), the directory `npm run seed:load`
// filled; DATABASE_URL=postgres://… profiles that database instead of the SQLite file.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { openSqlite } from '../../core/db/create-database.js';
import type { DB } from '../../core/db/schema.js';
import { createTicketQueries, type TicketFilter } from '../../core/tickets/ticket-queries.js';
import { LOAD_AGENT_EMAIL, LOAD_FIXTURE_FILE, type LoadFixture } from './load-fixture.js';

interface Logged { sql: string; parameters: readonly unknown[]; ms: number }

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '20' }, only: { type: 'string' }, plans: { type: 'boolean', default: false }, 'broad-plan': { type: 'string' }, 'cache-mb': { type: 'string' } } });
  const runs = Number(values.runs);
  const only = values.only?.split(',');
  const postgresUrl = /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? '') ? process.env.DATABASE_URL : undefined;
  const dataDir = resolve(process.env.BENCH_DATA_DIR ?? (postgresUrl ? '.tmp/bench-pg' : '.tmp/bench'));
  const fixture = JSON.parse(readFileSync(join(dataDir, LOAD_FIXTURE_FILE), 'utf8')) as LoadFixture;
  const sqlite = postgresUrl ? undefined : await openSqlite(join(dataDir, 'tresen.db'));
  // The server's pool size, so statements of one call run side by side as they do there.
  const pool = postgresUrl ? new pg.Pool({ connectionString: postgresUrl, max: 10, options: '-c jit=off' }) : undefined;
  // Try another page cache size than the server's (SQLite's default is 2 MB per connection).
  if (sqlite && values['cache-mb']) sqlite.exec(`pragma cache_size = -${Number(values['cache-mb']) * 1024}`);
  let log: Logged[] = [];
  const db = new Kysely<DB>({
    dialect: pool ? new PostgresDialect({ pool }) : new SqliteDialect({ database: sqlite!.database }),
    log: (event) => { log.push({ sql: event.query.sql, parameters: event.query.parameters, ms: event.queryDurationMillis }); },
  });
  const tenant = await db.selectFrom('tenants').select('id').where('slug', '=', fixture.tenant).executeTakeFirstOrThrow();
  const agent = await db.selectFrom('users').select('id').where('tenant_id', '=', tenant.id).where('email', '=', LOAD_AGENT_EMAIL).executeTakeFirstOrThrow();
  const group = await db.selectFrom('group_members').select('group_id').where('user_id', '=', agent.id).executeTakeFirstOrThrow();
  const org = await db.selectFrom('tickets').select('organisation_id').where('tenant_id', '=', tenant.id).groupBy('organisation_id').orderBy(({ fn }) => fn.countAll(), 'desc').limit(1).executeTakeFirstOrThrow();
  // --broad-plan walk|set: a broad search's way on SQLite forced (ticket-search-walk.ts), to compare them.
  const broadPlan = values['broad-plan'] === 'walk' || values['broad-plan'] === 'set' ? values['broad-plan'] : undefined;
  const queries = createTicketQueries(db, pool ? 'postgres' : 'sqlite', tenant.id, undefined, { broadPlan });
  const viewer = await queries.viewer(agent.id);
  const year = new Date().getUTCFullYear();

  const search = (filter: TicketFilter) => () => queries.search(filter, viewer);
  const cases: Array<[string, () => Promise<unknown>]> = [
    ['queueCounts', () => queries.queueCounts(viewer)],
    ['queue new', () => queries.queue('new', viewer, 1)],
    ['queue customer', () => queries.queue('customer', viewer, 1)],
    ['queue support', () => queries.queue('support', viewer, 1)],
    ['queue customer p10', () => queries.queue('customer', viewer, 10)],
    ['all, updated desc', search({})],
    ['all, page 400', search({ page: 400 })],
    ['active', search({ status: 'active' })],
    ['closed', search({ status: 'closed' })],
    ['sort subject', search({ sort: 'subject' })],
    ['sort number', search({ sort: 'number' })],
    ['sort status', search({ sort: 'status' })],
    ['sort priority', search({ sort: 'priority' })],
    ['sort created asc', search({ sort: 'created_at', dir: 'asc' })],
    ['assignee me', search({ assignee: 'me' })],
    ['assignee none', search({ assignee: 'none' })],
    ['group', search({ group: group.group_id })],
    ['organisation', search({ organisation: org.organisation_id! })],
    ['priority 4', search({ priority: 4 })],
    ['from/to month', search({ from: `${year}-03-01`, to: `${year}-03-31` })],
    ['cf.impact=hoch', search({ 'cf.impact': 'hoch' })],
    ['deleted', search({ deleted: '1' })],
    ['number', search({ q: fixture.ticketNumber })],
    [`q common (${fixture.commonWord})`, search({ q: fixture.commonWord })],
    [`q rare (${fixture.rareWord})`, search({ q: fixture.rareWord })],
    // Ticket management's default since issue 18: the active tickets.
    ['q rare, active', search({ q: fixture.rareWord, status: 'active' })],
    ['q two words', search({ q: `${fixture.commonWord} offline` })],
    ['q short prefix', search({ q: 'dr' })],
    ['q common, open', search({ q: fixture.commonWord, status: 'open' })],
    ['q common, active', search({ q: fixture.commonWord, status: 'active' })],
    ['q common, sort priority', search({ q: fixture.commonWord, sort: 'priority' })],
    ['q common, page 50', search({ q: fixture.commonWord, page: 50 })],
    ['q common, organisation', search({ q: fixture.commonWord, organisation: org.organisation_id! })],
    ['q printer', search({ q: 'printer' })],
    ['q error code', search({ q: '0x1' })],
  ];

  const report: Array<Record<string, unknown>> = [];
  const plans: string[] = [];
  for (const [name, run] of cases) {
    if (only && !only.some((o) => name.startsWith(o))) continue;
    await run(); // warm the page cache
    const times: number[] = [];
    const cpu: number[] = [];
    let statements: Logged[] = [];
    let result: unknown;
    for (let i = 0; i < runs; i++) {
      log = [];
      const started = performance.now();
      const cpuBefore = process.cpuUsage();
      result = await run();
      times.push(performance.now() - started);
      const used = process.cpuUsage(cpuBefore);
      cpu.push((used.user + used.system) / 1000);
      statements = log;
    }
    times.sort((a, b) => a - b);
    cpu.sort((a, b) => a - b);
    const total = (result as { total?: number; totalCapped?: boolean }).total;
    report.push({
      case: name, medianMs: Number(percentile(times, 50).toFixed(2)), p95Ms: Number(percentile(times, 95).toFixed(2)), cpuMedianMs: Number(percentile(cpu, 50).toFixed(2)),
      total: typeof total === 'number' ? `${total}${(result as { totalCapped?: boolean }).totalCapped ? '+' : ''}` : JSON.stringify(result).slice(0, 40),
      statementsMs: statements.map((s) => s.ms.toFixed(1)).join(' / '),
    });
    if (values.plans) {
      plans.push(`\n## ${name}`);
      for (const statement of statements) {
        plans.push(`-- ${statement.ms.toFixed(2)} ms: ${statement.sql.replace(/\s+/g, ' ').slice(0, 600)}`);
        if (pool) {
          const explained = await pool.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${statement.sql}`, statement.parameters as unknown[]);
          for (const row of explained.rows) plans.push(`  ${row['QUERY PLAN']}`);
          continue;
        }
        const rows = sqlite!.database.prepare(`explain query plan ${statement.sql}`).all(statement.parameters) as Array<{ id: number; parent: number; detail: string }>;
        const depth = new Map<number, number>([[0, 0]]);
        for (const row of rows) {
          const d = (depth.get(row.parent) ?? 0) + 1;
          depth.set(row.id, d);
          plans.push(`${'  '.repeat(d)}${row.detail}`);
        }
      }
    }
  }
  console.table(report);
  if (plans.length) console.log(plans.join('\n'));
  await db.destroy();
}

main().catch((error: unknown) => {
  process.stderr.write(`query-profile: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
