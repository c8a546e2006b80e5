// `npx tsx --expose-gc test/load/knowledge-search-bench.ts`: the knowledge search at 10,000 entries.
// Fills a fresh SQLite tenant with generated FAQ, documentation and KB entries (German and English,
// compounds, umlauts, tags, topics, every visibility), then measures the lazy index build (time and
// heap growth) and the search (server time per query: p50/p95/p99 and sequential queries per second)
// for staff, a customer and an anonymous viewer. Env: BENCH_ENTRIES (10000), BENCH_QUERIES (2000), BENCH_CACHE (0: no cache).
// Prints JSON. A benchmark, not a test: the figures go into plugins/knowledge/README.md.
import { knowledgePlugin } from '../../plugins/knowledge/index.js';
import { createKnowledgeSearch } from '../../plugins/knowledge/search/knowledge-search.js';
import type { Viewer } from '../../plugins/knowledge/search/visibility.js';
import { benchApp } from './bench-app.js';
import { knowledgeLoadData } from './knowledge-load-data.js';

const total = Number(process.env.BENCH_ENTRIES ?? 10_000);
const queries = Number(process.env.BENCH_QUERIES ?? 2000);
const data = knowledgeLoadData(11);

const { database, services, tenant } = await benchApp('knowledge', [knowledgePlugin], 'de');
const seedStarted = performance.now();
const organisations = await data.seed(database.db, tenant.id, total);
const seedSeconds = (performance.now() - seedStarted) / 1000;

const gc = (globalThis as { gc?: () => void }).gc;
const heap = () => { gc?.(); gc?.(); return process.memoryUsage(); };
const before = heap();
// BENCH_CACHE=0: every query ranked afresh (the figures without the per-tenant cache of ranked results).
const search = createKnowledgeSearch({ cacheSize: process.env.BENCH_CACHE === '0' ? 0 : undefined });
const buildStarted = performance.now();
const buildCpu = process.cpuUsage();
const size = await search.warm(services, tenant.id);
const buildMs = performance.now() - buildStarted;
// CPU time of the build (user + system): what it costs whatever else the machine is doing.
const buildCpuMs = (({ user, system }) => (user + system) / 1000)(process.cpuUsage(buildCpu));
const after = heap();

const QUERY_WORDS = data.queries(224);
const viewers: Viewer[] = [{ kind: 'staff' }, { kind: 'customer', organisationId: organisations[3]! }, { kind: 'anonymous' }];
// Warm-up, then the measured run.
for (let i = 0; i < 50; i++) await search.search(services, tenant.id, { q: QUERY_WORDS[i % QUERY_WORDS.length]!, viewer: viewers[i % 3]! });
const times: number[] = [];
let hits = 0;
const runStarted = performance.now();
for (let i = 0; i < queries; i++) {
  const q = QUERY_WORDS[i % QUERY_WORDS.length]!;
  const started = performance.now();
  const results = await search.search(services, tenant.id, { q, viewer: viewers[i % 3]!, kind: i % 7 === 0 ? 'faq' : undefined });
  times.push(performance.now() - started);
  hits += results.total;
}
const runSeconds = (performance.now() - runStarted) / 1000;
if (process.env.BENCH_PER_QUERY) {
  for (const q of QUERY_WORDS) {
    const started = performance.now();
    for (let i = 0; i < 20; i++) await search.search(services, tenant.id, { q, viewer: viewers[i % 3]! });
    process.stderr.write(`${q}: ${((performance.now() - started) / 20).toFixed(1)} ms\n`);
  }
}
// The index after the queries too: the vocabulary's sorted lists are made on first use, the cache fills.
const afterQueries = heap();
times.sort((a, b) => a - b);
const pct = (p: number) => Math.round(times[Math.min(times.length - 1, Math.floor(times.length * p))]! * 100) / 100;
const mb = (bytes: number) => Math.round(bytes / 1024 / 102.4) / 10;
process.stdout.write(`${JSON.stringify({
  entries: total, indexed: size, seedSeconds: Math.round(seedSeconds * 10) / 10, buildMs: Math.round(buildMs), buildCpuMs: Math.round(buildCpuMs),
  heapGrowthMb: mb(after.heapUsed - before.heapUsed), heapGrowthAfterQueriesMb: mb(afterQueries.heapUsed - before.heapUsed), rssGrowthMb: mb(after.rss - before.rss), rssMb: mb(after.rss), gcExposed: Boolean(gc),
  distinctQueries: QUERY_WORDS.length, loadAverage: (await import('node:os')).loadavg().map((n) => Math.round(n * 10) / 10),
  queries, p50Ms: pct(0.5), p95Ms: pct(0.95), p99Ms: pct(0.99), maxMs: pct(1), sequentialPerSecond: Math.round(queries / runSeconds), meanHits: Math.round(hits / queries), node: process.version,
}, null, 2)}\n`);
await database.close();
