// `npx tsx test/load/seats-bench.ts`: what licence seats cost, on SQLite (a temp file) and on a throwaway
// PostgreSQL cluster. One big tenant with BENCH_SESSIONS sessions (default 20,000: 10 % staff, the rest
// portal users, half of them seen within the window, half idle for an hour) and 50 small tenants with 200
// each. Measures: the count of signed-in people (the Statistics panel, the API, every admission), a
// sign-in's session write with the seat check and the peak upsert against one without (an operator
// session, which has no seats), the operator's overview of all 51 tenants, and the touch of a session
// coming back after the window. Env: BENCH_SESSIONS, BENCH_CALLS (500). Prints JSON, per call in ms.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allSeatUsage, countSignedIn, saveSeatSettings } from '../../core/auth/licence-seats.js';
import { createSessionStore } from '../../core/auth/session-store.js';
import { createDatabase, type Database } from '../../core/db/create-database.js';
import { migrateAll } from '../../core/db/migrate.js';
import { createRegistry } from '../../core/plugin-host/registry.js';
import { startPostgres } from '../harness/postgres-server.js';

const total = Number(process.env.BENCH_SESSIONS ?? 20_000);
const calls = Number(process.env.BENCH_CALLS ?? 500);

function summary(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => Number(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(3));
  return { median: at(0.5), p95: at(0.95) };
}

async function timed(n: number, run: (i: number) => Promise<unknown>) {
  // Warm-up calls take the indices after the measured ones, so each index is used once.
  for (let i = n; i < n + 50; i++) await run(i);
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    await run(i);
    samples.push(performance.now() - start);
  }
  return summary(samples);
}

async function seed(database: Database, now: Date) {
  const db = database.db;
  const big = (await db.insertInto('tenants').values({ slug: 'big', name: 'Big' }).returning('id').executeTakeFirstOrThrow()).id;
  const small: number[] = [];
  for (let i = 0; i < 50; i++) small.push((await db.insertInto('tenants').values({ slug: `small-${i}`, name: `Small ${i}` }).returning('id').executeTakeFirstOrThrow()).id);
  const fresh = new Date(now.getTime() - 2 * 60_000).toISOString();
  const stale = new Date(now.getTime() - 60 * 60_000).toISOString();
  const expires = new Date(now.getTime() + 14 * 86_400_000).toISOString();
  const people = async (tenantId: number, count: number) => {
    const staff = Math.max(1, Math.round(count / 10));
    const users: number[] = [];
    for (let i = 0; i < staff; i += 500) {
      const rows = Array.from({ length: Math.min(500, staff - i) }, (_, j) => ({ tenant_id: tenantId, email: `u${i + j}@t${tenantId}.test`, name: `U${i + j}`, role: 'agent' as const }));
      users.push(...(await db.insertInto('users').values(rows).returning('id').execute()).map((r) => r.id));
    }
    const persons: number[] = [];
    for (let i = 0; i < count - staff; i += 500) {
      const rows = Array.from({ length: Math.min(500, count - staff - i) }, (_, j) => ({ tenant_id: tenantId, name: `P${i + j}`, email: `p${i + j}@t${tenantId}.test` }));
      persons.push(...(await db.insertInto('people').values(rows).returning('id').execute()).map((r) => r.id));
    }
    const sessions = [...users.map((id) => ({ user_id: id, person_id: null })), ...persons.map((id) => ({ user_id: null, person_id: id }))]
      .map((who, i) => ({ id: `s-${tenantId}-${i}`, tenant_id: tenantId, ...who, created_at: stale, last_seen_at: i % 2 === 0 ? fresh : stale, expires_at: expires, user_agent: null, ip: null }));
    for (let i = 0; i < sessions.length; i += 500) await db.insertInto('sessions').values(sessions.slice(i, i + 500)).execute();
    return { users, persons };
  };
  const bigPeople = await people(big, total);
  for (const id of small) await people(id, 200);
  const operator = (await db.insertInto('users').values({ tenant_id: null, email: 'op@platform.test', name: 'Op', role: 'operator' }).returning('id').executeTakeFirstOrThrow()).id;
  await saveSeatSettings(db, big, { agentSeats: 100_000, portalSeats: 100_000, portalPolicy: 'refuse', windowMinutes: 15 }, now);
  for (const [i, id] of small.entries()) await saveSeatSettings(db, id, { agentSeats: 50, portalSeats: null, portalPolicy: 'warn', windowMinutes: [5, 15, 30][i % 3]! }, now);
  return { big, small, operator, bigPeople };
}

async function run(label: string, url: string) {
  const database = await createDatabase(url);
  try {
    await migrateAll(database.db, createRegistry([]));
    const now = new Date();
    const seeded = await seed(database, now);
    const sessions = createSessionStore(database.db, () => now, database.dialect);
    const { db } = database;
    const counts = await countSignedIn(db, seeded.big, now, 15);
    const tokens: string[] = [];
    const result = {
      label, sessionsInBigTenant: total, signedInNow: counts,
      countSignedIn: await timed(calls, () => countSignedIn(db, seeded.big, now, 15)),
      signInWithoutSeats: await timed(calls, async () => sessions.create({ tenantId: null, userId: seeded.operator }, {})),
      signInWithSeats: await timed(calls, async (i) => tokens.push(await sessions.create({ tenantId: seeded.big, userId: seeded.bigPeople.users[i % seeded.bigPeople.users.length]! }, {}))),
      overview51Tenants: await timed(Math.min(calls, 200), () => allSeatUsage(db, [seeded.big, ...seeded.small], now)),
    };
    // A session back after the window: the touch plus the seat window read, the count and the peak upsert.
    const later = new Date(now.getTime() + 20 * 60_000);
    const comeBack = createSessionStore(db, () => later, database.dialect);
    const reactivation = await timed(tokens.length - 50, (i) => comeBack.find(tokens[i]!));
    return { ...result, touchAfterWindow: reactivation };
  } finally {
    await database.close();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'seats-bench-'));
const postgres = await startPostgres();
try {
  const sqlite = await run('sqlite', `sqlite:${join(dir, 'bench.db')}`);
  const pg = await run('postgres', postgres.url);
  process.stdout.write(`${JSON.stringify({ sqlite, postgres: pg })}\n`);
} finally {
  await postgres.stop();
  rmSync(dir, { recursive: true, force: true });
}
