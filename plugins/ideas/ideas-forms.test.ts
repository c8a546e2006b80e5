import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updatePluginSettings } from '../../core/plugin-host/plugin-switches.js';
import { dialects } from '../../test/harness/test-database.js';
import { commentStore } from './comment-store.js';
import { ideasWorld, type IdeasTenant, type IdeasWorld } from './ideas-fixture.js';
import { likeStore, likeWeight } from './like-store.js';
import { statusStore } from './status-store.js';
import type { Viewer } from './viewer.js';

// Submitting through the core create forms (desk and portal), the maintained counters against a recount after a mix of
// everything that moves them, and anonymity in mails and comments; on both dialects.
describe.each(dialects)('ideas create forms, counters and anonymity on %s', (dialect) => {
  let w: IdeasWorld;
  const page = async (path: string, cookie: string) => (await w.app.request(path, { cookie })).text();
  const proposalOf = (t: IdeasTenant, subject: string) => t.scope.selectFrom('tickets').select('id').where('subject', '=', subject).executeTakeFirst()
    .then((ticket) => ticket && t.ideas().selectFrom('ideas_proposals').selectAll().where('ticket_id', '=', ticket.id).executeTakeFirst());
  const voter = (id: number): Viewer => ({ userId: id, personId: null, label: `u${id}`, manager: false, moderator: false });

  beforeAll(async () => {
    w = await ideasWorld(dialect);
    await w.a.scope.insertInto('ticket_categories', { name: 'Verbesserungsvorschlag', position: 3, active: 1 }).execute();
    // A name no page carries otherwise, so "not in the text" means something.
    await w.app.services.db.updateTable('users').set({ name: 'Zacharias Quill' }).where('id', '=', w.a.ids.agent).execute();
  });
  afterAll(() => w?.cleanup());

  it('turns a request from the desk\'s create form into a proposal: by ticking the kind (with benefit and anonymity) or by choosing the proposal topic', async () => {
    const { a } = w;
    const form = await page(`${a.base}/desk/tickets/new`, a.cookies.agent);
    for (const name of ['p.ideas.kind', 'p.ideas.benefit', 'p.ideas.anonymous']) expect(form).toContain(`name="${name}"`);
    const base = { description: 'From the phone', priority: '2', channel: 'phone', category: '', group_id: '', requester_id: String(a.people.colleague) };
    const ticked = await w.form(`${a.base}/desk/tickets/new`, a.cookies.agent, { ...base, subject: 'Desk kind', 'p.ideas.kind': '1', 'p.ideas.benefit': 'Saves paper', 'p.ideas.anonymous': '1' });
    expect(ticked.status, await ticked.clone().text()).toBe(303);
    expect(await proposalOf(a, 'Desk kind')).toMatchObject({ submitter_user_id: a.ids.agent, anonymous: 1, benefit: 'Saves paper', status: 'new', portal_visible: 0 });
    const kindTicket = (await proposalOf(a, 'Desk kind'))!.ticket_id;
    const history = await a.scope.selectFrom('ticket_history').select('actor_label').where('ticket_id', '=', kindTicket).execute();
    expect(history.length).toBeGreaterThan(0);
    for (const line of history) expect(line.actor_label).toBe('Anonymous');
    // The ticket page names the submitter nowhere (the forward form lists every agent, the submitter among them).
    const ticketPage = await page(`${a.base}/desk/tickets/${(await a.scope.selectFrom('tickets').select('number').where('id', '=', kindTicket).executeTakeFirstOrThrow()).number}`, a.cookies.anna);
    // The agent pickers (forward's and the sidebar's owner) list every agent by name; nowhere else.
    expect(ticketPage.replace(/<select id="f-assignee_id"[\s\S]*?<\/select>/, '').replace(/<select id="f-owner"[\s\S]*?<\/select>/, '')).not.toContain('Zacharias Quill');
    const topic = await w.form(`${a.base}/desk/tickets/new`, a.cookies.agent, { ...base, subject: 'Desk topic', category: 'Verbesserungsvorschlag', 'p.ideas.benefit': '' });
    expect(topic.status).toBe(303);
    expect(await proposalOf(a, 'Desk topic')).toMatchObject({ submitter_user_id: a.ids.agent, anonymous: 0 });
    const plain = await w.form(`${a.base}/desk/tickets/new`, a.cookies.agent, { ...base, subject: 'Desk plain', category: 'Software', 'p.ideas.benefit': '' });
    expect(plain.status).toBe(303);
    expect(await proposalOf(a, 'Desk plain')).toBeUndefined();
    // A refusal at the benefit keeps the input and saves nothing.
    const refused = await w.form(`${a.base}/desk/tickets/new`, a.cookies.agent, { ...base, subject: 'Desk too long', 'p.ideas.kind': '1', 'p.ideas.benefit': 'x'.repeat(10_001) });
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain('id="p.ideas.benefit-error"');
    expect(await a.scope.selectFrom('tickets').select('id').where('subject', '=', 'Desk too long').executeTakeFirst()).toBeUndefined();
  });

  it('offers the kind on the portal\'s new request while portal ideas are allowed; the proposal is the person\'s and shown in the portal', async () => {
    const { a } = w;
    const carl = await a.signIn(a.emails.colleague);
    const form = await page(`${a.base}/portal/requests/new`, carl);
    expect(form).toContain('name="p.ideas.kind"');
    expect(form).not.toContain('name="p.ideas.anonymous"');
    const sent = await w.form(`${a.base}/portal/requests`, carl, { subject: 'Portal kind', description: 'Longer opening hours', category: 'Software', 'p.ideas.kind': '1', 'p.ideas.benefit': 'Fewer calls' });
    expect(sent.status, await sent.clone().text()).toBe(303);
    expect(await proposalOf(a, 'Portal kind')).toMatchObject({ submitter_person_id: a.people.colleague, submitter_user_id: null, portal_visible: 1, benefit: 'Fewer calls', anonymous: 0 });
    expect(await page(`${a.base}/portal/ideas`, carl)).toContain('Portal kind');

    await updatePluginSettings(w.app.services.db, w.app.services.registry, a.tenant.id, 'ideas', { portalIdeas: false });
    try {
      expect(await page(`${a.base}/portal/requests/new`, carl)).not.toContain('name="p.ideas.kind"');
      // Sent anyway (an old form): a plain request, no proposal.
      const old = await w.form(`${a.base}/portal/requests`, carl, { subject: 'Portal off', description: 'x', category: 'Software', 'p.ideas.kind': '1' });
      expect(old.status).toBe(303);
      expect(await a.scope.selectFrom('tickets').select('id').where('subject', '=', 'Portal off').executeTakeFirst()).toBeDefined();
      expect(await proposalOf(a, 'Portal off')).toBeUndefined();
    } finally {
      await updatePluginSettings(w.app.services.db, w.app.services.registry, a.tenant.id, 'ideas', { portalIdeas: true });
    }
  });

  it('keeps every counter equal to a recount after a mix of likes, unlikes, comments, deleted comments and duplicate merges', async () => {
    const { a } = w;
    const services = w.app.services;
    const ids: number[] = [];
    for (let i = 0; i < 6; i++) {
      const response = await w.api(`/t/${a.slug}/api/v1/ideas`, a.tokens.agent, { method: 'POST', body: { title: `Mix ${i}`, description: 'x' } });
      ids.push(((await response.json()) as { data: { id: number } }).data.id);
    }
    const likes = likeStore(services, a.tenant.id);
    const comments = commentStore(services, a.tenant.id);
    const manager: Viewer = { userId: a.ids.boss, personId: null, label: 'boss', manager: true, moderator: true };
    // A fixed pseudo-random mix, in parallel where people act at once.
    let seed = 7;
    const next = (n: number) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
    const made: Array<{ proposal: number; id: number }> = [];
    for (let round = 0; round < 4; round++) {
      await Promise.all(Array.from({ length: 40 }, () => {
        const proposal = ids[next(ids.length)]!;
        const who = voter(500 + next(15));
        return next(3) === 0 ? likes.unlike(who, proposal) : likes.like(who, proposal).catch(() => undefined);
      }));
      for (let k = 0; k < 5; k++) {
        const proposal = ids[next(ids.length)]!;
        made.push({ proposal, id: (await comments.add(voter(a.ids.anna), proposal, { body: `Comment ${round}.${k}` }).catch(() => ({ id: 0 }))).id });
      }
      const gone = made[next(made.length)]!;
      if (gone.id) await comments.remove(manager, gone.proposal, gone.id);
      if (gone.id) await comments.remove(manager, gone.proposal, gone.id); // twice: the counter moves once
    }
    // Two merges: 1 into 0, then 2 into 0 (some voters liked all three).
    await statusStore(services, a.tenant.id).change(manager, ids[1]!, { status: 'duplicate', duplicateOf: ids[0]! });
    await statusStore(services, a.tenant.id).change(manager, ids[2]!, { status: 'duplicate', duplicateOf: ids[0]! });
    await Promise.all([3, 4, 5].map((i) => likes.like(voter(500 + i), ids[0]!)));

    const rows = await a.ideas().selectFrom('ideas_proposals').select(['id', 'likes_count', 'comments_count', 'trend_score']).where('id', 'in', ids).execute();
    for (const row of rows) {
      expect({ likes: row.likes_count, comments: row.comments_count }, `proposal ${row.id}`).toEqual(await likes.recount(row.id));
      const liked = await a.ideas().selectFrom('ideas_likes').select('liked_at').where('proposal_id', '=', row.id).execute();
      const score = liked.reduce((sum, like) => sum + likeWeight(like.liked_at), 0);
      expect(Math.abs(Number(row.trend_score) - score), `trend of ${row.id}`).toBeLessThanOrEqual(Math.max(1e-6, score * 1e-9));
    }
    expect(rows.find((r) => r.id === ids[1])!.likes_count).toBe(0);
    expect(rows.find((r) => r.id === ids[0])!.likes_count).toBeGreaterThan(0);
  });

  it('never names an anonymous submitter to a colleague: not in the board, page, comments, API, in-app notifications, mails or the timeline', async () => {
    const { a } = w;
    await w.app.services.db.updateTable('users').set({ notify_by_mail: 1 }).where('id', 'in', [a.ids.anna, a.ids.agent]).execute();
    const agentName = (await w.app.services.db.selectFrom('users').select('name').where('id', '=', a.ids.agent).executeTakeFirstOrThrow()).name;
    const annaEmail = `anna@${a.slug}.test`;
    const made = await w.api(`/t/${a.slug}/api/v1/ideas`, a.tokens.agent, { method: 'POST', body: { title: 'Secret sender', description: 'Quiet please', anonymous: true } });
    const id = ((await made.json()) as { data: { id: number } }).data.id;
    // Anna follows by commenting; the submitter answers on their own proposal and mentions her.
    expect((await w.api(`/t/${a.slug}/api/v1/ideas/${id}/comments`, a.tokens.anna, { method: 'POST', body: { body: 'Who wrote this?' } })).status).toBe(201);
    expect((await w.api(`/t/${a.slug}/api/v1/ideas/${id}/comments`, a.tokens.agent, { method: 'POST', body: { body: 'Not telling, @anna' } })).status).toBe(201);
    expect((await w.api(`/t/${a.slug}/api/v1/ideas/${id}/status`, a.tokens.boss, { method: 'POST', body: { status: 'planned' } })).status).toBe(200);

    const seen = [
      await page(`${a.base}/p/ideas?q=secret`, a.cookies.anna), await page(`${a.base}/p/ideas/${id}`, a.cookies.anna),
      JSON.stringify(await (await w.api(`/t/${a.slug}/api/v1/ideas/${id}`, a.tokens.anna)).json()),
      JSON.stringify(await (await w.api(`/t/${a.slug}/api/v1/ideas/${id}/comments`, a.tokens.anna)).json()),
      JSON.stringify(await (await w.api(`/t/${a.slug}/api/v1/ideas?q=secret`, a.tokens.anna)).json()),
      JSON.stringify(await a.scope.selectFrom('notifications').select(['summary', 'actor_label']).where('user_id', '=', a.ids.anna).execute()),
      JSON.stringify(await w.app.services.db.selectFrom('mail_outbox').select(['subject', 'text_body']).where('to_address', '=', annaEmail).execute()),
      JSON.stringify(await (await w.api(`/t/${a.slug}/api/v1/timeline/posts`, a.tokens.anna)).json()),
      await page(`${a.base}/desk/timeline`, a.cookies.anna),
    ];
    expect(seen[0]).toContain('Secret sender');
    expect(seen[2]).toContain('"submitter":null');
    expect(seen[5]).toContain('mentioned you');
    expect(seen[6]).toContain('Planned');
    // The status change is on the staff timeline, by the idea manager, linking the proposal.
    expect(seen[7]).toContain(`Planned: Secret sender`);
    expect(seen[7]).toContain(`/p/ideas/${id}`);
    expect(seen[8]).toContain('Secret sender');
    for (const [i, text] of seen.entries()) expect(text, `view ${i}`).not.toContain(agentName);
    // The idea manager sees the name.
    expect(await page(`${a.base}/p/ideas/${id}`, a.cookies.boss)).toContain(`by ${agentName}`);
  });
});
