import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enablePlugin } from '../../core/plugin-host/plugin-switches.js';
import { tenantScope } from '../../core/tenancy/tenant-scope.js';
import { createTestApp, type TestApp } from '../../test/harness/test-app.js';
import { dialects } from '../../test/harness/test-database.js';
import { knowledgePlugin } from './index.js';

describe.each(dialects)('sharing a knowledge entry on the timeline on %s', (dialect) => {
  let app: TestApp;
  let acme: number;
  let admin: string;
  let agent: string;
  let globexAdmin: string;
  let orgA: number;
  const entries: Record<string, number> = {};

  const post = (path: string, fields: Array<[string, string]> | Record<string, string>, cookie = admin, slug = 'acme') =>
    app.request(`/t/${slug}/p/knowledge${path}`, { method: 'POST', body: new URLSearchParams(fields), cookie });
  const posts = () => tenantScope(app.services.db, acme).selectFrom('timeline_posts').selectAll().orderBy('id').execute();
  const create = async (name: string, fields: Array<[string, string]>, publish: boolean) => {
    const response = await post('/entries', [['kind', 'kb'], ['language', 'en'], ['title', name], ['cause', 'The driver is old.'], ['body', 'Install driver 5.2.'], ['steps', '1. Download\n2. Install'], ['tags', ''], ['translation_of', ''], ...fields]);
    expect(response.status, name).toBe(303);
    const id = Number(/\/(\d+)$/.exec(response.headers.get('location') ?? '')![1]);
    if (publish) expect((await post(`/entries/${id}/state`, { state: 'published' })).status).toBe(303);
    entries[name] = id;
  };

  beforeAll(async () => {
    app = await createTestApp(dialect, [knowledgePlugin]);
    acme = (await app.createTenant('acme')).id;
    const globex = (await app.createTenant('globex')).id;
    for (const tenant of [acme, globex]) await enablePlugin(app.services.db, app.services.registry, tenant, 'knowledge');
    await app.createStaff(acme, 'admin', 'admin@acme.test');
    await app.createStaff(acme, 'agent', 'agent@acme.test');
    await app.createStaff(globex, 'admin', 'admin@globex.test');
    admin = await app.signIn('admin@acme.test', 'acme');
    agent = await app.signIn('agent@acme.test', 'acme');
    globexAdmin = await app.signIn('admin@globex.test', 'globex');
    orgA = (await tenantScope(app.services.db, acme).insertInto('organisations', { name: 'ACME Customer' }).returning('id').executeTakeFirstOrThrow()).id;
    await create('Internal fix', [['visibility', 'internal']], true);
    await create('Public fix', [['visibility', 'public']], true);
    await create('Draft public fix', [['visibility', 'public']], false);
    await create('Fix for A', [['visibility', 'organisations'], ['organisation_ids', String(orgA)]], true);
  });
  afterAll(() => app.cleanup());

  it('offers staff a share form with only the audiences that may read the entry', async () => {
    const options = async (name: string) => {
      const html = await (await app.request(`/t/acme/p/knowledge/entries/${entries[name]}`, { cookie: agent })).text();
      expect(html, name).toContain('id="knowledge-share"');
      return [...(/<form[^>]*id="knowledge-share"[\s\S]*?<\/form>/.exec(html)![0]).matchAll(/<option value="(\w+)"/g)].map((m) => m[1]);
    };
    expect(await options('Internal fix')).toEqual(['staff']);
    expect(await options('Public fix')).toEqual(['staff', 'everyone']);
    expect(await options('Draft public fix')).toEqual(['staff']);
    expect(await options('Fix for A')).toEqual(['staff', 'organisations']);
  });

  it('posts a shared solution through postToTimeline, with the entry\'s organisations and a link', async () => {
    const shared = await post(`/entries/${entries['Fix for A']}/share`, { audience: 'organisations' }, agent);
    expect(shared.status).toBe(303);
    const last = (await posts()).at(-1)!;
    expect(last).toMatchObject({ kind: 'solution', audience: 'organisations', title: 'Solution: Fix for A', link: `/portal/kb/${entries['Fix for A']}`, author_label: 'agent' });
    expect(last.body).toBe('The driver is old.\n\nInstall driver 5.2.\n\n1. Download\n2. Install');
    const orgs = await tenantScope(app.services.db, acme).selectFrom('timeline_post_organisations').select('organisation_id').where('post_id', '=', last.id).execute();
    expect(orgs.map((o) => o.organisation_id)).toEqual([orgA]);
    expect((await post(`/entries/${entries['Internal fix']}/share`, { audience: 'staff' }, agent)).status).toBe(303);
    expect((await posts()).at(-1)).toMatchObject({ audience: 'staff', link: `/p/knowledge/entries/${entries['Internal fix']}` });
  });

  it('refuses a wider audience than the entry\'s with 422 at the field, in German too, and posts nothing', async () => {
    const before = (await posts()).length;
    for (const [name, audience] of [['Internal fix', 'everyone'], ['Draft public fix', 'everyone'], ['Public fix', 'organisations'], ['Internal fix', 'bogus']] as const) {
      const response = await post(`/entries/${entries[name]}/share`, { audience }, agent);
      expect(response.status, `${name} ${audience}`).toBe(422);
      expect(await response.text()).toContain('id="audience-error"');
    }
    const german = await app.request(`/t/acme/p/knowledge/entries/${entries['Internal fix']}/share`, { method: 'POST', cookie: agent, headers: { 'Accept-Language': 'de' }, body: new URLSearchParams({ audience: 'everyone' }) });
    expect(await german.text()).toContain('Mit ihnen kann dieser Eintrag nicht geteilt werden.');
    expect((await posts()).length).toBe(before);
  });

  it('answers 404 to another tenant\'s entry', async () => {
    const before = (await posts()).length;
    expect((await post(`/entries/${entries['Public fix']}/share`, { audience: 'staff' }, globexAdmin, 'globex')).status).toBe(404);
    expect((await posts()).length).toBe(before);
  });
});
