// `npx tsx --expose-gc test/load/knowledge-search-bench.ts`: the knowledge search at 10,000 entries.
// Fills a fresh SQLite tenant with generated FAQ, documentation and KB entries (German and English,
// compounds, umlauts, tags, topics, every visibility), then measures the lazy index build (time and
// heap growth) and the search (server time per query: p50/p95/p99 and sequential queries per second)
// for staff, a customer and an anonymous viewer. Env: BENCH_ENTRIES (10000), BENCH_QUERIES (2000).
// Prints JSON. A benchmark, not a test: the figures go into plugins/knowledge/README.md.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../core/app/create-app.js';
import { createDatabase } from '../../core/db/create-database.js';
import { migrateAll } from '../../core/db/migrate.js';
import { createEventBus } from '../../core/events/event-bus.js';
import { createLogger } from '../../core/logger.js';
import { createMailer } from '../../core/mail/mailer.js';
import { enablePlugin } from '../../core/plugin-host/plugin-switches.js';
import { createRegistry } from '../../core/plugin-host/registry.js';
import { pluginScope, tenantScope } from '../../core/tenancy/tenant-scope.js';
import { createTenant } from '../../core/tenancy/tenant-service.js';
import { knowledgePlugin } from '../../plugins/knowledge/index.js';
import type { KnowledgeDB } from '../../plugins/knowledge/knowledge-db.js';
import { createKnowledgeSearch } from '../../plugins/knowledge/search/knowledge-search.js';
import type { Viewer } from '../../plugins/knowledge/search/visibility.js';
import { testConfig } from '../harness/test-app.js';
import { pick, randomSource, zipf } from './load-text.js';

const total = Number(process.env.BENCH_ENTRIES ?? 10_000);
const queries = Number(process.env.BENCH_QUERIES ?? 2000);
const random = randomSource(11);

const HEADS = ['Drucker', 'Netzwerk', 'Passwort', 'Rechnung', 'Benutzer', 'Konto', 'Server', 'Postfach', 'Lizenz', 'Monitor', 'Tastatur', 'Zugang', 'Speicher', 'Sicherung', 'Telefon', 'Scanner', 'Laufwerk', 'Kalender', 'Vertrag', 'Gerät'];
const TAILS = ['treiber', 'fehler', 'einstellung', 'verwaltung', 'anmeldung', 'übersicht', 'störung', 'größe', 'wartung', 'zugriff', 'änderung', 'prüfung'];
const WORDS = [
  'der', 'die', 'das', 'und', 'nicht', 'bitte', 'neu', 'starten', 'öffnen', 'schließen', 'prüfen', 'installieren', 'aktualisieren', 'löschen', 'anlegen', 'ändern',
  'Kunde', 'Support', 'Fehlermeldung', 'Anleitung', 'Lösung', 'Ursache', 'Schritt', 'Menü', 'Einstellungen', 'Straße', 'Größe', 'Übersicht', 'Büro', 'Verbindung',
  'the', 'printer', 'driver', 'account', 'password', 'reset', 'invoice', 'network', 'connection', 'error', 'message', 'update', 'install', 'restart', 'settings',
  'mailbox', 'quota', 'license', 'backup', 'restore', 'calendar', 'contract', 'device', 'screen', 'keyboard', 'access', 'storage', 'phone', 'scanner', 'drive',
];
// A real knowledge base has a long tail of rarer words (products, error codes, names): 4,000 made-up words
// from German-sounding syllables join the vocabulary, so a common word hits hundreds of entries, not half of them.
const SYLLABLES = ['ka', 'ber', 'lin', 'ster', 'gen', 'to', 'mar', 'ul', 'rei', 'sch', 'ö', 'ü', 'ä', 'vo', 'len', 'dorf', 'burg', 'tek', 'net', 'ix', 'pro', 'sys'];
const tail = Array.from({ length: 4000 }, () => Array.from({ length: 2 + Math.floor(random() * 3) }, () => pick(random, SYLLABLES)).join(''));
const word = zipf([...WORDS, ...HEADS, ...HEADS.flatMap((h) => TAILS.map((t) => h + t)), ...tail], 1);
const sentence = (n: number) => Array.from({ length: n }, () => word(random)).join(' ') + '.';
const text = (sentences: number, length: () => number) => Array.from({ length: sentences }, () => sentence(length())).join(' ');
const between = (lo: number, hi: number) => () => lo + Math.floor(random() * (hi - lo + 1));

const dir = mkdtempSync(join(tmpdir(), 'tresen-knowledge-bench-'));
const url = `sqlite:${join(dir, 'bench.db')}`;
const registry = createRegistry([knowledgePlugin]);
const database = await createDatabase(url);
await migrateAll(database.db, registry);
const clock = () => new Date();
const log = createLogger('silent');
const config = testConfig({ dataDir: dir, databaseUrl: url });
const mailer = createMailer({ db: database.db, clock, defaultSmtpUrl: undefined, defaultFrom: config.smtpFrom, log });
const { services } = createApp(registry, { config, database, clock, log, mailer, events: createEventBus() });
const tenant = await createTenant(database.db, { slug: 'acme', name: 'ACME', locale: 'de' });
await enablePlugin(database.db, registry, tenant.id, 'knowledge');
const core = tenantScope(database.db, tenant.id);
const scope = pluginScope<KnowledgeDB>(database.db, tenant.id);
const organisations = (await core.insertInto('organisations', Array.from({ length: 20 }, (_, i) => ({ name: `Org ${i}`, number: null, email_domains: '', phone: null, address: null, notes: null })))
  .returning('id').execute()).map((r) => r.id);
const topics = (await scope.insertInto('knowledge_topics', Array.from({ length: 30 }, (_, i) => ({ parent_id: null, name_de: `Thema ${i}`, name_en: `Topic ${i}`, position: i, archived: 0, created_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-01T00:00:00.000Z' })))
  .returning('id').execute()).map((r) => r.id);

const seedStarted = performance.now();
const now = new Date().toISOString();
for (let start = 0; start < total; start += 500) {
  await database.db.transaction().execute(async (trx) => {
    const tx = scope.withDb(trx);
    const batch = Array.from({ length: Math.min(500, total - start) }, () => {
      const kind = pick(random, ['faq', 'doc', 'kb'] as const);
      return {
        kind, language: random() < 0.7 ? 'de' as const : 'en' as const, translation_of: null, title: sentence(between(3, 8)()).slice(0, 200),
        body: text(between(2, 8)(), between(6, 16)), cause: kind === 'kb' ? sentence(8) : '', steps: kind === 'kb' ? text(3, () => 6) : '',
        visibility: pick(random, ['internal', 'customers', 'organisations', 'public'] as const), state: random() < 0.8 ? 'published' as const : 'draft' as const,
        state_at: now, state_by: 'Bench', version: 1, created_at: now, created_by: 'Bench', updated_at: now, updated_by: 'Bench',
      };
    });
    const ids = (await tx.insertInto('knowledge_entries', batch).returning(['id', 'visibility']).execute());
    await tx.insertInto('knowledge_entry_topics', ids.map((e) => ({ entry_id: e.id, topic_id: pick(random, topics) }))).execute();
    await tx.insertInto('knowledge_entry_tags', ids.flatMap((e) => [...new Set([pick(random, HEADS), pick(random, WORDS)])].map((tag) => ({ entry_id: e.id, tag })))).execute();
    const named = ids.filter((e) => e.visibility === 'organisations');
    if (named.length) await tx.insertInto('knowledge_entry_organisations', named.map((e) => ({ entry_id: e.id, organisation_id: pick(random, organisations) }))).execute();
  });
}
const seedSeconds = (performance.now() - seedStarted) / 1000;

const gc = (globalThis as { gc?: () => void }).gc;
const heap = () => { gc?.(); gc?.(); return process.memoryUsage(); };
const before = heap();
const search = createKnowledgeSearch();
const buildStarted = performance.now();
const size = await search.warm(services, tenant.id);
const buildMs = performance.now() - buildStarted;
const after = heap();

const QUERY_WORDS: string[] = ['Drucker', 'Druckertreiber', 'drucker treiber', 'Passwort', 'passwrot', 'Groesse', 'größe', 'Strasse', 'Netz', 'Netzwerkfehler', 'Rechnungsübersicht', 'invoice',
  'printer driver', 'Postfachgröße', 'Lizenzverwaltung', 'Anmeldung', 'Sicherung prüfen', 'Tastaturtreiber', 'Servr', 'kalender', 'Zugriff', 'Übersicht', 'inst', 'Gerätewartung'];
// Beside the fixed cases, words drawn like the text (common ones often) and the same with a typo, so no query repeats much.
const typo = (w: string) => (w.length > 4 ? w.slice(0, 2) + w[3] + w[2] + w.slice(4) : w);
for (let i = 0; i < 200; i++) {
  const w = word(random);
  QUERY_WORDS.push(i % 4 === 3 ? typo(w) : i % 4 === 2 ? `${w} ${word(random)}` : w);
}
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
times.sort((a, b) => a - b);
const pct = (p: number) => Math.round(times[Math.min(times.length - 1, Math.floor(times.length * p))]! * 100) / 100;
const mb = (bytes: number) => Math.round(bytes / 1024 / 102.4) / 10;
process.stdout.write(`${JSON.stringify({
  entries: total, indexed: size, seedSeconds: Math.round(seedSeconds * 10) / 10, buildMs: Math.round(buildMs),
  heapGrowthMb: mb(after.heapUsed - before.heapUsed), rssGrowthMb: mb(after.rss - before.rss), rssMb: mb(after.rss), gcExposed: Boolean(gc),
  distinctQueries: QUERY_WORDS.length, loadAverage: (await import('node:os')).loadavg().map((n) => Math.round(n * 10) / 10),
  queries, p50Ms: pct(0.5), p95Ms: pct(0.95), p99Ms: pct(0.99), maxMs: pct(1), sequentialPerSecond: Math.round(queries / runSeconds), meanHits: Math.round(hits / queries), node: process.version,
}, null, 2)}\n`);
await database.close();
