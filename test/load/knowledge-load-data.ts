// Generated knowledge entries for the knowledge benchmarks (knowledge-search-bench.ts in process,
// knowledge-http-bench.ts against the real server): German and English FAQ, documentation and KB entries
// with compounds, umlauts, tags, topics and every visibility, and the queries to run against them.
import type { Kysely } from 'kysely';
import type { DB } from '../../core/db/schema.js';
import { pluginScope, tenantScope } from '../../core/tenancy/tenant-scope.js';
import type { KnowledgeDB } from '../../plugins/knowledge/knowledge-db.js';
import { pick, randomSource, zipf } from './load-text.js';

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
const FIXED_QUERIES = ['Drucker', 'Druckertreiber', 'drucker treiber', 'Passwort', 'passwrot', 'Groesse', 'größe', 'Strasse', 'Netz', 'Netzwerkfehler', 'Rechnungsübersicht', 'invoice',
  'printer driver', 'Postfachgröße', 'Lizenzverwaltung', 'Anmeldung', 'Sicherung prüfen', 'Tastaturtreiber', 'Servr', 'kalender', 'Zugriff', 'Übersicht', 'inst', 'Gerätewartung'];

/** The generator: the same seed gives the same entries and queries. */
export function knowledgeLoadData(seed = 11) {
  const random = randomSource(seed);
  const tail = Array.from({ length: 4000 }, () => Array.from({ length: 2 + Math.floor(random() * 3) }, () => pick(random, SYLLABLES)).join(''));
  const word = zipf([...WORDS, ...HEADS, ...HEADS.flatMap((h) => TAILS.map((t) => h + t)), ...tail], 1);
  const sentence = (n: number) => Array.from({ length: n }, () => word(random)).join(' ') + '.';
  const text = (sentences: number, length: () => number) => Array.from({ length: sentences }, () => sentence(length())).join(' ');
  const between = (lo: number, hi: number) => () => lo + Math.floor(random() * (hi - lo + 1));
  const typo = (w: string) => (w.length > 4 ? w.slice(0, 2) + w[3] + w[2] + w.slice(4) : w);

  return {
    /** Inserts `total` entries (in batches of 500) with 20 organisations and 30 topics; returns the organisations' ids. */
    async seed(db: Kysely<DB>, tenantId: number, total: number): Promise<number[]> {
      const core = tenantScope(db, tenantId);
      const scope = pluginScope<KnowledgeDB>(db, tenantId);
      const organisations = (await core.insertInto('organisations', Array.from({ length: 20 }, (_, i) => ({ name: `Org ${i}`, number: null, email_domains: '', phone: null, address: null, notes: null })))
        .returning('id').execute()).map((r) => r.id);
      const topics = (await scope.insertInto('knowledge_topics', Array.from({ length: 30 }, (_, i) => ({ parent_id: null, name_de: `Thema ${i}`, name_en: `Topic ${i}`, position: i, archived: 0, created_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-01T00:00:00.000Z' })))
        .returning('id').execute()).map((r) => r.id);
      const now = new Date().toISOString();
      for (let start = 0; start < total; start += 500) {
        await db.transaction().execute(async (trx) => {
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
      return organisations;
    },

    /**
     * `count` queries: the fixed German cases first, then words drawn like the text (common ones often), pairs
     * of them and the same with a typo, so few repeat.
     */
    queries(count = 224): string[] {
      const list = [...FIXED_QUERIES];
      for (let i = 0; list.length < count; i++) {
        const w = word(random);
        list.push(i % 4 === 3 ? typo(w) : i % 4 === 2 ? `${w} ${word(random)}` : w);
      }
      return list;
    },
  };
}
