import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../auth/api-tokens.js';
import type { AppEvent } from '../events/event-bus.js';
import { tenantScope } from '../tenancy/tenant-scope.js';
import { postToTimeline } from '../timeline/timeline-seam.js';
import { createTestApp, type TestApp } from '../../test/harness/test-app.js';
import { dialects } from '../../test/harness/test-database.js';
import { apiRouteList } from './api-routes.js';

type Post = { id: number; title: string; audience: string; organisation_ids: number[]; pinned: boolean; like_count: number; comment_count: number; liked: boolean; author_label: string };
const documented = (operationId: string, json: unknown) => apiRouteList.find((r) => r.operationId === operationId)!.response.parse(json) as never;

describe.each(dialects)('the timeline REST API on %s', (dialect) => {
  let app: TestApp;
  let acme: number;
  let tokens: { agent: string; colleague: string; supervisor: string; globex: string };
  let orgA: number;
  let globexOrg: number;
  let groupPost: number;
  let forA: number;
  const author = { userId: null, label: 'System' };
  const call = (path: string, token: string, method = 'GET', body?: unknown) => app.request(`/t/acme/api/v1${path}`, {
    method, headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const row = (id: number) => tenantScope(app.services.db, acme).selectFrom('timeline_posts').selectAll().where('id', '=', id).executeTakeFirst();

  beforeAll(async () => {
    app = await createTestApp(dialect);
    acme = (await app.createTenant('acme')).id;
    const globex = (await app.createTenant('globex')).id;
    const scope = tenantScope(app.services.db, acme);
    orgA = (await scope.insertInto('organisations', { name: 'A' }).returning('id').executeTakeFirstOrThrow()).id;
    globexOrg = (await tenantScope(app.services.db, globex).insertInto('organisations', { name: 'G' }).returning('id').executeTakeFirstOrThrow()).id;
    const group = (await scope.insertInto('support_groups', { name: 'Network', level: 'second' }).returning('id').executeTakeFirstOrThrow()).id;
    const token = async (tenantId: number, role: 'agent' | 'supervisor', email: string, groupId?: number) => {
      const userId = await app.createStaff(tenantId, role, email);
      if (groupId) await tenantScope(app.services.db, tenantId).insertInto('group_members', { group_id: groupId, user_id: userId }).execute();
      return (await createApiToken(app.services.db, { tenantId, userId, name: 'timeline' })).token;
    };
    tokens = {
      agent: await token(acme, 'agent', 'agent@acme.test', group),
      colleague: await token(acme, 'agent', 'colleague@acme.test'),
      supervisor: await token(acme, 'supervisor', 'super@acme.test'),
      globex: await token(globex, 'supervisor', 'super@globex.test'),
    };
    await postToTimeline(app.services, acme, { kind: 'announcement', title: 'for everyone', body: 'x', author });
    groupPost = await postToTimeline(app.services, acme, { kind: 'announcement', title: 'for the network group', body: 'x', author, audience: 'group', groupId: group });
    forA = await postToTimeline(app.services, acme, { kind: 'announcement', title: 'for A', body: 'x', author, audience: 'organisations', organisationIds: [orgA] });
    await postToTimeline(app.services, acme, { kind: 'system', title: 'expired', body: 'x', author, expiresAt: new Date(Date.now() - 1000).toISOString() });
    await postToTimeline(app.services, globex, { kind: 'announcement', title: 'globex news', body: 'x', author });
  });
  afterAll(() => app.cleanup());

  it('lists the token user\'s audience only, pages with next_before, and shows a post\'s organisations', async () => {
    const response = await call('/timeline/posts', tokens.agent);
    expect(response.status).toBe(200);
    const page = documented('listTimelinePosts', await response.json()) as { data: Post[]; next_before: number | null };
    expect(page.data.map((p) => p.title)).toEqual(['for A', 'for the network group', 'for everyone']);
    expect(page.data[0]!.organisation_ids).toEqual([orgA]);
    expect(page.next_before).toBeNull();
    const colleague = await (await call('/timeline/posts', tokens.colleague)).json() as { data: Post[] };
    expect(colleague.data.map((p) => p.title)).toEqual(['for A', 'for everyone']);
    expect((await call(`/timeline/posts/${groupPost}`, tokens.colleague)).status).toBe(404);
    const first = await (await call('/timeline/posts?limit=2', tokens.agent)).json() as { data: Post[]; next_before: number };
    expect(first.data).toHaveLength(2);
    const second = await (await call(`/timeline/posts?limit=2&before=${first.next_before}`, tokens.agent)).json() as { data: Post[]; next_before: number | null };
    expect(second).toMatchObject({ data: [{ title: 'for everyone' }], next_before: null });
    expect((await call('/timeline/posts?limit=0', tokens.agent)).status).toBe(422);
    expect((await call('/timeline/posts/abc', tokens.agent)).status).toBe(422);
  });

  it('creates a post (201, Location, live event), refuses bad fields with 422 per field and pinning without timeline.manage with 403', async () => {
    const heard: AppEvent[] = [];
    const stop = app.services.events.subscribe(acme, (event) => heard.push(event));
    const created = await call('/timeline/posts', tokens.agent, 'POST', { title: 'Printer on floor 2 fixed', body: 'Use it again.', audience: 'organisations', organisation_ids: [orgA] });
    stop();
    expect(created.status).toBe(201);
    const body = documented('createTimelinePost', await created.json()) as { data: Post };
    expect(body.data).toMatchObject({ title: 'Printer on floor 2 fixed', audience: 'organisations', organisation_ids: [orgA], pinned: false, author_label: 'agent', like_count: 0 });
    expect(created.headers.get('Location')).toBe(`/t/acme/api/v1/timeline/posts/${body.data.id}`);
    expect(heard).toEqual([{ tenantId: acme, type: 'timeline', data: {} }]);

    const bad = await call('/timeline/posts', tokens.agent, 'POST', { title: '', body: 'x', audience: 'bogus', extra: 1 });
    expect(bad.status).toBe(422);
    const fields = (await bad.json() as { error: { fields: Record<string, string> } }).error.fields;
    expect(Object.keys(fields).sort()).toEqual(['audience', 'extra', 'title']);
    const missing = await call('/timeline/posts', tokens.agent, 'POST', { title: 't', body: 'x', audience: 'organisations' });
    expect((await missing.json() as { error: { fields: Record<string, string> } }).error.fields).toHaveProperty('organisation_ids');
    const foreign = await call('/timeline/posts', tokens.agent, 'POST', { title: 't', body: 'x', audience: 'organisations', organisation_ids: [globexOrg] });
    expect(foreign.status).toBe(422);
    expect((await foreign.json() as { error: { fields: Record<string, string> } }).error.fields).toEqual({ organisation_ids: expect.any(String) });
    expect((await call('/timeline/posts', tokens.agent, 'POST', { title: 't', body: 'x', link: 'javascript:alert(1)' })).status).toBe(422);
    expect((await call('/timeline/posts', tokens.agent, 'POST', { title: 'pinned', body: 'x', pinned: true })).status).toBe(403);
    const pinned = await call('/timeline/posts', tokens.supervisor, 'POST', { title: 'Mail server down', body: 'x', pinned: true });
    expect(pinned.status).toBe(201);
    expect(((await pinned.json()) as { data: Post }).data.pinned).toBe(true);
    const german = await app.request('/t/acme/api/v1/timeline/posts', { method: 'POST', headers: { Authorization: `Bearer ${tokens.agent}`, 'Content-Type': 'application/json', 'Accept-Language': 'de' }, body: JSON.stringify({ title: 't', body: 'x', audience: 'organisations', organisation_ids: [globexOrg] }) });
    expect((await german.json() as { error: { message: string } }).error.message).toBe('Bitte prüfen Sie die markierten Felder.');
  });

  it('lets the author or timeline.manage change and remove a post, nobody else', async () => {
    const id = ((await (await call('/timeline/posts', tokens.agent, 'POST', { title: 'draft', body: 'x' })).json()) as { data: Post }).data.id;
    expect((await call(`/timeline/posts/${id}`, tokens.colleague, 'PATCH', { title: 'hijacked' })).status).toBe(403);
    expect((await call(`/timeline/posts/${id}`, tokens.agent, 'PATCH', { pinned: true })).status).toBe(403);
    expect((await call(`/timeline/posts/${id}`, tokens.agent, 'PATCH', { title: '' })).status).toBe(422);
    const changed = await call(`/timeline/posts/${id}`, tokens.agent, 'PATCH', { title: 'final', expires_at: '2099-01-01T00:00:00.000Z' });
    expect(changed.status).toBe(200);
    expect(documented('updateTimelinePost', await changed.json())).toMatchObject({ data: { title: 'final', expires_at: '2099-01-01T00:00:00.000Z' } });
    expect((await call(`/timeline/posts/${id}`, tokens.supervisor, 'PATCH', { pinned: true })).status).toBe(200);
    expect(await row(id)).toMatchObject({ title: 'final', pinned: 1 });
    expect((await call(`/timeline/posts/${id}`, tokens.colleague, 'DELETE')).status).toBe(403);
    expect((await call(`/timeline/posts/${id}`, tokens.agent, 'DELETE')).status).toBe(204);
    expect(await row(id)).toBeUndefined();
    expect((await call(`/timeline/posts/${id}`, tokens.agent)).status).toBe(404);
  });

  it('counts one like per person however many arrive at once, and comments', async () => {
    const likes = await Promise.all(Array.from({ length: 10 }, () => call(`/timeline/posts/${forA}/like`, tokens.agent, 'POST')));
    expect(likes.map((r) => r.status)).toEqual(Array(10).fill(200));
    await Promise.all(Array.from({ length: 5 }, () => call(`/timeline/posts/${forA}/like`, tokens.colleague, 'POST')));
    expect(await row(forA)).toMatchObject({ like_count: 2 });
    expect(documented('getTimelinePost', await (await call(`/timeline/posts/${forA}`, tokens.agent)).json())).toMatchObject({ data: { liked: true, like_count: 2 } });
    await Promise.all(Array.from({ length: 4 }, () => call(`/timeline/posts/${forA}/like`, tokens.colleague, 'DELETE')));
    const unliked = await call(`/timeline/posts/${forA}/like`, tokens.colleague, 'DELETE');
    expect(documented('unlikeTimelinePost', await unliked.json())).toEqual({ data: { liked: false, like_count: 1 } });
    const rows = await tenantScope(app.services.db, acme).selectFrom('timeline_likes').select('liker').where('post_id', '=', forA).execute();
    expect(rows).toHaveLength(1);

    const comment = await call(`/timeline/posts/${forA}/comments`, tokens.colleague, 'POST', { body: 'Thanks!' });
    expect(comment.status).toBe(201);
    expect(documented('addTimelineComment', await comment.json())).toMatchObject({ data: { author_label: 'colleague', body: 'Thanks!' } });
    expect((await call(`/timeline/posts/${forA}/comments`, tokens.colleague, 'POST', { body: ' ' })).status).toBe(422);
    const list = documented('listTimelineComments', await (await call(`/timeline/posts/${forA}/comments`, tokens.agent)).json()) as { data: Array<{ body: string }> };
    expect(list.data.map((c) => c.body)).toEqual(['Thanks!']);
    expect(await row(forA)).toMatchObject({ comment_count: 1 });
    expect((await call(`/timeline/posts/${groupPost}/comments`, tokens.colleague)).status).toBe(404);
    expect((await call(`/timeline/posts/${groupPost}/like`, tokens.colleague, 'POST')).status).toBe(404);
  });

  it('answers 404 to another tenant on every route with a post id and changes nothing', async () => {
    const before = await row(forA);
    const probes: Array<[string, string, unknown?]> = [
      ['GET', ''], ['PATCH', '', { title: 'x' }], ['DELETE', ''], ['POST', '/like'], ['DELETE', '/like'], ['GET', '/comments'], ['POST', '/comments', { body: 'x' }],
    ];
    for (const [method, suffix, body] of probes) {
      const response = await app.request(`/t/globex/api/v1/timeline/posts/${forA}${suffix}`, {
        method, headers: { Authorization: `Bearer ${tokens.globex}`, ...(body ? { 'Content-Type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}),
      });
      expect(response.status, `${method} ${suffix}`).toBe(404);
      expect((await response.json() as { error: { code: string } }).error.code).toBe('not_found');
    }
    expect(await row(forA)).toEqual(before);
    const globexList = await (await app.request('/t/globex/api/v1/timeline/posts', { headers: { Authorization: `Bearer ${tokens.globex}` } })).json() as { data: Post[] };
    expect(globexList.data.map((p) => p.title)).toEqual(['globex news']);
    expect((await app.request('/t/acme/api/v1/timeline/posts', { headers: { Authorization: `Bearer ${tokens.globex}` } })).status).toBe(401);
  });
});
