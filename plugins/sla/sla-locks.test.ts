import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enablePlugin } from '../../core/plugin-host/plugin-switches.js';
import { DomainError, pluginScope, tenantTicketService, type TicketActor } from '../../core/plugin-api.js';
import type { AppEvent } from '../../core/events/event-bus.js';
import { createTestApp, type TestApp } from '../../test/harness/test-app.js';
import { dialects } from '../../test/harness/test-database.js';
import { slaPlugin } from './index.js';
import { pruneLocksJob } from './lock-store.js';
import type { SlaDB } from './sla-db.js';
import { installedPlugin } from '../../test/harness/installed-plugin.js';

const MINUTE = 60_000;
const htmx = { 'HX-Request': 'true' };

describe.each(dialects)('edit locks of plugin sla on %s', (dialect) => {
  let app: TestApp;
  let offset = 0;
  type World = Awaited<ReturnType<typeof world>>;
  let a: World;
  let b: World;

  async function world(slug: string) {
    const tenant = await app.createTenant(slug);
    for (const id of ['helpdesk', 'sla']) await enablePlugin(app.services.db, app.services.registry, tenant.id, id);
    const agentId = await app.createStaff(tenant.id, 'agent', `agent@${slug}.test`);
    const supervisorId = await app.createStaff(tenant.id, 'supervisor', `super@${slug}.test`);
    await app.createStaff(tenant.id, 'admin', `admin@${slug}.test`);
    const scope = pluginScope<SlaDB>(app.services.db, tenant.id);
    const personId = (await scope.insertInto('people', { name: 'Gus Customer', email: `gus@${slug}.test`, organisation_id: null }).returning('id').executeTakeFirstOrThrow()).id;
    const agent: TicketActor = { kind: 'user', id: agentId, label: 'agent', can: () => true };
    return {
      tenant, slug, scope, agentId, supervisorId, personId, agentActor: agent,
      agent: await app.signIn(`agent@${slug}.test`, slug),
      supervisor: await app.signIn(`super@${slug}.test`, slug),
      admin: await app.signIn(`admin@${slug}.test`, slug),
      service: () => tenantTicketService(app.services, tenant.id),
    };
  }
  const lock = (w: World, number: string, cookie: string, rest = '') => app.request(`/t/${w.slug}/p/sla/tickets/${number}/lock${rest}`, { method: 'POST', cookie, headers: htmx });
  const saveFields = (w: World, number: string, cookie: string, values: Record<string, string>) =>
    app.request(`/t/${w.slug}/desk/tickets/${number}/fields`, { method: 'POST', body: new URLSearchParams(values), cookie, headers: htmx });
  const row = async (w: World, ticketId: number) => w.scope.selectFrom('sla_locks').selectAll().where('ticket_id', '=', ticketId).executeTakeFirst();

  beforeAll(async () => {
    app = await createTestApp(dialect, [installedPlugin('helpdesk'), slaPlugin], { clock: () => new Date(Date.now() + offset) });
    a = await world('lock-a');
    b = await world('lock-b');
    // Ticket numbers count per tenant: B's start far away so a B number never names an A ticket.
    await app.services.db.insertInto('ticket_counters').values({ tenant_id: b.tenant.id, year: new Date().getUTCFullYear(), last_value: 500000 }).execute();
  });
  afterAll(() => app.cleanup());

  it('takes the lock when the page asks, renews it for the holder, and shows a colleague "locked by" with their read-only page', async () => {
    const ticket = await (await a.service()).create({ subject: 'Locked one', description: 'x' }, a.agentActor);
    const page = await (await app.request(`/t/lock-a/desk/tickets/${ticket.number}`, { cookie: a.agent })).text();
    expect(page).toContain('id="sla-lock" data-lock="free"');
    // Taken when the page is shown, renewed only by the user's activity, looked at every minute and on lock changes.
    expect(page).toContain(`hx-post="/t/lock-a/p/sla/tickets/${ticket.number}/lock" hx-trigger="load"`);
    expect(page).toContain('lock?renew=1" hx-trigger="keydown from:body throttle:30s, input from:body throttle:30s, pointerdown from:body throttle:30s, scroll from:document throttle:30s"');
    expect(page).toContain('lock?look=1" hx-trigger="every 60s, sse:sla-lock"');
    expect(await row(a, ticket.id)).toBeUndefined();

    const taken = await lock(a, ticket.number, a.agent);
    expect(taken.status).toBe(200);
    expect(await taken.text()).toContain('data-lock="mine"');
    const first = (await row(a, ticket.id))!;
    expect(first.user_id).toBe(a.agentId);
    expect(Date.parse(first.expires_at) - Date.parse(first.taken_at)).toBe(5 * MINUTE);

    offset = 2 * MINUTE;
    await lock(a, ticket.number, a.agent);
    const renewed = (await row(a, ticket.id))!;
    expect(renewed.taken_at).toBe(first.taken_at);
    expect(Date.parse(renewed.expires_at)).toBeGreaterThan(Date.parse(first.expires_at));
    offset = 0;

    const asked = await lock(a, ticket.number, a.supervisor);
    const html = await asked.text();
    expect(html).toContain('data-lock="other"');
    expect(html).toMatch(/Locked by agent since [^.]+\. You can read this ticket/);
    expect((await row(a, ticket.id))!.user_id).toBe(a.agentId);
    const seen = await (await app.request(`/t/lock-a/desk/tickets/${ticket.number}`, { cookie: a.supervisor })).text();
    expect(seen).toContain('data-lock="other"');
    expect(seen).toContain('Take over from agent');
  });

  it('refuses a colleague\'s save while the lock holds, lets the holder, customers and the system change the ticket, and everyone once it expired', async () => {
    const ticket = await (await a.service()).create({ subject: 'Guarded', description: 'x', priority: 2 }, a.agentActor);
    await lock(a, ticket.number, a.agent);
    const refused = await saveFields(a, ticket.number, a.supervisor, { priority: '4', version: String(ticket.version) });
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain('Not saved: agent is editing this ticket since');
    expect((await a.scope.selectFrom('tickets').select('priority').where('id', '=', ticket.id).executeTakeFirstOrThrow()).priority).toBe(2);
    const note = await (await a.service()).addArticle(ticket.number, { kind: 'note', body: 'me too' }, { kind: 'user', id: a.supervisorId, label: 'super', can: () => true }).catch((e: unknown) => e);
    expect(note).toBeInstanceOf(DomainError);

    await (await a.service()).addArticle(ticket.number, { kind: 'customer', body: 'Any news?' }, { kind: 'person', id: a.personId, label: 'Gus' });
    await (await a.service()).update(ticket.number, { priority: 3 }, { kind: 'system', label: 'escalation' });
    await (await a.service()).update(ticket.number, { priority: 1 }, a.agentActor);

    // Locks expire on their own: a lease ran out is no lock, whatever the process remembers.
    offset = 6 * MINUTE;
    expect(await (await lock(a, ticket.number, a.supervisor)).text()).toContain('data-lock="mine"');
    offset = 0;
    // Expired two days ago (the hourly job keeps expired rows a day, for the idle holder's next save).
    await a.scope.updateTable('sla_locks').set({ expires_at: new Date(Date.now() - 2 * 24 * 60 * MINUTE).toISOString() }).where('ticket_id', '=', ticket.id).execute();
    await (await a.service()).update(ticket.number, { priority: 4 }, a.agentActor);
    // The hourly job clears expired rows of this tenant only.
    await (await b.service()).create({ subject: 'B keeps its lock', description: 'x' }, b.agentActor).then((t) => lock(b, t.number, b.agent));
    await pruneLocksJob.run({ tenantId: a.tenant.id, payload: null, db: app.services.db, clock: app.services.clock, services: app.services });
    expect(await row(a, ticket.id)).toBeUndefined();
    expect(await b.scope.selectFrom('sla_locks').select('id').execute()).toHaveLength(1);
    expect((await a.scope.selectFrom('tickets').select('priority').where('id', '=', ticket.id).executeTakeFirstOrThrow()).priority).toBe(4);
  });

  it('takes over with a confirmation: audited, the former holder notified and told live, their later save refused', async () => {
    const ticket = await (await a.service()).create({ subject: 'Taken over', description: 'x', priority: 2 }, a.agentActor);
    await lock(a, ticket.number, a.agent);
    const events: AppEvent[] = [];
    const stop = app.services.events.subscribe(a.tenant.id, (event) => events.push(event));
    const taken = await lock(a, ticket.number, a.supervisor, '/take-over');
    stop();
    expect(taken.status).toBe(200);
    expect(await taken.text()).toContain('data-lock="mine"');
    expect((await row(a, ticket.id))!.user_id).toBe(a.supervisorId);
    expect(events).toContainEqual({ tenantId: a.tenant.id, type: 'sla-lock', data: { ticketId: ticket.id } });
    expect(events).toContainEqual(expect.objectContaining({ type: 'notification', data: expect.objectContaining({ userId: a.agentId }) }));

    const audit = await app.services.db.selectFrom('audit_log').select(['action', 'target', 'actor_user_id']).where('tenant_id', '=', a.tenant.id).where('action', '=', 'sla.lock_taken_over').execute();
    expect(audit).toEqual([{ action: 'sla.lock_taken_over', target: `${ticket.number}: agent`, actor_user_id: a.supervisorId }]);
    const notices = await a.scope.selectFrom('notifications').select(['user_id', 'kind', 'summary']).where('ticket_id', '=', ticket.id).execute();
    expect(notices).toEqual([{ user_id: a.agentId, kind: 'sla.lock_taken', summary: `super took over editing ticket ${ticket.number}; your unsaved changes there will be refused.` }]);

    // The former holder's page: its renewal now shows the colleague's lock, and a save from it is refused.
    expect(await (await lock(a, ticket.number, a.agent)).text()).toContain('Locked by super since');
    const refused = await saveFields(a, ticket.number, a.agent, { priority: '4', version: String(ticket.version) });
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain('Not saved: super is editing this ticket since');

    // Letting go frees the ticket for everyone.
    expect(await (await lock(a, ticket.number, a.supervisor, '/release')).text()).toContain('data-lock="free"');
    expect(await row(a, ticket.id)).toBeUndefined();
    // The page that let go only follows the lock (its live refresh must not take it back) until its viewer edits again.
    expect(await (await lock(a, ticket.number, a.supervisor, '?passive=1')).text()).toContain('id="sla-lock-start"');
    expect(await row(a, ticket.id)).toBeUndefined();
  });

  it('lets an idle holder\'s lock run out after the tenant\'s idle length: activity does not take it back, the next save says why, "Edit again" does', async () => {
    const settings = (values: Record<string, string>) => app.request('/t/lock-a/p/sla/settings', { method: 'POST', body: new URLSearchParams(values), cookie: a.admin });
    for (const bad of ['0', '121', 'five']) {
      const refused = await settings({ defaultLevelId: '', pausing: 'waiting', lockIdleMinutes: bad });
      expect(refused.status).toBe(422);
      expect(await refused.text()).toContain('Enter whole minutes from 1 to 120.');
    }
    expect((await settings({ defaultLevelId: '', pausing: 'waiting', lockIdleMinutes: '2' })).status).toBe(303);
    const ticket = await (await a.service()).create({ subject: 'Idle editor', description: 'x', priority: 2 }, a.agentActor);
    await lock(a, ticket.number, a.agent);
    const held = (await row(a, ticket.id))!;
    expect(Date.parse(held.expires_at) - Date.parse(held.renewed_at)).toBe(2 * MINUTE);
    // Activity renews it.
    offset = MINUTE;
    expect(await (await lock(a, ticket.number, a.agent, '?renew=1')).text()).toContain('data-lock="mine"');
    const renewed = Date.parse((await row(a, ticket.id))!.expires_at) - Date.parse(held.expires_at);
    expect(renewed).toBeGreaterThanOrEqual(MINUTE);
    expect(renewed).toBeLessThan(MINUTE + 10_000);
    offset = 0;

    // The page went idle: the lease ran out (moved into the past, as the filter compares with the real time).
    const past = (minutes: number) => new Date(Date.now() - minutes * MINUTE).toISOString();
    await a.scope.updateTable('sla_locks').set({ renewed_at: past(3), expires_at: past(1) }).where('ticket_id', '=', ticket.id).execute();
    const looked = await (await lock(a, ticket.number, a.agent, '?look=1')).text();
    expect(looked).toContain('data-lock="expired"');
    expect(looked).toContain('Your editing lock ran out while this page was idle.');
    // The user comes back: their activity does not take the lock back by itself...
    expect(await (await lock(a, ticket.number, a.agent, '?renew=1')).text()).toContain('id="sla-lock-start"');
    expect(Date.parse((await row(a, ticket.id))!.expires_at)).toBeLessThan(Date.now());
    // ...and the save tells them, nothing saved.
    const refused = await saveFields(a, ticket.number, a.agent, { priority: '4', version: String(ticket.version) });
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain('Not saved: your editing lock ran out after 2 minutes without activity.');
    expect((await a.scope.selectFrom('tickets').select('priority').where('id', '=', ticket.id).executeTakeFirstOrThrow()).priority).toBe(2);
    // A colleague may simply take the free ticket meanwhile (no take-over needed).
    expect(await (await lock(a, ticket.number, a.supervisor, '?renew=1')).text()).toContain('data-lock="mine"');
    expect(await (await lock(a, ticket.number, a.supervisor, '/release')).text()).toContain('data-lock="free"');
    // Nobody's lock now and the agent's row is gone with the colleague's take: "Edit again" (a plain take) and the save goes through.
    expect(await (await lock(a, ticket.number, a.agent)).text()).toContain('data-lock="mine"');
    expect((await saveFields(a, ticket.number, a.agent, { priority: '4', version: String(ticket.version) })).status).toBeLessThan(400);
    expect((await a.scope.selectFrom('tickets').select('priority').where('id', '=', ticket.id).executeTakeFirstOrThrow()).priority).toBe(4);
    expect((await settings({ defaultLevelId: '', pausing: 'waiting', lockIdleMinutes: '5' })).status).toBe(303);
  });

  it('answers 404 for another tenant\'s ticket, and locks nothing for a tenant without the plugin', async () => {
    const theirs = await (await b.service()).create({ subject: 'B only', description: 'x' }, b.agentActor);
    for (const rest of ['', '/take-over', '/release']) expect((await lock(a, theirs.number, a.supervisor, rest)).status).toBe(404);
    expect(await row(b, theirs.id)).toBeUndefined();
    const other = await app.createTenant('lock-off');
    await enablePlugin(app.services.db, app.services.registry, other.id, 'helpdesk');
    await app.createStaff(other.id, 'agent', 'agent@lock-off.test');
    const cookie = await app.signIn('agent@lock-off.test', 'lock-off');
    expect((await app.request(`/t/lock-off/p/sla/tickets/${theirs.number}/lock`, { method: 'POST', cookie, headers: htmx })).status).toBe(404);
  });
});
