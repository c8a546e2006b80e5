import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
// The listening plugin is written like a real one: only the plugin API.
import {
  DomainError, TICKET_ACTION_EVENTS, TICKET_ARTICLE, definePlugin, type TicketChangePayload, type TicketDiff,
} from '../plugin-api.js';
import type { Tenant } from '../db/schema.js';
import { createEventBus } from '../events/event-bus.js';
import { createFileStore } from '../files/file-store.js';
import { createCatalog } from '../i18n/translate.js';
import { en } from '../i18n/messages-en.js';
import { createLogger } from '../logger.js';
import { createPluginHooks } from '../plugin-host/plugin-hooks.js';
import { enablePlugin } from '../plugin-host/plugin-switches.js';
import { createRegistry } from '../plugin-host/registry.js';
import { TenantDirectory } from '../tenancy/tenant-directory.js';
import { createTenant } from '../tenancy/tenant-service.js';
import { tenantScope } from '../tenancy/tenant-scope.js';
import { ticketMessages } from './messages.js';
import { createTicketService, type TicketActor } from './ticket-service.js';
import { createTestDatabase, dialects, type TestDatabase } from '../../test/harness/test-database.js';

interface Heard { phase: 'filter' | 'on'; event: string; number: string; diff?: TicketDiff; pluginFields?: Readonly<Record<string, string>>; kind?: string }

/**
 * Hears every ticket event, inside the transaction (filter) and after commit (on), into `log`.
 * Its filter on ticket.solved vetoes tickets whose subject starts with "Veto", after writing a row
 * in the transaction that must vanish with the change.
 */
function listenerPlugin(log: Heard[]) {
  return definePlugin({
    id: 'listener',
    version: '1.0.0',
    core: '^1.0.0',
    name: 'listener.name',
    messages: { en: { 'listener.name': 'Listener' }, de: { 'listener.name': 'Lauscher' } },
    register(api) {
      const record = (phase: Heard['phase'], event: string, payload: TicketChangePayload) => {
        log.push({ phase, event, number: payload.number, diff: payload.diff, pluginFields: payload.pluginFields });
      };
      for (const event of Object.values(TICKET_ACTION_EVENTS)) {
        api.filter(event, async (payload, { trx }) => {
          record('filter', event.name, payload);
          if (event !== TICKET_ACTION_EVENTS.solved) return;
          const ticket = await trx.selectFrom('tickets').select('subject').where('tenant_id', '=', payload.tenantId).where('id', '=', payload.ticketId).executeTakeFirstOrThrow();
          if (!ticket.subject.startsWith('Veto')) return;
          await trx.insertInto('audit_log').values({ tenant_id: payload.tenantId, actor_label: 'listener', action: 'listener.vetoed', target: payload.number }).execute();
          throw new DomainError('conflict', 'The listener refuses to solve this ticket.');
        });
        api.on(event, (payload) => record('on', event.name, payload));
      }
      api.on(TICKET_ARTICLE, (payload) => {
        log.push({ phase: 'on', event: 'ticket.article', number: payload.number, kind: payload.kind });
      });
    },
  });
}

const t = createCatalog([{ en, de: en }, ticketMessages]).translator('en');

describe.each(dialects)('ticket events on %s', (dialect) => {
  const log: Heard[] = [];
  const registry = createRegistry([listenerPlugin(log)]);
  let database: TestDatabase;
  let tenant: Tenant;
  let agentId: number;
  let colleagueId: number;
  let agent: TicketActor;
  let supervisor: TicketActor;
  let customer: TicketActor;
  let firstLevel: number;
  let secondLevel: number;
  let requesterId: number;
  let service: () => ReturnType<typeof createTicketService>;

  beforeAll(async () => {
    database = await createTestDatabase(dialect, registry);
    const db = database.db;
    tenant = await createTenant(db, { slug: 'acme', name: 'ACME', locale: 'en' });
    await enablePlugin(db, registry, tenant.id, 'listener');
    const user = (email: string, role: 'agent' | 'supervisor') =>
      db.insertInto('users').values({ tenant_id: tenant.id, email, name: email.split('@')[0]!, role }).returning('id').executeTakeFirstOrThrow().then((r) => r.id);
    agentId = await user('ada@acme.test', 'agent');
    colleagueId = await user('bob@acme.test', 'agent');
    const supervisorId = await user('sue@acme.test', 'supervisor');
    agent = { kind: 'user', id: agentId, label: 'ada', can: (key) => key === 'tickets.edit' };
    supervisor = { kind: 'user', id: supervisorId, label: 'sue', can: (key) => key === 'tickets.edit' || key === 'tickets.close' };
    const scope = tenantScope(db, tenant.id);
    [firstLevel, secondLevel] = (await scope.insertInto('support_groups', [{ name: 'Servicedesk', level: 'first' }, { name: 'Systems', level: 'second' }]).returning('id').execute()).map((g) => g.id) as [number, number];
    await scope.insertInto('group_members', [{ group_id: firstLevel, user_id: agentId }, { group_id: secondLevel, user_id: colleagueId }]).execute();
    requesterId = (await scope.insertInto('people', { name: 'Carla', email: 'carla@customer.test' }).returning('id').executeTakeFirstOrThrow()).id;
    customer = { kind: 'person', id: requesterId, label: 'Carla' };
    await scope.insertInto('ticket_fields', { key: 'impact', label: 'Impact', type: 'select', options: '["one user","department"]', required: 0, categories: '[]', position: 1, active: 1 }).execute();
    const directory = new TenantDirectory(db);
    const hooks = createPluginHooks(registry, { enabledPlugins: (tenantId, trx) => directory.enabledPlugins(tenantId, trx), log: createLogger('silent') });
    const files = createFileStore(db, mkdtempSync(join(tmpdir(), 'tresen-files-')));
    service = () => createTicketService({ db, dialect, clock: () => new Date(), events: createEventBus(), files, hooks }, tenant, t);
  });
  afterAll(() => database.cleanup());
  beforeEach(() => { log.length = 0; });

  /** The events heard, checking that every filter ran (inside the transaction) before every handler (after commit) and the same ones. */
  function heard(): string[] {
    const filters = log.filter((h) => h.phase === 'filter').map((h) => h.event);
    const handlers = log.filter((h) => h.phase === 'on' && h.event !== 'ticket.article').map((h) => h.event);
    expect(handlers).toEqual(filters);
    expect(log.slice(0, filters.length).every((h) => h.phase === 'filter')).toBe(true);
    return log.filter((h) => h.phase === 'on').map((h) => (h.kind ? `${h.event}:${h.kind}` : h.event));
  }
  const diffOf = (event: string) => log.find((h) => h.phase === 'on' && h.event === event)!.diff;

  const open = async (subject = 'Printer prints blank pages', extra: Record<string, unknown> = {}) => {
    const ticket = await service().create({ subject, description: 'Blank sheets only.', requesterId, groupId: firstLevel, ...extra }, agent);
    log.length = 0;
    return ticket;
  };

  it('creating raises ticket.created with the new ticket\'s fields as its diff and the plugin fields; with an assignee also ticket.assigned', async () => {
    const ticket = await service().create({ subject: 'New one', description: 'x', requesterId, groupId: firstLevel, customFields: { impact: 'department' }, pluginFields: { 'p.listener.mood': 'calm' } }, agent);
    expect(heard()).toEqual(['ticket.created']);
    expect(diffOf('ticket.created')).toEqual({
      subject: { old: null, new: 'New one' }, priority: { old: null, new: 2 }, status: { old: null, new: 'new' },
      requester_id: { old: null, new: requesterId }, group_id: { old: null, new: firstLevel }, 'custom_fields.impact': { old: null, new: 'department' },
    });
    expect(log.find((h) => h.phase === 'filter')!.pluginFields).toEqual({ 'p.listener.mood': 'calm' });
    expect(log.find((h) => h.phase === 'on')!.number).toBe(ticket.number);

    log.length = 0;
    await service().create({ subject: 'Assigned one', description: 'x', groupId: firstLevel, assigneeId: colleagueId, pluginFields: { 'p.listener.mood': 'calm' } }, agent);
    expect(heard()).toEqual(['ticket.created', 'ticket.assigned']);
    expect(diffOf('ticket.assigned')!.assignee_id).toEqual({ old: null, new: colleagueId });
    // The create form's plugin fields belong to ticket.created alone.
    expect(log.find((h) => h.event === 'ticket.assigned')!.pluginFields).toEqual({});
  });

  it('a field edit raises ticket.changed with exactly the fields that moved', async () => {
    const ticket = await open();
    await service().update(ticket.number, { priority: 3, subject: 'Printer prints blank pages', customFields: { impact: 'department' } }, agent);
    expect(heard()).toEqual(['ticket.changed']);
    expect(diffOf('ticket.changed')).toEqual({ priority: { old: 2, new: 3 }, 'custom_fields.impact': { old: null, new: 'department' } });
    // Nothing moved, nothing heard.
    log.length = 0;
    await service().update(ticket.number, { priority: 3 }, agent);
    expect(heard()).toEqual([]);
  });

  it('accepting raises changed, status changed and assigned', async () => {
    const ticket = await open();
    await service().accept(ticket.number, agent, 4);
    expect(heard()).toEqual(['ticket.changed', 'ticket.status_changed', 'ticket.assigned']);
    expect(diffOf('ticket.assigned')).toEqual({ assignee_id: { old: null, new: agentId }, priority: { old: 2, new: 4 }, status: { old: 'new', new: 'open' } });
  });

  it('forwarding to an agent raises changed, assigned and forwarded; to a group where nobody takes it, no assignment', async () => {
    const ticket = await open();
    await service().accept(ticket.number, agent);
    log.length = 0;
    await service().forward(ticket.number, { assigneeId: colleagueId, note: 'Yours now' }, agent);
    expect(heard()).toEqual(['ticket.changed', 'ticket.assigned', 'ticket.forwarded', 'ticket.article:note']);
    expect(diffOf('ticket.forwarded')).toEqual({ assignee_id: { old: agentId, new: colleagueId } });

    const other = await open('Second one');
    await service().accept(other.number, agent);
    log.length = 0;
    await service().forward(other.number, { groupId: secondLevel }, agent);
    expect(heard()).toEqual(['ticket.changed', 'ticket.forwarded']);
    expect(diffOf('ticket.forwarded')).toEqual({ group_id: { old: firstLevel, new: secondLevel }, assignee_id: { old: agentId, new: null } });
  });

  it('a reply raises article added (and the article); a first reply to a new ticket also opens and assigns it; a reply that solves raises solved', async () => {
    const ticket = await open();
    await service().addArticle(ticket.number, { kind: 'reply', body: 'We are on it.' }, agent);
    expect(heard()).toEqual(['ticket.changed', 'ticket.status_changed', 'ticket.assigned', 'ticket.article_added', 'ticket.article:reply']);
    expect(diffOf('ticket.article_added')).toEqual({ assignee_id: { old: null, new: agentId }, status: { old: 'new', new: 'open' } });

    log.length = 0;
    await service().addArticle(ticket.number, { kind: 'note', body: 'Toner?' }, agent);
    expect(heard()).toEqual(['ticket.article_added', 'ticket.article:note']);
    expect(diffOf('ticket.article_added')).toEqual({});

    log.length = 0;
    await service().addArticle(ticket.number, { kind: 'reply', body: 'Fixed: new toner.', statusAfter: 'solved' }, agent);
    expect(heard()).toEqual(['ticket.changed', 'ticket.status_changed', 'ticket.solved', 'ticket.article_added', 'ticket.article:reply']);
    expect(diffOf('ticket.solved')).toEqual({ status: { old: 'open', new: 'solved' } });
  });

  it('solving and closing raise status changed with solved, then closed', async () => {
    const ticket = await open();
    await service().accept(ticket.number, agent);
    log.length = 0;
    await service().changeStatus(ticket.number, 'solved', agent);
    expect(heard()).toEqual(['ticket.changed', 'ticket.status_changed', 'ticket.solved']);
    log.length = 0;
    await service().changeStatus(ticket.number, 'closed', supervisor);
    expect(heard()).toEqual(['ticket.changed', 'ticket.status_changed', 'ticket.closed']);
    expect(diffOf('ticket.closed')).toEqual({ status: { old: 'solved', new: 'closed' } });
  });

  it('a customer\'s answer to a solved ticket reopens it', async () => {
    const ticket = await open();
    await service().accept(ticket.number, agent);
    await service().changeStatus(ticket.number, 'solved', agent);
    log.length = 0;
    await service().addArticle(ticket.number, { kind: 'customer', body: 'Still blank, sorry.' }, customer);
    expect(heard()).toEqual(['ticket.changed', 'ticket.status_changed', 'ticket.reopened', 'ticket.article_added', 'ticket.article:customer']);
    expect(diffOf('ticket.reopened')).toEqual({ status: { old: 'solved', new: 'open' } });
  });

  it('a filter\'s veto undoes the whole change: status, article, history and the filter\'s own writes; no handler hears it', async () => {
    const ticket = await open('Veto this one');
    await service().accept(ticket.number, agent);
    const scope = tenantScope(database.db, tenant.id);
    const historyBefore = await scope.selectFrom('ticket_history').select('id').where('ticket_id', '=', ticket.id).execute();
    log.length = 0;
    const refused = await service().addArticle(ticket.number, { kind: 'reply', body: 'Solved, I think.', statusAfter: 'solved' }, agent).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DomainError);
    expect((refused as DomainError).message).toBe('The listener refuses to solve this ticket.');
    // The filters before the veto ran; nothing was heard after commit, since there was none.
    expect(log.filter((h) => h.phase === 'filter').map((h) => h.event)).toEqual(['ticket.changed', 'ticket.status_changed', 'ticket.solved']);
    expect(log.filter((h) => h.phase === 'on')).toEqual([]);
    expect(await service().find(ticket.number)).toMatchObject({ status: 'open', solved_at: null, first_response_at: null });
    expect(await scope.selectFrom('ticket_articles').select('id').where('ticket_id', '=', ticket.id).execute()).toEqual([]);
    expect(await scope.selectFrom('ticket_history').select('id').where('ticket_id', '=', ticket.id).execute()).toEqual(historyBefore);
    expect(await database.db.selectFrom('audit_log').select('id').where('tenant_id', '=', tenant.id).where('action', '=', 'listener.vetoed').execute()).toEqual([]);
  });
});
