// `npx tsx test/load/ideas-bench.ts`: the ideas plugin's board (issue 13, point 7) on SQLite and PostgreSQL (a throwaway
// server, as the tests start one; or DATABASE_URL=postgres://… of an empty database you give it): 20,000 proposals (each a
// ticket, in 8 topics, statuses spread), 500,000 likes (skewed: a few proposals get thousands, most a handful; spread over
// the year) with their counters and trending scores, and comments. Then the board's first page p95 for every sort
// (newest, liked, trending, discussed), alone and with the status filter, the topic filter, both, a text search, a portal
// person's view, page 50, and the staff page over HTTP (the whole page rendered, the viewer's likes included).
// Env: BENCH_PROPOSALS, BENCH_LIKES, BENCH_RUNS, BENCH_DIALECT (sqlite | postgres | both), BENCH_EXPLAIN (PostgreSQL plans).
// Prints JSON. A benchmark, not a test: figures go into plugins/ideas/README.md.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { createApp } from '../../core/app/create-app.js';
import { createDatabase, type Database } from '../../core/db/create-database.js';
import { migrateAll } from '../../core/db/migrate.js';
import { createEventBus } from '../../core/events/event-bus.js';
import { createLogger } from '../../core/logger.js';
import { createMailer } from '../../core/mail/mailer.js';
import { createUser } from '../../core/people/user-service.js';
import { enablePlugin, updatePluginSettings } from '../../core/plugin-host/plugin-switches.js';
import { createRegistry } from '../../core/plugin-host/registry.js';
import { pluginScope } from '../../core/tenancy/tenant-scope.js';
import { createTenant } from '../../core/tenancy/tenant-service.js';
import { tenantTicketService } from '../../core/tickets/ticket-context.js';
import { IDEA_STATUSES, type IdeasDB } from '../../plugins/ideas/ideas-db.js';
import { ideasPlugin } from '../../plugins/ideas/index.js';
import { likeWeight } from '../../plugins/ideas/like-store.js';
import { SORTS, proposalStore, type BoardQuery } from '../../plugins/ideas/proposal-store.js';
import { personViewer, type Viewer } from '../../plugins/ideas/viewer.js';
import { knowledgePlugin } from '../../plugins/knowledge/index.js';
import { portalPlugin } from '../../plugins/portal/index.js';
import { cookiesOf, testConfig } from '../harness/test-app.js';
import { startPostgres } from '../harness/postgres-server.js';

const PROPOSALS = Number(process.env.BENCH_PROPOSALS ?? 20_000);
const LIKES = Number(process.env.BENCH_LIKES ?? 500_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 40);
const TOPICS = ['IT', 'Facilities', 'Canteen', 'Safety', 'Production', 'HR', 'Travel', 'Environment'];
const NOW = Date.parse('2026-12-15T10:00:00Z');
const YEAR_MS = 365 * 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
const round = (ms: number) => Math.round(ms * 10) / 10;
function figures(samples: number[]) {
  const sorted = [...samples].sort((x, y) => x - y);
  return { p95: round(sorted[Math.floor(sorted.length * 0.95)]!), median: round(sorted[Math.floor(sorted.length / 2)]!) };
}
async function timed(runs: number, work: (i: number) => Promise<unknown>) {
  for (let i = 0; i < 3; i++) await work(i); // warm the statement cache and the pages
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) { const t = performance.now(); await work(i); samples.push(performance.now() - t); }
  return figures(samples);
}
/** A small deterministic generator, so both dialects get the same data. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => { s = (s + 0x6d2b79f5) >>> 0; let t = s; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
}

async function bench(database: Database) {
  const registry = createRegistry([portalPlugin, knowledgePlugin, ideasPlugin]);
  await migrateAll(database.db, registry);
  const clock = () => new Date(NOW);
  const log = createLogger('silent');
  const config = testConfig();
  const mailer = createMailer({ db: database.db, clock, defaultSmtpUrl: undefined, defaultFrom: 'bench@tresen.test', log });
  const { app, services } = createApp(registry, { config, database, clock, log, mailer, events: createEventBus() });
  const tenant = await createTenant(database.db, { slug: 'bench', name: 'Bench', locale: 'en' });
  for (const id of ['portal', 'knowledge', 'ideas']) await enablePlugin(database.db, registry, tenant.id, id);
  await updatePluginSettings(database.db, registry, tenant.id, 'ideas', { portalIdeas: true });
  const scope = pluginScope<IdeasDB>(database.db, tenant.id);
  const rand = random(13);
  const started = performance.now();

  await scope.insertInto('ticket_categories', TOPICS.map((name, position) => ({ name, position }))).execute();
  const person = (await scope.insertInto('people', { name: 'Portal Person', email: 'person@bench.test' } as never).returning('id').executeTakeFirstOrThrow()).id;
  const email = 'agent@bench.test';
  const agent = await createUser(database.db, { tenantId: tenant.id, email, name: 'Bench Agent', role: 'agent', password: 'bench password' }, config.scryptLogN);
  // One real proposal through the ticket service (the create filter writes its row), then copies of its ticket and row.
  const first = await (await tenantTicketService(services, tenant.id)).create({ subject: 'Bench proposal', description: 'x', pluginFields: { 'p.ideas.kind': '1' } }, { kind: 'system', label: 'bench' });
  const { id: _t, ...ticket } = await scope.selectFrom('tickets').selectAll().where('id', '=', first.id).executeTakeFirstOrThrow();
  const { id: _p, ...proposal } = await scope.selectFrom('ideas_proposals').selectAll().where('ticket_id', '=', first.id).executeTakeFirstOrThrow();
  const chunk = database.dialect === 'postgres' ? 2000 : 500;
  const created: number[] = [];
  for (let i = 1; i < PROPOSALS; i += chunk) {
    const n = Math.min(chunk, PROPOSALS - i);
    const at = Array.from({ length: n }, (_, k) => NOW - YEAR_MS + Math.floor(((i + k) / PROPOSALS) * YEAR_MS));
    const tickets = await database.db.insertInto('tickets').values(at.map((ms, k) => ({
      ...ticket, number: `I-${i + k}`, subject: `Proposal ${i + k} about ${TOPICS[(i + k) % TOPICS.length]}`, description: `Text of proposal ${i + k}`, category: TOPICS[(i + k) % TOPICS.length]!, created_at: iso(ms), updated_at: iso(ms),
    }))).returning('id').execute();
    const rows = await scope.insertInto('ideas_proposals', tickets.map((t, k) => {
      const r = rand();
      const status = r < 0.55 ? 'new' : r < 0.7 ? 'review' : r < 0.8 ? 'planned' : r < 0.86 ? 'progress' : r < 0.92 ? 'accepted' : r < 0.97 ? 'declined' : 'duplicate';
      return {
        ...proposal, ticket_id: t.id, title: `Proposal ${i + k} about ${TOPICS[(i + k) % TOPICS.length]}`, search_text: `proposal ${i + k} about ${TOPICS[(i + k) % TOPICS.length]!.toLowerCase()}\ntext of proposal ${i + k}`,
        status: status as (typeof IDEA_STATUSES)[number], portal_visible: (i + k) % 4 === 0 ? 1 : 0, anonymous: (i + k) % 5 === 0 ? 1 : 0,
        submitter_user_id: agent, submitter_label: 'Bench Agent', created_at: iso(at[k]!), status_at: iso(at[k]!),
      };
    })).returning('id').execute();
    created.push(...rows.map((r) => r.id));
  }
  const ids = [(await scope.selectFrom('ideas_proposals').select('id').where('ticket_id', '=', first.id).executeTakeFirstOrThrow()).id, ...created];

  // Likes: a proposal's share falls off with its rank (Zipf-like), each voter once per proposal, liked after it was made.
  const weights = ids.map((_, i) => 1 / (1 + i * 0.05));
  const total = weights.reduce((s, w) => s + w, 0);
  const order = ids.map((id) => ({ id, key: rand() })).sort((x, y) => x.key - y.key).map((x) => x.id);
  const counts = new Map<number, number>();
  let given = 0;
  order.forEach((id, i) => { const n = Math.min(LIKES - given, Math.max(i < order.length - 1 ? Math.round((weights[i]! / total) * LIKES) : LIKES - given, 0)); counts.set(id, n); given += n; });
  const createdAt = new Map((await scope.selectFrom('ideas_proposals').select(['id', 'created_at']).execute()).map((r) => [r.id, Date.parse(r.created_at)]));
  let batch: Array<{ proposal_id: number; voter: string; liked_at: string }> = [];
  const score = new Map<number, number>();
  const flush = async () => { if (batch.length) await scope.insertInto('ideas_likes', batch).execute(); batch = []; };
  const likeChunk = database.dialect === 'postgres' ? 5000 : 2000;
  for (const [id, n] of counts) {
    const from = createdAt.get(id)!;
    let sum = 0;
    for (let v = 0; v < n; v++) {
      const likedAt = iso(from + Math.floor(rand() * (NOW - from)));
      sum += likeWeight(likedAt);
      batch.push({ proposal_id: id, voter: `u:${v + 1}`, liked_at: likedAt });
      if (batch.length >= likeChunk) await flush();
    }
    score.set(id, sum);
  }
  await flush();
  // The counters as the like and comment transactions would have left them, and comments (3 a proposal on average).
  const comments: Array<{ proposal_id: number; author_user_id: number; author_label: string; body: string; created_at: string }> = [];
  const commentCount = new Map<number, number>();
  for (const id of ids) {
    const n = Math.floor(rand() * rand() * 12);
    commentCount.set(id, n);
    for (let k = 0; k < n; k++) comments.push({ proposal_id: id, author_user_id: agent, author_label: 'Bench Agent', body: `Comment ${k}`, created_at: iso(createdAt.get(id)! + k * 60_000) });
  }
  for (let i = 0; i < comments.length; i += chunk) await scope.insertInto('ideas_comments', comments.slice(i, i + chunk)).execute();
  await database.db.transaction().execute(async (trx) => {
    const tx = scope.withDb(trx);
    for (const id of ids) await tx.updateTable('ideas_proposals').set({ likes_count: counts.get(id) ?? 0, comments_count: commentCount.get(id) ?? 0, trend_score: score.get(id) ?? 0 }).where('id', '=', id).execute();
  });
  // A bulk load leaves PostgreSQL without statistics until autovacuum's analyze runs; a live database has them.
  if (database.dialect === 'postgres') await sql`analyze`.execute(database.db);
  const likesStored = Number((await scope.selectFrom('ideas_likes').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const seedMs = Math.round(performance.now() - started);

  const store = proposalStore(services, tenant.id);
  const staff: Viewer = { userId: agent, personId: null, label: 'Bench Agent', manager: false, moderator: false };
  const filters: Record<string, Omit<BoardQuery, 'sort'>> = {
    none: {}, status: { status: 'planned' }, statusRare: { status: 'duplicate' }, topic: { topic: 'Safety' }, statusAndTopic: { status: 'progress', topic: 'Canteen' },
    search: { q: 'proposal 1234' },
  };
  const board: Record<string, Record<string, { p95: number; median: number }>> = {};
  const worst: number[] = [];
  for (const sort of SORTS) {
    board[sort] = {};
    for (const [name, filter] of Object.entries(filters)) {
      const result = await timed(RUNS, () => store.board(staff, { ...filter, sort }));
      if (name !== 'search') worst.push(result.p95);
      board[sort]![name] = result;
    }
    board[sort]!.portalPerson = await timed(RUNS, () => store.board(personViewer({ id: person, name: 'Portal Person' }), { sort }));
    board[sort]!.page50 = await timed(Math.max(10, RUNS / 2), () => store.board(staff, { sort, page: 50 }));
  }

  if (process.env.BENCH_EXPLAIN && database.dialect === 'postgres') {
    for (const sort of SORTS) {
      const column = ({ newest: 'created_at', liked: 'likes_count', trending: 'trend_score', discussed: 'comments_count' } as const)[sort];
      const plan = await sql.raw(`explain analyze select p.id from ideas_proposals p join tickets t on t.id = p.ticket_id where p.tenant_id = ${tenant.id} and t.tenant_id = ${tenant.id} and t.deleted_at is null and t.category = 'Safety' and p.status = 'progress' order by p.${column} desc, p.id desc limit 21`).execute(database.db);
      console.error(sort, '\n', plan.rows.map((row) => Object.values(row as object)[0]).join('\n'));
    }
  }

  // The whole staff page over HTTP (in process): session, permissions, the query, the viewer's likes, rendering.
  const origin = 'http://tresen.test';
  const login = await app.request(`${origin}/t/bench/login`, { method: 'POST', headers: { Origin: origin }, body: new URLSearchParams({ email, password: 'bench password' }) });
  if (login.status !== 303) throw new Error(`sign-in failed: ${login.status}`);
  const cookie = cookiesOf(login);
  const http: Record<string, { p95: number; median: number }> = {};
  for (const sort of SORTS) {
    http[sort] = await timed(RUNS, async () => {
      const response = await app.request(`${origin}/t/bench/p/ideas?sort=${sort}`, { headers: { Cookie: cookie } });
      if (response.status !== 200) throw new Error(`board ${sort}: ${response.status}`);
      await response.text();
    });
  }
  await mailer.close();
  return { proposals: ids.length, likes: likesStored, comments: comments.length, seedMs, worstFirstPageP95SortsAndFilters: Math.max(...worst), boardMs: board, staffPageHttpMs: http };
}

const results: Record<string, unknown> = {};
const which = process.env.BENCH_DIALECT ?? 'both';
if (which !== 'postgres') {
  const dir = mkdtempSync(join(tmpdir(), 'ideas-bench-'));
  const sqlite = await createDatabase(`sqlite:${join(dir, 'bench.db')}`);
  results.sqlite = await bench(sqlite);
  await sqlite.close();
  console.error(JSON.stringify(results.sqlite));
}
if (which !== 'sqlite') {
  const given = /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? '') ? process.env.DATABASE_URL : undefined;
  const server = given ? undefined : await startPostgres();
  try {
    let url = given;
    if (server) {
      const admin = new pg.Client({ connectionString: server.url });
      await admin.connect();
      await admin.query('create database ideas_bench');
      await admin.end();
      url = server.url.replace(/\/[^/]*$/, '/ideas_bench');
    }
    const postgres = await createDatabase(url!, { poolSize: 5 });
    results.postgres = await bench(postgres);
    await postgres.close();
  } finally {
    await server?.stop();
  }
}
console.log(JSON.stringify(results, null, 2));
