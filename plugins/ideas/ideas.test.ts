import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disablePlugin, enablePlugin } from '../../core/plugin-host/plugin-switches.js';
import { dialects } from '../../test/harness/test-database.js';
import { likeStore } from './like-store.js';
import { ideasWorld, type IdeasTenant, type IdeasWorld } from './ideas-fixture.js';
import type { Viewer } from './viewer.js';

describe.each(dialects)('ideas on %s', (dialect) => {
  let w: IdeasWorld;
  const create = async (t: IdeasTenant, token: string, body: Record<string, unknown>) => {
    const response = await w.api(`/t/${t.slug}/api/v1/ideas`, token, { method: 'POST', body });
    expect(response.status, await response.clone().text()).toBe(201);
    return ((await response.json()) as { data: { id: number; ticket_number: string } }).data;
  };
  const page = async (path: string, cookie: string) => (await w.app.request(path, { cookie })).text();
  const viewer = (id: number): Viewer => ({ userId: id, personId: null, label: `u${id}`, manager: false, moderator: false });

  beforeAll(async () => { w = await ideasWorld(dialect); });
  afterAll(() => w?.cleanup());

  it('submits from the staff page as a ticket of the idea kind, and hides an anonymous submitter from colleagues in HTML and API, never from managers', async () => {
    const { a } = w;
    const response = await w.form(`${a.base}/p/ideas/new`, a.cookies.agent, { title: 'Coffee machine on floor 2', description: 'We queue every morning.', benefit: 'Ten minutes a day', anonymous: '1' });
    expect(response.status).toBe(303);
    const row = await a.ideas().selectFrom('ideas_proposals').selectAll().where('title', '=', 'Coffee machine on floor 2').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ anonymous: 1, submitter_user_id: a.ids.agent, benefit: 'Ten minutes a day', status: 'new' });
    const ticket = await a.scope.selectFrom('tickets').select(['subject', 'number']).where('id', '=', row.ticket_id).executeTakeFirstOrThrow();
    expect(ticket.subject).toBe('Coffee machine on floor 2');
    const history = await a.scope.selectFrom('ticket_history').select('actor_label').where('ticket_id', '=', row.ticket_id).execute();
    expect(history.map((h) => h.actor_label)).not.toContain('agent');

    const agentName = (await w.app.services.db.selectFrom('users').select('name').where('id', '=', a.ids.agent).executeTakeFirstOrThrow()).name;
    for (const path of [`${a.base}/p/ideas`, `${a.base}/p/ideas/${row.id}`]) {
      const html = await page(path, a.cookies.anna);
      expect(html).toContain('Coffee machine on floor 2');
      expect(html).toContain('by Anonymous');
      expect(html).not.toContain(agentName);
    }
    const asColleague = await (await w.api(`/t/${a.slug}/api/v1/ideas/${row.id}`, a.tokens.anna)).json() as { data: { submitter: string | null } };
    expect(asColleague.data.submitter).toBeNull();
    expect(JSON.stringify(await (await w.api(`/t/${a.slug}/api/v1/ideas`, a.tokens.anna)).json())).not.toContain(agentName);
    const asManager = await (await w.api(`/t/${a.slug}/api/v1/ideas/${row.id}`, a.tokens.boss)).json() as { data: { submitter: string | null } };
    expect(asManager.data.submitter).toBe(agentName);
    expect(await page(`${a.base}/p/ideas/${row.id}`, a.cookies.boss)).toContain(`by ${agentName}`);
    // Refusals at the fields, nothing saved.
    const before = await a.ideas().selectFrom('ideas_proposals').select('id').execute();
    const refused = await w.form(`${a.base}/p/ideas/new`, a.cookies.agent, { title: '', description: 'x' });
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain('Fill in this field.');
    expect(await a.ideas().selectFrom('ideas_proposals').select('id').execute()).toHaveLength(before.length);
  });

  it('counts 50 parallel likes from 50 people exactly 50, a repeat changes nothing, unlike takes one back; counters equal a recount', async () => {
    const { a } = w;
    const idea = await create(a, a.tokens.agent, { title: 'Standing desks', description: 'For everyone' });
    const likes = likeStore(w.app.services, a.tenant.id);
    const voters = Array.from({ length: 50 }, (_, i) => viewer(100_000 + i));
    // Voters are keys, not users: the unique key and the counter are what is under test; each like is its own transaction (PostgreSQL: pool connections).
    await Promise.all([...voters, ...voters.slice(0, 10)].map((v) => likes.like(v, idea.id)));
    const row = await a.ideas().selectFrom('ideas_proposals').select(['likes_count', 'trend_score']).where('id', '=', idea.id).executeTakeFirstOrThrow();
    expect(row.likes_count).toBe(50);
    expect(await likes.recount(idea.id)).toMatchObject({ likes: 50 });
    await Promise.all(voters.slice(0, 5).map((v) => likes.unlike(v, idea.id)));
    await likes.unlike(voters[0]!, idea.id);
    expect((await likes.recount(idea.id)).likes).toBe(45);
    expect((await a.ideas().selectFrom('ideas_proposals').select('likes_count').where('id', '=', idea.id).executeTakeFirstOrThrow()).likes_count).toBe(45);
    // Through the API: idempotent.
    for (let i = 0; i < 2; i++) expect((await w.api(`/t/${a.slug}/api/v1/ideas/${idea.id}/like`, a.tokens.anna, { method: 'POST' })).status).toBe(200);
    expect((await likes.recount(idea.id)).likes).toBe(46);
    expect(((await (await w.api(`/t/${a.slug}/api/v1/ideas/${idea.id}/like`, a.tokens.anna, { method: 'DELETE' })).json()) as { data: { likes: number } }).data.likes).toBe(45);
  });

  it('sorts the board newest, most liked, trending and most discussed, filters by status and text', async () => {
    const { a } = w;
    const one = await create(a, a.tokens.anna, { title: 'Sort alpha', description: 'x' });
    const two = await create(a, a.tokens.anna, { title: 'Sort beta', description: 'x' });
    const likes = likeStore(w.app.services, a.tenant.id);
    await likes.like(viewer(1), one.id);
    await likes.like(viewer(2), one.id);
    await w.api(`/t/${a.slug}/api/v1/ideas/${two.id}/comments`, a.tokens.anna, { method: 'POST', body: { body: 'First!' } });
    const ids = async (sort: string) => ((await (await w.api(`/t/${a.slug}/api/v1/ideas?q=sort&sort=${sort}`, a.tokens.anna)).json()) as { data: Array<{ id: number }> }).data.map((d) => d.id);
    expect(await ids('newest')).toEqual([two.id, one.id]);
    expect(await ids('liked')).toEqual([one.id, two.id]);
    expect(await ids('trending')).toEqual([one.id, two.id]);
    expect(await ids('discussed')).toEqual([two.id, one.id]);
    expect((await w.api(`/t/${a.slug}/api/v1/ideas?sort=bogus`, a.tokens.anna)).status).toBe(422);
    expect(await ids('newest&status=declined')).toEqual([]);
  });

  it('merges a duplicate: likes without double counting, followers move, comments stay; declined needs a reason', async () => {
    const { a } = w;
    const original = await create(a, a.tokens.agent, { title: 'Merge original', description: 'x' });
    const duplicate = await create(a, a.tokens.anna, { title: 'Merge duplicate', description: 'x' });
    const likes = likeStore(w.app.services, a.tenant.id);
    for (const id of [1, 2, 3]) await likes.like(viewer(id), original.id);
    for (const id of [3, 4, 5, 6]) await likes.like(viewer(id), duplicate.id);
    await w.api(`/t/${a.slug}/api/v1/ideas/${duplicate.id}/comments`, a.tokens.agent, { method: 'POST', body: { body: 'Same as the other' } });
    expect((await w.api(`/t/${a.slug}/api/v1/ideas/${duplicate.id}/status`, a.tokens.anna, { method: 'POST', body: { status: 'duplicate', duplicateOf: original.id } })).status).toBe(403);
    const merged = await w.api(`/t/${a.slug}/api/v1/ideas/${duplicate.id}/status`, a.tokens.boss, { method: 'POST', body: { status: 'duplicate', duplicateOf: original.id } });
    expect(merged.status).toBe(200);
    const counts = async (id: number) => (await a.ideas().selectFrom('ideas_proposals').select(['likes_count', 'comments_count']).where('id', '=', id).executeTakeFirstOrThrow());
    expect(await counts(original.id)).toMatchObject({ likes_count: 6 });
    expect(await counts(duplicate.id)).toMatchObject({ likes_count: 0, comments_count: 1 });
    expect(await likes.recount(original.id)).toMatchObject({ likes: 6 });
    const followers = await a.ideas().selectFrom('ideas_followers').select(['proposal_id', 'user_id']).where('proposal_id', 'in', [original.id, duplicate.id]).orderBy('user_id').execute();
    expect(followers).toEqual([{ proposal_id: original.id, user_id: a.ids.agent }, { proposal_id: original.id, user_id: a.ids.anna }]);
    expect((await w.api(`/t/${a.slug}/api/v1/ideas/${duplicate.id}/like`, a.tokens.agent, { method: 'POST' })).status).toBe(409);

    const declined = await w.api(`/t/${a.slug}/api/v1/ideas/${original.id}/status`, a.tokens.boss, { method: 'POST', body: { status: 'declined' } });
    expect(declined.status).toBe(422);
    expect(JSON.stringify(await declined.json())).toContain('Give the reason for declining.');
    const notes = await a.scope.selectFrom('notifications').select(['user_id', 'kind', 'summary']).where('kind', '=', 'ideas.status').execute();
    expect(notes.map((n) => n.user_id).sort()).toEqual([a.ids.agent, a.ids.anna].sort());
  });

  it('notifies a mentioned colleague, edits for 15 minutes, deletes by author or moderator leaving a tombstone', async () => {
    const { a } = w;
    const idea = await create(a, a.tokens.agent, { title: 'Mentions', description: 'x' });
    const added = await w.api(`/t/${a.slug}/api/v1/ideas/${idea.id}/comments`, a.tokens.agent, { method: 'POST', body: { body: 'What do you think, @anna?' } });
    expect(added.status).toBe(201);
    const comment = ((await added.json()) as { data: { id: number } }).data;
    const mention = await a.scope.selectFrom('notifications').select(['user_id', 'summary']).where('kind', '=', 'ideas.mention').execute();
    expect(mention).toEqual([{ user_id: a.ids.anna, summary: expect.stringContaining('mentioned you on the proposal "Mentions"') }]);
    expect((await w.form(`${a.base}/p/ideas/${idea.id}/comments/${comment.id}/edit`, a.cookies.agent, { body: 'Edited' })).status).toBe(303);
    expect((await a.ideas().selectFrom('ideas_comments').select(['body', 'edited_at']).where('id', '=', comment.id).executeTakeFirstOrThrow()).body).toBe('Edited');
    await a.ideas().updateTable('ideas_comments').set({ created_at: new Date(Date.now() - 16 * 60_000).toISOString() }).where('id', '=', comment.id).execute();
    expect((await w.form(`${a.base}/p/ideas/${idea.id}/comments/${comment.id}/edit`, a.cookies.agent, { body: 'Too late' })).status).toBe(409);
    expect((await w.form(`${a.base}/p/ideas/${idea.id}/comments/${comment.id}/delete`, a.cookies.anna)).status).toBe(403);
    expect((await w.form(`${a.base}/p/ideas/${idea.id}/comments/${comment.id}/delete`, a.cookies.boss)).status).toBe(303);
    const html = await page(`${a.base}/p/ideas/${idea.id}`, a.cookies.anna);
    expect(html).toContain('ideas-tombstone');
    expect(html).not.toContain('Edited');
    expect((await a.ideas().selectFrom('ideas_proposals').select('comments_count').where('id', '=', idea.id).executeTakeFirstOrThrow()).comments_count).toBe(0);
  });

  it('accepts into the knowledge base exactly once when clicked twice at once, under the proposal topic, and reports the submitter (page, CSV, API)', async () => {
    const { a } = w;
    const idea = await create(a, a.tokens.anna, { title: 'Accept me', description: 'A better form', benefit: 'Less typing' });
    const responses = await Promise.all([1, 2].map(() => w.api(`/t/${a.slug}/api/v1/ideas/${idea.id}/accept`, a.tokens.boss, { method: 'POST', body: {} })));
    expect(responses.map((r) => r.status).sort()).toContain(200);
    for (const r of responses) expect([200, 409]).toContain(r.status);
    const origins = await w.app.services.db.selectFrom('knowledge_ticket_origins' as never).selectAll().where('tenant_id' as never, '=', a.tenant.id as never).execute() as Array<{ entry_id: number }>;
    expect(origins).toHaveLength(1);
    const again = await (await w.api(`/t/${a.slug}/api/v1/ideas/${idea.id}/accept`, a.tokens.boss, { method: 'POST', body: {} })).json() as { data: { knowledge_entry_id: number; created: boolean } };
    expect(again.data).toEqual({ knowledge_entry_id: origins[0]!.entry_id, created: false });
    const topics = await w.app.services.db.selectFrom('knowledge_topics' as never).select(['name_de' as never, 'name_en' as never]).where('tenant_id' as never, '=', a.tenant.id as never).execute();
    expect(topics).toEqual([{ name_de: 'Verbesserungsvorschlag', name_en: 'Improvement proposal' }]);
    expect((await a.ideas().selectFrom('ideas_proposals').select('status').where('id', '=', idea.id).executeTakeFirstOrThrow()).status).toBe('accepted');
    // The KB entry names its submitter beside the origin ticket; an anonymous proposal's entry names nobody.
    const annaName = (await w.app.services.db.selectFrom('users').select('name').where('id', '=', a.ids.anna).executeTakeFirstOrThrow()).name;
    expect(await page(`${a.base}/p/knowledge/entries/${origins[0]!.entry_id}`, a.cookies.boss)).toMatch(new RegExp(`<dd id="knowledge-credited">${annaName}</dd>`));
    const report = await page(`${a.base}/p/ideas/report`, a.cookies.boss);
    expect(report).toMatch(/<th scope="row">[^<]*<\/th><td class="num">1<\/td>/);
    const csv = await (await w.app.request(`${a.base}/p/ideas/report.csv`, { cookie: a.cookies.boss })).text();
    expect(csv.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe('Submitter,Accepted,Proposals');
    expect(csv).toContain('Accept me');
    expect((await w.app.request(`${a.base}/p/ideas/report`, { cookie: a.cookies.anna })).status).toBe(403);
    expect((await w.api(`/t/${a.slug}/api/v1/reports/idea-submitters?from=2026-05-01&to=2026-04-01`, a.tokens.boss)).status).toBe(422);
    expect((await w.api(`/t/${a.slug}/api/v1/reports/idea-submitters`, a.tokens.anna)).status).toBe(403);
    const quiet = await create(a, a.tokens.anna, { title: 'Accept me quietly', description: 'Nobody knows', anonymous: true });
    const quietEntry = ((await (await w.api(`/t/${a.slug}/api/v1/ideas/${quiet.id}/accept`, a.tokens.boss, { method: 'POST', body: {} })).json()) as { data: { knowledge_entry_id: number } }).data.knowledge_entry_id;
    const quietPage = await page(`${a.base}/p/knowledge/entries/${quietEntry}`, a.cookies.boss);
    expect(quietPage).toContain('id="knowledge-origin"');
    expect(quietPage).not.toContain('knowledge-credited');
  });

  it('adds its submitters and knowledge\'s most used entries to the Statistics page, each tenant its own, gone while the plugin is off', async () => {
    const { a, b } = w;
    const idea = await create(a, a.tokens.anna, { title: 'Panel idea', description: 'Counted on the statistics page' });
    const accepted = await (await w.api(`/t/${a.slug}/api/v1/ideas/${idea.id}/accept`, a.tokens.boss, { method: 'POST', body: {} })).json() as { data: { knowledge_entry_id: number } };
    // An agent used the new entry on two tickets, one of them solved with it (as the ticket panel records it).
    const onTickets = [await create(a, a.tokens.agent, { title: 'Printer queue stuck', description: 'x' }), await create(a, a.tokens.agent, { title: 'Scanner offline', description: 'y' })];
    const tickets = await a.scope.selectFrom('tickets').select('id').where('number', 'in', onTickets.map((t) => t.ticket_number)).execute();
    expect(tickets).toHaveLength(2);
    const now = new Date().toISOString();
    await w.app.services.db.insertInto('knowledge_ticket_uses' as never).values(tickets.map((t, i) => ({ tenant_id: a.tenant.id, ticket_id: t.id, entry_id: accepted.data.knowledge_entry_id, used_at: now, solved: i })) as never).execute();
    const stats = await page(`${a.base}/desk/statistics?period=30d`, a.cookies.boss);
    expect(stats).toContain('id="stat-ideas-submitters"');
    const annaName = (await w.app.services.db.selectFrom('users').select('name').where('id', '=', a.ids.anna).executeTakeFirstOrThrow()).name;
    expect(stats).toMatch(new RegExp(`<th scope="row">${annaName}</th><td class="num">\\d+</td>`));
    expect(stats).toContain('id="stat-knowledge-most-used"');
    expect(stats).toMatch(/<a href="[^"]*\/p\/knowledge\/entries\/\d+">Panel idea<\/a><\/th><td class="num">2<\/td><td class="num">1<\/td>/);
    // Another tenant's page counts none of it.
    const other = await page(`${b.base}/desk/statistics?period=30d`, b.cookies.boss);
    expect(other).not.toContain(annaName);
    expect(other).not.toContain('Panel idea');
    expect(other).toContain('id="knowledge-stats-none"');
    // Switched off, the panel is gone (knowledge needs nothing of ideas: its panel stays).
    await disablePlugin(w.app.services.db, w.app.services.registry, a.tenant.id, 'ideas');
    const off = await page(`${a.base}/desk/statistics?period=30d`, a.cookies.boss);
    expect(off).not.toContain('stat-ideas-submitters');
    expect(off).toContain('id="stat-knowledge-most-used"');
    await enablePlugin(w.app.services.db, w.app.services.registry, a.tenant.id, 'ideas');
  });

  it('keeps each tenant to itself on every route: another tenant\'s proposal is 404 in pages, API and portal', async () => {
    const { a, b } = w;
    const idea = await create(a, a.tokens.agent, { title: 'Tenant A only', description: 'x', portal_visible: true });
    for (const [method, path, body] of [
      ['GET', `/ideas/${idea.id}`], ['PATCH', `/ideas/${idea.id}`, { title: 'Hijack' }], ['POST', `/ideas/${idea.id}/like`], ['DELETE', `/ideas/${idea.id}/like`],
      ['GET', `/ideas/${idea.id}/comments`], ['POST', `/ideas/${idea.id}/comments`, { body: 'x' }], ['POST', `/ideas/${idea.id}/status`, { status: 'planned' }],
      ['POST', `/ideas/${idea.id}/accept`, {}],
    ] as Array<[string, string, unknown?]>) {
      expect((await w.api(`/t/${b.slug}/api/v1${path}`, b.tokens.boss, { method, body })).status, `${method} ${path}`).toBe(404);
    }
    // A's token at B's address is refused too.
    expect((await w.api(`/t/${b.slug}/api/v1/ideas/${idea.id}`, a.tokens.boss)).status).not.toBe(200);
    for (const action of ['', '/like', '/unlike', '/comments', '/status', '/accept', '/follow']) {
      const response = action ? await w.form(`${b.base}/p/ideas/${idea.id}${action}`, b.cookies.boss, { body: 'x', status: 'planned' }) : await w.app.request(`${b.base}/p/ideas/${idea.id}`, { cookie: b.cookies.boss });
      expect(response.status, action).toBe(404);
    }
    expect(await page(`${b.base}/p/ideas`, b.cookies.boss)).not.toContain('Tenant A only');
    const personB = await b.signIn(b.emails.manager);
    expect((await w.app.request(`${b.base}/portal/ideas/${idea.id}`, { cookie: personB })).status).toBe(404);
    expect((await a.ideas().selectFrom('ideas_proposals').select(['title', 'likes_count', 'status']).where('id', '=', idea.id).executeTakeFirstOrThrow())).toEqual({ title: 'Tenant A only', likes_count: 0, status: 'new' });
  });

  it('shows portal users only their tenant\'s portal proposals and their own, lets them submit and like; 404 while portal ideas are off', async () => {
    const { a } = w;
    const shown = await create(a, a.tokens.agent, { title: 'Portal shown', description: 'x', portal_visible: true });
    const hidden = await create(a, a.tokens.agent, { title: 'Staff only idea', description: 'x' });
    const person = await a.signIn(a.emails.colleague);
    const board = await page(`${a.base}/portal/ideas`, person);
    expect(board).toContain('Portal shown');
    expect(board).not.toContain('Staff only idea');
    expect((await w.app.request(`${a.base}/portal/ideas/${hidden.id}`, { cookie: person })).status).toBe(404);
    const submitted = await w.form(`${a.base}/portal/ideas/new`, person, { title: 'From the portal', description: 'Please' });
    expect(submitted.status).toBe(303);
    const own = await a.ideas().selectFrom('ideas_proposals').selectAll().where('title', '=', 'From the portal').executeTakeFirstOrThrow();
    expect(own).toMatchObject({ submitter_person_id: a.people.colleague, portal_visible: 1 });
    expect((await w.form(`${a.base}/portal/ideas/${shown.id}/like`, person)).status).toBe(303);
    expect((await w.form(`${a.base}/portal/ideas/${shown.id}/like`, person)).status).toBe(303);
    expect((await likeStore(w.app.services, a.tenant.id).recount(shown.id)).likes).toBe(1);
    // A status change reaches the portal submitter by mail.
    await w.api(`/t/${a.slug}/api/v1/ideas/${own.id}/status`, a.tokens.boss, { method: 'POST', body: { status: 'declined', reason: 'Out of budget' } });
    const mail = await w.app.services.db.selectFrom('mail_outbox').select(['subject', 'text_body']).where('to_address', '=', a.emails.colleague).orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(mail.text_body).toContain('Reason: Out of budget');
    await w.app.services.db.updateTable('people').set({ locale: 'de' }).where('id', '=', a.people.colleague).execute();
    await w.api(`/t/${a.slug}/api/v1/ideas/${own.id}/status`, a.tokens.boss, { method: 'POST', body: { status: 'planned' } });
    const german = await w.app.services.db.selectFrom('mail_outbox').select(['subject', 'text_body']).where('to_address', '=', a.emails.colleague).orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(german.text_body).toContain('ist jetzt: Geplant');
    await w.app.services.db.updateTable('users').set({ locale: 'de' }).where('id', '=', a.ids.anna).execute();
    expect(await page(`${a.base}/p/ideas`, a.cookies.anna)).toContain('Verbesserungsvorschläge');
  });

  it('is 404 while off, and refuses to switch on without the knowledge plugin', async () => {
    const { b } = w;
    await disablePlugin(w.app.services.db, w.app.services.registry, b.tenant.id, 'ideas');
    expect((await w.app.request(`${b.base}/p/ideas`, { cookie: b.cookies.boss })).status).toBe(404);
    expect((await w.api(`/t/${b.slug}/api/v1/ideas`, b.tokens.boss)).status).toBe(404);
    await disablePlugin(w.app.services.db, w.app.services.registry, b.tenant.id, 'knowledge');
    await expect(enablePlugin(w.app.services.db, w.app.services.registry, b.tenant.id, 'ideas')).rejects.toThrow(/knowledge/);
    await enablePlugin(w.app.services.db, w.app.services.registry, b.tenant.id, 'knowledge');
    await enablePlugin(w.app.services.db, w.app.services.registry, b.tenant.id, 'ideas');
    expect((await w.app.request(`${b.base}/p/ideas`, { cookie: b.cookies.boss })).status).toBe(200);
  });
});
