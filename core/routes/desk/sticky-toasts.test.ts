import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppEvent } from '../../events/event-bus.js';
import { tenantScope } from '../../tenancy/tenant-scope.js';
import { tenantTicketService } from '../../tickets/ticket-context.js';
import { createTestApp, type TestApp } from '../../../test/harness/test-app.js';
import { dialects } from '../../../test/harness/test-database.js';

const HX = { 'HX-Request': 'true' };

describe.each(dialects)('sticky toasts on %s', (dialect) => {
  let app: TestApp;
  let acme: number;
  let annaId: number;
  let bertId: number;
  let anna: string;
  let globexAgent: string;
  let group: number;

  const toasts = async (cookie: string, slug = 'acme') => (await app.request(`/t/${slug}/desk/notifications/toasts`, { cookie, headers: HX })).text();
  const unread = (userId: number) => tenantScope(app.services.db, acme).selectFrom('notifications').select(['id', 'kind']).where('user_id', '=', userId).where('read_at', 'is', null).orderBy('id').execute();

  beforeAll(async () => {
    app = await createTestApp(dialect);
    acme = (await app.createTenant('acme')).id;
    const globex = (await app.createTenant('globex')).id;
    annaId = await app.createStaff(acme, 'agent', 'anna@acme.test');
    bertId = await app.createStaff(acme, 'agent', 'bert@acme.test');
    await app.createStaff(globex, 'agent', 'agent@globex.test');
    [anna, globexAgent] = await Promise.all([app.signIn('anna@acme.test', 'acme'), app.signIn('agent@globex.test', 'globex')]);
    group = (await tenantScope(app.services.db, acme).insertInto('support_groups', { name: 'Second line', level: 'second' }).returning('id').executeTakeFirstOrThrow()).id;
    await tenantScope(app.services.db, acme).insertInto('group_members', { group_id: group, user_id: annaId }).execute();
  });
  afterAll(() => app.cleanup());

  it('puts the sticky region into every staff page, loaded at once and again on each live notification', async () => {
    const html = await (await app.request('/t/acme/desk', { cookie: anna })).text();
    expect(html).toContain('<div id="sticky-toasts" class="toasts toasts-sticky" role="status" aria-live="polite" hx-get="/t/acme/desk/notifications/toasts" hx-trigger="load, sse:notification, htmx:sseOpen from:body"');
  });

  it('pops up a forwarding to my group (a sticky kind) with its link, not a mention; dismissing marks it read; following the link opens the ticket', async () => {
    const service = await tenantTicketService(app.services, acme);
    const bert = { kind: 'user' as const, id: bertId, label: 'Bert', can: () => true };
    const ticket = await service.create({ subject: 'Printer on fire', description: 'x' }, bert);
    const events: AppEvent[] = [];
    const stop = app.services.events.subscribe(acme, (event) => events.push(event));
    await service.forward(ticket.number, { groupId: group }, bert);
    stop();
    // The live channel tells Anna's pages (on any instance: the event bus carries it) to load their toasts.
    expect(events).toContainEqual({ tenantId: acme, type: 'notification', data: { userId: annaId } });
    await service.addArticle(ticket.number, { kind: 'note', body: 'look @anna' }, bert);
    const kinds = (await unread(annaId)).map((n) => n.kind);
    expect(kinds).toEqual(expect.arrayContaining(['forwarded', 'mention']));

    const fragment = await toasts(anna);
    const forwarded = (await unread(annaId)).find((n) => n.kind === 'forwarded')!;
    expect(fragment).toContain(`id="sticky-toast-${forwarded.id}" data-kind="forwarded"`);
    expect(fragment).toContain(`action="/t/acme/desk/notifications/${forwarded.id}/open"`);
    expect(fragment).toContain(ticket.number);
    expect(fragment).not.toContain('data-kind="mention"');
    // Nobody else's: another tenant's agent sees none, and cannot dismiss or open Anna's.
    expect(await toasts(globexAgent, 'globex')).not.toContain('sticky-toast-');
    expect((await app.request(`/t/globex/desk/notifications/${forwarded.id}/open`, { method: 'POST', cookie: globexAgent })).status).toBe(404);
    expect((await app.request(`/t/globex/desk/notifications/${forwarded.id}/read`, { method: 'POST', cookie: globexAgent, headers: HX })).status).toBe(404);

    // Dismissed (htmx): the toasts left come back, and it is read.
    const dismissed = await app.request(`/t/acme/desk/notifications/${forwarded.id}/read`, { method: 'POST', cookie: anna, headers: HX });
    expect(dismissed.status).toBe(200);
    expect(await dismissed.text()).not.toContain(`sticky-toast-${forwarded.id}`);
    expect((await unread(annaId)).map((n) => n.kind)).toEqual(['mention']);

    // Another forwarding, followed by its link: read, and the ticket opens.
    await service.forward(ticket.number, { groupId: group, assigneeId: annaId }, bert);
    const next = (await unread(annaId)).find((n) => n.kind === 'forwarded')!;
    const opened = await app.request(`/t/acme/desk/notifications/${next.id}/open`, { method: 'POST', cookie: anna });
    expect(opened.status).toBe(303);
    expect(opened.headers.get('location')).toBe(`/t/acme/desk/tickets/${ticket.number}`);
    expect((await unread(annaId)).map((n) => n.kind)).toEqual(['mention']);
    expect((await app.request('/t/acme/desk/notifications/abc/open', { method: 'POST', cookie: anna })).status).toBe(404);
  });

  it('says "more" in both languages when more sticky notifications wait than show', async () => {
    const scoped = tenantScope(app.services.db, acme);
    for (let i = 0; i < 4; i++) await scoped.insertInto('notifications', { user_id: annaId, ticket_id: null, kind: 'forwarded', actor_label: 'x', summary: `Forwarded ${i}`, created_at: new Date().toISOString() }).execute();
    expect(await toasts(anna)).toContain('1 more unread notifications');
    expect(app.services.catalog.translator('de')('notify.more', { count: 1 })).toBe('1 weitere ungelesene Benachrichtigungen');
    expect(app.services.catalog.translator('de')('notify.dismiss')).toBe('Schließen (als gelesen markieren)');
  });
});
