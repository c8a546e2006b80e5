// `npx tsx test/load/connect-alert-bench.ts`: monitoring alerts into one tenant at a fixed rate, against the real
// server (its own process, SQLite, a fresh data directory), then every ticket and article counted against what was
// sent. Env: BENCH_RATE (alerts/s, 200), BENCH_SECONDS (60), BENCH_KEYS (host+service pairs, 600), BENCH_SOCKETS
// (keep-alive connections, 32), BENCH_SEED (1).
//
// The traffic: slot i goes to pair i mod KEYS (so one pair hears again every KEYS/RATE seconds: repeats), each a
// problem (CRITICAL) or, one in four, a recovery (OK: the tenant solves on recovery, so the next problem opens a new
// ticket); every 40th slot sends its problem twice at the same instant (the dedup race). The expected tickets,
// notes and outcomes follow from replaying that schedule per pair; the server's answers and its database must agree.
// Prints JSON: the rate reached, latency (ms), the scheduler's lag, the load average, and the counts with `ok`.
import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { loadConfig } from '../../config/env.js';
import { installedPlugins } from '../../config/plugins.js';
import { createApiToken } from '../../core/auth/api-tokens.js';
import { createDatabase } from '../../core/db/create-database.js';
import { migrateAll } from '../../core/db/migrate.js';
import { createUser } from '../../core/people/user-service.js';
import { enablePlugin, updatePluginSettings } from '../../core/plugin-host/plugin-switches.js';
import { createRegistry } from '../../core/plugin-host/registry.js';
import { createTenant } from '../../core/tenancy/tenant-service.js';
import { freePort } from '../harness/postgres-server.js';

const RATE = Number(process.env.BENCH_RATE ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const KEYS = Number(process.env.BENCH_KEYS ?? 600);
const SOCKETS = Number(process.env.BENCH_SOCKETS ?? 32);
let seed = Number(process.env.BENCH_SEED ?? 1);
const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);

interface Alert { slot: number; key: number; state: 'CRITICAL' | 'OK' }
const hostOf = (key: number) => `srv-${String(Math.floor(key / 4)).padStart(4, '0')}.example.net`;
const serviceOf = (key: number) => ['disk', 'load', 'http', 'ping'][key % 4]!;

/** The schedule: per slot one alert, two identical problems on every 40th. */
function schedule(): Alert[][] {
  const slots: Alert[][] = [];
  for (let slot = 0; slot < RATE * SECONDS; slot++) {
    const key = slot % KEYS;
    const double = slot % 40 === 39;
    const state = !double && random() < 0.25 ? 'OK' : 'CRITICAL';
    slots.push(double ? [{ slot, key, state }, { slot, key, state }] : [{ slot, key, state }]);
  }
  return slots;
}

/** Replays the schedule per pair: what the server must have done. */
function expected(slots: Alert[][]) {
  const open = new Map<number, boolean>();
  const tally = { opened: 0, appended: 0, solved: 0, ignored: 0 };
  const ticketsPerKey = new Map<number, number>();
  for (const alerts of slots) {
    for (const alert of alerts) {
      const isOpen = open.get(alert.key) ?? false;
      if (alert.state === 'CRITICAL') {
        if (isOpen) tally.appended++;
        else { tally.opened++; open.set(alert.key, true); ticketsPerKey.set(alert.key, (ticketsPerKey.get(alert.key) ?? 0) + 1); }
      } else if (isOpen) { tally.solved++; open.set(alert.key, false); } else tally.ignored++;
    }
  }
  return { tally, ticketsPerKey, openAtEnd: [...open.values()].filter(Boolean).length };
}

const percentile = (sorted: number[], q: number) => Number(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(1));
const round = (values: number[]) => values.map((n) => Math.round(n * 100) / 100);

/** CPU time (user + system) a process used so far, in ms (Linux /proc; clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function waitReady(url: string, exited: () => number | null): Promise<void> {
  for (;;) {
    if (exited() !== null) throw new Error(`server exited with ${exited()}`);
    try { if ((await fetch(`${url}/readyz`)).ok) return; } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tresen-connect-bench-'));
  const env = { ...process.env, DATA_DIR: dataDir, TRESEN_DEMO: '0', LOG_LEVEL: 'warn' } as NodeJS.ProcessEnv;
  delete env.DATABASE_URL;
  const config = loadConfig(env);
  const registry = createRegistry(installedPlugins);
  // The tenant, its admin, an API token and the settings, written before the server starts (the same migrations).
  const setup = await createDatabase(config.databaseUrl);
  await migrateAll(setup.db, registry);
  const tenant = await createTenant(setup.db, { slug: 'bench', name: 'Bench', locale: 'en' });
  const adminId = await createUser(setup.db, { tenantId: tenant.id, email: 'admin@bench.test', name: 'Admin', role: 'admin', password: 'bench password 1' }, 10);
  await enablePlugin(setup.db, registry, tenant.id, 'connect');
  // Recoveries solve; flapping (more than 100 changes a minute) never triggers at one event per pair every few seconds.
  await updatePluginSettings(setup.db, registry, tenant.id, 'connect', { solveOnRecovery: true, flapChanges: 100, flapMinutes: 1 });
  const { token: apiToken } = await createApiToken(setup.db, { tenantId: tenant.id, userId: adminId, name: 'bench' });
  await setup.close();

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [...(process.env.BENCH_PROFILE ? [`--cpu-prof`, `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : []), '--import', 'tsx', 'core/main.ts'], { env: { ...env, PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', 'ignore', 'inherit'] });
  try {
    await waitReady(url, () => child.exitCode);
    const created = await fetch(`${url}/t/bench/api/v1/connect/sources`, { method: 'POST', headers: { Authorization: `Bearer ${apiToken}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ kind: 'generic' }) });
    if (created.status !== 201) throw new Error(`creating the source answered ${created.status}`);
    const hookToken = ((await created.json()) as { data: { token: string } }).data.token;
    const hook = `${url}/t/bench/hooks/monitoring/generic`;
    // Keep-alive connections, at most SOCKETS at once (as a monitoring system's forwarder holds a few): an alert
    // waits for a free one, and its latency counts from the instant it was due (no coordinated omission).
    const agent = new Agent({ keepAlive: true, maxSockets: SOCKETS });
    const send = (payload: string) => new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(hook, { method: 'POST', agent, headers: { Authorization: `Bearer ${hookToken}`, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => { body += chunk; });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end(payload);
    });
    const post = async (alert: Alert, due: number) => {
      try {
        const response = await send(JSON.stringify({ host: hostOf(alert.key), service: serviceOf(alert.key), state: alert.state, output: `${serviceOf(alert.key)} ${alert.state} (slot ${alert.slot})` }));
        const outcomes = response.status === 202 ? ((JSON.parse(response.body) as { data: Array<{ outcome: string }> }).data.map((d) => d.outcome)) : [];
        return { status: String(response.status), outcomes, ms: performance.now() - due };
      } catch (error) {
        return { status: `error ${(error as NodeJS.ErrnoException).code ?? String(error)}`, outcomes: [] as string[], ms: performance.now() - due };
      }
    };

    // A short warm-up on pairs of their own (not counted), so the first second is not a cold start.
    for (let n = 0; n < 20; n++) await send(JSON.stringify({ host: 'warm-up', service: `s${n}`, state: 'WARNING' }));

    const slots = schedule();
    const loadAtStart = round(loadavg());
    const cpuAtStart = cpuMs(child.pid!);
    const results: Array<Promise<Awaited<ReturnType<typeof post>>>> = [];
    const start = performance.now();
    let lagMax = 0;
    // Fixed rate: slot i leaves at start + i/RATE seconds, whatever the answers before it take.
    for (let slot = 0; slot < slots.length; slot++) {
      const due = start + (slot * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      lagMax = Math.max(lagMax, performance.now() - due);
      for (const alert of slots[slot]!) results.push(post(alert, due));
    }
    const dispatchSeconds = (performance.now() - start) / 1000;
    const answers = await Promise.all(results);
    const allSeconds = (performance.now() - start) / 1000;
    const serverCpuMs = cpuMs(child.pid!) - cpuAtStart;
    const loadAtEnd = round(loadavg());

    const model = expected(slots);
    const tally = { opened: 0, appended: 0, solved: 0, ignored: 0, other: 0 };
    for (const answer of answers) for (const outcome of answer.outcomes) {
      if (outcome in tally && outcome !== 'other') tally[outcome as keyof typeof model.tally]++;
      else tally.other++;
    }
    const statuses: Record<string, number> = {};
    for (const answer of answers) statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
    const latency = answers.map((a) => a.ms).sort((a, b) => a - b);

    // The database, read after every answer came back (the server still runs: SQLite in WAL mode lets it).
    const check = await createDatabase(config.databaseUrl);
    try {
      const db = check.db;
      const tickets = await db.selectFrom('tickets').select(['id', 'subject']).where('tenant_id', '=', tenant.id).where('channel', '=', 'monitoring').where('subject', 'not like', '%warm-up%').execute();
      const ticketIds = tickets.map((t) => t.id);
      const articles = Number((await db.selectFrom('ticket_articles').select((eb) => eb.fn.countAll<number>().as('n')).where('tenant_id', '=', tenant.id)
        .where('ticket_id', 'in', db.selectFrom('tickets').select('id').where('tenant_id', '=', tenant.id).where('channel', '=', 'monitoring').where('subject', 'not like', '%warm-up%')).executeTakeFirstOrThrow()).n);
      const events = await sql<{ outcome: string; n: number }>`select outcome, count(*) as n from connect_events where tenant_id = ${tenant.id} and host <> 'warm-up' group by outcome`.execute(db);
      const alertsPerKey = await sql<{ dedup_key: string; n: number }>`select dedup_key, count(*) as n from connect_alerts where tenant_id = ${tenant.id} and host <> 'warm-up' group by dedup_key`.execute(db);
      const openAlerts = Number((await sql<{ n: number }>`select count(*) as n from connect_alerts where tenant_id = ${tenant.id} and host <> 'warm-up' and open_key is not null`.execute(db)).rows[0]!.n);
      const solvedTickets = Number((await db.selectFrom('tickets').select((eb) => eb.fn.countAll<number>().as('n')).where('id', 'in', ticketIds.length ? ticketIds : [0]).where('status', '=', 'solved').executeTakeFirstOrThrow()).n);
      // Per pair: as many alert rows (one per ticket) as the replay opened tickets.
      const perKey = new Map(alertsPerKey.rows.map((row) => [row.dedup_key, Number(row.n)]));
      let pairsDiffering = 0;
      for (let key = 0; key < KEYS; key++) {
        const found = [...perKey.entries()].filter(([dedup]) => dedup.startsWith(`${hostOf(key)}`) && dedup.includes(serviceOf(key))).reduce((sum, [, n]) => sum + n, 0);
        if (found !== (model.ticketsPerKey.get(key) ?? 0)) pairsDiffering++;
      }
      const sent = answers.length;
      // The opening text is the ticket's description (no article); every appended and solving event adds one note.
      const expectedArticles = model.tally.appended + model.tally.solved;
      const report = {
        rate: RATE, seconds: SECONDS, pairs: KEYS, sent, doubles: slots.filter((s) => s.length === 2).length,
        reachedPerSecond: Math.round(sent / dispatchSeconds), allAnsweredAfterSeconds: Number(allSeconds.toFixed(1)), schedulerLagMaxMs: Number(lagMax.toFixed(1)),
        // The server's CPU per alert: what one core can take is about 1000 / this, whatever else the machine runs.
        serverCpuMsPerAlert: Number((serverCpuMs / answers.length).toFixed(2)), serverCpuShare: Number((serverCpuMs / 1000 / allSeconds).toFixed(2)),
        latencyMs: { p50: percentile(latency, 0.5), p95: percentile(latency, 0.95), p99: percentile(latency, 0.99), max: percentile(latency, 1) },
        loadAverageAtStart: loadAtStart, loadAverageAtEnd: loadAtEnd, node: process.version,
        statuses, expected: model.tally, answered: tally,
        database: {
          tickets: tickets.length, expectedTickets: model.tally.opened, articles, expectedArticles, solvedTickets, expectedSolved: model.tally.solved,
          openAlerts, expectedOpen: model.openAtEnd, events: Object.fromEntries(events.rows.map((row) => [row.outcome, Number(row.n)])), pairsDiffering,
        },
      };
      const ok = statuses['202'] === sent && tally.other === 0 && JSON.stringify({ ...tally, other: undefined }) === JSON.stringify({ ...model.tally, other: undefined })
        && tickets.length === model.tally.opened && articles === expectedArticles && solvedTickets === model.tally.solved && openAlerts === model.openAtEnd && pairsDiffering === 0;
      process.stdout.write(`${JSON.stringify({ ok, ...report }, null, 2)}\n`);
      if (!ok) process.exitCode = 1;
    } finally {
      await check.close();
    }
  } finally {
    child.kill('SIGTERM');
    if (child.exitCode === null) await new Promise((r) => child.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`connect bench: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
