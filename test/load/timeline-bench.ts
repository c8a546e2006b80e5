// The timeline with 50,000 posts in one tenant (and 5,000 in another): the first page for staff, for a
// customer of an organisation (whose posts are 1 in 100), the next page and the unread badge, p95 and
// median over BENCH_RUNS runs, on SQLite and PostgreSQL (BENCH_DIALECT: sqlite, postgres or both).
// Run: npx tsx test/load/timeline-bench.ts
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { createDatabase, type Database } from '../../core/db/create-database.js';
import { migrateAll } from '../../core/db/migrate.js';
import { createEventBus } from '../../core/events/event-bus.js';
import { createRegistry } from '../../core/plugin-host/registry.js';
import { tenantScope } from '../../core/tenancy/tenant-scope.js';
import { createTenant } from '../../core/tenancy/tenant-service.js';
import { listPosts, unreadCount, type TimelineViewer } from '../../core/timeline/timeline-posts.js';
import { timelineDeps } from '../../core/timeline/timeline-seam.js';
import { startPostgres } from '../harness/postgres-server.js';

const POSTS = Number(process.env.BENCH_POSTS ?? 50_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 200);
const ORGS = 100;

const quantile = (samples: number[], q: number) => {
  const sorted = samples.slice().sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]! * 100) / 100;
};
async function timed(work: (i: number) => Promise<unknown>) {
  for (let i = 0; i < 10; i++) await work(i);
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) { const t = performance.now(); await work(i); samples.push(performance.now() - t); }
  return { p95: quantile(samples, 0.95), median: quantile(samples, 0.5) };
}

async function seed(database: Database, tenantId: number, posts: number, orgIds: number[], groupId: number) {
  const scope = tenantScope(database.db, tenantId);
  const start = Date.parse('2024-01-01T00:00:00Z');
  for (let i = 0; i < posts; i += 1000) {
    const batch = Array.from({ length: Math.min(1000, posts - i) }, (_, k) => {
      const n = i + k;
      const audience = n % 10 < 4 ? 'everyone' as const : n % 10 < 6 ? 'staff' as const : n % 10 < 7 ? 'group' as const : 'organisations' as const;
      const at = new Date(start + n * 60_000).toISOString();
      return {
        kind: n % 3 === 0 ? 'solution' as const : 'announcement' as const, audience, group_id: audience === 'group' ? groupId : null,
        title: `Post ${n}`, body: `Body of post ${n} `.repeat(8), link: null, ticket_id: null, author_user_id: null, author_label: 'bench',
        pinned: n === posts - 1000 ? 1 : 0, expires_at: n % 50 === 0 ? new Date(start).toISOString() : null, created_at: at, updated_at: at,
      };
    });
    const rows = await scope.insertInto('timeline_posts', batch).returning(['id', 'audience']).execute();
    const orgRows = rows.filter((r) => r.audience === 'organisations').map((r, k) => ({ post_id: r.id, organisation_id: orgIds[(i / 1000 + k) % orgIds.length]! }));
    if (orgRows.length) await scope.insertInto('timeline_post_organisations', orgRows).execute();
  }
}

async function bench(database: Database) {
  await migrateAll(database.db, createRegistry([]));
  const tenant = await createTenant(database.db, { slug: 'bench', name: 'Bench', locale: 'en' });
  const other = await createTenant(database.db, { slug: 'other', name: 'Other', locale: 'en' });
  const started = performance.now();
  const orgIds: Record<number, number[]> = {};
  const groups: Record<number, number> = {};
  for (const t of [tenant.id, other.id]) {
    const scope = tenantScope(database.db, t);
    orgIds[t] = (await scope.insertInto('organisations', Array.from({ length: ORGS }, (_, i) => ({ name: `Org ${i}` }))).returning('id').execute()).map((r) => r.id);
    groups[t] = (await scope.insertInto('support_groups', { name: 'Second', level: 'second' }).returning('id').executeTakeFirstOrThrow()).id;
  }
  await seed(database, other.id, POSTS / 10, orgIds[other.id]!, groups[other.id]!);
  await seed(database, tenant.id, POSTS, orgIds[tenant.id]!, groups[tenant.id]!);
  if (database.dialect === 'postgres') await sql`analyze`.execute(database.db);
  const seedMs = Math.round(performance.now() - started);
  const deps = timelineDeps({ db: database.db, clock: () => new Date('2026-12-01T00:00:00Z'), events: createEventBus() }, tenant.id);
  const staffViewer: TimelineViewer = { kind: 'staff', userId: 1, groupIds: [] };
  const customer: TimelineViewer = { kind: 'customer', personId: 1, organisationId: orgIds[tenant.id]![7]! };
  const page1 = await listPosts(deps, staffViewer);
  return {
    posts: POSTS, seedMs,
    staffFirstPage: await timed(() => listPosts(deps, staffViewer)),
    staffNextPage: await timed(() => listPosts(deps, staffViewer, { before: page1.next })),
    customerFirstPage: await timed(() => listPosts(deps, customer)),
    customerUnread: await timed(() => unreadCount(deps, customer)),
    staffUnread: await timed(() => unreadCount(deps, staffViewer)),
  };
}

const results: Record<string, unknown> = {};
const which = process.env.BENCH_DIALECT ?? 'both';
if (which !== 'postgres') {
  const sqlite = await createDatabase(`sqlite:${join(mkdtempSync(join(tmpdir(), 'timeline-bench-')), 'bench.db')}`);
  results.sqlite = await bench(sqlite);
  await sqlite.close();
  console.error(JSON.stringify(results.sqlite));
}
if (which !== 'sqlite') {
  const server = await startPostgres();
  try {
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    await admin.query('create database timeline_bench');
    await admin.end();
    const postgres = await createDatabase(server.url.replace(/\/[^/]*$/, '/timeline_bench'), { poolSize: 5 });
    results.postgres = await bench(postgres);
    await postgres.close();
  } finally {
    await server.stop();
  }
}
console.log(JSON.stringify(results, null, 2));
