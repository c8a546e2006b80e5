// `npx tsx test/load/hardware-http-bench.ts`: the hardware plugin's budgets (issue 12, point 8) through HTTP against the real
// server (compiled, `dist/core/main.js`, as `npm start` runs it) on the seeded database of hardware-load-data.ts (20,000
// devices, 100,000 tickets, 30,000 links), on SQLite and on PostgreSQL (a throwaway server, as the tests start one). An admin
// signs in; autocannon (one connection: latency) requests the whole rendered pages: the device list (page 1, cycling the
// unfiltered list and five filters), page 200 as the list's "next" link reaches it, and the defect statistics for a year
// (cycling the five groupings). Then the CSV import of 10,000 devices as the import page's "import" step (one multipart
// POST: check and save all rows in one transaction, answered by a redirect), timed from request to answer. RUNS rounds
// of everything per dialect (default 3), each with the load average; list and statistics rounds first, then the imports
// (each adds 10,000 devices). Env: BENCH_DIALECT (both|sqlite|postgres), BENCH_SECONDS (10), BENCH_RUNS (3),
// BENCH_DEVICES/BENCH_TICKETS/BENCH_LINKS/BENCH_IMPORT. Prints JSON; the figures go into plugins/hardware/README.md.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { installedPlugins } from '../../config/plugins.js';
import { loadConfig } from '../../config/env.js';
import { createApp } from '../../core/app/create-app.js';
import { hashPassword } from '../../core/auth/password.js';
import { createDatabase } from '../../core/db/create-database.js';
import { migrateAll } from '../../core/db/migrate.js';
import { createEventBus } from '../../core/events/event-bus.js';
import { createLogger } from '../../core/logger.js';
import { createMailer } from '../../core/mail/mailer.js';
import { createRegistry } from '../../core/plugin-host/registry.js';
import { csvDocument } from '../../core/text/csv.js';
import { CSV_COLUMNS } from '../../plugins/hardware/device-csv.js';
import { GROUP_BYS } from '../../plugins/hardware/defect-period.js';
import { freePort, startPostgres } from '../harness/postgres-server.js';
import { seedHardware, SEED_NOW } from './hardware-load-data.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SIZE = { devices: Number(process.env.BENCH_DEVICES ?? 20_000), tickets: Number(process.env.BENCH_TICKETS ?? 100_000), links: Number(process.env.BENCH_LINKS ?? 30_000) };
const IMPORT = Number(process.env.BENCH_IMPORT ?? 10_000);
const EMAIL = 'admin@bench.test';
const PASSWORD = 'hardware bench password';
const load = () => loadavg().map((n) => Math.round(n * 10) / 10);
const round = (n: number) => Math.round(n * 10) / 10;
/** CPU time (user + system, ms) a process and, with `children`, its direct children have used so far (/proc, clock ticks of 10 ms). */
function cpuMs(pid: number, children = false): number {
  const stat = (id: string) => {
    try { return readFileSync(`/proc/${id}/stat`, 'utf8').slice(readFileSync(`/proc/${id}/stat`, 'utf8').lastIndexOf(')') + 2).split(' '); } catch { return null; }
  };
  let ticks = 0;
  for (const id of children ? readdirSync('/proc').filter((name) => /^\d+$/.test(name)) : [String(pid)]) {
    const fields = stat(id);
    // After the command: state, ppid, …; utime and stime are the 12th and 13th fields from there.
    if (fields && (id === String(pid) || (children && fields[1] === String(pid)))) ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks * 10;
}

/** The PostgreSQL server's postmaster (by its port on the command line): its backends' CPU is the database's work. */
function postmasterOf(url: string): number | null {
  const port = new URL(url).port;
  for (const id of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const cmd = readFileSync(`/proc/${id}/cmdline`, 'utf8').split('\0');
      if (cmd[0]?.endsWith('postgres') && cmd.includes('-p') && cmd[cmd.indexOf('-p') + 1] === port) return Number(id);
    } catch { /* gone */ }
  }
  return null;
}

const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : 0);

/** Migrates and seeds the database the server will open, with an admin who signs in by password. */
async function prepare(env: NodeJS.ProcessEnv) {
  const config = loadConfig(env);
  const registry = createRegistry(installedPlugins);
  const database = await createDatabase(config.databaseUrl);
  await migrateAll(database.db, registry);
  const clock = () => new Date(SEED_NOW);
  const log = createLogger('silent');
  const mailer = createMailer({ db: database.db, clock, defaultSmtpUrl: undefined, defaultFrom: 'bench@tresen.test', log });
  const app = createApp(registry, { config, database, clock, log, mailer, events: createEventBus() });
  const started = performance.now();
  const seeded = await seedHardware(database, registry, app.services, SIZE);
  await database.db.insertInto('users').values({ tenant_id: seeded.tenant.id, email: EMAIL, name: 'Bench Admin', role: 'admin', password_hash: await hashPassword(PASSWORD, config.scryptLogN), locale: 'en' }).execute();
  const seedMs = Math.round(performance.now() - started);
  await mailer.close();
  await database.close();
  return { seedMs, organisations: seeded.orgs, models: seeded.models, site: seeded.site };
}

/** The processes whose CPU a request costs: the server, and PostgreSQL's postmaster with its backends. */
interface Work { server: number; postmaster: number | null }

async function measure(url: string, cookie: string, paths: string[], work: Work) {
  const cpuBefore = { server: cpuMs(work.server), db: work.postmaster ? cpuMs(work.postmaster, true) + cpuMs(work.postmaster) : 0 };
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  const result = await new Promise<autocannon.Result>((done, fail) => {
    const instance = autocannon({ url, connections: 1, duration: SECONDS, headers: { cookie }, requests: paths.map((path) => ({ method: 'GET' as const, path })) },
      (error, finished) => (error ? fail(error) : done(finished)));
    instance.on('response', (_client: unknown, status: number, _bytes: number, time: number) => {
      latencies.push(time);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    });
  });
  latencies.sort((x, y) => x - y);
  if ([...statuses.keys()].some((status) => status !== 200)) throw new Error(`answers other than 200: ${JSON.stringify(Object.fromEntries(statuses))}`);
  // CPU per request: what the work costs whatever the machine's load (the server's process; PostgreSQL's backends apart).
  const serverCpuMsPerRequest = round((cpuMs(work.server) - cpuBefore.server) / Math.max(1, latencies.length));
  const dbCpuMsPerRequest = work.postmaster ? round((cpuMs(work.postmaster, true) + cpuMs(work.postmaster) - cpuBefore.db) / Math.max(1, latencies.length)) : undefined;
  return { serverCpuMsPerRequest, ...(dbCpuMsPerRequest === undefined ? {} : { dbCpuMsPerRequest }), requests: latencies.length, rps: round(result.requests.average), p50Ms: round(percentile(latencies, 50)), p95Ms: round(percentile(latencies, 95)), p99Ms: round(percentile(latencies, 99)), errors: result.errors + result.timeouts };
}

/** One import of 10,000 new devices as the page's "import" step: the file's text, the mapping by column, in one multipart POST. */
async function importOnce(url: string, cookie: string, prefix: string, organisations: number, work: Work) {
  const csv = '\uFEFF' + csvDocument([[...CSV_COLUMNS], ...Array.from({ length: IMPORT }, (_, n) => [`${prefix}-${n}`, `S-${n}`, 'HP Model 0', `K-${n % organisations}`, '', 'Site', 'in_service', '2024-01-01', '', `imp-${n}`, ''])]);
  const form = new FormData();
  form.set('csv', csv);
  form.set('step', 'import');
  CSV_COLUMNS.forEach((column, index) => form.set(`map.${column}`, String(index)));
  const loadAverage = load();
  const cpuBefore = { server: cpuMs(work.server), db: work.postmaster ? cpuMs(work.postmaster, true) + cpuMs(work.postmaster) : 0 };
  const started = performance.now();
  const response = await fetch(`${url}/t/bench/p/hardware/import`, { method: 'POST', body: form, redirect: 'manual', headers: { cookie, origin: url } });
  const ms = Math.round(performance.now() - started);
  if (response.status !== 303) throw new Error(`import answered ${response.status}: ${(await response.text()).slice(0, 500)}`);
  const serverCpuMs = cpuMs(work.server) - cpuBefore.server;
  const dbCpuMs = work.postmaster ? cpuMs(work.postmaster, true) + cpuMs(work.postmaster) - cpuBefore.db : undefined;
  return { rows: IMPORT, ms, serverCpuMs, ...(dbCpuMs === undefined ? {} : { dbCpuMs }), loadAverage };
}

async function run(dialect: 'sqlite' | 'postgres', databaseUrl: string | undefined) {
  const dir = mkdtempSync(join(tmpdir(), 'tresen-hw-http-'));
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dir, TRESEN_DEMO: '0', LOG_LEVEL: 'warn' };
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  else delete env.DATABASE_URL;
  const prepared = await prepare(env);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['dist/core/main.js'], { env: { ...env, PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', 'ignore', 'inherit'] });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
      if (await fetch(`${url}/readyz`).then((r) => r.ok, () => false)) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const signIn = await fetch(`${url}/t/bench/login`, {
      method: 'POST', redirect: 'manual', headers: { Origin: url, 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ email: EMAIL, password: PASSWORD }),
    });
    if (signIn.status !== 303) throw new Error(`sign-in failed with ${signIn.status}`);
    const cookie = signIn.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const list = ['', '?state=in_service', `?organisation=${prepared.organisations[3]}`, `?model=${prepared.models[5]}`, '?q=INV-0123', `?location=${prepared.site}`].map((query) => `/t/bench/p/hardware${query}`);
    // Page 200 as the "next" link of page 199 reaches it: after the last inventory number of page 199 (50 a page, numbers in order).
    const deep = [`/t/bench/p/hardware?after=INV-${String(199 * 50 - 1).padStart(6, '0')}`];
    const stats = GROUP_BYS.map((groupBy) => `/t/bench/p/hardware/statistics?from=2025-12-01&to=2026-11-30&groupBy=${groupBy}`);
    for (const path of [...list, ...deep, ...stats]) {
      const probe = await fetch(`${url}${path}`, { headers: { cookie } });
      if (probe.status !== 200) throw new Error(`${path} answered ${probe.status}`);
    }
    // Warm-up: the first requests compile the server's code paths and fill the database's caches.
    await autocannon({ url, connections: 1, amount: 60, headers: { cookie }, requests: [...list, ...stats].map((path) => ({ method: 'GET' as const, path })) });
    const work: Work = { server: child.pid!, postmaster: databaseUrl ? postmasterOf(databaseUrl) : null };
    const rounds = [];
    for (let i = 0; i < RUNS; i++) {
      const before = load();
      const listPage1 = await measure(url, cookie, list, work);
      const listPage200 = await measure(url, cookie, deep, work);
      const defectYear = await measure(url, cookie, stats, work);
      rounds.push({ loadAverage: { before, after: load() }, listPage1, listPage200, defectYear });
      console.error(`${dialect} round ${i + 1}: list p95 ${listPage1.p95Ms} ms (CPU ${listPage1.serverCpuMsPerRequest}+${listPage1.dbCpuMsPerRequest ?? 0}), page 200 p95 ${listPage200.p95Ms} ms, defect year p95 ${defectYear.p95Ms} ms (CPU ${defectYear.serverCpuMsPerRequest}+${defectYear.dbCpuMsPerRequest ?? 0}), load ${before.join(' ')}`);
    }
    const imports = [];
    for (let i = 0; i < RUNS; i++) {
      imports.push(await importOnce(url, cookie, `IMP${i}`, prepared.organisations.length, work));
      console.error(`${dialect} import ${i + 1}: ${imports.at(-1)!.ms} ms (CPU ${imports.at(-1)!.serverCpuMs}+${imports.at(-1)!.dbCpuMs ?? 0} ms)`);
    }
    return { dialect, seedMs: prepared.seedMs, size: SIZE, seconds: SECONDS, rounds, imports };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode === null ? child.once('exit', r) : r(null)));
    rmSync(dir, { recursive: true, force: true });
  }
}

const built = spawnSync('npm', ['run', 'build', '--silent'], { stdio: ['ignore', 'ignore', 'inherit'] });
if (built.status !== 0 && !existsSync('dist/core/main.js')) throw new Error('build failed');
const which = process.env.BENCH_DIALECT ?? 'both';
const results: Record<string, unknown> = { node: process.version, cores: readFileSync('/proc/cpuinfo', 'utf8').split('\n').filter((line) => line.startsWith('processor')).length };
if (which !== 'postgres') results.sqlite = await run('sqlite', undefined);
if (which !== 'sqlite') {
  const server = await startPostgres();
  try {
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    await admin.query('create database hw_http');
    await admin.end();
    results.postgres = await run('postgres', server.url.replace(/\/[^/]*$/, '/hw_http'));
  } finally {
    await server.stop();
  }
}
console.log(JSON.stringify(results, null, 2));
