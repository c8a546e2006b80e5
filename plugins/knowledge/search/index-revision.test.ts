import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../core/app/create-app.js';
import { createEventBus } from '../../../core/events/event-bus.js';
import { createLogger } from '../../../core/logger.js';
import { createMailer } from '../../../core/mail/mailer.js';
import { enablePlugin } from '../../../core/plugin-host/plugin-switches.js';
import { createRegistry } from '../../../core/plugin-host/registry.js';
import { pluginScope } from '../../../core/tenancy/tenant-scope.js';
import { ORIGIN, cookiesOf, createTestApp, testConfig, type TestApp } from '../../../test/harness/test-app.js';
import { dialects } from '../../../test/harness/test-database.js';
import { entryStore } from '../entry-store.js';
import { knowledgePlugin } from '../index.js';
import type { KnowledgeDB } from '../knowledge-db.js';
import { CHANGES_KEPT, bumpRevision, currentRevision } from './index-revision.js';
import { createKnowledgeSearch } from './knowledge-search.js';
import { STAFF } from './visibility.js';

/** A second instance of the server: its own registry (so its own search and indexes) on the same database. */
function secondInstance(app: TestApp) {
  const registry = createRegistry([knowledgePlugin]);
  const clock = () => new Date();
  const log = createLogger('silent');
  const config = testConfig();
  const mailer = createMailer({ db: app.database.db, clock, defaultSmtpUrl: undefined, defaultFrom: config.smtpFrom, log });
  const tresen = createApp(registry, { config, database: app.database, clock, log, mailer, events: createEventBus() });
  const request = (path: string, init: RequestInit & { cookie?: string } = {}) => {
    const headers = new Headers(init.headers);
    if (init.method && init.method !== 'GET') headers.set('Origin', ORIGIN);
    if (init.cookie) headers.set('Cookie', init.cookie);
    return tresen.app.request(`${ORIGIN}${path}`, { ...init, headers });
  };
  return { ...tresen, registry, request, close: () => mailer.close() };
}

describe.each(dialects)('knowledge index across instances on %s', (dialect) => {
  let app: TestApp;
  let other: ReturnType<typeof secondInstance>;
  let tenantId: number;
  let cookieA: string;
  let cookieB: string;
  const actor = { id: 1, label: 'Anna Agent' };

  /** The titles instance B's knowledge page finds for a query. */
  const foundOnB = async (q: string) => {
    const response = await other.request(`/t/wissen/p/knowledge?q=${encodeURIComponent(q)}`, { cookie: cookieB });
    expect(response.status).toBe(200);
    const html = await response.text();
    return [...html.matchAll(/<a [^>]*href="\/t\/wissen\/p\/knowledge\/entries\/(\d+)"/g)].map((m) => Number(m[1]));
  };

  beforeAll(async () => {
    app = await createTestApp(dialect, [knowledgePlugin]);
    other = secondInstance(app);
    const tenant = await app.createTenant('wissen');
    tenantId = tenant.id;
    await enablePlugin(app.services.db, app.services.registry, tenantId, 'knowledge');
    await app.createStaff(tenantId, 'agent', 'anna@wissen.test');
    cookieA = await app.signIn('anna@wissen.test', 'wissen');
    const signIn = await other.request('/t/wissen/login', { method: 'POST', body: new URLSearchParams({ email: 'anna@wissen.test', password: 'correct horse battery' }) });
    expect(signIn.status).toBe(303);
    cookieB = cookiesOf(signIn);
  });
  afterAll(async () => {
    await other.close();
    await app.cleanup();
  });

  it('bumps the tenant revision in the transaction of every entry change and records the entry', async () => {
    const before = await currentRevision(app.services.db, tenantId);
    const store = entryStore(app.services, tenantId, createKnowledgeSearch());
    const entry = await store.create({ kind: 'faq', language: 'de', title: 'Revisionszähler', body: 'Text.', visibility: 'internal' }, actor);
    await store.setState(entry.id, 'published', actor);
    expect(await currentRevision(app.services.db, tenantId)).toBe(before + 2);
    const changes = await pluginScope<KnowledgeDB>(app.services.db, tenantId).selectFrom('knowledge_changes').select(['revision', 'entry_id'])
      .where('revision', '>', before).orderBy('revision').execute();
    expect(changes.map((c) => [Number(c.revision), c.entry_id])).toEqual([[before + 1, entry.id], [before + 2, entry.id]]);
    // A refused change (a missing field) leaves the revision alone.
    await expect(store.update(entry.id, { kind: 'faq', language: 'de', title: '', body: 'x', visibility: 'internal' }, actor)).rejects.toThrow();
    expect(await currentRevision(app.services.db, tenantId)).toBe(before + 2);
  });

  it('an entry written through instance A is found, changed and gone on instance B, whose index was built before', async () => {
    // B builds its index now (nothing about printers yet).
    expect(await foundOnB('Tintenstrahldrucker')).toEqual([]);
    const created = await app.request('/t/wissen/p/knowledge/entries', {
      method: 'POST', cookie: cookieA,
      body: new URLSearchParams({ kind: 'faq', language: 'de', title: 'Tintenstrahldrucker streift', body: 'Düsen reinigen.', visibility: 'internal', tags: '' }),
    });
    expect(created.status).toBe(303);
    const id = Number(/entries\/(\d+)/.exec(created.headers.get('location') ?? '')?.[1]);
    expect(await foundOnB('Tintenstrahldrucker')).toEqual([id]);
    expect(await foundOnB('Düsen')).toEqual([id]);

    const edited = await app.request(`/t/wissen/p/knowledge/entries/${id}`, {
      method: 'POST', cookie: cookieA,
      body: new URLSearchParams({ kind: 'faq', language: 'de', title: 'Laserdrucker streift', body: 'Trommel tauschen.', visibility: 'internal', tags: '' }),
    });
    expect(edited.status).toBe(303);
    expect(await foundOnB('Tintenstrahldrucker')).toEqual([]);
    expect(await foundOnB('Laserdrucker Trommel')).toEqual([id]);
  });

  it('catches up on a change another process made, and rebuilds when the recorded changes are pruned', async () => {
    const search = createKnowledgeSearch();
    await search.warm(app.services, tenantId);
    const scope = pluginScope<KnowledgeDB>(app.services.db, tenantId);
    const now = new Date().toISOString();
    const insert = (title: string) => app.services.db.transaction().execute(async (trx) => {
      const { id } = await scope.withDb(trx).insertInto('knowledge_entries', {
        kind: 'kb', language: 'de', translation_of: null, title, body: 'Von einem anderen Prozess.', cause: '', steps: '', visibility: 'internal',
        state: 'published', state_at: now, state_by: 'x', version: 1, created_at: now, created_by: 'x', updated_at: now, updated_by: 'x',
      }).returning('id').executeTakeFirstOrThrow();
      return { id, revision: await bumpRevision(trx, tenantId, [id]) };
    });
    const first = await insert('Zeiterfassungsterminal');
    const hits = async (q: string) => (await search.search(app.services, tenantId, { q, viewer: STAFF })).groups.flatMap((g) => g.hits.map((h) => h.id));
    expect(await hits('Zeiterfassungsterminal')).toEqual([first.id]);
    expect(search.revisionOf(app.services, tenantId)).toBe(first.revision);

    // Changes pruned (as after more than CHANGES_KEPT revisions): the index cannot apply them and rebuilds.
    const second = await insert('Kartenleser');
    await scope.deleteFrom('knowledge_changes').where('revision', '=', second.revision).execute();
    expect(await hits('Kartenleser')).toEqual([second.id]);
    expect(search.revisionOf(app.services, tenantId)).toBe(second.revision);
    expect(CHANGES_KEPT).toBeGreaterThan(100);
  });

  it('the refresh step (the job\'s) builds a tenant\'s index after a restart, but none for a tenant without entries', async () => {
    const search = createKnowledgeSearch();
    const empty = await app.createTenant('leer');
    await search.refresh(app.services, empty.id);
    expect(search.revisionOf(app.services, empty.id)).toBeUndefined();
    expect(search.revisionOf(app.services, tenantId)).toBeUndefined();
    await search.refresh(app.services, tenantId);
    expect(search.revisionOf(app.services, tenantId)).toBe(await currentRevision(app.services.db, tenantId));
  });

  it('the plugin schedules the refresh as a job, and running it on a restarted instance serves searches', async () => {
    const restarted = secondInstance(app);
    try {
      const job = restarted.registry.plugins.find((p) => p.id === 'knowledge')!.contributions.jobs.find((j) => j.id === 'knowledge.index-refresh')!;
      expect(job.schedule).toMatch(/^FREQ=MINUTELY/);
      await job.run({ tenantId, payload: null, db: app.services.db, clock: () => new Date(), services: restarted.services });
      const response = await restarted.request('/t/wissen/p/knowledge?q=Laserdrucker', { cookie: cookieB });
      expect(response.status).toBe(200);
      expect(await response.text()).toMatch(/Laserdrucker<\/mark> streift/);
    } finally {
      await restarted.close();
    }
  });
});
