import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tenant, TicketStatus } from '../db/schema.js';
import { createEventBus, type AppEvent } from '../events/event-bus.js';
import { createFileStore } from '../files/file-store.js';
import { DomainError } from '../domain-error.js';
import { createCatalog } from '../i18n/translate.js';
import { en } from '../i18n/messages-en.js';
import { createTenant } from '../tenancy/tenant-service.js';
import { tenantScope } from '../tenancy/tenant-scope.js';
import { ticketMessages } from './messages.js';
import { createTicketQueries } from './ticket-queries.js';
import { createTicketService, type TicketActor } from './ticket-service.js';
import { TICKET_STATUSES, allowedTransitions } from './ticket-lifecycle.js';
import { HIT_START } from './ticket-search.js';
import { createTestDatabase, dialects, type TestDatabase } from '../../test/harness/test-database.js';

const t = createCatalog([{ en, de: en }, ticketMessages]).translator('en');
const rights = (...keys: string[]) => (key: string) => keys.includes(key);

describe.each(dialects)('ticket service on %s', (dialect) => {
  let database: TestDatabase;
  let tenant: Tenant;
  let other: Tenant;
  let agent: TicketActor;
  let supervisor: TicketActor;
  let admin: TicketActor;
  let agentId: number;
  let secondLevelAgentId: number;
  let firstLevel: number;
  let secondLevel: number;
  let customer: TicketActor;
  const published: AppEvent[] = [];

  const service = (forTenant = tenant) => {
    const events = createEventBus();
    events.subscribe(forTenant.id, (event) => published.push(event));
    return createTicketService({ db: database.db, dialect, clock: () => new Date(), events, files: createFileStore(database.db, mkdtempSync(join(tmpdir(), 'tresen-files-'))) }, forTenant, t);
  };

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    const db = database.db;
    tenant = await createTenant(db, { slug: 'acme', name: 'ACME', locale: 'en' });
    other = await createTenant(db, { slug: 'globex', name: 'Globex', locale: 'en' });
    const user = (tenantId: number, email: string, role: 'agent' | 'supervisor' | 'admin') =>
      db.insertInto('users').values({ tenant_id: tenantId, email, name: email.split('@')[0]!, role }).returning('id').executeTakeFirstOrThrow().then((r) => r.id);
    agentId = await user(tenant.id, 'ada@acme.test', 'agent');
    secondLevelAgentId = await user(tenant.id, 'bob@acme.test', 'agent');
    const supervisorId = await user(tenant.id, 'sue@acme.test', 'supervisor');
    const adminId = await user(tenant.id, 'root@acme.test', 'admin');
    agent = { kind: 'user', id: agentId, label: 'ada', can: rights('tickets.edit') };
    supervisor = { kind: 'user', id: supervisorId, label: 'sue', can: rights('tickets.edit', 'tickets.close') };
    admin = { kind: 'user', id: adminId, label: 'root', can: rights('tickets.edit', 'tickets.close', 'tickets.delete') };
    const scope = tenantScope(db, tenant.id);
    [firstLevel, secondLevel] = (await scope.insertInto('support_groups', [{ name: 'Servicedesk', level: 'first' }, { name: 'Systems', level: 'second' }]).returning('id').execute()).map((g) => g.id) as [number, number];
    await scope.insertInto('group_members', [{ group_id: firstLevel, user_id: agentId }, { group_id: secondLevel, user_id: secondLevelAgentId }]).execute();
    const organisation = await scope.insertInto('organisations', { name: 'Customer Ltd', email_domains: 'customer.test' }).returning('id').executeTakeFirstOrThrow();
    const person = await scope.insertInto('people', { name: 'Carla', email: 'carla@customer.test', organisation_id: organisation.id }).returning('id').executeTakeFirstOrThrow();
    customer = { kind: 'person', id: person.id, label: 'Carla' };
    await scope.insertInto('ticket_categories', [{ name: 'Hardware', position: 1, active: 1 }, { name: 'Software', position: 2, active: 1 }]).execute();
    await scope.insertInto('ticket_fields', [
      { key: 'serial', label: 'Serial number', type: 'text', options: '[]', required: 1, categories: '["Hardware"]', position: 1, active: 1 },
      { key: 'impact', label: 'Impact', type: 'select', options: '["one user","department","company"]', required: 0, categories: '[]', position: 2, active: 1 },
      { key: 'onsite', label: 'On site', type: 'checkbox', options: '[]', required: 0, categories: '[]', position: 3, active: 1 },
    ]).execute();
  });
  afterAll(() => database.cleanup());

  const open = (subject = 'Printer prints blank pages', extra: Record<string, unknown> = {}) =>
    service().create({ subject, description: 'Since this morning the printer on floor 2 prints only blank sheets.', requesterEmail: 'carla@customer.test', groupId: firstLevel, ...extra }, agent);

  /** Brings a fresh ticket into the given status along allowed paths. */
  async function ticketIn(status: TicketStatus) {
    const ticket = await open(`in ${status}`);
    const s = service();
    if (status === 'new') return ticket;
    await s.accept(ticket.number, agent);
    if (status === 'waiting') await s.changeStatus(ticket.number, 'waiting', agent);
    if (status === 'solved' || status === 'closed') await s.changeStatus(ticket.number, 'solved', agent);
    if (status === 'closed') await s.changeStatus(ticket.number, 'closed', supervisor);
    return (await s.find(ticket.number))!;
  }

  it('numbers tickets per tenant and year, never repeating, and finds the requester by e-mail', async () => {
    const a = await open();
    const b = await open();
    const year = new Date().getUTCFullYear();
    expect(a.number).toMatch(new RegExp(`^${year}-\\d{6}$`));
    expect(Number(b.number.slice(5))).toBe(Number(a.number.slice(5)) + 1);
    const foreign = await service(other).create({ subject: 'x', description: 'y' }, { kind: 'system', label: 'test' });
    expect(foreign.number).toBe(`${year}-000001`);
    expect(a.requester_id).toBe(customer.kind === 'person' ? customer.id : 0);
    expect(a.organisation_id).not.toBeNull();
  });

  it('stores text from any channel without control bytes, half surrogate pairs or bidi overrides in the subject', async () => {
    const created = await service().create({ subject: 'Rechnung \u202Eexe.pdf\u0000', description: 'Zeile\u0000 1\nhalb \ud800 Paar' }, { kind: 'system', label: 'test' });
    expect(created.subject).toBe('Rechnung exe.pdf');
    expect(created.description).toBe('Zeile 1\nhalb \ufffd Paar');
    const { articleId } = await service().addArticle(created.number, { kind: 'note', body: 'Notiz\u0007 mit Glocke' }, agent);
    const article = await database.db.selectFrom('ticket_articles').select('body_text').where('id', '=', articleId).executeTakeFirstOrThrow();
    expect(article.body_text).toBe('Notiz mit Glocke');
    const renamed = await service().update(created.number, { subject: 'Neu\u202D betreff' }, agent);
    expect(renamed.subject).toBe('Neu betreff');
  });

  it('creates an unknown requester with the organisation of the e-mail domain', async () => {
    const ticket = await open('New person', { requesterEmail: 'dave@customer.test', requesterName: 'Dave' });
    const person = await database.db.selectFrom('people').selectAll().where('id', '=', ticket.requester_id!).executeTakeFirstOrThrow();
    expect(person).toMatchObject({ name: 'Dave', email: 'dave@customer.test', organisation_id: ticket.organisation_id, tenant_id: tenant.id });
  });

  it.each(TICKET_STATUSES.flatMap((from) => TICKET_STATUSES.map((to) => [from, to] as const)))('from %s to %s follows the lifecycle', async (from, to) => {
    const ticket = await ticketIn(from);
    const allowed = allowedTransitions(from).includes(to);
    const attempt = service().changeStatus(ticket.number, to, supervisor);
    if (allowed) {
      const changed = await attempt;
      expect(changed.status).toBe(to);
      expect((await service().find(ticket.number))!.status).toBe(to);
    } else {
      const error = await attempt.then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).kind).toBe('conflict');
      expect((error as DomainError).message.length).toBeGreaterThan(10);
      expect((await service().find(ticket.number))!.status).toBe(from);
    }
  });

  it('accepting assigns the ticket and sets the priority; history records old and new', async () => {
    const ticket = await open();
    const accepted = await service().accept(ticket.number, agent, 3);
    expect(accepted).toMatchObject({ status: 'open', assignee_id: agentId, priority: 3 });
    const history = await tenantScope(database.db, tenant.id).selectFrom('ticket_history').select(['action', 'field', 'old_value', 'new_value', 'actor_label'])
      .where('ticket_id', '=', ticket.id).orderBy('id').execute();
    expect(history).toEqual(expect.arrayContaining([
      { action: 'created', field: 'status', old_value: null, new_value: 'new', actor_label: 'ada' },
      { action: 'assigned', field: 'assignee_id', old_value: null, new_value: String(agentId), actor_label: 'ada' },
      { action: 'changed', field: 'priority', old_value: '2', new_value: '3', actor_label: 'ada' },
      { action: 'status', field: 'status', old_value: 'new', new_value: 'open', actor_label: 'ada' },
    ]));
    expect(published.some((e) => e.type === 'ticket' && e.data?.number === ticket.number)).toBe(true);
  });

  it('reserves closing to supervisors: an agent gets 403 and the ticket stays solved', async () => {
    const ticket = await ticketIn('solved');
    const error = await service().changeStatus(ticket.number, 'closed', agent).catch((e: unknown) => e);
    expect((error as DomainError).kind).toBe('forbidden');
    expect((await service().find(ticket.number))!.status).toBe('solved');
    await database.db.updateTable('tenants').set({ settings: JSON.stringify({ tickets: { closeRequiresSupervisor: false } }) }).where('id', '=', tenant.id).execute();
    const relaxed = { ...tenant, settings: JSON.stringify({ tickets: { closeRequiresSupervisor: false } }) };
    expect((await service(relaxed).changeStatus(ticket.number, 'closed', agent)).status).toBe('closed');
    await database.db.updateTable('tenants').set({ settings: '{}' }).where('id', '=', tenant.id).execute();
  });

  it('a customer reply reopens a solved ticket and brings a waiting one back; the assignee is notified', async () => {
    const solved = await ticketIn('solved');
    await service().addArticle(solved.number, { kind: 'customer', body: 'Still broken, sorry.' }, customer);
    expect((await service().find(solved.number))!.status).toBe('open');
    const waiting = await ticketIn('waiting');
    await service().addArticle(waiting.number, { kind: 'customer', body: 'Here is the serial number.' }, customer);
    expect((await service().find(waiting.number))!.status).toBe('open');
    const notes = await tenantScope(database.db, tenant.id).selectFrom('notifications').select(['kind', 'user_id']).where('ticket_id', '=', waiting.id).execute();
    expect(notes).toContainEqual({ kind: 'customer_reply', user_id: agentId });
  });

  it('a reply sets the first response and can ask back; closed tickets take notes only', async () => {
    const ticket = await open();
    const { ticket: replied } = await service().addArticle(ticket.number, { kind: 'reply', body: 'Which printer exactly?', statusAfter: 'waiting' }, agent);
    expect(replied.status).toBe('waiting');
    expect(replied.first_response_at).not.toBeNull();
    expect(replied.assignee_id).toBe(agentId);
    const closed = await ticketIn('closed');
    expect(((await service().addArticle(closed.number, { kind: 'reply', body: 'late' }, agent).catch((e: unknown) => e)) as DomainError).kind).toBe('conflict');
    await service().addArticle(closed.number, { kind: 'note', body: 'for the record' }, agent);
    expect(((await service().addArticle(ticket.number, { kind: 'customer', body: 'x' }, agent).catch((e: unknown) => e)) as DomainError).kind).toBe('forbidden');
  });

  it('forwards to 2nd level: the group changes, a non-member assignee lets go, members are told; @mentions notify', async () => {
    const ticket = await ticketIn('open');
    const forwarded = await service().forward(ticket.number, { groupId: secondLevel, note: 'Needs a look at the print server.' }, agent);
    expect(forwarded).toMatchObject({ group_id: secondLevel, assignee_id: null });
    const scope = tenantScope(database.db, tenant.id);
    expect(await scope.selectFrom('notifications').select(['user_id', 'kind']).where('ticket_id', '=', ticket.id).execute()).toContainEqual({ user_id: secondLevelAgentId, kind: 'forwarded' });
    expect(await scope.selectFrom('ticket_articles').select(['kind', 'body_text']).where('ticket_id', '=', ticket.id).execute()).toContainEqual({ kind: 'note', body_text: 'Needs a look at the print server.' });
    expect(((await service().forward(ticket.number, { groupId: secondLevel }, agent).catch((e: unknown) => e)) as DomainError).kind).toBe('conflict');
    await service().addArticle(ticket.number, { kind: 'note', body: 'Hi @bob, can you check?' }, agent);
    expect(await scope.selectFrom('notifications').select(['user_id', 'kind']).where('ticket_id', '=', ticket.id).where('kind', '=', 'mention').execute()).toEqual([{ user_id: secondLevelAgentId, kind: 'mention' }]);
  });

  it('validates custom fields by category and records their changes', async () => {
    const refused = await service().create({ subject: 'Laptop broken', description: 'x', category: 'Hardware', customFields: { impact: 'galaxy', nope: 1 } }, agent).catch((e: unknown) => e) as DomainError;
    expect(refused.kind).toBe('invalid');
    expect(refused.fields).toMatchObject({ 'custom_fields.serial': 'Please fill in this field.', 'custom_fields.impact': 'Please choose one of the offered values.', 'custom_fields.nope': 'There is no such field.' });
    const ticket = await service().create({ subject: 'Laptop broken', description: 'x', category: 'Hardware', customFields: { serial: 'SN-1', impact: 'department', onsite: true } }, agent);
    expect(JSON.parse(ticket.custom_fields)).toEqual({ serial: 'SN-1', impact: 'department', onsite: true });
    // Software has no serial field: the value goes, the others stay.
    const moved = await service().update(ticket.number, { category: 'Software' }, agent);
    expect(JSON.parse(moved.custom_fields)).toEqual({ impact: 'department', onsite: true });
    const refusedCategory = await service().update(ticket.number, { category: 'Gardening' }, agent).catch((e: unknown) => e) as DomainError;
    expect(refusedCategory.fields).toHaveProperty('category');
  });

  it('refuses references of another tenant and dangerous attachments, changing nothing', async () => {
    const foreignGroup = await tenantScope(database.db, other.id).insertInto('support_groups', { name: 'Theirs', level: 'first' }).returning('id').executeTakeFirstOrThrow();
    const ticket = await open();
    const error = await service().forward(ticket.number, { groupId: foreignGroup.id }, agent).catch((e: unknown) => e) as DomainError;
    expect(error.kind).toBe('invalid');
    expect((await service().find(ticket.number))!.group_id).toBe(firstLevel);
    const bad = await service().addArticle(ticket.number, { kind: 'reply', body: 'see attachment', attachments: [{ filename: 'invoice.exe', bytes: new Uint8Array([77, 90]) }] }, agent).catch((e: unknown) => e) as DomainError;
    expect(bad.kind).toBe('invalid');
    expect(await tenantScope(database.db, tenant.id).selectFrom('ticket_articles').select('id').where('ticket_id', '=', ticket.id).execute()).toEqual([]);
    expect(await service(other).find(ticket.number)).toBeUndefined();
  });

  it('applies several changes in one transaction: a refused status leaves fields and forwarding undone', async () => {
    const ticket = await ticketIn('open');
    const refused = await service().apply(ticket.number, { fields: { priority: 4 }, forward: { groupId: secondLevel }, status: 'closed' }, supervisor).catch((e: unknown) => e) as DomainError;
    expect(refused.kind).toBe('conflict');
    expect(await service().find(ticket.number)).toMatchObject({ priority: ticket.priority, group_id: firstLevel, status: 'open' });
    const { ticket: applied, articleId } = await service().apply(ticket.number, { fields: { priority: 4 }, forward: { groupId: secondLevel }, article: { kind: 'reply', body: 'Forwarded to systems.' }, status: 'waiting' }, supervisor);
    expect(applied).toMatchObject({ priority: 4, group_id: secondLevel, status: 'waiting' });
    expect(articleId).toBeGreaterThan(0);
  });

  it('soft-deletes and restores (admins only)', async () => {
    const ticket = await open();
    expect(((await service().remove(ticket.number, agent).catch((e: unknown) => e)) as DomainError).kind).toBe('forbidden');
    await service().remove(ticket.number, admin);
    expect(await service().find(ticket.number)).toBeUndefined();
    await service().restore(ticket.number, admin);
    expect(await service().find(ticket.number)).toBeDefined();
  });

  it('searches subjects, descriptions and correspondence with highlights; a number finds its ticket; other tenants stay out', async () => {
    const ticket = await open('Scanner stores nothing in the network folder');
    await service().addArticle(ticket.number, { kind: 'note', body: 'The SMB password of the scanner account expired yesterday.' }, agent);
    await service(other).create({ subject: 'Scanner at Globex', description: 'scanner scanner' }, { kind: 'system', label: 'test' });
    const queries = createTicketQueries(database.db, dialect, tenant.id);
    const viewer = await queries.viewer(agentId);
    const byArticle = await queries.search({ q: 'passw expired' }, viewer);
    expect(byArticle.rows.map((r) => r.number)).toEqual([ticket.number]);
    expect(byArticle.rows[0]!.snippet!.body).toContain(`${HIT_START}password`);
    const bySubject = await queries.search({ q: 'scanner' }, viewer);
    expect(bySubject.rows.map((r) => r.number)).toEqual([ticket.number]);
    expect(bySubject.rows[0]!.snippet!.subject).toContain(`${HIT_START}Scanner`);
    const byNumber = await queries.search({ q: `#${ticket.number}` }, viewer);
    expect(byNumber.rows.map((r) => r.number)).toEqual([ticket.number]);
    expect((await queries.search({ q: 'scanner', status: 'closed' }, viewer)).total).toBe(0);
  });

  it('counts and lists the queues as the agent sees them', async () => {
    const queries = createTicketQueries(database.db, dialect, tenant.id);
    const viewer = await queries.viewer(agentId);
    const counts = await queries.queueCounts(viewer);
    const fresh = await queries.queue('new', viewer, 1, 500);
    expect(fresh.total).toBe(counts.new);
    expect(fresh.rows.every((r) => r.status === 'new')).toBe(true);
    const mine = await queries.queue('customer', viewer, 1, 500);
    expect(mine.rows.every((r) => r.status === 'open')).toBe(true);
    expect(mine.total).toBe(counts.customer);
    // One statement counts all three queues and the active tickets: the same figures as the lists.
    expect(counts.support).toBe((await queries.queue('support', viewer, 1, 500)).total);
    expect(counts.active).toBe((await queries.search({ status: 'active' }, viewer)).total);
    expect(counts.active).toBeGreaterThanOrEqual(counts.new + counts.customer + counts.support);
    const outsider = await queries.queueCounts({ userId: secondLevelAgentId, groupIds: [] });
    expect(outsider.customer).toBeLessThan(counts.customer);
    const filtered = await queries.search({ status: 'active', priority: 2, sort: 'number', dir: 'asc' }, viewer);
    expect(filtered.rows.map((r) => r.number)).toEqual([...filtered.rows.map((r) => r.number)].sort());
    expect((await queries.search({ 'cf.impact': 'department' }, viewer)).total).toBe(1);
    expect((await queries.search({ 'cf.onsite': 'true' }, viewer)).total).toBe(1);
  });
});
