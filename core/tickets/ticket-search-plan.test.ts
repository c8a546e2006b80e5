import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tenant, TicketStatus } from '../db/schema.js';
import { createTenant } from '../tenancy/tenant-service.js';
import { tenantScope } from '../tenancy/tenant-scope.js';
import { createTicketQueries, SEARCH_COUNT_CAP, type TicketFilter, type Viewer } from './ticket-queries.js';
import { HIT_END, HIT_START, lookupStatement, lookUpMatches, searchSnippets, writeSearchDocuments } from './ticket-search.js';
import { broadSearchPlan, termForms } from './ticket-search-walk.js';
import { createTestDatabase, dialects, type TestDatabase } from '../../test/harness/test-database.js';

// The search plan follows what the full-text lookup found: every match returned (up to twice the
// count cap) pages and counts by those ids, more goes the broad way. Words with 0, 1, 499, 501,
// 1,200, 2,100, 2,400 and 50,000 matches (half of each rarer word as a longer form, "quills" for "quill", so the
// whole-word lookup finds only part of them), some of them deleted, checked against the answer
// worked out here from how the fixture was made.
const N = 50_000;
// Documents the size of a short mail: with one-line documents PostgreSQL reads the whole table
// rather than any index, which it never does at a real table's size.
const FILLER = 'Since the update of last week the device stops after a few pages and shows a blinking light; we restarted it twice, checked the cables and the network settings, and asked the colleagues on the second floor, who see the same. Please call back before noon if you need more details about the model or the setup. '.repeat(2);
const STATUSES: TicketStatus[] = ['new', 'open', 'waiting', 'solved', 'closed'];

/** Each word's tickets (fixture index i): a start, a step and how many. */
const WORDS = {
  absent: { start: 0, step: 1, count: 0 },
  solo: { start: 4242, step: 1, count: 1 },
  quill: { start: 3, step: 100, count: 499 },
  ember: { start: 11, step: 97, count: 501 },
  garnet: { start: 2, step: 41, count: 1200 },
  // More than the lookup's limit, though not of whole words alone.
  tandem: { start: 5, step: 20, count: 2400 },
  // More than the limit, the first 1,100 of them deleted: exactly the cap live.
  relic: { start: 1, step: 23, count: 2100 },
  common: { start: 0, step: 1, count: N },
} as const;
type Word = keyof typeof WORDS;

interface Fixture { i: number; subject: string; body: string; status: TicketStatus; priority: number; inOrg: boolean; updatedAt: string; deleted: boolean; words: Set<Word> }

function fixtureTicket(i: number): Fixture {
  const words = new Set<Word>();
  let deleted = i % 250 === 3;
  const forms: string[] = [];
  for (const [word, { start, step, count }] of Object.entries(WORDS) as Array<[Word, (typeof WORDS)[Word]]>) {
    const k = (i - start) / step;
    if (Number.isInteger(k) && k >= 0 && k < count) {
      words.add(word);
      // Every second one in a longer form the prefix finds and the whole word does not.
      forms.push(word === 'common' || k % 2 === 0 ? word : `${word}s`);
      if (word === 'relic' && k < 1100) deleted = true;
    }
  }
  return {
    i, subject: `Case ${String((i * 31) % N).padStart(5, '0')}`, body: `Report ${forms.join(' ')} in the hall. ${FILLER}`,
    status: STATUSES[i % 5]!, priority: (i % 4) + 1, inOrg: i % 3 === 0,
    // A permutation of the minutes (7919 is prime to 50,000): the update order is not the id order.
    updatedAt: new Date(Date.parse('2026-01-01T00:00:00.000Z') + ((i * 7919) % N) * 60_000).toISOString(),
    deleted, words,
  };
}

describe.each(dialects)('ticket search plans by match count on %s', (dialect) => {
  let database: TestDatabase;
  let tenant: Tenant;
  let viewer: Viewer;
  let orgId: number;
  let other: Tenant;
  /** Fixture index → ticket id. */
  const ids: number[] = [];
  const tickets = Array.from({ length: N }, (_, i) => fixtureTicket(i));

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    const { db } = database;
    tenant = await createTenant(db, { slug: 'acme', name: 'ACME', locale: 'en' });
    other = await createTenant(db, { slug: 'globex', name: 'Globex', locale: 'en' });
    const agent = await db.insertInto('users').values({ tenant_id: tenant.id, email: 'ada@acme.test', name: 'ada', role: 'agent' }).returning('id').executeTakeFirstOrThrow();
    viewer = { userId: agent.id, groupIds: [] };
    orgId = (await tenantScope(db, tenant.id).insertInto('organisations', { name: 'Alpha GmbH' }).returning('id').executeTakeFirstOrThrow()).id;
    const row = (t: Fixture, organisationId: number | null) => ({
      number: `2026-${String(t.i + 1).padStart(6, '0')}`, subject: t.subject, description: t.body, status: t.status, priority: t.priority,
      category: null, channel: 'web' as const, organisation_id: organisationId, requester_id: null, contract_id: null, assignee_id: null,
      group_id: null, custom_fields: '{}', created_at: t.updatedAt, updated_at: t.updatedAt, first_response_at: null, solved_at: null,
      closed_at: null, deleted_at: t.deleted ? '2026-02-01T00:00:00.000Z' : null,
    });
    await db.transaction().execute(async (trx) => {
      for (let offset = 0; offset < N; offset += 1000) {
        const batch = tickets.slice(offset, offset + 1000);
        const inserted = await tenantScope(trx, tenant.id).insertInto('tickets', batch.map((t) => row(t, t.inOrg ? orgId : null))).returning('id').execute();
        ids.push(...inserted.map((r) => r.id));
      }
      // Another tenant's tickets with the same words never show.
      await tenantScope(trx, other.id).insertInto('tickets', tickets.filter((t) => t.words.size > 1).slice(0, 600).map((t) => row(t, null))).execute();
      // The documents straight from the tickets, in one statement per dialect.
      await (dialect === 'sqlite'
        ? sql`insert into ticket_search (rowid, tenant, subject, body) select id, 't' || tenant_id, subject, description from tickets`
        : sql`insert into ticket_search (ticket_id, tenant_id, subject, body) select id, tenant_id, subject, description from tickets`).execute(trx);
    });
    await sql`analyze`.execute(db);
  }, 120_000);
  afterAll(() => database.cleanup());

  const queries = () => createTicketQueries(database.db, dialect, tenant.id);

  /** The answer worked out from the fixture: the live matches, filtered, in the list's order. */
  function expected(word: Word, keep: (t: Fixture) => boolean = () => true, order: 'updated' | 'subject' | 'created asc' | 'number' = 'updated') {
    const matching = tickets.filter((t) => t.words.has(word) && !t.deleted && keep(t));
    // Created and updated at the same minute; numbers follow the fixture's order.
    matching.sort(order === 'updated' ? (a, b) => b.updatedAt.localeCompare(a.updatedAt) || b.i - a.i
      : order === 'created asc' ? (a, b) => a.updatedAt.localeCompare(b.updatedAt) || a.i - b.i
        : order === 'number' ? (a, b) => a.i - b.i
          : (a, b) => a.subject.localeCompare(b.subject) || a.i - b.i);
    return { total: Math.min(matching.length, SEARCH_COUNT_CAP), totalCapped: matching.length > SEARCH_COUNT_CAP, ids: matching.map((t) => ids[t.i]!) };
  }

  async function expectPage(filter: TicketFilter, want: ReturnType<typeof expected>, broadPlan?: 'walk' | 'set') {
    const page = await (broadPlan ? createTicketQueries(database.db, dialect, tenant.id, undefined, { broadPlan }) : queries()).search(filter, viewer);
    const from = ((filter.page ?? 1) - 1) * 25;
    expect({ total: page.total, totalCapped: page.totalCapped }).toEqual({ total: want.total, totalCapped: want.totalCapped });
    expect(page.rows.map((r) => r.id)).toEqual(want.ids.slice(from, from + 25));
    return page;
  }

  it.each(Object.keys(WORDS) as Word[])('"%s": counts and pages as the plain query would, with snippets', async (word) => {
    const page = await expectPage({ q: word }, expected(word));
    expect(page.rows.every((r) => r.snippet?.body.includes(`${HIT_START}${word}`))).toBe(true);
    await expectPage({ q: word, page: 2 }, expected(word));
    await expectPage({ q: word, sort: 'created_at', dir: 'asc' }, expected(word, () => true, 'created asc'));
    await expectPage({ q: word, sort: 'number', page: 3 }, expected(word, () => true, 'number'));
    await expectPage({ q: word, status: 'open' }, expected(word, (t) => t.status === 'open'));
    await expectPage({ q: word, organisation: orgId, sort: 'subject' }, expected(word, (t) => t.inOrg, 'subject'));
    await expectPage({ q: `${word} hall`, priority: 2 }, expected(word, (t) => t.priority === 2));
  });

  // Broad words on SQLite: paging along the sort's index, each ticket probed for the whole words
  // the prefixes stand for, gives the same pages as the set of every match.
  it.runIf(dialect === 'sqlite').each(['garnet', 'tandem', 'relic', 'common'] as const)('"%s": the walk and the set give the same pages', async (word) => {
    expect((await broadSearchPlan(database.db, [word, 'hall'], 25, 'walk')).condition).toBeDefined();
    for (const broadPlan of ['walk', 'set'] as const) {
      await expectPage({ q: word }, expected(word), broadPlan);
      await expectPage({ q: word, page: 3 }, expected(word), broadPlan);
      await expectPage({ q: word, sort: 'created_at', dir: 'asc' }, expected(word, () => true, 'created asc'), broadPlan);
      await expectPage({ q: word, sort: 'number', page: 2 }, expected(word, () => true, 'number'), broadPlan);
      await expectPage({ q: `${word} hall` }, expected(word), broadPlan);
    }
  });

  it.runIf(dialect === 'sqlite')('expands a prefix into the index\'s words and walks only where the page fills sooner', async () => {
    const { db } = database;
    // "tandem" is a prefix of "tandems": both words, 1,200 documents each, and the other tenant's
    // copies (the counts are the whole index's).
    const copies = tickets.filter((t) => t.words.size > 1).slice(0, 600).filter((t) => t.words.has('tandem'));
    const plural = copies.filter((t) => t.body.includes('tandems ')).length;
    expect(await termForms(db, 'tandem')).toEqual({ match: '("tandem" OR "tandems")', documents: 2400 + copies.length });
    expect(await termForms(db, 'TANDEMS')).toEqual({ match: '"tandems"', documents: 1200 + plural });
    // Two and three letters: the index's own prefix.
    expect((await termForms(db, 'ta'))?.match).toBe('"ta"*');
    expect(await termForms(db, 'zzzz')).toBeUndefined();
    // A word in every document: the first page is ~25 probes, the set 50,000 matches.
    expect((await broadSearchPlan(db, ['common'], 25)).plan).toBe('walk');
    // Deep pages, and rarer words, read the set.
    expect((await broadSearchPlan(db, ['common'], 40 * 25_000)).plan).toBe('set');
    expect((await broadSearchPlan(db, ['tandem'], 25)).plan).toBe('set');
  });

  it('keeps a plugin filter (ids of a query) combined with the search', async () => {
    const scope = tenantScope(database.db, tenant.id);
    const narrow = scope.selectFrom('tickets').select('tickets.id').where('tickets.priority', '=', 4);
    for (const word of ['ember', 'garnet', 'common'] as const) {
      const page = await queries().search({ q: word }, viewer, 25, [narrow]);
      const want = expected(word, (t) => t.priority === 4);
      expect({ total: page.total, capped: page.totalCapped, ids: page.rows.map((r) => r.id) }).toEqual({ total: want.total, capped: want.totalCapped, ids: want.ids.slice(0, 25) });
    }
  });

  it('returns every match when there are fewer than the limit, whole words first', async () => {
    const limit = SEARCH_COUNT_CAP + 1;
    const all = (word: Word) => tickets.filter((t) => t.words.has(word)).map((t) => ids[t.i]!);
    const commonIds = new Set(all('common'));
    for (const word of ['absent', 'solo', 'quill', 'ember'] as const) {
      const found = await lookUpMatches(database.db, dialect, tenant.id, [word], limit);
      expect(found.complete).toBe(true);
      expect([...found.ids].sort((a, b) => a - b)).toEqual(all(word));
    }
    // 1,200 matches, 600 of them the whole word: the prefixes are looked up, limited.
    expect(await lookUpMatches(database.db, dialect, tenant.id, ['garnet'], limit)).toMatchObject({ complete: false, ids: { length: limit } });
    const common = await lookUpMatches(database.db, dialect, tenant.id, ['common'], limit);
    expect(common.complete).toBe(false);
    expect(common.ids.every((id) => commonIds.has(id))).toBe(true);
    // PostgreSQL samples a word its statistics call common (gin_fuzzy_search_limit) instead of
    // reading every match into the bitmap: the ids are spread over the table, not its first ones
    // (what an exact bitmap scan with a limit returns).
    if (dialect === 'postgres') expect(Math.max(...common.ids)).toBeGreaterThan(ids[10_000]!);
  });

  it.runIf(dialect === 'postgres')('looks the words up in the GIN index, never through the tenant index', async () => {
    for (const word of Object.keys(WORDS) as Word[]) {
      for (const words of ['whole', 'prefix'] as const) {
        const plan = await sql<{ 'QUERY PLAN': string }>`explain ${lookupStatement(dialect, tenant.id, [word], SEARCH_COUNT_CAP + 1, words)}`.execute(database.db);
        const text = plan.rows.map((r) => r['QUERY PLAN']).join('\n');
        // Never the tenant's documents one by one. A word in every document is read straight
        // from the table, which the CTE stops reading at the limit: 1,001 rows.
        expect(text, `${word} (${words})`).toContain(word === 'common' ? 'on ticket_search' : 'Bitmap Index Scan on ticket_search_document');
        expect(text).not.toContain('ticket_search_tenant');
      }
    }
  });

  it.runIf(dialect === 'sqlite')('highlights by whole words exactly as by the prefixes, several forms in a document too', async () => {
    const { db } = database;
    const others = (await db.selectFrom('tickets').select('id').where('tenant_id', '=', other.id).orderBy('id').limit(4).execute()).map((r) => r.id);
    const texts = ['Embers and an ember, the Émbers', 'Ember glow in the hall', 'The hall of embers; common quill', 'Quills, quill and a common ember'];
    await db.transaction().execute((trx) => writeSearchDocuments(trx, dialect, others.map((id, k) => ({ ticketId: id, tenantId: other.id, subject: `Subject ${texts[k]}`, body: `${texts[k]!} ${FILLER}` }))));
    // The prefixes, FTS5's own highlight and snippet (the plus: every match, then the page's).
    const reference = async (tenantId: number, terms: string[], page: number[]) => {
      const rows = await sql<{ id: number; subject: string; body: string }>`select rowid as id, highlight(ticket_search, 1, ${HIT_START}, ${HIT_END}) as subject,
        snippet(ticket_search, 2, ${HIT_START}, ${HIT_END}, '…', 16) as body from ticket_search
        where ticket_search match ${`tenant:t${tenantId} AND ${terms.map((t) => `"${t}"*`).join(' AND ')}`} and +rowid in (${sql.join(page)})`.execute(db);
      return new Map(rows.rows.map((r) => [Number(r.id), { subject: r.subject, body: r.body }]));
    };
    for (const terms of [['ember'], ['embe', 'hall'], ['quill', 'common'], ['em']]) {
      expect(await searchSnippets(db, dialect, other.id, terms, others), terms.join(' ')).toEqual(await reference(other.id, terms, others));
    }
    for (const word of Object.keys(WORDS) as Word[]) {
      const page = expected(word).ids.slice(0, 25);
      expect(await searchSnippets(db, dialect, tenant.id, [word], page), word).toEqual(await reference(tenant.id, [word], page));
      // A page of one.
      expect(await searchSnippets(db, dialect, tenant.id, [word], page.slice(0, 1)), word).toEqual(await reference(tenant.id, [word], page.slice(0, 1)));
    }
  });
});
