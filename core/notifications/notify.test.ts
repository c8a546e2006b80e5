import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppEvent } from '../events/event-bus.js';
import { enablePlugin } from '../plugin-host/plugin-switches.js';
import { tenantScope } from '../tenancy/tenant-scope.js';
import { tallyPlugin } from '../../test/plugins/tally-plugin.js';
import { createTestApp, type TestApp } from '../../test/harness/test-app.js';
import { dialects } from '../../test/harness/test-database.js';
import { notify } from './notify.js';

describe.each(dialects)('a plugin notifies a user about a ticket on %s', (dialect) => {
  let app: TestApp;
  let acme: number;
  let globex: number;
  let agentId: number;
  let globexAgentId: number;
  let admin: string;
  let agent: string;
  let ticketId: number;

  const count = (user: number, path: string) => app.request(path, { method: 'POST', body: new URLSearchParams({ user: String(user) }), cookie: admin });
  const rows = (tenantId: number) => tenantScope(app.services.db, tenantId).selectFrom('notifications').select(['user_id', 'kind', 'summary', 'actor_label']).orderBy('id').execute();
  const tallied = () => app.services.db.selectFrom('audit_log').select(['tenant_id', 'target']).where('action', '=', 'tally.counted').orderBy('id').execute();

  beforeAll(async () => {
    app = await createTestApp(dialect, [tallyPlugin]);
    acme = (await app.createTenant('acme')).id;
    globex = (await app.createTenant('globex')).id;
    await enablePlugin(app.services.db, app.services.registry, acme, 'tally');
    await app.createStaff(acme, 'admin', 'admin@acme.test');
    agentId = await app.createStaff(acme, 'agent', 'agent@acme.test');
    globexAgentId = await app.createStaff(globex, 'agent', 'agent@globex.test');
    await app.services.db.updateTable('users').set({ notify_by_mail: 1 }).where('id', '=', agentId).execute();
    admin = await app.signIn('admin@acme.test', 'acme');
    agent = await app.signIn('agent@acme.test', 'acme');
    const now = new Date().toISOString();
    ticketId = (await tenantScope(app.services.db, acme).insertInto('tickets', { number: 'A-1', subject: 'Printer on fire', status: 'open', created_at: now, updated_at: now })
      .returning('id').executeTakeFirstOrThrow()).id;
    await tenantScope(app.services.db, globex).insertInto('tickets', { number: 'G-1', subject: 'Globex only', status: 'open', created_at: now, updated_at: now }).execute();
  });
  afterAll(() => app.cleanup());

  it('writes the notification with the audit entry in one transaction, moves the bell live and mails a user who asked for it', async () => {
    const heard: AppEvent[] = [];
    const stop = app.services.events.subscribe(acme, (event) => heard.push(event));
    const response = await count(agentId, '/t/acme/p/tally/tickets/A-1/count');
    stop();
    expect(response.status).toBe(201);
    expect(await rows(acme)).toEqual([{ user_id: agentId, kind: 'tally.milestone', summary: 'Ticket A-1 counted', actor_label: 'admin' }]);
    expect(await tallied()).toEqual([{ tenant_id: acme, target: 'A-1' }]);
    expect(heard).toContainEqual({ tenantId: acme, type: 'notification', data: { userId: agentId } });
    const mail = await app.services.db.selectFrom('mail_outbox').select(['to_address', 'subject', 'text_body']).where('tenant_id', '=', acme).execute();
    expect(mail).toEqual([{ to_address: 'agent@acme.test', subject: '[#A-1] Printer on fire', text_body: 'Ticket A-1 counted' }]);
  });

  it('shows the plugin\'s kind with its label from the registry, in the reader\'s language', async () => {
    const list = async (language: string) => (await app.request('/t/acme/desk/notifications', { cookie: agent, headers: { 'Accept-Language': language } })).text();
    const english = await list('en');
    expect(english).toContain('>Ticket A-1 counted</a>');
    expect(english).toContain('Tally milestone · admin ·');
    expect(await list('de')).toContain('Zählerstand erreicht · admin ·');
    // The core's kinds keep their labels.
    await tenantScope(app.services.db, acme).insertInto('notifications', { user_id: agentId, ticket_id: ticketId, kind: 'mention', actor_label: 'x', summary: 'core kind', created_at: new Date().toISOString() }).execute();
    expect(await list('de')).toContain('Erwähnung · x');
    // A kind nobody declares any more (its plugin was removed) shows as its code.
    await tenantScope(app.services.db, acme).insertInto('notifications', { user_id: agentId, ticket_id: ticketId, kind: 'gone.kind', actor_label: 'y', summary: 'old', created_at: new Date().toISOString() }).execute();
    expect(await list('en')).toContain('gone.kind · y');
  });

  it('refuses a user or a ticket of another tenant, and the transaction takes the audit entry back with it', async () => {
    const before = { acme: await rows(acme), globex: await rows(globex), audit: await tallied() };
    expect((await count(globexAgentId, '/t/acme/p/tally/tickets/A-1/count')).status).toBe(404);
    expect((await count(agentId, '/t/acme/p/tally/tickets/G-1/count')).status).toBe(404);
    await expect(app.services.db.transaction().execute((trx) => notify(trx, {
      tenantId: acme, userId: agentId, ticketId: -1, kind: 'tally.milestone', summary: 's', actorLabel: 'a',
    }))).rejects.toThrow('no ticket');
    expect({ acme: await rows(acme), globex: await rows(globex), audit: await tallied() }).toEqual(before);
  });

  it('is a plugin route: 404 for a tenant that has the plugin off', async () => {
    await app.createStaff(globex, 'admin', 'admin@globex.test');
    const globexAdmin = await app.signIn('admin@globex.test', 'globex');
    const response = await app.request('/t/globex/p/tally/tickets/G-1/count', { method: 'POST', body: new URLSearchParams({ user: String(globexAgentId) }), cookie: globexAdmin });
    expect(response.status).toBe(404);
    expect(await rows(globex)).toEqual([]);
  });

  it('cuts a long summary to one line of 300 characters, and rolls back with its transaction', async () => {
    await expect(app.services.db.transaction().execute(async (trx) => {
      await notify(trx, { tenantId: acme, userId: agentId, ticketId, kind: 'tally.milestone', summary: 'x'.repeat(400), actorLabel: 'a' });
      throw new Error('veto');
    })).rejects.toThrow('veto');
    expect((await rows(acme)).some((r) => r.summary.startsWith('xxx'))).toBe(false);
    const pending = await app.services.db.transaction().execute((trx) => notify(trx, { tenantId: acme, userId: agentId, ticketId, kind: 'tally.milestone', summary: 'x'.repeat(400), actorLabel: 'a' }));
    expect(pending.summary).toHaveLength(300);
    expect((await rows(acme)).at(-1)?.summary).toHaveLength(300);
  });
});
