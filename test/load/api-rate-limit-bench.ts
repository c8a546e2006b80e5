// `npx tsx test/load/api-rate-limit-bench.ts`: what the API rate limit costs per request, in process
// memory (SQLite, one process) and shared in PostgreSQL (one atomic upsert on an unlogged table), on a
// throwaway PostgreSQL cluster. Sequential calls give the added latency per request; 8 concurrent
// callers on 4 keys show the upsert under contention. Env: BENCH_CALLS (3000). Prints JSON, per call in ms.
import { createApiRateLimiter, DEFAULT_API_RATE_LIMITS } from '../../core/api/api-rate-limit.js';
import { createDatabase } from '../../core/db/create-database.js';
import { migrateAll } from '../../core/db/migrate.js';
import { createRegistry } from '../../core/plugin-host/registry.js';
import { systemClock } from '../../core/time.js';
import { startPostgres } from '../harness/postgres-server.js';

const calls = Number(process.env.BENCH_CALLS ?? 3000);
const limits = { ...DEFAULT_API_RATE_LIMITS, perToken: 1_000_000 };

function summary(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => Number(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(3));
  return { median: at(0.5), p95: at(0.95), p99: at(0.99) };
}

async function sequential(take: (key: string) => Promise<unknown>) {
  for (let n = 0; n < 200; n++) await take('warm');
  const samples: number[] = [];
  for (let n = 0; n < calls; n++) {
    const start = performance.now();
    await take(`token:${n % 16}`);
    samples.push(performance.now() - start);
  }
  return summary(samples);
}

async function concurrent(take: (key: string) => Promise<unknown>) {
  const start = performance.now();
  await Promise.all(Array.from({ length: 8 }, async (_, worker) => {
    for (let n = 0; n < calls / 8; n++) await take(`token:${worker % 4}`);
  }));
  return { perSecond: Math.round(calls / ((performance.now() - start) / 1000)) };
}

const postgres = await startPostgres();
const database = await createDatabase(postgres.url);
try {
  await migrateAll(database.db, createRegistry([]));
  const memory = createApiRateLimiter(systemClock, limits);
  const shared = createApiRateLimiter(systemClock, limits, database.db);
  const take = (limiter: typeof memory) => (key: string) => limiter.take(key, limits.perToken);
  const result = {
    calls,
    // One round trip to the same database, for scale: the request path of an API call makes several.
    selectOne: await sequential(async () => database.db.selectNoFrom((eb) => eb.val(1).as('one')).execute()),
    memory: await sequential(take(memory)),
    postgres: await sequential(take(shared)),
    postgresConcurrent: await concurrent(take(shared)),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  await database.close();
  await postgres.stop();
}
