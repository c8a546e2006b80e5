import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pluginScope, tenantTicketService, type TicketActor } from '../../core/plugin-api.js';
import { disablePlugin, enablePlugin } from '../../core/plugin-host/plugin-switches.js';
import { createTestApp, type TestApp } from '../../test/harness/test-app.js';
import { dialects } from '../../test/harness/test-database.js';
import { knowledgePlugin } from './index.js';
import type { KnowledgeDB } from './knowledge-db.js';
import { installedPlugin } from '../../test/harness/installed-plugin.js';

describe.each(dialects)('knowledge and tickets on %s', (dialect) => {
  let app: TestApp;
  let tenantId: number;
  let otherTenantId: number;
  let agent: string;
  let agentB: string;
  let actor: TicketActor;

  const post = (path: string, body: Record<string, string>, cookie = agent) => app.request(path, { method: 'POST', cookie, body: new URLSearchParams(body) });
  const get = async (path: string, cookie = agent) => {
    const response = await app.request(path, { cookie });
    return { status: response.status, html: await response.text() };
  };
  const newTicket = async (subject: string, description: string, tenant = tenantId) => {
    const service = await tenantTicketService(app.services, tenant);
    return service.create({ subject, description, requesterEmail: 'kunde@example.test', requesterName: 'Kunde' }, actor);
  };
  const solve = async (number: string, reply: string) => {
    const service = await tenantTicketService(app.services, tenantId);
    await service.addArticle(number, { kind: 'reply', body: reply, statusAfter: 'solved' }, actor);
  };
  const entryRow = (id: number) => pluginScope<KnowledgeDB>(app.services.db, tenantId).selectFrom('knowledge_entries')
    .select(['used_count', 'solved_count']).where('id', '=', id).executeTakeFirstOrThrow();
  const publishedEntry = async (title: string, body: string, visibility = 'internal') => {
    const created = await post('/t/kt/p/knowledge/entries', { kind: 'faq', language: 'de', title, body, visibility, tags: '' });
    expect(created.status).toBe(303);
    const id = Number(/entries\/(\d+)/.exec(created.headers.get('location')!)![1]);
    expect((await post(`/t/kt/p/knowledge/entries/${id}/state`, { state: 'published' })).status).toBe(303);
    return id;
  };

  beforeAll(async () => {
    app = await createTestApp(dialect, [installedPlugin('portal'), knowledgePlugin]);
    const tenant = await app.createTenant('kt');
    const other = await app.createTenant('kt-b');
    tenantId = tenant.id;
    otherTenantId = other.id;
    for (const id of [tenantId, otherTenantId]) await enablePlugin(app.services.db, app.services.registry, id, 'knowledge');
    const agentId = await app.createStaff(tenantId, 'agent', 'agent@kt.test');
    await app.createStaff(otherTenantId, 'agent', 'agent@kt-b.test');
    agent = await app.signIn('agent@kt.test', 'kt');
    agentB = await app.signIn('agent@kt-b.test', 'kt-b');
    actor = { kind: 'user', id: agentId, label: 'Agent', can: () => true };
  });
  afterAll(() => app.cleanup());

  it('takes a solved ticket into the knowledge base: pre-filled draft, origin link both ways, "ticket deleted" after deletion', async () => {
    const ticket = await newTicket('Drucker im Büro druckt Streifen', 'Seit heute morgen hat jede Seite graue Streifen.');
    // Not solved yet: no button, and the form from it answers 404.
    expect((await get(`/t/kt/desk/tickets/${ticket.number}`)).html).not.toContain('id="knowledge-take"');
    expect((await get(`/t/kt/p/knowledge/new?from_ticket=${ticket.id}`)).status).toBe(404);

    await solve(ticket.number, 'Die Druckköpfe über das Wartungsmenü reinigen.');
    const page = await get(`/t/kt/desk/tickets/${ticket.number}`);
    expect(page.html).toContain('id="knowledge-take"');
    const form = await get(`/t/kt/p/knowledge/new?from_ticket=${ticket.id}`);
    expect(form.status).toBe(200);
    expect(form.html).toContain('value="Drucker im Büro druckt Streifen"');
    expect(form.html).toContain('Seit heute morgen hat jede Seite graue Streifen.');
    expect(form.html).toContain('Die Druckköpfe über das Wartungsmenü reinigen.');
    expect(form.html).toContain(`name="origin_ticket_id" value="${ticket.id}"`);

    const created = await post('/t/kt/p/knowledge/entries', {
      kind: 'kb', language: 'de', title: 'Streifen beim Drucken', cause: 'Verschmutzte Druckköpfe.', body: 'Druckköpfe reinigen.', visibility: 'public', tags: '',
      origin_ticket_id: String(ticket.id),
    });
    expect(created.status).toBe(303);
    const id = Number(/entries\/(\d+)/.exec(created.headers.get('location')!)![1]);
    const entryPage = await get(`/t/kt/p/knowledge/entries/${id}`);
    expect(entryPage.html).toMatch(new RegExp(`<a id="knowledge-origin" href="/t/kt/desk/tickets/${ticket.number}">#${ticket.number} Drucker im Büro druckt Streifen</a>`));
    expect((await get(`/t/kt/desk/tickets/${ticket.number}`)).html).toMatch(new RegExp(`id="knowledge-ticket-entries"[\\s\\S]*href="/t/kt/p/knowledge/entries/${id}">Streifen beim Drucken`));

    await (await tenantTicketService(app.services, tenantId)).remove(ticket.number, actor);
    const afterDelete = await get(`/t/kt/p/knowledge/entries/${id}`);
    expect(afterDelete.html).toContain(`<span id="knowledge-origin">#${ticket.number} (ticket deleted)</span>`);
    // A deleted ticket is no origin for a new entry.
    expect((await get(`/t/kt/p/knowledge/new?from_ticket=${ticket.id}`)).status).toBe(404);
  });

  it('refuses another tenant\'s ticket as the origin (404 for the form, 422 at the field for the post)', async () => {
    const foreign = await newTicket('Fremdes Ticket', 'Text.', otherTenantId);
    await (await tenantTicketService(app.services, otherTenantId)).addArticle(foreign.number, { kind: 'reply', body: 'Gelöst.', statusAfter: 'solved' }, actor);
    expect((await get(`/t/kt/p/knowledge/new?from_ticket=${foreign.id}`)).status).toBe(404);
    const refused = await post('/t/kt/p/knowledge/entries', { kind: 'kb', language: 'de', title: 'X', body: 'Y', visibility: 'internal', tags: '', origin_ticket_id: String(foreign.id) });
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain('id="knowledge-form-origin"');
    expect(await pluginScope<KnowledgeDB>(app.services.db, tenantId).selectFrom('knowledge_entries').select('id').where('title', '=', 'X').execute()).toEqual([]);
  });

  it('suggests published entries for the ticket\'s text (with their visibility) and escapes their titles', async () => {
    const match = await publishedEntry('Monitor flackert nach Update', 'Grafiktreiber zurücksetzen.');
    const xss = await publishedEntry('<script>alert(1)</script> Monitor', 'Text <img src=x onerror=alert(2)>.', 'public');
    await post('/t/kt/p/knowledge/entries', { kind: 'faq', language: 'de', title: 'Entwurf Monitor flackert', body: 'Nicht fertig.', visibility: 'internal', tags: '' });
    const ticket = await newTicket('Monitor flackert', 'Der Monitor flackert seit dem Update.');
    const { status, html } = await get(`/t/kt/p/knowledge/tickets/${ticket.id}/suggestions`);
    expect(status).toBe(200);
    expect(html).toContain(`href="/t/kt/p/knowledge/entries/${match}"`);
    expect(html).toContain('Internal (staff only)');
    expect(html).not.toContain('Entwurf');
    expect(html).toContain(`href="/t/kt/p/knowledge/entries/${xss}"`);
    expect(html).not.toContain('<script>alert(1)');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;script&gt;');
    // The `??` search of the reply box.
    const typed = await get(`/t/kt/p/knowledge/tickets/${ticket.id}/search?q=Grafiktreib`);
    expect(typed.html).toContain(`data-knowledge-insert="/t/kt/p/knowledge/tickets/${ticket.id}/use/${match}"`);
    // Another tenant's agent: 404 for this tenant's ticket in theirs.
    expect((await app.request(`/t/kt-b/p/knowledge/tickets/${ticket.id}/suggestions`, { cookie: agentB })).status).toBe(404);
  });

  it('counts an entry put into a reply once per ticket, and "solved" in the transaction that solves the ticket', async () => {
    const entry = await publishedEntry('VPN trennt sich', 'Neuen VPN-Client installieren.');
    const ticket = await newTicket('VPN bricht ab', 'Die Verbindung bricht alle zehn Minuten ab.');
    const used = await post(`/t/kt/p/knowledge/tickets/${ticket.id}/use/${entry}`, {});
    expect(used.status).toBe(200);
    expect(await used.json()).toEqual({ text: 'Neuen VPN-Client installieren.' });
    expect((await post(`/t/kt/p/knowledge/tickets/${ticket.id}/use/${entry}`, {})).status).toBe(200);
    expect(await entryRow(entry)).toEqual({ used_count: 1, solved_count: 0 });
    await solve(ticket.number, 'Neuen VPN-Client installieren.');
    expect(await entryRow(entry)).toEqual({ used_count: 1, solved_count: 1 });
    expect((await get(`/t/kt/p/knowledge/entries/${entry}`)).html).toContain('Put into replies: 1 · tickets solved after it: 1');
    // An entry customers may read goes with its portal link, while the tenant has the portal on.
    const shared = await publishedEntry('VPN-Client herunterladen', 'Im Downloadbereich.', 'customers');
    expect(await (await post(`/t/kt/p/knowledge/tickets/${ticket.id}/use/${shared}`, {})).json()).toEqual({ text: 'Im Downloadbereich.' });
    await enablePlugin(app.services.db, app.services.registry, tenantId, 'portal');
    expect(await (await post(`/t/kt/p/knowledge/tickets/${ticket.id}/use/${shared}`, {})).json())
      .toEqual({ text: `Im Downloadbereich.\n\nMore in our help pages: http://tresen.test/t/kt/portal/kb/${shared}` });
    await disablePlugin(app.services.db, app.services.registry, tenantId, 'portal');
    // Another tenant's agent cannot count on this tenant's ticket or entry.
    expect((await post(`/t/kt-b/p/knowledge/tickets/${ticket.id}/use/${entry}`, {}, agentB)).status).toBe(404);
    expect(await entryRow(entry)).toEqual({ used_count: 1, solved_count: 1 });
  });

  it('asks no suggestions on a deleted ticket\'s page (a deleted ticket takes no answer; its suggestions are 404)', async () => {
    const ticket = await newTicket('Versehentlich gelöscht', 'Text.');
    await (await tenantTicketService(app.services, tenantId)).remove(ticket.number, actor);
    await app.createStaff(tenantId, 'admin', 'admin@kt.test');
    const admin = await app.signIn('admin@kt.test', 'kt');
    const { status, html } = await get(`/t/kt/desk/tickets/${ticket.number}`, admin);
    expect(status).toBe(200);
    expect(html).toContain('id="knowledge-ticket-panel"');
    expect(html).not.toContain('id="knowledge-suggestions"');
    const refused = await get(`/t/kt/p/knowledge/tickets/${ticket.id}/suggestions`, admin);
    expect(refused.status).toBe(404);
    // The plugin's refusal carries a message key; the reader gets its words.
    expect(refused.html).toContain('This page does not exist.');
    expect(refused.html).not.toContain('error.notFound');
  });

  it('answers 404 on its ticket routes while the plugin is off, and the ticket page has no panel', async () => {
    const ticket = await newTicket('Plugin aus', 'Text.');
    await disablePlugin(app.services.db, app.services.registry, tenantId, 'knowledge');
    try {
      expect((await get(`/t/kt/p/knowledge/tickets/${ticket.id}/suggestions`)).status).toBe(404);
      expect((await post(`/t/kt/p/knowledge/tickets/${ticket.id}/use/1`, {})).status).toBe(404);
      expect((await get(`/t/kt/desk/tickets/${ticket.number}`)).html).not.toContain('knowledge-ticket-panel');
    } finally {
      await enablePlugin(app.services.db, app.services.registry, tenantId, 'knowledge');
    }
  });
});
