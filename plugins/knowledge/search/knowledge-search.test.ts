import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enablePlugin } from '../../../core/plugin-host/plugin-switches.js';
import { tenantScope } from '../../../core/tenancy/tenant-scope.js';
import { createTestApp, type TestApp } from '../../../test/harness/test-app.js';
import { dialects } from '../../../test/harness/test-database.js';
import { entryStore, type EntryInput } from '../entry-store.js';
import { knowledgePlugin } from '../index.js';
import { VISIBILITIES, type Visibility } from '../knowledge-db.js';
import { topicStore } from '../topic-store.js';
import { createKnowledgeSearch, type KnowledgeSearch, type SearchQuery } from './knowledge-search.js';
import { ANONYMOUS, STAFF, type Viewer } from './visibility.js';

const actor = { id: 1, label: 'Anna Agent' };

describe.each(dialects)('knowledge search on %s', (dialect) => {
  let app: TestApp;
  let search: KnowledgeSearch;
  let tenantId: number;
  let otherTenantId: number;
  let orgA: number;
  let orgB: number;
  const byTitle = new Map<string, number>();

  const store = (tenant = tenantId) => entryStore(app.services, tenant, search);
  const add = async (input: Partial<EntryInput> & { title: string }, publish = true, tenant = tenantId) => {
    const entry = await store(tenant).create({ kind: 'faq', language: 'de', body: 'Text.', visibility: 'internal', ...input }, actor);
    if (publish) await store(tenant).setState(entry.id, 'published', actor);
    byTitle.set(input.title, entry.id);
    return entry.id;
  };
  const titles = async (q: string, viewer: Viewer = STAFF, extra: Partial<SearchQuery> = {}) => {
    const results = await search.search(app.services, tenantId, { q, viewer, limit: 50, ...extra });
    return results.groups.flatMap((group) => group.hits.map((hit) => hit.title.map((s) => s.text).join(''))).sort();
  };

  beforeAll(async () => {
    app = await createTestApp(dialect, [knowledgePlugin]);
    search = createKnowledgeSearch();
    const tenant = await app.createTenant('wissen');
    const other = await app.createTenant('fremd');
    tenantId = tenant.id;
    otherTenantId = other.id;
    for (const id of [tenantId, otherTenantId]) await enablePlugin(app.services.db, app.services.registry, id, 'knowledge');
    [orgA, orgB] = (await tenantScope(app.services.db, tenantId).insertInto('organisations', [
      { name: 'Org A', number: null, email_domains: '', phone: null, address: null, notes: null },
      { name: 'Org B', number: null, email_domains: '', phone: null, address: null, notes: null },
    ]).returning('id').execute()).map((r) => r.id) as [number, number];
    // Built before the entries exist: every later change must reach the index.
    await search.warm(app.services, tenantId);
    await add({ title: 'Drucker druckt nicht', body: 'Den Treiber neu installieren und den Drucker neu starten.', tags: ['Hardware'] });
    await add({ title: 'Passwort vergessen', body: 'Über die Anmeldeseite ein neues Passwort anfordern.', kind: 'kb', cause: 'Zu viele Fehlversuche.', steps: '1. Seite öffnen' });
    await add({ title: 'Größe des Postfachs', body: 'Die Straße der Daten ist begrenzt: Postfächer haben 5 GB.', kind: 'doc' });
    await add({ title: 'Druckertreiber aktualisieren', body: 'Den aktuellen Druckertreiber vom Hersteller laden.', tags: ['Treiber'] });
    await add({ title: 'Entwurf über Drucker', body: 'Noch nicht fertig.' }, false);
    await add({ title: 'Drucker im anderen Mandanten', body: 'Treiber.' }, true, otherTenantId);
  });
  afterAll(() => app.cleanup());

  it('finds umlauts written either way, ß as ss, any case', async () => {
    expect(await titles('größe')).toEqual(['Größe des Postfachs']);
    expect(await titles('groesse')).toEqual(['Größe des Postfachs']);
    expect(await titles('GROSSE')).toEqual(['Größe des Postfachs']);
    expect(await titles('Strasse')).toEqual(['Größe des Postfachs']);
    expect(await titles('postfacher')).toEqual(['Größe des Postfachs']);
    expect(await titles('über anmeldeseite')).toEqual(['Passwort vergessen']);
  });

  it('finds by prefix and despite typos', async () => {
    expect(await titles('Passw')).toEqual(['Passwort vergessen']);
    expect(await titles('Pasword')).toEqual(['Passwort vergessen']);
    expect(await titles('Fehlversuhe')).toEqual(['Passwort vergessen']);
  });

  it('splits a compound query into the words an entry uses, and finds a compound by its part', async () => {
    // "Druckertreiber" finds the entry that says "Treiber" and "Drucker" separately.
    expect(await titles('Druckertreiber')).toContain('Drucker druckt nicht');
    expect(await titles('Druckertreiber')).toContain('Druckertreiber aktualisieren');
    // "Treiber" finds the entry that only has the compound in its title.
    expect(await titles('Treiber')).toEqual(['Drucker druckt nicht', 'Druckertreiber aktualisieren']);
  });

  it('takes any input: nothing but stop words, markup, a very long word', async () => {
    expect(await titles('der die das')).toEqual([]);
    expect(await titles('<script>alert(1)</script>')).toEqual([]);
    expect(await titles('Drucker'.repeat(2000))).toEqual([]);
  });

  it('ranks a title match above a body match', async () => {
    const results = await search.search(app.services, tenantId, { q: 'Drucker', viewer: STAFF });
    const faq = results.groups.find((group) => group.kind === 'faq')!;
    expect(faq.hits[0]!.title.map((s) => s.text).join('')).toMatch(/Drucker/);
    const bodyOnly = await add({ title: 'Tonerwechsel', body: 'Auch beim Drucker wichtig.' });
    const again = (await search.search(app.services, tenantId, { q: 'Drucker', viewer: STAFF })).groups.find((g) => g.kind === 'faq')!;
    expect(again.hits.map((h) => h.id).indexOf(bodyOnly)).toBeGreaterThan(again.hits.map((h) => h.id).indexOf(byTitle.get('Drucker druckt nicht')!));
  });

  it('groups by kind, marks the matches, and filters by kind, tag, topic and state', async () => {
    const results = await search.search(app.services, tenantId, { q: 'Passwort', viewer: STAFF });
    expect(results.groups.map((g) => g.kind)).toEqual(['kb']);
    const hit = results.groups[0]!.hits[0]!;
    expect(hit.title.filter((s) => s.mark).map((s) => s.text)).toEqual(['Passwort']);
    expect(hit.snippet.some((s) => s.mark)).toBe(true);
    expect(await titles('Drucker', STAFF, { kind: 'doc' })).toEqual([]);
    expect(await titles('Drucker', STAFF, { tag: 'hardware' })).toEqual(['Drucker druckt nicht']);
    expect(await titles('Drucker', STAFF, { state: 'draft' })).toEqual(['Entwurf über Drucker']);
    const topic = await topicStore(app.services, tenantId).create({ name_de: 'Geräte', name_en: 'Devices', position: 1 }, actor);
    const id = byTitle.get('Druckertreiber aktualisieren')!;
    const entry = await store().detail(id);
    await store().update(id, { ...entry, tags: entry.tags, topic_ids: [topic.id], organisation_ids: [] }, actor);
    expect(await titles('Drucker', STAFF, { topicId: topic.id })).toEqual(['Druckertreiber aktualisieren']);
  });

  it('keeps the index current: an edit, an archive, another tenant', async () => {
    const id = await add({ title: 'Scanner klemmt', body: 'Papier entfernen.' });
    expect(await titles('Scanner')).toEqual(['Scanner klemmt']);
    const entry = await store().detail(id);
    await store().update(id, { ...entry, title: 'Faxgerät klemmt', topic_ids: [], organisation_ids: [] }, actor);
    expect(await titles('Scanner')).toEqual([]);
    expect(await titles('Faxgerat')).toEqual(['Faxgerät klemmt']);
    await store().setState(id, 'archived', actor);
    expect(await titles('Faxgerat', ANONYMOUS)).toEqual([]);
    // The other tenant's printer entry is never found here.
    expect(await titles('anderen Mandanten')).toEqual([]);
    // A second search object (another app) builds its own index from the database.
    const second = createKnowledgeSearch();
    const results = await second.search(app.services, tenantId, { q: 'Faxgerät', viewer: STAFF });
    expect(results.total).toBe(1);
  });

  describe('visibility, enforced inside the search', () => {
    const viewers: Record<string, Viewer> = {
      staff: STAFF,
      customerA: { kind: 'customer', organisationId: 0 },
      customerB: { kind: 'customer', organisationId: 0 },
      anonymous: ANONYMOUS,
    };
    // Which viewers find an entry of each visibility (published); drafts only staff.
    const expected: Record<Visibility, string[]> = {
      internal: ['staff'],
      customers: ['staff', 'customerA', 'customerB'],
      organisations: ['staff', 'customerA'],
      public: ['staff', 'customerA', 'customerB', 'anonymous'],
    };

    beforeAll(async () => {
      viewers.customerA = { kind: 'customer', organisationId: orgA };
      viewers.customerB = { kind: 'customer', organisationId: orgB };
      for (const visibility of VISIBILITIES) {
        await add({ title: `Sichtbarkeit ${visibility} veröffentlicht`, body: 'Zebrafisch', visibility, organisation_ids: visibility === 'organisations' ? [orgA] : [] });
        await add({ title: `Sichtbarkeit ${visibility} Entwurf`, body: 'Zebrafisch', visibility, organisation_ids: visibility === 'organisations' ? [orgA] : [] }, false);
      }
    });

    for (const visibility of VISIBILITIES) {
      for (const viewer of ['staff', 'customerA', 'customerB', 'anonymous']) {
        it(`${visibility} × ${viewer}`, async () => {
          const found = await titles('Zebrafisch', viewers[viewer]);
          const sees = expected[visibility].includes(viewer);
          expect(found.includes(`Sichtbarkeit ${visibility} veröffentlicht`)).toBe(sees);
          expect(found.includes(`Sichtbarkeit ${visibility} Entwurf`)).toBe(viewer === 'staff');
          // Not even counted: the total is what the viewer may see.
          const results = await search.search(app.services, tenantId, { q: 'Zebrafisch', viewer: viewers[viewer]! });
          expect(results.total).toBe(found.length);
        });
      }
    }

    it('a customer of no organisation sees no entry for named organisations', async () => {
      expect(await titles('Zebrafisch', { kind: 'customer', organisationId: null })).toEqual(['Sichtbarkeit customers veröffentlicht', 'Sichtbarkeit public veröffentlicht']);
    });

    it('an entry narrowed to org B after publishing disappears for org A at once', async () => {
      const id = byTitle.get('Sichtbarkeit organisations veröffentlicht')!;
      const entry = await store().detail(id);
      await store().update(id, { ...entry, topic_ids: [], organisation_ids: [orgB] }, actor);
      expect(await titles('Zebrafisch', viewers.customerA)).not.toContain('Sichtbarkeit organisations veröffentlicht');
      expect(await titles('Zebrafisch', viewers.customerB)).toContain('Sichtbarkeit organisations veröffentlicht');
    });
  });
  it('still finds an entry changed again and again in a small index (replaced documents stay in the postings until vacuumed)', async () => {
    const own = createKnowledgeSearch({ cacheSize: 0 });
    const tenant = await app.createTenant('einzeln');
    await enablePlugin(app.services.db, app.services.registry, tenant.id, 'knowledge');
    const entries = entryStore(app.services, tenant.id, own);
    const hits = async () => (await own.search(app.services, tenant.id, { q: 'Drucker', viewer: STAFF })).total;
    const first = await entries.create({ kind: 'kb', language: 'de', title: 'Druckertreiber', body: 'Den Drucker neu starten.', visibility: 'internal' }, actor);
    expect(await hits()).toBe(1);
    await entries.setState(first.id, 'published', actor);
    expect(await hits()).toBe(1);
    await entries.create({ kind: 'kb', language: 'de', title: 'Drucker offline', body: 'Kabel prüfen.', visibility: 'internal' }, actor);
    await entries.setState(first.id, 'archived', actor);
    expect(await hits()).toBe(2);
  });
});
