import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppEvent } from '../events/event-bus.js';
import { DomainError } from '../domain-error.js';
import { tenantScope } from '../tenancy/tenant-scope.js';
import { createTestApp, type TestApp } from '../../test/harness/test-app.js';
import { dialects } from '../../test/harness/test-database.js';
import { addComment, findPost, listPosts, markSeen, setLike, unreadCount, type TimelineViewer } from './timeline-posts.js';
import { postToTimeline, timelineDeps } from './timeline-seam.js';

describe.each(dialects)('the timeline service on %s', (dialect) => {
  let app: TestApp;
  let acme: number;
  let globex: number;
  let orgA: number;
  let orgB: number;
  let groupId: number;
  let agent: TimelineViewer;
  let outsider: TimelineViewer;
  let customerA: TimelineViewer;
  let customerB: TimelineViewer;
  const author = { userId: null, label: 'System' };
  const deps = () => timelineDeps(app.services, acme);
  const titles = async (viewer: TimelineViewer) => (await listPosts(deps(), viewer)).posts.map((p) => p.title);

  beforeAll(async () => {
    app = await createTestApp(dialect);
    acme = (await app.createTenant('acme')).id;
    globex = (await app.createTenant('globex')).id;
    const scope = tenantScope(app.services.db, acme);
    orgA = (await scope.insertInto('organisations', { name: 'A' }).returning('id').executeTakeFirstOrThrow()).id;
    orgB = (await scope.insertInto('organisations', { name: 'B' }).returning('id').executeTakeFirstOrThrow()).id;
    groupId = (await scope.insertInto('support_groups', { name: 'Second level', level: 'second' }).returning('id').executeTakeFirstOrThrow()).id;
    const agentId = await app.createStaff(acme, 'agent', 'agent@acme.test');
    const otherId = await app.createStaff(acme, 'agent', 'other@acme.test');
    agent = { kind: 'staff', userId: agentId, groupIds: [groupId] };
    outsider = { kind: 'staff', userId: otherId, groupIds: [] };
    customerA = { kind: 'customer', personId: 1, organisationId: orgA };
    customerB = { kind: 'customer', personId: 2, organisationId: orgB };
    const post = (title: string, extra: Partial<Parameters<typeof postToTimeline>[2]> = {}) => postToTimeline(app.services, acme, { kind: 'announcement', title, body: 'text', author, ...extra });
    await post('for everyone');
    await post('for staff', { audience: 'staff' });
    await post('for the group', { audience: 'group', groupId });
    await post('for A', { audience: 'organisations', organisationIds: [orgA] });
    await post('for B', { audience: 'organisations', organisationIds: [orgB] });
    await post('expired', { expiresAt: new Date(Date.now() - 60_000).toISOString() });
    await post('pinned outage', { pinned: true });
    await postToTimeline(app.services, globex, { kind: 'announcement', title: 'globex news', body: 'text', author });
  });
  afterAll(() => app.cleanup());

  it('shows each viewer only their audience, pinned first, never expired or another tenant\'s posts', async () => {
    expect(await titles(agent)).toEqual(['pinned outage', 'for B', 'for A', 'for the group', 'for staff', 'for everyone']);
    expect(await titles(outsider)).toEqual(['pinned outage', 'for B', 'for A', 'for staff', 'for everyone']);
    expect(await titles(customerA)).toEqual(['pinned outage', 'for A', 'for everyone']);
    expect(await titles(customerB)).toEqual(['pinned outage', 'for B', 'for everyone']);
    expect(await titles({ kind: 'customer', personId: 3, organisationId: null })).toEqual(['pinned outage', 'for everyone']);
    const forB = (await listPosts(deps(), customerB)).posts.find((p) => p.title === 'for B')!;
    await expect(findPost(deps(), customerA, forB.id)).rejects.toThrow(DomainError);
    await expect(findPost(timelineDeps(app.services, globex), agent, forB.id)).rejects.toThrow(DomainError);
  });

  it('refuses bad input with field messages and another tenant\'s organisation', async () => {
    const refusal = await postToTimeline(app.services, acme, { kind: 'announcement', title: '', body: 'x', audience: 'organisations', author }).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(DomainError);
    expect(Object.keys((refusal as DomainError).fields).sort()).toEqual(['organisation_ids', 'title']);
    const globexOrg = (await tenantScope(app.services.db, globex).insertInto('organisations', { name: 'G' }).returning('id').executeTakeFirstOrThrow()).id;
    const foreign = await postToTimeline(app.services, acme, { kind: 'announcement', title: 't', body: 'x', audience: 'organisations', organisationIds: [globexOrg], author }).catch((e: unknown) => e);
    expect((foreign as DomainError).fields).toEqual({ organisation_ids: 'validation.choice' });
  });

  it('counts one like per person however many arrive at once, and unlikes', async () => {
    const id = (await listPosts(deps(), agent)).posts.find((p) => p.title === 'for everyone')!.id;
    await Promise.all(Array.from({ length: 8 }, () => setLike(deps(), agent, id, true)));
    await Promise.all(Array.from({ length: 4 }, () => setLike(deps(), customerA, id, true)));
    const post = await findPost(deps(), agent, id);
    expect([post.like_count, post.liked]).toEqual([2, true]);
    const rows = await tenantScope(app.services.db, acme).selectFrom('timeline_likes').select('liker').where('post_id', '=', id).execute();
    expect(rows.length).toBe(2);
    await setLike(deps(), customerA, id, false);
    await setLike(deps(), customerA, id, false);
    expect((await findPost(deps(), customerA, id)).like_count).toBe(1);
  });

  it('keeps comments with a counter and tells live pages without naming the post', async () => {
    const heard: AppEvent[] = [];
    const stop = app.services.events.subscribe(acme, (event) => heard.push(event));
    const id = (await listPosts(deps(), agent)).posts.find((p) => p.title === 'for A')!.id;
    await addComment(deps(), agent, 'agent', id, { body: 'Fixed at 10:00' });
    await expect(addComment(deps(), customerB, 'B', id, { body: 'sneaky' })).rejects.toThrow(DomainError);
    stop();
    expect((await findPost(deps(), customerA, id)).comment_count).toBe(1);
    expect(heard).toEqual([{ tenantId: acme, type: 'timeline', data: {} }]);
  });

  it('counts unread posts from a last-seen marker per reader', async () => {
    const reader: TimelineViewer = { kind: 'customer', personId: 9, organisationId: orgA };
    expect(await unreadCount(deps(), reader)).toBe(3);
    await markSeen(deps(), reader);
    expect(await unreadCount(deps(), reader)).toBe(0);
    await postToTimeline(app.services, acme, { kind: 'system', title: 'new', body: 'x', author });
    await postToTimeline(app.services, acme, { kind: 'system', title: 'not for A', body: 'x', author, audience: 'organisations', organisationIds: [orgB] });
    expect(await unreadCount(deps(), reader)).toBe(1);
    expect(await unreadCount(deps(), customerA)).toBe(4);
  });
});
