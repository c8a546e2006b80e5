// `npx tsx test/load/caller-lookup-bench.ts`: the telephony's caller lookup (plugin connect, issue 16 point 6: p95 ≤ 5 ms
// at 50,000 people), on SQLite (a temp file) and on a throwaway PostgreSQL cluster. One tenant with BENCH_PEOPLE
// contact people (default 50,000) and a tenth as many organisations, their phone fields written the many ways people
// type them ("+49 30 …", "0049 (0)30 …", "030/…", "030 …-…"); 20 other tenants with 2,000 people each using the same
// numbers. Measures lookUpCaller (the person, else the organisation) for a known person's number, an organisation's
// switchboard and an unknown number, plus the pop-up's open-ticket read. Env: BENCH_PEOPLE, BENCH_CALLS (1,000).
// Prints JSON, per lookup in ms.
import { mkdtempSync, rmSync } from 'node:fs';
import { sql } from 'kysely';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabase, type Database } from '../../core/db/create-database.js';
import { migrateAll } from '../../core/db/migrate.js';
import { createRegistry } from '../../core/plugin-host/registry.js';
import { tenantScope } from '../../core/tenancy/tenant-scope.js';
import { lookUpCaller, openTicketsOf } from '../../plugins/connect/call-lookup.js';
import { connectPlugin } from '../../plugins/connect/index.js';
import { startPostgres } from '../harness/postgres-server.js';

const total = Number(process.env.BENCH_PEOPLE ?? 50_000);
const calls = Number(process.env.BENCH_CALLS ?? 1_000);

function summary(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => Number(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(3));
  return { median: at(0.5), p95: at(0.95), max: at(1) };
}

async function timed(n: number, run: (i: number) => Promise<unknown>) {
  for (let i = n; i < n + 50; i++) await run(i);
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    await run(i);
    samples.push(performance.now() - start);
  }
  return summary(samples);
}

/** Person i's number as E.164 and the way its phone field is written (one of five habits). */
const personNumber = (i: number) => `+4930${String(1_000_000 + i)}`;
const written = (e164: string, i: number) => {
  const national = e164.slice(3);
  const area = national.slice(0, 2);
  const rest = national.slice(2);
  return [`+49 ${area} ${rest}`, `0049 (0)${area} ${rest}`, `0${area}/${rest}`, `0${area} ${rest.slice(0, 4)}-${rest.slice(4)}`, `+49${national}`][i % 5]!;
};
const orgNumber = (i: number) => `+49221${String(5_000_000 + i)}`;

async function seedTenant(database: Database, slug: string, people: number) {
  const db = database.db;
  const tenantId = (await db.insertInto('tenants').values({ slug, name: slug }).returning('id').executeTakeFirstOrThrow()).id;
  const orgIds: number[] = [];
  const orgs = Math.max(1, Math.round(people / 10));
  for (let i = 0; i < orgs; i += 500) {
    const rows = Array.from({ length: Math.min(500, orgs - i) }, (_, j) => ({ tenant_id: tenantId, name: `Org ${i + j}`, phone: written(orgNumber(i + j), i + j) }));
    orgIds.push(...(await db.insertInto('organisations').values(rows).returning('id').execute()).map((r) => r.id));
  }
  const personIds: number[] = [];
  for (let i = 0; i < people; i += 500) {
    const rows = Array.from({ length: Math.min(500, people - i) }, (_, j) => ({
      tenant_id: tenantId, name: `Person ${i + j}`, phone: (i + j) % 7 === 6 ? null : written(personNumber(i + j), i + j), organisation_id: orgIds[(i + j) % orgIds.length]!,
    }));
    personIds.push(...(await db.insertInto('people').values(rows).returning('id').execute()).map((r) => r.id));
  }
  return { tenantId, personIds };
}

async function run(label: string, url: string) {
  const database = await createDatabase(url);
  try {
    await migrateAll(database.db, createRegistry([connectPlugin]));
    const { tenantId } = await seedTenant(database, 'big', total);
    for (let i = 0; i < 20; i++) await seedTenant(database, `small-${i}`, 2_000);
    await sql`analyze`.execute(database.db);
    const scope = tenantScope(database.db, tenantId);
    // Known numbers skip every seventh person (no phone); the stride walks the whole table.
    const known = (i: number) => personNumber(((i * 7919) % total) - (((i * 7919) % total) % 7 === 6 ? 1 : 0));
    const check = await lookUpCaller(scope, known(3), 'DE');
    if (check.match !== 'known') throw new Error(`a seeded number was not found: ${JSON.stringify(check)}`);
    return {
      label, people: total, otherTenants: 20,
      knownPerson: await timed(calls, (i) => lookUpCaller(scope, known(i), 'DE')),
      organisationOnly: await timed(calls, (i) => lookUpCaller(scope, orgNumber((i * 31) % Math.round(total / 10)), 'DE')),
      unknownNumber: await timed(calls, (i) => lookUpCaller(scope, `+4940${String(2_000_000 + i)}`, 'DE')),
      foreignNumber: await timed(calls, (i) => lookUpCaller(scope, `+4315${String(300_000 + i)}`, 'DE')),
      openTicketsOfPerson: await timed(calls, async (i) => openTicketsOf(scope, (await lookUpCaller(scope, known(i), 'DE')).people[0]?.id ?? null, null)),
    };
  } finally {
    await database.close();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'caller-lookup-bench-'));
const postgres = await startPostgres();
try {
  const sqlite = await run('sqlite', `sqlite:${join(dir, 'bench.db')}`);
  const pg = await run('postgres', postgres.url);
  process.stdout.write(`${JSON.stringify({ sqlite, postgres: pg })}\n`);
} finally {
  await postgres.stop();
  rmSync(dir, { recursive: true, force: true });
}
