// `npx tsx test/load/knowledge-http-bench.ts`: the knowledge search over HTTP against the real server
// (compiled, `dist/core/main.js`, as `npm start` runs it) with 10,000 generated entries in a fresh SQLite
// database. An agent signs in and autocannon sends searches of the agents' knowledge page
// (`/p/knowledge?q=…`, the whole page rendered) in two mixes: "repeated" cycles 224 queries (the per-tenant
// cache of ranked results holds them: what typing the same few words all day costs) and "distinct" cycles
// 2,000 (more than the cache keeps, so every one is ranked afresh). Each with one connection (latency) and
// BENCH_CONNECTIONS (throughput). The same two mixes then go to the REST search (`GET /api/v1/knowledge/search`,
// JSON, an agent's API token; the bench server's API rate limit is raised so that it does not answer 429): the
// search's own throughput without the page around it. Env: BENCH_ENTRIES (10000), BENCH_SECONDS (10), BENCH_CONNECTIONS (10).
// Prints JSON; the figures go into plugins/knowledge/README.md.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { installedPlugins } from '../../config/plugins.js';
import { loadConfig } from '../../config/env.js';
import { createApiToken } from '../../core/auth/api-tokens.js';
import { hashPassword } from '../../core/auth/password.js';
import { createDatabase } from '../../core/db/create-database.js';
import { migrateAll } from '../../core/db/migrate.js';
import { enablePlugin } from '../../core/plugin-host/plugin-switches.js';
import { createRegistry } from '../../core/plugin-host/registry.js';
import { createTenant } from '../../core/tenancy/tenant-service.js';
import { freePort } from '../harness/postgres-server.js';
import { knowledgeLoadData } from './knowledge-load-data.js';

const total = Number(process.env.BENCH_ENTRIES ?? 10_000);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
const email = 'agent@knowledge.test';
const password = 'knowledge bench password';

const dir = mkdtempSync(join(tmpdir(), 'tresen-knowledge-http-'));
const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dir, TRESEN_DEMO: '0', LOG_LEVEL: 'warn', TRESEN_API_RATE_LIMIT: '100000000' };
delete env.DATABASE_URL;
const config = loadConfig(env);
const registry = createRegistry(installedPlugins);
const database = await createDatabase(config.databaseUrl);
await migrateAll(database.db, registry);
const tenant = await createTenant(database.db, { slug: 'wissen', name: 'Wissen GmbH', locale: 'de' });
await enablePlugin(database.db, registry, tenant.id, 'knowledge');
const agent = await database.db.insertInto('users').values({ tenant_id: tenant.id, email, name: 'Bench Agent', role: 'agent', password_hash: await hashPassword(password, config.scryptLogN), locale: 'de' }).returning('id').executeTakeFirstOrThrow();
const { token } = await createApiToken(database.db, { tenantId: tenant.id, userId: agent.id, name: 'knowledge bench' });
const data = knowledgeLoadData(11);
await data.seed(database.db, tenant.id, total);
const repeated = data.queries(224);
const distinct = data.queries(2000);
await database.close();

const built = spawnSync('npm', ['run', 'build', '--silent'], { stdio: ['ignore', 'ignore', 'inherit'] });
if (built.status !== 0 && !existsSync('dist/core/main.js')) throw new Error('build failed');

const port = await freePort();
const url = `http://127.0.0.1:${port}`;
const child = spawn(process.execPath, ['dist/core/main.js'], { env: { ...env, PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', 'ignore', 'inherit'] });
const rssMb = () => Math.round(Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024);

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : 0;
}

type Target = { headers: Record<string, string>; path: (q: string) => string };

async function measure(target: Target, queries: string[], clients: number) {
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  const result = await new Promise<autocannon.Result>((done, fail) => {
    const instance = autocannon({
      url, connections: clients, duration: seconds, headers: target.headers,
      requests: queries.map((q) => ({ method: 'GET' as const, path: target.path(q) })),
    }, (error, finished) => (error ? fail(error) : done(finished)));
    instance.on('response', (_client: unknown, status: number, _bytes: number, time: number) => {
      latencies.push(time);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    });
  });
  latencies.sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    connections: clients, requests: latencies.length, rps: round(result.requests.average), p50Ms: round(percentile(latencies, 50)),
    p95Ms: round(percentile(latencies, 95)), p99Ms: round(percentile(latencies, 99)), statuses: Object.fromEntries(statuses), errors: result.errors + result.timeouts,
  };
}

try {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    if (await fetch(`${url}/readyz`).then((r) => r.ok, () => false)) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const idleRssMb = rssMb();
  const signIn = await fetch(`${url}/t/wissen/login`, {
    method: 'POST', redirect: 'manual', headers: { Origin: url, 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ email, password }),
  });
  if (signIn.status !== 303) throw new Error(`sign-in failed with ${signIn.status}`);
  const cookie = signIn.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  // The first search builds the index (lazily, from the database).
  const buildStarted = performance.now();
  const first = await fetch(`${url}/t/wissen/p/knowledge?q=Drucker`, { headers: { cookie } });
  const firstSearchMs = Math.round(performance.now() - buildStarted);
  if (first.status !== 200) throw new Error(`search answered ${first.status}`);
  const withIndexRssMb = rssMb();
  const targets: Record<string, Target> = {
    page: { headers: { cookie }, path: (q) => `/t/wissen/p/knowledge?q=${encodeURIComponent(q)}` },
    api: { headers: { authorization: `Bearer ${token}` }, path: (q) => `/t/wissen/api/v1/knowledge/search?q=${encodeURIComponent(q)}` },
  };
  const results: Record<string, unknown> = {};
  for (const [targetName, target] of Object.entries(targets)) {
    const probe = await fetch(`${url}${target.path('Drucker')}`, { headers: target.headers });
    if (probe.status !== 200) throw new Error(`${targetName} search answered ${probe.status}`);
    for (const [name, queries] of [['repeated', repeated], ['distinct', distinct]] as const) {
      await autocannon({ url, connections: 2, amount: 100, headers: target.headers, requests: queries.slice(0, 100).map((q) => ({ method: 'GET' as const, path: target.path(q) })) });
      results[`${targetName}-${name}`] = { queries: queries.length, single: await measure(target, queries, 1), loaded: await measure(target, queries, connections) };
    }
  }
  process.stdout.write(`${JSON.stringify({
    entries: total, dialect: 'sqlite', seconds, node: process.version, loadAverage: loadavg().map((n) => Math.round(n * 10) / 10),
    idleRssMb, firstSearchMs, withIndexRssMb, indexRssMb: withIndexRssMb - idleRssMb, rssMbAfter: rssMb(), results,
  }, null, 2)}\n`);
} finally {
  child.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
