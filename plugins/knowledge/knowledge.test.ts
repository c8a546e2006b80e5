import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enablePlugin } from '../../core/plugin-host/plugin-switches.js';
import { pluginScope } from '../../core/tenancy/tenant-scope.js';
import { createTestApp, type TestApp } from '../../test/harness/test-app.js';
import { dialects } from '../../test/harness/test-database.js';
import type { KnowledgeDB } from './knowledge-db.js';
import { knowledgePlugin } from './index.js';

const XSS = '<script>alert(1)</script><img src=x onerror=alert(2)>';

describe.each(dialects)('knowledge pages on %s', (dialect) => {
  let app: TestApp;
  const tenants: Record<string, { id: number; admin: string; agent: string }> = {};

  const db = (slug: string) => pluginScope<KnowledgeDB>(app.services.db, tenants[slug]!.id);
  const post = (slug: string, path: string, fields: Array<[string, string]> | Record<string, string>, cookie = tenants[slug]!.admin) =>
    app.request(`/t/${slug}/p/knowledge${path}`, { method: 'POST', body: new URLSearchParams(fields), cookie });
  const get = (slug: string, path: string, cookie = tenants[slug]!.admin) => app.request(`/t/${slug}/p/knowledge${path}`, { cookie });
  const idFrom = (response: Response) => Number(/\/(\d+)$/.exec(response.headers.get('location') ?? '')![1]);
  const entryFields = (over: Record<string, string> = {}, topics: number[] = []): Array<[string, string]> => [
    ...Object.entries({ kind: 'faq', language: 'de', title: 'Wie drucke ich?', body: 'Über das Menü.', visibility: 'internal', tags: 'Drucker, Hilfe', translation_of: '', ...over }),
    ...topics.map((id): [string, string] => ['topic_ids', String(id)]),
  ];
  const topic = async (slug: string, name: string, extra: Record<string, string> = {}) => {
    const response = await post(slug, '/topics', { name_de: name, name_en: `${name} EN`, position: '1', ...extra });
    expect(response.status).toBe(303);
    return (await db(slug).selectFrom('knowledge_topics').select('id').where('name_de', '=', name).executeTakeFirstOrThrow()).id;
  };

  beforeAll(async () => {
    app = await createTestApp(dialect, [knowledgePlugin]);
    for (const slug of ['one', 'two']) {
      const tenant = await app.createTenant(slug);
      await enablePlugin(app.services.db, app.services.registry, tenant.id, 'knowledge');
      await app.createStaff(tenant.id, 'admin', `admin@${slug}.test`);
      await app.createStaff(tenant.id, 'agent', `agent@${slug}.test`);
      tenants[slug] = { id: tenant.id, admin: await app.signIn(`admin@${slug}.test`, slug), agent: await app.signIn(`agent@${slug}.test`, slug) };
    }
  });
  afterAll(() => app.cleanup());

  describe('topics', () => {
    it('are managed by admins, not agents, and refuse bad input at the field saving nothing', async () => {
      expect((await get('one', '/topics', tenants.one!.agent)).status).toBe(403);
      expect((await post('one', '/topics', { name_de: 'X', name_en: 'X', position: '1' }, tenants.one!.agent)).status).toBe(403);
      const bad = await post('one', '/topics', { name_de: '', name_en: 'x'.repeat(81), position: 'abc' });
      expect(bad.status).toBe(422);
      const html = await bad.text();
      expect(html).toContain('Fill in this field.');
      expect(html).toContain('A name has at most 80 characters.');
      expect(html).toContain('Enter a whole number from 0 to 9999.');
      expect(html).toContain('value="abc"');
      expect(await db('one').selectFrom('knowledge_topics').select('id').execute()).toEqual([]);
    });

    it('nest one level only', async () => {
      const parent = await topic('one', 'Hardware');
      const child = await topic('one', 'Drucker', { parent_id: String(parent) });
      const deeper = await post('one', '/topics', { name_de: 'Laser', name_en: 'Laser', position: '1', parent_id: String(child) });
      expect(deeper.status).toBe(422);
      expect(await deeper.text()).toContain('topics nest one level only');
      // A topic with children cannot move under another.
      const other = await topic('one', 'Software');
      const move = await post('one', `/topics/${parent}`, { name_de: 'Hardware', name_en: 'Hardware EN', position: '1', parent_id: String(other) });
      expect(move.status).toBe(422);
    });

    it('keep their assignments when renamed or archived, and refuse deletion while used, with the count', async () => {
      const id = await topic('one', 'Netzwerk');
      const created = await post('one', '/entries', entryFields({ title: 'WLAN einrichten' }, [id]));
      expect(created.status).toBe(303);
      const entryId = idFrom(created);
      await post('one', '/entries', entryFields({ title: 'VPN einrichten' }, [id]));
      expect((await post('one', `/topics/${id}`, { name_de: 'Netz', name_en: 'Network', position: '2', archived: '1' })).status).toBe(303);
      const page = await (await get('one', `/entries/${entryId}`)).text();
      expect(page).toContain('Network (Archived)');
      const refused = await post('one', `/topics/${id}/delete`, {});
      expect(refused.status).toBe(409);
      expect(await refused.text()).toContain('entries using it: 2.');
      expect(await db('one').selectFrom('knowledge_entry_topics').select('entry_id').where('topic_id', '=', id).execute()).toHaveLength(2);
      // An unused topic goes.
      const unused = await topic('one', 'Leer');
      expect((await post('one', `/topics/${unused}/delete`, {})).status).toBe(303);
      expect(await db('one').selectFrom('knowledge_topics').select('id').where('id', '=', unused).execute()).toEqual([]);
    });
  });

  describe('entries', () => {
    it('refuse bad input with 422 at the fields, keep the input and save nothing', async () => {
      const before = await db('one').selectFrom('knowledge_entries').select('id').execute();
      const response = await post('one', '/entries', entryFields({ title: '', body: 'Kept body', visibility: 'organisations', language: 'fr', tags: 'x'.repeat(41), translation_of: '999999' }, [424242]));
      expect(response.status).toBe(422);
      const html = await response.text();
      expect(html).toContain('Fill in this field.');
      expect(html).toContain('Kept body');
      expect(html).toContain('Choose one of the offered values.');
      expect(html).toContain('A tag has at most 40 characters.');
      expect(await db('one').selectFrom('knowledge_entries').select('id').execute()).toEqual(before);
      const orgs = await post('one', '/entries', entryFields({ visibility: 'organisations' }));
      expect(orgs.status).toBe(422);
      expect(await orgs.text()).toContain('Name at least one organisation.');
    });

    it('start as drafts, change state with who and when, and keep every version with a diff and restore', async () => {
      const created = await post('one', '/entries', entryFields({ kind: 'kb', title: 'Drucker offline', body: 'Kabel prüfen.', cause: 'Kabel lose', steps: '1. Kabel' }), tenants.one!.agent);
      expect(created.status).toBe(303);
      const id = idFrom(created);
      let page = await (await get('one', `/entries/${id}`)).text();
      expect(page).toContain('Draft');
      expect(page).toContain('Cause');
      expect((await post('one', `/entries/${id}/state`, { state: 'published' })).status).toBe(303);
      expect((await post('one', `/entries/${id}/state`, { state: 'gone' })).status).toBe(422);
      const row = await db('one').selectFrom('knowledge_entries').select(['state', 'state_by', 'version']).where('id', '=', id).executeTakeFirstOrThrow();
      expect(row).toEqual({ state: 'published', state_by: 'admin', version: 1 });
      expect((await post('one', `/entries/${id}`, entryFields({ kind: 'kb', title: 'Drucker nicht erreichbar', body: 'Kabel und Strom prüfen.', cause: 'Kabel lose', steps: '1. Kabel' }))).status).toBe(303);
      page = await (await get('one', `/entries/${id}`)).text();
      expect(page).toContain('Versions: 2');
      const diff = await (await get('one', `/entries/${id}/versions?from=1&to=2`)).text();
      expect(diff).toContain('<del>offline</del>');
      expect(diff).toContain('<ins>nicht erreichbar</ins>');
      expect((await post('one', `/entries/${id}/versions/1/restore`, {})).status).toBe(303);
      const versions = await db('one').selectFrom('knowledge_entry_versions').select(['version', 'title']).where('entry_id', '=', id).orderBy('version').execute();
      expect(versions).toEqual([{ version: 1, title: 'Drucker offline' }, { version: 2, title: 'Drucker nicht erreichbar' }, { version: 3, title: 'Drucker offline' }]);
      expect((await post('one', `/entries/${id}/versions/9/restore`, {})).status).toBe(404);
    });

    it('link a translation both ways and list with filters', async () => {
      const de = idFrom(await post('one', '/entries', entryFields({ title: 'Rechnung herunterladen', tags: 'Abrechnung' })));
      const en = idFrom(await post('one', '/entries', entryFields({ title: 'Download an invoice', language: 'en', translation_of: String(de) })));
      expect(await (await get('one', `/entries/${de}`)).text()).toContain('Download an invoice');
      expect(await (await get('one', `/entries/${en}`)).text()).toContain('Rechnung herunterladen');
      const same = await post('one', '/entries', entryFields({ title: 'Falsch', translation_of: String(de) }));
      expect(same.status).toBe(422);
      const list = await (await get('one', '?tag=abrechnung')).text();
      expect(list).toContain('Rechnung herunterladen');
      expect(list).not.toContain('Download an invoice');
      expect(await (await get('one', '?kind=doc')).text()).toContain('No entries yet.');
    });

    it('search from the list page with marked, escaped results', async () => {
      await post('one', '/entries', entryFields({ title: 'Treiber installieren', body: 'Den Drucker anschließen.' }));
      const html = await (await get('one', '?q=Druckertreiber')).text();
      expect(html).toContain('<mark>Treiber</mark> installieren');
      expect(html).toMatch(/id="knowledge-group-faq"/);
    });

    it('render an XSS string in title, body and tag as text everywhere', async () => {
      const id = idFrom(await post('one', '/entries', entryFields({ title: `Zebra ${XSS}`, body: `Zebra ${XSS}`, tags: '<img src=x onerror=alert(3)>' })));
      for (const path of [`/entries/${id}`, '', '?q=Zebra', `/entries/${id}/edit`, `/entries/${id}/versions`]) {
        const html = await (await get('one', path)).text();
        expect(html, path).not.toContain('<script>alert(1)');
        expect(html, path).not.toContain('<img src=x');
        expect(html, path).toContain('&lt;script&gt;');
      }
    });
  });

  it('answers 404 for another tenant\'s ids on every route, changing nothing', async () => {
    const entry = (await db('one').selectFrom('knowledge_entries').select(['id', 'title', 'version']).orderBy('id').executeTakeFirstOrThrow());
    const topicRow = (await db('one').selectFrom('knowledge_topics').select(['id', 'name_de']).orderBy('id').executeTakeFirstOrThrow());
    const foreign = tenants.two!.admin;
    for (const path of [`/entries/${entry.id}`, `/entries/${entry.id}/edit`, `/entries/${entry.id}/versions`, `/topics/${topicRow.id}`]) {
      expect((await get('two', path, foreign)).status, path).toBe(404);
    }
    for (const [path, fields] of [
      [`/entries/${entry.id}`, entryFields({ title: 'Hijacked' })],
      [`/entries/${entry.id}/state`, [['state', 'archived']]],
      [`/entries/${entry.id}/versions/1/restore`, []],
      [`/topics/${topicRow.id}`, [['name_de', 'Hijacked'], ['name_en', 'Hijacked'], ['position', '1']]],
      [`/topics/${topicRow.id}/delete`, []],
    ] as Array<[string, Array<[string, string]>]>) {
      expect((await post('two', path, fields, foreign)).status, path).toBe(404);
    }
    // An entry in tenant two cannot name tenant one's topic, organisation or entry.
    expect((await post('two', '/entries', entryFields({ translation_of: String(entry.id), language: 'en' }, [topicRow.id]), foreign)).status).toBe(422);
    // A session of one tenant opens nothing in the other.
    expect((await get('two', '', tenants.one!.admin)).status).not.toBe(200);
    expect(await db('one').selectFrom('knowledge_entries').select(['id', 'title', 'version']).where('id', '=', entry.id).executeTakeFirstOrThrow()).toEqual(entry);
    expect((await db('one').selectFrom('knowledge_topics').select(['id', 'name_de']).where('id', '=', topicRow.id).executeTakeFirstOrThrow())).toEqual(topicRow);
  });
});
