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

  const call = async (path: string, init: { method?: string; json?: unknown; form?: FormData; token?: string; slug?: string } = {}) => {
    const response = await app.request(`/t/${init.slug ?? 'kapi'}/api/v1${path}`, {
      method: init.method ?? 'GET',
      headers: { Authorization: `Bearer ${init.token ?? agent}`, ...(init.json === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(init.json === undefined ? {} : { body: JSON.stringify(init.json) }),
      ...(init.form ? { body: init.form } : {}),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as any, location: response.headers.get('location') };
  };
  const upload = (files: Array<[string, Uint8Array<ArrayBuffer> | string]>, tags?: string) => {
    const form = new FormData();
    if (tags !== undefined) form.append('file_tags', tags);
    for (const [name, bytes] of files) form.append('files', new File([bytes], name));
    return form;
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

  it('deletes topics (refused with the count of uses while in use) and entries; another tenant\'s ids answer 404', async () => {
    const used = (await call('/topics', { method: 'POST', token: supervisor, json: { name_de: 'Netz', name_en: 'Network' } })).body.data.id as number;
    const unused = (await call('/topics', { method: 'POST', token: supervisor, json: { name_de: 'Leer', name_en: 'Empty' } })).body.data.id as number;
    const entryId = (await call('/knowledge/entries', { method: 'POST', json: { kind: 'faq', language: 'en', title: 'VPN', body: 'Use the client.', visibility: 'internal', topic_ids: [used] } })).body.data.id as number;
    expect((await call(`/topics/${unused}`, { method: 'DELETE' })).status).toBe(403);
    const refused = await call(`/topics/${used}`, { method: 'DELETE', token: supervisor });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain('entries using it: 1');
    const otherSupervisor = (await createApiToken(app.services.db, { tenantId: otherId, userId: await app.createStaff(otherId, 'supervisor', 'sup@api-b.test'), name: 't' })).token;
    expect((await call(`/topics/${unused}`, { method: 'DELETE', token: otherSupervisor, slug: 'kapi-b' })).status).toBe(404);
    expect((await call(`/topics/${unused}`, { method: 'DELETE', token: supervisor })).status).toBe(204);
    expect((await call(`/topics/${unused}`, { token: supervisor })).status).toBe(404);

    expect((await call(`/knowledge/entries/${entryId}`, { method: 'DELETE', token: other, slug: 'kapi-b' })).status).toBe(404);
    expect((await call(`/knowledge/entries/${entryId}`)).status).toBe(200);
    const deleted = await call(`/knowledge/entries/${entryId}`, { method: 'DELETE' });
    expect([deleted.status, deleted.body]).toEqual([204, null]);
    expect((await call(`/knowledge/entries/${entryId}`)).status).toBe(404);
    expect((await call(`/knowledge/entries/${entryId}`, { method: 'DELETE' })).status).toBe(404);
    // The topic is free now.
    expect((await call(`/topics/${used}`, { method: 'DELETE', token: supervisor })).status).toBe(204);
  });

  it('adds files as multipart, lists and serves them, removes them; refuses bad files with 422 at "files"; other tenants get 404', async () => {
    const entryId = (await call('/knowledge/entries', { method: 'POST', json: { kind: 'doc', language: 'en', title: 'Printer manual', body: 'See the PDF.', visibility: 'internal' } })).body.data.id as number;
    const pdf = new TextEncoder().encode('%PDF-1.4 not really');
    const added = await call(`/knowledge/entries/${entryId}/files`, { method: 'POST', form: upload([['manual.pdf', pdf], ['../notes <x>.txt', 'hello']], 'Manual, Printer') });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    expect(added.body.data.map((f: { filename: string; mime_type: string; tags: string[]; text_status: string }) => [f.filename, f.mime_type, f.tags, f.text_status]))
      .toEqual([['manual.pdf', 'application/pdf', ['Manual', 'Printer'], 'pending'], ['notes _x_.txt', 'text/plain', ['Manual', 'Printer'], 'none']]);
    const pdfFile = added.body.data[0];
    expect(pdfFile.download_url).toBe(`/t/kapi/api/v1/knowledge/entries/${entryId}/files/${pdfFile.id}`);
    expect((await call(`/knowledge/entries/${entryId}`)).body.data.files).toEqual(added.body.data);
    const download = await app.request(pdfFile.download_url, { headers: { Authorization: `Bearer ${agent}` } });
    expect([download.status, download.headers.get('Content-Type'), download.headers.get('X-Content-Type-Options')]).toEqual([200, 'application/pdf', 'nosniff']);
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(pdf);

    for (const [form, json] of [[upload([['setup.exe', 'MZ']]), undefined], [upload([]), undefined], [undefined, { file_tags: 'x' }]] as const) {
      const refused = await call(`/knowledge/entries/${entryId}/files`, { method: 'POST', ...(form ? { form } : { json }) });
      expect(refused.status).toBe(422);
      expect(Object.keys(refused.body.error.fields)).toEqual(['files']);
    }
    const badTags = await call(`/knowledge/entries/${entryId}/files`, { method: 'POST', form: upload([['a.txt', 'x']], 'y'.repeat(41)) });
    expect([badTags.status, Object.keys(badTags.body.error.fields)]).toEqual([422, ['file_tags']]);

    // Another tenant: not their entry, not their file.
    expect((await call(`/knowledge/entries/${entryId}/files`, { method: 'POST', token: other, slug: 'kapi-b', form: upload([['a.txt', 'x']]) })).status).toBe(404);
    expect((await call(`/knowledge/entries/${entryId}/files/${pdfFile.id}`, { token: other, slug: 'kapi-b' })).status).toBe(404);
    expect((await call(`/knowledge/entries/${entryId}/files/${pdfFile.id}`, { method: 'DELETE', token: other, slug: 'kapi-b' })).status).toBe(404);

    expect((await call(`/knowledge/entries/${entryId}/files/${pdfFile.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await call(`/knowledge/entries/${entryId}/files/${pdfFile.id}`)).status).toBe(404);
    expect((await call(`/knowledge/entries/${entryId}`)).body.data.files.map((f: { filename: string }) => f.filename)).toEqual(['notes _x_.txt']);
  });

  it('documents the operations in openapi.json', async () => {
    const document = (await call('/openapi.json')).body;
    expect(Object.keys(document.paths['/topics/{id}'])).toEqual(expect.arrayContaining(['get', 'patch', 'delete']));
    expect(Object.keys(document.paths['/knowledge/entries/{id}'])).toEqual(expect.arrayContaining(['get', 'patch', 'delete']));
    expect(Object.keys(document.paths['/knowledge/entries/{id}/files'].post.requestBody.content)).toContain('multipart/form-data');
    expect(document.paths['/knowledge/entries/{id}/files/{file}']).toBeDefined();
  });

  it('answers 404 while the plugin is off', async () => {
    const entryId = (await call('/knowledge/entries', { method: 'POST', json: { kind: 'faq', language: 'en', title: 'Off', body: 'x', visibility: 'internal' } })).body.data.id as number;
    await disablePlugin(app.services.db, app.services.registry, tenantId, 'knowledge');
    try {
      expect((await call('/knowledge/entries')).status).toBe(404);
      expect((await call('/topics')).status).toBe(404);
      expect((await call(`/knowledge/entries/${entryId}`, { method: 'DELETE' })).status).toBe(404);
      expect((await call(`/knowledge/entries/${entryId}/files`, { method: 'POST', form: upload([['a.txt', 'x']]) })).status).toBe(404);
      expect((await call('/topics/1', { method: 'DELETE', token: supervisor })).status).toBe(404);
    } finally {
      await enablePlugin(app.services.db, app.services.registry, tenantId, 'knowledge');
    }
  });
});
