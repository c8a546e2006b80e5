import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../core/auth/api-tokens.js';
import { tenantTicketService, type TicketActor } from '../../core/plugin-api.js';
import { disablePlugin, enablePlugin } from '../../core/plugin-host/plugin-switches.js';
import { createTestApp, type TestApp } from '../../test/harness/test-app.js';
import { dialects } from '../../test/harness/test-database.js';
import { knowledgePlugin } from './index.js';

describe.each(dialects)('knowledge REST API on %s', (dialect) => {
  let app: TestApp;
  let tenantId: number;
  let otherId: number;
  let agent: string;
  let supervisor: string;
  let other: string;
  let actor: TicketActor;

  const call = async (path: string, init: { method?: string; json?: unknown; token?: string; slug?: string } = {}) => {
    const response = await app.request(`/t/${init.slug ?? 'kapi'}/api/v1${path}`, {
      method: init.method ?? 'GET',
      headers: { Authorization: `Bearer ${init.token ?? agent}`, ...(init.json === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(init.json === undefined ? {} : { body: JSON.stringify(init.json) }),
    });
    return { status: response.status, body: await response.json() as any, location: response.headers.get('location') };
  };

  beforeAll(async () => {
    app = await createTestApp(dialect, [knowledgePlugin]);
    tenantId = (await app.createTenant('kapi')).id;
    otherId = (await app.createTenant('kapi-b')).id;
    for (const id of [tenantId, otherId]) await enablePlugin(app.services.db, app.services.registry, id, 'knowledge');
    const agentId = await app.createStaff(tenantId, 'agent', 'agent@api.test');
    const supervisorId = await app.createStaff(tenantId, 'supervisor', 'sup@api.test');
    const otherAgent = await app.createStaff(otherId, 'agent', 'agent@api-b.test');
    agent = (await createApiToken(app.services.db, { tenantId, userId: agentId, name: 't' })).token;
    supervisor = (await createApiToken(app.services.db, { tenantId, userId: supervisorId, name: 't' })).token;
    other = (await createApiToken(app.services.db, { tenantId: otherId, userId: otherAgent, name: 't' })).token;
    actor = { kind: 'user', id: agentId, label: 'Agent', can: () => true };
  });
  afterAll(() => app.cleanup());

  it('manages topics (supervisors), creates, changes, publishes and finds entries, with versions', async () => {
    expect((await call('/topics', { method: 'POST', json: { name_de: 'Drucker', name_en: 'Printers' } })).status).toBe(403);
    const topic = await call('/topics', { method: 'POST', token: supervisor, json: { name_de: 'Drucker', name_en: 'Printers', position: 1 } });
    expect(topic.status).toBe(201);
    expect(topic.body.data).toMatchObject({ name_de: 'Drucker', archived: false });
    expect((await call(`/topics/${topic.body.data.id}`, { method: 'PATCH', token: supervisor, json: { archived: true } })).body.data.archived).toBe(true);

    const created = await call('/knowledge/entries', { method: 'POST', json: { kind: 'faq', language: 'de', title: 'Druckertreiber installieren', body: 'Vom Hersteller laden.', visibility: 'public', tags: ['Treiber'] } });
    expect(created.status).toBe(201);
    expect(created.location).toBe(`/t/kapi/api/v1/knowledge/entries/${created.body.data.id}`);
    expect(created.body.data).toMatchObject({ state: 'draft', version: 1, tags: ['Treiber'] });
    const id = created.body.data.id as number;
    const patched = await call(`/knowledge/entries/${id}`, { method: 'PATCH', json: { body: 'Den aktuellen Treiber vom Hersteller laden.', state: 'published' } });
    expect(patched.body.data).toMatchObject({ state: 'published', version: 2, title: 'Druckertreiber installieren', visibility: 'public' });
    expect((await call(`/knowledge/entries/${id}/versions`)).body.data.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    const found = await call('/knowledge/search?q=treiber');
    expect(found.body.data.hits[0]).toMatchObject({ id, kind: 'faq' });
    expect(found.body.data.hits[0].title_html).toContain('<mark>Druckertreiber</mark>');
    expect((await call('/knowledge/entries?q=hersteller')).body.data.map((e: { id: number }) => e.id)).toEqual([id]);
    expect((await call('/knowledge/entries?kind=doc')).body.data).toEqual([]);
  });

  it('refuses bad input with field messages (422), and another tenant\'s ids (404)', async () => {
    const bad = await call('/knowledge/entries', { method: 'POST', json: { kind: 'faq', language: 'de', title: '', body: 'x', visibility: 'organisations' } });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.body.error.fields ?? {})).toEqual(expect.arrayContaining(['title']));
    const theirs = await call('/knowledge/entries', { method: 'POST', token: other, slug: 'kapi-b', json: { kind: 'faq', language: 'de', title: 'Fremd', body: 'x', visibility: 'internal' } });
    expect(theirs.status).toBe(201);
    expect((await call(`/knowledge/entries/${theirs.body.data.id}`)).status).toBe(404);
    expect((await call(`/knowledge/entries/${theirs.body.data.id}`, { method: 'PATCH', json: { title: 'Mine' } })).status).toBe(404);
    expect((await call('/knowledge/search?q=fremd')).body.data.hits).toEqual([]);
    // Their token in our tenant is refused.
    expect((await call('/knowledge/entries', { token: other })).status).toBe(401);
  });

  it('creates a KB draft from a solved ticket, linked to it', async () => {
    const service = await tenantTicketService(app.services, tenantId);
    const ticket = await service.create({ subject: 'Scanner speichert nicht', description: 'Scans landen nirgends.', requesterEmail: 'k@example.test', requesterName: 'K' }, actor);
    expect((await call(`/tickets/${ticket.number}/knowledge-entry`, { method: 'POST' })).status).toBe(404);
    await service.addArticle(ticket.number, { kind: 'reply', body: 'Zielordner neu setzen.', statusAfter: 'solved' }, actor);
    const created = await call(`/tickets/${ticket.number}/knowledge-entry`, { method: 'POST' });
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({ kind: 'kb', state: 'draft', visibility: 'internal', title: 'Scanner speichert nicht', body: 'Zielordner neu setzen.' });
  });

  it('answers 404 while the plugin is off', async () => {
    await disablePlugin(app.services.db, app.services.registry, tenantId, 'knowledge');
    try {
      expect((await call('/knowledge/entries')).status).toBe(404);
      expect((await call('/topics')).status).toBe(404);
    } finally {
      await enablePlugin(app.services.db, app.services.registry, tenantId, 'knowledge');
    }
  });
});
