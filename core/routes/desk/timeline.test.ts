import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppEvent } from '../../events/event-bus.js';
import { tenantScope } from '../../tenancy/tenant-scope.js';
import { createTestApp, type TestApp } from '../../../test/harness/test-app.js';
import { dialects } from '../../../test/harness/test-database.js';

describe.each(dialects)('the staff timeline on %s', (dialect) => {
  let app: TestApp;
  let acme: number;
  let agent: string;
  let supervisor: string;
  let globexAgent: string;
  const form = (fields: Record<string, string>) => new URLSearchParams(fields);
  const posts = () => tenantScope(app.services.db, acme).selectFrom('timeline_posts').selectAll().orderBy('id').execute();

  beforeAll(async () => {
    app = await createTestApp(dialect);
    acme = (await app.createTenant('acme')).id;
    const globex = (await app.createTenant('globex')).id;
    await app.createStaff(acme, 'agent', 'agent@acme.test');
    await app.createStaff(acme, 'supervisor', 'super@acme.test');
    await app.createStaff(globex, 'agent', 'agent@globex.test');
    agent = await app.signIn('agent@acme.test', 'acme');
    supervisor = await app.signIn('super@acme.test', 'acme');
    globexAgent = await app.signIn('agent@globex.test', 'globex');
    const now = new Date().toISOString();
    const ticket = await tenantScope(app.services.db, acme).insertInto('tickets', { number: '2026-000001', subject: 'VPN drops', status: 'solved', created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow();
    await tenantScope(app.services.db, acme).insertInto('ticket_articles', { ticket_id: ticket.id, kind: 'reply', author_label: 'agent', body_text: 'Update the VPN client to 5.2.', created_at: now }).execute();
  });
  afterAll(() => app.cleanup());

  it('refuses a post with 422 and a message at each field, in German too', async () => {
    const response = await app.request('/t/acme/desk/timeline', { method: 'POST', cookie: agent, body: form({ kind: 'announcement', title: '', body: 'x', audience: 'organisations' }) });
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html).toContain('id="title-error"');
    expect(html).toContain('id="organisation_ids-error"');
    const german = await app.request('/t/acme/desk/timeline', { method: 'POST', cookie: agent, headers: { 'Accept-Language': 'de' }, body: form({ title: '', body: '' }) });
    expect(german.status).toBe(422);
    expect(await german.text()).toContain('Bitte prüfen Sie die markierten Felder.');
    expect(await posts()).toEqual([]);
  });

  it('posts, tells live pages, shows the unread badge to others and likes and comments over htmx', async () => {
    const heard: AppEvent[] = [];
    const stop = app.services.events.subscribe(acme, (event) => heard.push(event));
    const created = await app.request('/t/acme/desk/timeline', { method: 'POST', cookie: agent, body: form({ kind: 'announcement', title: 'Mail server down', body: 'We are on it.', audience: 'everyone', pinned: '1' }) });
    stop();
    expect(created.status).toBe(303);
    const [post] = await posts();
    expect(post).toMatchObject({ title: 'Mail server down', pinned: 0, author_label: 'agent' });
    expect(heard).toEqual([{ tenantId: acme, type: 'timeline', data: {} }]);
    expect(await (await app.request('/t/acme/desk/timeline/count', { cookie: supervisor })).text()).toContain('>1<');
    const page = await (await app.request('/t/acme/desk/timeline', { cookie: supervisor })).text();
    expect(page).toContain('Mail server down');
    expect(page).toContain('id="nav-timeline"');
    expect(page).toContain('sse:timeline');
    expect(await (await app.request('/t/acme/desk/timeline/count', { cookie: supervisor })).text()).not.toContain('nav-badge');
    const htmx = { 'HX-Request': 'true' };
    for (let i = 0; i < 2; i++) {
      const liked = await app.request(`/t/acme/desk/timeline/${post!.id}/like`, { method: 'POST', cookie: supervisor, headers: htmx });
      expect(liked.status).toBe(200);
      expect(await liked.text()).toContain('Unlike · 1');
    }
    const commented = await app.request(`/t/acme/desk/timeline/${post!.id}/comments`, { method: 'POST', cookie: supervisor, headers: htmx, body: form({ body: 'Thanks!' }) });
    expect(await commented.text()).toContain('Thanks!');
    expect((await posts())[0]).toMatchObject({ like_count: 1, comment_count: 1 });
  });

  it('answers 404 to another tenant on every route with a post id', async () => {
    const [post] = await posts();
    for (const path of ['like', 'unlike', 'comments', 'delete']) {
      const response = await app.request(`/t/globex/desk/timeline/${post!.id}/${path}`, { method: 'POST', cookie: globexAgent, body: form({ body: 'x' }) });
      expect(response.status, path).toBe(404);
    }
    expect((await posts())[0]).toMatchObject({ like_count: 1, comment_count: 1 });
  });

  it('shares a solved ticket\'s solution with staff from the ticket page', async () => {
    const ticketPage = await (await app.request('/t/acme/desk/tickets/2026-000001', { cookie: agent })).text();
    expect(ticketPage).toContain('id="action-share-solution"');
    const shared = await app.request('/t/acme/desk/tickets/2026-000001/share-solution', { method: 'POST', cookie: agent });
    expect(shared.status).toBe(303);
    expect((await posts()).at(-1)).toMatchObject({ kind: 'solution', audience: 'staff', title: 'Solved: VPN drops', body: 'Update the VPN client to 5.2.', link: '/desk/tickets/2026-000001' });
    expect((await app.request('/t/globex/desk/tickets/2026-000001/share-solution', { method: 'POST', cookie: globexAgent })).status).toBe(404);
  });

  it('offers no solution of a ticket closed as spam, and refuses to post one', async () => {
    const now = new Date().toISOString();
    await tenantScope(app.services.db, acme).insertInto('tickets', { number: '2026-000077', subject: 'Cheap pills', status: 'closed', close_reason: 'spam', created_at: now, updated_at: now }).execute();
    const before = (await posts()).length;
    expect(await (await app.request('/t/acme/desk/tickets/2026-000077', { cookie: agent })).text()).not.toContain('id="action-share-solution"');
    const refused = await app.request('/t/acme/desk/tickets/2026-000077/share-solution', { method: 'POST', cookie: agent });
    expect(refused.status).toBe(303);
    expect(await posts()).toHaveLength(before);
  });
});
