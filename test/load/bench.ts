// `npm run bench`: the real server on a seeded database, each scenario under load, results as JSON.
// The seed (run first when BENCH_DATA_DIR is empty) writes load-fixture.json: ticket number, search words, API token.
// Env: BENCH_DATA_DIR (default .tmp/bench, or .tmp/bench-pg with PostgreSQL), BENCH_TICKETS (100000), BENCH_SECONDS
// (10 per run), BENCH_CONNECTIONS (10; every scenario also runs with one connection), BENCH_ONLY (comma-separated names),
// DATABASE_URL (postgres://…: seed and serve that database instead of SQLite in BENCH_DATA_DIR; the data dir then
// holds only the secret and the fixture), BENCH_RUNTIME (node: the compiled dist/ as `npm start` runs it; deno: the
// sources as `deno task start` runs them, with DENO_BIN or the harness's Deno), TRESEN_SQLITE_DRIVER (better-sqlite3 |
// node:sqlite, passed on to the server).
// Sizes (bench-sizes.ts): `npm run bench -- --tickets 1000000` seeds each size into a data directory of its own when
// missing (.tmp/bench-<n>, or a database <name>_<n> beside DATABASE_URL's), with progress, compares it with 100,000
// tickets (`--base`, 0 for none), A/B/A/B (`--rounds`, 2), and ends with the ratios of the medians.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { denoBinary } from '../harness/deno-runtime.js';
import { freePort } from '../harness/postgres-server.js';
import { benchPlan, ensurePostgresDatabase, printRatios, ratiosOf, type BenchTarget } from './bench-sizes.js';
import { LOAD_AGENT_EMAIL, LOAD_FIXTURE_FILE, LOAD_PASSWORD, LOAD_SUPERVISOR_EMAIL, LOAD_TENANT, type LoadFixture } from './load-fixture.js';
import { scenarios, type Scenario } from './scenarios.js';

const envPostgresUrl = /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? '') ? process.env.DATABASE_URL : undefined;
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
const tsx = resolve('node_modules/.bin/tsx');
const runtime = process.env.BENCH_RUNTIME ?? 'node';
if (runtime !== 'node' && runtime !== 'deno') throw new Error('BENCH_RUNTIME must be node or deno');

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function memoryOf(pid: number): { rssMb: number; peakRssMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rssMb: Math.round(kb('VmRSS') / 1024), peakRssMb: Math.round(kb('VmHWM') / 1024) };
}

/** Proportional set size of a process (shared pages split among their users), in kB; 0 when unreadable. */
function pssKbOf(pid: number): number {
  try {
    return Number(/^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/**
 * The size of the database and, for a PostgreSQL server on this machine, its memory: the PSS of the
 * postmaster and all its children summed (shared buffers counted once, not per backend).
 */
async function databaseFootprint({ dataDir, postgresUrl }: BenchTarget): Promise<{ databaseMb: number; postgresProcesses?: number; postgresPssMb?: number }> {
  if (!postgresUrl) {
    const files = readdirSync(dataDir).filter((f) => /^tresen\.db(-wal|-shm)?$/.test(f));
    return { databaseMb: Math.round(files.reduce((sum, f) => sum + statSync(resolve(dataDir, f)).size, 0) / 1048576) };
  }
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    const size = await client.query<{ bytes: string }>('select pg_database_size(current_database()) as bytes');
    const backend = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
    const databaseMb = Math.round(Number(size.rows[0]!.bytes) / 1048576);
    // The postmaster is our backend's parent; its children are every PostgreSQL process.
    const parentOf = (pid: number) => Number(readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ')[1]);
    let postmaster: number;
    try {
      postmaster = parentOf(backend.rows[0]!.pid);
    } catch {
      return { databaseMb }; // a server on another machine
    }
    const pids = [postmaster, ...readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number).filter((pid) => {
      try { return parentOf(pid) === postmaster; } catch { return false; }
    })];
    return { databaseMb, postgresProcesses: pids.length, postgresPssMb: Math.round(pids.reduce((sum, pid) => sum + pssKbOf(pid), 0) / 1024) };
  } finally {
    await client.end();
  }
}

/** Milliseconds from start until `path` answers 200: /healthz (alive, listening) or /readyz (first start done). */
async function waitFor(path: '/healthz' | '/readyz', url: string, child: ChildProcess, startedAt: number): Promise<number> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      const response = await fetch(`${url}${path}`);
      if (response.ok) return Math.round(performance.now() - startedAt);
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function signIn(url: string, email = LOAD_AGENT_EMAIL): Promise<string> {
  const response = await fetch(`${url}/t/${LOAD_TENANT}/login`, {
    method: 'POST', redirect: 'manual', headers: { Origin: url, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email, password: LOAD_PASSWORD }),
  });
  if (response.status !== 303) throw new Error(`sign-in failed with ${response.status}`);
  return response.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
}

function targetOf(url: string, scenario: Scenario): string {
  return `${url}${scenario.platform ? '' : `/t/${LOAD_TENANT}`}${scenario.path}`;
}

function headersOf(scenario: Scenario, cookie: string): Record<string, string> {
  return { ...(scenario.signedIn ? { cookie } : {}), ...scenario.headers };
}

/** One load level: `clients` connections, each sending its next request when the answer is in. */
async function measure(url: string, scenario: Scenario, cookie: string, clients: number) {
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  const result = await new Promise<autocannon.Result>((resolvePromise, reject) => {
    const instance = autocannon({
      url: targetOf(url, scenario), connections: clients, duration: seconds, headers: headersOf(scenario, cookie),
    }, (error, finished) => (error ? reject(error) : resolvePromise(finished)));
    instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
      latencies.push(responseTime);
      statuses.set(statusCode, (statuses.get(statusCode) ?? 0) + 1);
    });
  });
  latencies.sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 100) / 100;
  // A budget only counts when the server answered: a 404 or 500 is fast and proves nothing.
  const ok = [...statuses.keys()].every((status) => status >= 200 && status < 300) && latencies.length > 0;
  const p95Ms = round(percentile(latencies, 95));
  return {
    connections: clients,
    requests: latencies.length,
    rps: round(result.requests.average),
    p50Ms: round(percentile(latencies, 50)),
    p95Ms,
    p99Ms: round(percentile(latencies, 99)),
    ok,
    ...(scenario.budgetP95Ms ? { withinBudget: ok && p95Ms <= scenario.budgetP95Ms } : {}),
    statuses: Object.fromEntries(statuses),
    errors: result.errors + result.timeouts,
  };
}

/**
 * Each scenario twice: one client (the latency one agent sees on a server that is otherwise
 * idle; the budgets are judged on it) and BENCH_CONNECTIONS clients (a saturated server:
 * throughput, and the queueing every request then waits through).
 */
async function run(url: string, scenario: Scenario, cookie: string) {
  const single = await measure(url, scenario, cookie, 1);
  const loaded = connections > 1 ? await measure(url, scenario, cookie, connections) : undefined;
  return {
    scenario: scenario.name,
    path: scenario.path,
    ...(scenario.budgetP95Ms ? { budgetP95Ms: scenario.budgetP95Ms, withinBudget: single.withinBudget } : {}),
    single,
    ...(loaded ? { loaded } : {}),
  };
}

/** Seeds the target when it has no fixture yet (the seed prints its progress). */
async function ensureSeeded(target: BenchTarget, env: NodeJS.ProcessEnv): Promise<void> {
  const { dataDir, postgresUrl, tickets } = target;
  if (existsSync(resolve(dataDir, LOAD_FIXTURE_FILE))) return;
  // (On PostgreSQL a seeded database without the fixture makes the seed refuse: the tenant exists.)
  if (!postgresUrl && existsSync(resolve(dataDir, 'tresen.db'))) throw new Error(`${dataDir} holds a database without ${LOAD_FIXTURE_FILE}: remove the directory and run again`);
  if (postgresUrl) await ensurePostgresDatabase(postgresUrl);
  process.stderr.write(`bench: seeding ${tickets} tickets into ${postgresUrl ? postgresUrl.replace(/\/\/[^@]*@/, '//') : dataDir}\n`);
  const startedAt = performance.now();
  const seeded = spawnSync(tsx, ['test/load/seed-load.ts', '--tickets', String(tickets)], { env: envFor(target, env), stdio: ['ignore', 'ignore', 'inherit'] });
  if (seeded.status !== 0) throw new Error('seeding failed');
  process.stderr.write(`bench: seeded ${tickets} tickets in ${Math.round((performance.now() - startedAt) / 1000)} s\n`);
}

function envFor({ dataDir, postgresUrl }: BenchTarget, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const own: NodeJS.ProcessEnv = { ...env, DATA_DIR: dataDir };
  // Only a PostgreSQL URL is passed on; SQLite always lives in the bench's own data directory.
  if (postgresUrl) own.DATABASE_URL = postgresUrl;
  else delete own.DATABASE_URL;
  return own;
}

async function main(): Promise<void> {
  // The API scenario sends thousands of requests a minute with one token: the per-token limit (600/min) would answer 429.
  const env: NodeJS.ProcessEnv = { ...process.env, TRESEN_DEMO: '0', LOG_LEVEL: 'warn', TRESEN_API_RATE_LIMIT: process.env.TRESEN_API_RATE_LIMIT ?? '1000000' };
  const plan = benchPlan(process.argv.slice(2), process.env, envPostgresUrl);
  for (const target of plan.targets) await ensureSeeded(target, env);
  // The production start: compiled JavaScript, as `npm start` runs it.
  const built = spawnSync('npm', ['run', 'build', '--silent'], { stdio: ['ignore', 'ignore', 'inherit'] });
  // tsc emits despite type errors; in a tree others are editing, a half-done file elsewhere should not stop the bench.
  if (built.status !== 0) {
    if (!existsSync('dist/core/main.js')) throw new Error('build failed');
    process.stderr.write('bench: the build reported type errors (above); running the JavaScript it emitted\n');
  }
  if (plan.targets.length === 1 && plan.rounds === 1) {
    process.stdout.write(`${JSON.stringify(await benchOne(plan.targets[0]!, env), null, 2)}\n`);
    return;
  }
  // A/B/A/B: each round benches every size once, so a change in the machine's load hits both alike.
  const runs: Array<Awaited<ReturnType<typeof benchOne>>> = [];
  for (let round = 1; round <= plan.rounds; round++) {
    for (const target of plan.targets) {
      process.stderr.write(`bench: round ${round}/${plan.rounds}, ${target.tickets} tickets\n`);
      runs.push(await benchOne(target, env));
    }
  }
  const ratios = ratiosOf(runs, plan.targets.map((target) => target.tickets));
  process.stdout.write(`${JSON.stringify({ sizes: plan.targets.map((target) => target.tickets), rounds: plan.rounds, ratios, runs }, null, 2)}\n`);
  printRatios(ratios);
}

/** One size: the server started on its data, every scenario measured, memory and load around it. */
async function benchOne(target: BenchTarget, baseEnv: NodeJS.ProcessEnv) {
  const { dataDir, postgresUrl } = target;
  const env = envFor(target, baseEnv);
  const fixture = JSON.parse(readFileSync(resolve(dataDir, LOAD_FIXTURE_FILE), 'utf8')) as LoadFixture;
  const loadAtStart = loadavg().map((n) => Math.round(n * 100) / 100);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const startedAt = performance.now();
  // Deno runs the sources with the permissions of `deno task start` (the data directory instead of ./data).
  const command = runtime === 'deno'
    ? [denoBinary(), 'run', '--allow-net', '--allow-env', '--allow-sys=hostname', `--allow-read=.,${dataDir}`, `--allow-write=${dataDir}`, 'core/main.ts']
    : [process.execPath, 'dist/core/main.js'];
  const child = spawn(command[0]!, command.slice(1), { env: { ...env, PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', 'ignore', 'inherit'] });
  try {
    const coldStartMs = await waitFor('/healthz', url, child, startedAt);
    const readyMs = await waitFor('/readyz', url, child, startedAt);
    const idle = memoryOf(child.pid!);
    const agentCookie = await signIn(url);
    const supervisorCookie = await signIn(url, LOAD_SUPERVISOR_EMAIL);
    const signedIn = memoryOf(child.pid!);
    const results = [];
    for (const scenario of scenarios(fixture)) {
      if (only && !only.includes(scenario.name)) continue;
      const cookie = scenario.supervisor ? supervisorCookie : agentCookie;
      // A short warm-up so caches and JIT are in the state a running server has.
      await autocannon({ url: targetOf(url, scenario), connections: 2, amount: 50, headers: headersOf(scenario, cookie) });
      const result = await run(url, scenario, cookie);
      // The peak so far (VmHWM) after each scenario shows which one raised it.
      results.push({ ...result, peakRssMbSoFar: memoryOf(child.pid!).peakRssMb });
      process.stderr.write(`bench: ${fixture.tickets} tickets, ${scenario.name}: p95 ${result.single.p95Ms} ms, ${result.loaded?.rps ?? result.single.rps} req/s\n`);
    }
    const after = memoryOf(child.pid!);
    const database = await databaseFootprint(target);
    const seed = { seedSeconds: fixture.seedSeconds, ticketNumber: fixture.ticketNumber, ticketArticles: fixture.ticketArticles, commonWord: fixture.commonWord, commonHits: fixture.commonHits, rareWord: fixture.rareWord, rareHits: fixture.rareHits };
    const report = {
      tickets: fixture.tickets, dialect: postgresUrl ? 'postgres' : 'sqlite', ...database, seconds, connections, runtime, node: process.version, sqliteDriver: postgresUrl ? undefined : (process.env.TRESEN_SQLITE_DRIVER || (runtime === 'deno' ? 'node:sqlite' : 'better-sqlite3')), loadAverageAtStart: loadAtStart, loadAverage: loadavg().map((n) => Math.round(n * 100) / 100),
      coldStartMs, readyMs, idleRssMb: idle.rssMb, peakRssMbAfterSignIn: signedIn.peakRssMb, rssMbAfter: after.rssMb, peakRssMb: after.peakRssMb, rssBudgetMb: 250, rssWithinBudget: after.peakRssMb <= 250, seed, results,
    };
    return report;
  } finally {
    child.kill('SIGTERM');
    await new Promise<void>((done) => (child.exitCode !== null ? done() : child.once('exit', () => done())));
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
