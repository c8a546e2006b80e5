import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pluginScope } from '../../core/plugin-api.js';
import { disablePlugin, enablePlugin } from '../../core/plugin-host/plugin-switches.js';
import { createTestApp, type TestApp } from '../../test/harness/test-app.js';
import { dialects } from '../../test/harness/test-database.js';
import { portalWorld, type PortalWorld } from '../../test/harness/portal-world.js';
import { knowledgePlugin } from './index.js';
import type { KnowledgeDB, Visibility } from './knowledge-db.js';
import { installedPlugin } from '../../test/harness/installed-plugin.js';

describe.each(dialects)('knowledge in the portal on %s', (dialect) => {
  let app: TestApp;
  let world: PortalWorld;
  let other: PortalWorld;
  const ids: Record<string, number> = {};
  const cookies: Record<string, string | undefined> = {};

  /** Entries straight in the database, published unless said otherwise (the matrix needs exact states). */
  const entry = async (w: PortalWorld, title: string, visibility: Visibility, options: { state?: 'draft' | 'published'; organisations?: number[]; body?: string } = {}) => {
    const scope = pluginScope<KnowledgeDB>(app.services.db, w.tenant.id);
    const now = new Date().toISOString();
    const { id } = await scope.insertInto('knowledge_entries', {
      kind: 'faq', language: 'en', translation_of: null, title, body: options.body ?? `Answer about ${title}.`, cause: '', steps: '', visibility,
      state: options.state ?? 'published', state_at: now, state_by: 'Agent Smith', version: 1, created_at: now, created_by: 'Agent Smith', updated_at: now, updated_by: 'Agent Smith',
    }).returning('id').executeTakeFirstOrThrow();
    if (options.organisations?.length) await scope.insertInto('knowledge_entry_organisations', options.organisations.map((organisation_id) => ({ entry_id: id, organisation_id }))).execute();
    return id;
  };
  const page = async (path: string, who: string) => {
    const response = await app.request(`/t/${world.slug}${path}`, { cookie: cookies[who] });
    return { status: response.status, html: await response.text() };
  };

  beforeAll(async () => {
    app = await createTestApp(dialect, [installedPlugin('helpdesk'), installedPlugin('portal'), knowledgePlugin]);
    world = await portalWorld(app, 'kp-a');
    other = await portalWorld(app, 'kp-b');
    ids.internal = await entry(world, 'Quokka internal wiring', 'internal');
    ids.customers = await entry(world, 'Quokka for all customers', 'customers');
    ids.acme = await entry(world, 'Quokka for ACME only', 'organisations', { organisations: [world.organisations.acme] });
    ids.public = await entry(world, 'Quokka public answer', 'public');
    ids.draft = await entry(world, 'Quokka public draft', 'public', { state: 'draft' });
    ids.xss = await entry(world, '<script>alert(1)</script> Quokka', 'public', { body: '<img src=x onerror=alert(2)>' });
    ids.foreign = await entry(other, 'Quokka other tenant', 'public');
    cookies.anonymous = undefined;
    cookies.acme = await world.signIn(world.emails.colleague);
    cookies.globex = await world.signIn(world.emails.stranger);
    await app.createStaff(world.tenant.id, 'agent', 'staff@kp-a.test');
    cookies.staff = await app.signIn('staff@kp-a.test', world.slug);
  });
  afterAll(() => app.cleanup());

  // Which entries each viewer may see: staff on the portal are visitors there (no portal person).
  const matrix: Record<string, string[]> = {
    anonymous: ['public'],
    staff: ['public'],
    acme: ['customers', 'acme', 'public'],
    globex: ['customers', 'public'],
  };
  const all = ['internal', 'customers', 'acme', 'public', 'draft', 'foreign'];
  const titleOf: Record<string, string> = {
    internal: 'Quokka internal wiring', customers: 'Quokka for all customers', acme: 'Quokka for ACME only', public: 'Quokka public answer', draft: 'Quokka public draft', foreign: 'Quokka other tenant',
  };

  it.each(Object.keys(matrix))('visibility matrix for %s: list, search and entry pages show exactly what they may see', async (who) => {
    const list = await page('/portal/kb', who);
    const found = await page('/portal/kb?q=quokka', who);
    expect(list.status).toBe(200);
    for (const key of all) {
      const allowed = matrix[who]!.includes(key);
      expect(list.html.includes(titleOf[key]!), `${who} list ${key}`).toBe(allowed);
      // Search results mark the matched word: compare without the marks.
      expect(found.html.replace(/<\/?mark>/g, '').includes(titleOf[key]!), `${who} search ${key}`).toBe(allowed);
      const single = await page(`/portal/kb/${ids[key]}`, who);
      expect(single.status, `${who} entry ${key}`).toBe(allowed ? 200 : 404);
      if (!allowed) expect(single.html).not.toContain(titleOf[key]!);
    }
  });

  it('never shows who wrote an entry or escapes nothing of its text', async () => {
    const { html } = await page(`/portal/kb/${ids.public}`, 'acme');
    expect(html).not.toContain('Agent Smith');
    const xss = await page(`/portal/kb/${ids.xss}`, 'anonymous');
    expect(xss.html).not.toContain('<script>alert(1)');
    expect(xss.html).not.toContain('<img src=x');
    expect((await page('/portal/kb', 'anonymous')).html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; Quokka');
  });

  it('suggests only what the person may see while they type a request\'s subject', async () => {
    const acme = await page('/portal/requests/suggestions?subject=quokka', 'acme');
    expect(acme.html).toContain('Quokka for ACME only');
    expect(acme.html).not.toContain('Quokka internal wiring');
    const globex = await page('/portal/requests/suggestions?subject=quokka', 'globex');
    expect(globex.html).not.toContain('Quokka for ACME only');
    expect(globex.html).toContain('Quokka for all customers');
  });

  it('takes one vote per person and entry (voting again changes it), only from signed-in people who may see the entry', async () => {
    const vote = (id: number, who: string, helpful: string, comment = '') =>
      app.request(`/t/${world.slug}/portal/kb/${id}/vote`, { method: 'POST', cookie: cookies[who], body: new URLSearchParams({ helpful, comment }) });
    expect((await vote(ids.acme!, 'acme', '1', 'Worked.')).status).toBe(303);
    expect((await vote(ids.acme!, 'acme', '1')).status).toBe(303);
    expect((await vote(ids.acme!, 'acme', '0', 'Not any more.')).status).toBe(303);
    const votes = await pluginScope<KnowledgeDB>(app.services.db, world.tenant.id).selectFrom('knowledge_votes').select(['person_id', 'helpful', 'comment']).execute();
    expect(votes).toEqual([{ person_id: world.people.colleague, helpful: 0, comment: 'Not any more.' }]);
    expect((await page(`/portal/kb/${ids.acme}`, 'acme')).html).toContain('You rated this not helpful.');
    // Agents see the counts on the entry's page.
    expect((await page(`/p/knowledge/entries/${ids.acme}`, 'staff')).html).toContain('rated helpful: 0, not helpful: 1');
    expect((await vote(ids.acme!, 'globex', '1')).status).toBe(404);
    expect((await vote(ids.public!, 'anonymous', '1')).status).toBe(404);
    expect((await vote(ids.public!, 'acme', 'maybe')).status).toBe(422);
    expect((await vote(ids.foreign!, 'acme', '1')).status).toBe(404);
  });

  it('the public help centre lists and shows only public published entries at clean URLs, for anyone, with a sitemap', async () => {
    const scope = pluginScope<KnowledgeDB>(app.services.db, world.tenant.id);
    const [topic] = await scope.insertInto('knowledge_topics', { parent_id: null, name_de: 'Drucker & Scanner', name_en: 'Printers & Scanners', position: 1, archived: 0, created_at: '2026-01-01', updated_at: '2026-01-01' }).returning('id').execute();
    await scope.insertInto('knowledge_entry_topics', { entry_id: ids.public!, topic_id: topic!.id }).execute();
    for (const who of ['anonymous', 'acme', 'staff']) {
      const { status, html } = await page('/help', who);
      expect(status).toBe(200);
      expect(html).toContain(`href="/t/kp-a/help/printers-scanners/${ids.public}-quokka-public-answer"`);
      for (const key of ['internal', 'customers', 'acme', 'draft', 'foreign']) expect(html, `${who} ${key}`).not.toContain(titleOf[key]!);
      expect(html).not.toContain('Agent Smith');
      expect(html).not.toContain('ACME');
      expect(html).not.toContain('<script>alert(1)');
    }
    const entryPage = await page(`/help/printers-scanners/${ids.public}-quokka-public-answer`, 'anonymous');
    expect(entryPage.status).toBe(200);
    expect(entryPage.html).toContain('Answer about Quokka public answer.');
    expect(entryPage.html).toContain('KP-A');
    // An old or wrong slug redirects to the current URL; another visibility, a draft or another tenant's entry is 404.
    const moved = await app.request(`/t/kp-a/help/old-topic/${ids.public}-old-title`);
    expect(moved.status).toBe(301);
    expect(moved.headers.get('location')).toBe(`/t/kp-a/help/printers-scanners/${ids.public}-quokka-public-answer`);
    for (const key of ['internal', 'customers', 'acme', 'draft', 'foreign']) {
      const hidden = await page(`/help/general/${ids[key]}-x`, 'acme');
      expect(hidden.status, key).toBe(404);
      expect(hidden.html).not.toContain(titleOf[key]!);
    }
    const search = await page('/help?q=quokka', 'anonymous');
    expect(search.html.replace(/<\/?mark>/g, '')).toContain('Quokka public answer');
    expect(search.html.replace(/<\/?mark>/g, '')).not.toContain('Quokka for all customers');
    const sitemap = await app.request('/t/kp-a/help/sitemap.xml');
    expect(sitemap.headers.get('content-type')).toContain('application/xml');
    const xml = await sitemap.text();
    expect(xml).toContain(`/t/kp-a/help/printers-scanners/${ids.public}-quokka-public-answer</loc>`);
    expect(xml).toContain(`/t/kp-a/help/general/${ids.xss}-script-alert-1-script-quokka</loc>`);
    expect(xml.match(/<url>/g)).toHaveLength(2);
    expect((await app.request(`/t/kp-b/help/general/${ids.public}-x`)).status).toBe(404);
  });

  it('answers 404 on its portal pages while the plugin is off, and the navigation has no link', async () => {
    expect((await page('/portal/kb', 'acme')).html).toContain('id="portal-nav-knowledge"');
    await disablePlugin(app.services.db, app.services.registry, world.tenant.id, 'knowledge');
    try {
      expect((await page('/portal/kb', 'acme')).status).toBe(404);
      expect((await page(`/portal/kb/${ids.public}`, 'anonymous')).status).toBe(404);
      expect((await page('/help', 'anonymous')).status).toBe(404);
      expect((await page('/help/sitemap.xml', 'anonymous')).status).toBe(404);
      expect((await page('/portal/requests/new', 'acme')).html).not.toContain('id="portal-nav-knowledge"');
    } finally {
      await enablePlugin(app.services.db, app.services.registry, world.tenant.id, 'knowledge');
    }
  });
});
