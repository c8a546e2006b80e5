import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tenant, Ticket } from '../db/schema.js';
import { createEventBus } from '../events/event-bus.js';
import { createFileStore } from '../files/file-store.js';
import { DomainError } from '../domain-error.js';
import { createCatalog } from '../i18n/translate.js';
import { en } from '../i18n/messages-en.js';
import { createTenant } from '../tenancy/tenant-service.js';
import { tenantScope } from '../tenancy/tenant-scope.js';
import { ticketMessages } from './messages.js';
import { countTicketsByStatus } from './ticket-counts.js';
import { TICKET_ARTICLE, TICKET_CLOSED, type TicketChangePayload } from './ticket-events.js';
import { matchingTicketIds } from './ticket-search.js';
import { createTicketService, type TicketActor, type TicketHooks } from './ticket-service.js';
import { survivorOf } from './ticket-merge.js';
import { createTestDatabase, dialects, type TestDatabase } from '../../test/harness/test-database.js';

const t = createCatalog([{ en, de: en }, ticketMessages]).translator('en');
const rights = (...keys: string[]) => (key: string) => keys.includes(key);

describe.each(dialects)('ticket merge and spam on %s', (dialect) => {
  let database: TestDatabase;
  let tenant: Tenant;
  let other: Tenant;
  let agent: TicketActor;
  let viewer: TicketActor;
  let customer: TicketActor;
  /** What handlers saw after commit: the event's name and the ticket row as a handler reads it then. */
  const emitted: Array<{ name: string; payload: unknown; row?: Ticket | undefined }> = [];
  const hooks: TicketHooks = {
    runFilters: async () => {},
    emit: async (event, payload) => {
      const ticketId = (payload as unknown as TicketChangePayload).ticketId;
      const row = await database.db.selectFrom('tickets').selectAll().where('id', '=', ticketId).executeTakeFirst();
      emitted.push({ name: event.name, payload, row });
    },
  };
  const files = () => createFileStore(database.db, mkdtempSync(join(tmpdir(), 'tresen-files-')));
  const service = (forTenant = tenant) => createTicketService({ db: database.db, dialect, clock: () => new Date(), events: createEventBus(), files: files(), hooks }, forTenant, t);
  const refusal = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error as DomainError);

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    const db = database.db;
    tenant = await createTenant(db, { slug: 'acme', name: 'ACME', locale: 'en' });
    other = await createTenant(db, { slug: 'globex', name: 'Globex', locale: 'en' });
    const user = (tenantId: number, email: string) =>
      db.insertInto('users').values({ tenant_id: tenantId, email, name: email.split('@')[0]!, role: 'agent' }).returning('id').executeTakeFirstOrThrow().then((r) => r.id);
    agent = { kind: 'user', id: await user(tenant.id, 'ada@acme.test'), label: 'ada', can: rights('tickets.edit') };
    viewer = { kind: 'user', id: await user(tenant.id, 'vic@acme.test'), label: 'vic', can: rights() };
    const person = await tenantScope(db, tenant.id).insertInto('people', { name: 'Carla', email: 'carla@customer.test' }).returning('id').executeTakeFirstOrThrow();
    customer = { kind: 'person', id: person.id, label: 'Carla' };
  });
  afterAll(() => database.cleanup());

  const open = (subject: string, forTenant = tenant) =>
    service(forTenant).create({ subject, description: `${subject}: described`, requesterEmail: 'carla@customer.test' }, agent);
  const row = (id: number) => database.db.selectFrom('tickets').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it('moves articles, attachments and the description to the survivor in time order, records both histories and closes the source', async () => {
    const s = service();
    const target = await open('Mail server down');
    await s.addArticle(target.number, { kind: 'reply', body: 'Looking into it' }, agent);
    const source = await open('Cannot send mail');
    await s.addArticle(source.number, { kind: 'customer', body: 'zebrafinch still broken', attachments: [{ filename: 'screen.png', bytes: new Uint8Array([137, 80, 78, 71]) }] }, customer);
    await s.addArticle(target.number, { kind: 'note', body: 'Later note on target' }, agent);
    const before = await countTicketsByStatus(tenantScope(database.db, tenant.id));
    emitted.length = 0;

    const result = await s.merge(source.number, target.number, agent);
    expect(result.source.close_reason).toBe('merged');

    const sourceRow = await row(source.id);
    expect(sourceRow).toMatchObject({ status: 'closed', close_reason: 'merged', merged_into_id: target.id });
    expect(sourceRow.closed_at).not.toBeNull();
    const scope = tenantScope(database.db, tenant.id);
    expect(await scope.selectFrom('ticket_articles').select('id').where('ticket_id', '=', source.id).execute()).toEqual([]);
    const articles = await scope.selectFrom('ticket_articles').select(['body_text', 'created_at']).where('ticket_id', '=', target.id).orderBy('created_at').orderBy('id').execute();
    expect(articles.map((a) => a.body_text)).toEqual([
      'Looking into it',
      `Merged from ${source.number}: Cannot send mail\n\nCannot send mail: described`,
      'zebrafinch still broken',
      'Later note on target',
    ]);
    const attachments = await scope.selectFrom('ticket_attachments').select(['ticket_id', 'filename']).where('filename', '=', 'screen.png').execute();
    expect(attachments).toEqual([{ ticket_id: target.id, filename: 'screen.png' }]);

    const history = async (id: number) => scope.selectFrom('ticket_history').select(['action', 'field', 'old_value', 'new_value', 'note']).where('ticket_id', '=', id).orderBy('id').execute();
    expect((await history(source.id)).at(-1)).toEqual({ action: 'merged_into', field: 'status', old_value: 'new', new_value: 'closed', note: target.number });
    expect((await history(target.id)).filter((h) => h.action === 'merged_from')).toEqual([{ action: 'merged_from', field: null, old_value: null, new_value: null, note: source.number }]);

    // Counts: the source left "new" (it is closed, and closed tickets are not counted); the survivor stays.
    const after = await countTicketsByStatus(scope);
    expect(after.get('new')).toBe(before.get('new')! - 1);
    // The search index: the source's words are found on the survivor now, not on the source.
    const hits = await matchingTicketIds(database.db, dialect, tenant.id, ['zebrafinch'], 10);
    expect(hits).toEqual([target.id]);

    // After commit: TICKET_CLOSED for the source, whose row says why; an article event for the survivor.
    const closed = emitted.find((e) => e.name === TICKET_CLOSED.name);
    expect(closed?.row).toMatchObject({ id: source.id, close_reason: 'merged', merged_into_id: target.id });
    expect(emitted.some((e) => e.name === TICKET_ARTICLE.name && (e.payload as { ticketId: number }).ticketId === target.id)).toBe(true);
    expect(emitted.some((e) => e.name === TICKET_CLOSED.name && e.row?.id === target.id)).toBe(false);
  });

  it('refuses itself, closed or deleted tickets, a merged target, customers and agents without the right, changing nothing', async () => {
    const s = service();
    const a = await open('A');
    const b = await open('B');
    expect(await refusal(s.merge(a.number, a.number, agent))).toMatchObject({ kind: 'invalid', message: 'A ticket cannot be merged into itself.' });
    expect(await refusal(s.merge(a.number, '2099-999999', agent))).toMatchObject({ kind: 'invalid', fields: { into: 'There is no ticket 2099-999999.' } });
    expect(await refusal(s.merge(a.number, b.number, customer))).toMatchObject({ kind: 'forbidden' });
    expect(await refusal(s.merge(a.number, b.number, viewer))).toMatchObject({ kind: 'forbidden' });

    const spammed = await open('Spam');
    await s.spam(spammed.number, agent);
    expect(await refusal(s.merge(a.number, spammed.number, agent))).toMatchObject({ kind: 'conflict', message: `Ticket ${spammed.number} is closed; merge into an open ticket.` });
    expect(await refusal(s.merge(spammed.number, a.number, agent))).toMatchObject({ kind: 'conflict', message: 'A closed ticket cannot be merged.' });

    const c = await open('C');
    await s.merge(b.number, c.number, agent);
    expect(await refusal(s.merge(a.number, b.number, agent))).toMatchObject({ kind: 'conflict', message: `Ticket ${b.number} was itself merged into another ticket; merge into that one.` });
    expect(await refusal(s.merge(b.number, a.number, agent))).toMatchObject({ kind: 'conflict', message: 'This ticket was already merged into another one.' });

    const deleted = await open('Deleted');
    await s.remove(deleted.number, { kind: 'user', id: (agent as { id: number }).id, label: 'root', can: rights('tickets.edit', 'tickets.delete') });
    expect(await refusal(s.merge(a.number, deleted.number, agent))).toMatchObject({ kind: 'conflict', message: `Ticket ${deleted.number} is deleted.` });
    expect(await refusal(s.merge(deleted.number, a.number, agent))).toMatchObject({ kind: 'not_found' });
    expect(await row(a.id)).toMatchObject({ status: 'new', close_reason: null, merged_into_id: null });
  });

  it('never merges across tenants: another tenant\'s number is not found', async () => {
    const mine = await open('Mine');
    const theirs = await open('Theirs', other);
    // Numbers repeat across tenants; make sure the other tenant's ticket has a number this tenant lacks.
    const known = await tenantScope(database.db, tenant.id).selectFrom('tickets').select('id').where('number', '=', theirs.number).executeTakeFirst();
    if (!known) {
      expect(await refusal(service().merge(mine.number, theirs.number, agent))).toMatchObject({ kind: 'invalid' });
    }
    const foreignNumber = `${theirs.number.slice(0, 5)}999998`;
    await database.db.updateTable('tickets').set({ number: foreignNumber }).where('id', '=', theirs.id).execute();
    expect(await refusal(service().merge(foreignNumber, mine.number, agent))).toMatchObject({ kind: 'not_found' });
    expect(await refusal(service().merge(mine.number, foreignNumber, agent))).toMatchObject({ kind: 'invalid' });
    expect(await row(theirs.id)).toMatchObject({ status: 'new', merged_into_id: null });
    expect(await row(mine.id)).toMatchObject({ status: 'new', merged_into_id: null });
  });

  it('two merges crossing each other: exactly one wins, the other is refused, no deadlock', async () => {
    for (let round = 0; round < 3; round++) {
      const a = await open(`cross A${round}`);
      const b = await open(`cross B${round}`);
      const results = await Promise.allSettled([service().merge(a.number, b.number, agent), service().merge(b.number, a.number, agent)]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(lost.reason).toBeInstanceOf(DomainError);
      expect((lost.reason as DomainError).kind).toBe('conflict');
      const rows = [await row(a.id), await row(b.id)];
      expect(rows.filter((r) => r.close_reason === 'merged')).toHaveLength(1);
      expect(rows.filter((r) => r.status === 'closed')).toHaveLength(1);
    }
  });

  it('follows a chain of merges to the survivor', async () => {
    const s = service();
    const [a, b, c] = [await open('chain A'), await open('chain B'), await open('chain C')];
    await s.merge(a.number, b.number, agent);
    await s.merge(b.number, c.number, agent);
    expect((await survivorOf(await row(a.id), (id) => database.db.selectFrom('tickets').selectAll().where('id', '=', id).executeTakeFirst())).id).toBe(c.id);
  });

  it('closes a ticket as spam from any active status in one step, with history, counts and the reason for handlers', async () => {
    const s = service();
    const scope = tenantScope(database.db, tenant.id);
    for (const status of ['new', 'open', 'waiting'] as const) {
      const ticket = await open(`spam ${status}`);
      if (status !== 'new') await s.accept(ticket.number, agent);
      if (status === 'waiting') await s.changeStatus(ticket.number, 'waiting', agent);
      const before = await countTicketsByStatus(scope);
      emitted.length = 0;
      const closed = await s.spam(ticket.number, agent);
      expect(closed).toMatchObject({ status: 'closed', close_reason: 'spam' });
      expect(await row(ticket.id)).toMatchObject({ status: 'closed', close_reason: 'spam', merged_into_id: null });
      expect((await countTicketsByStatus(scope)).get(status)).toBe(before.get(status)! - 1);
      const last = await scope.selectFrom('ticket_history').select(['action', 'old_value', 'new_value']).where('ticket_id', '=', ticket.id).orderBy('id', 'desc').executeTakeFirstOrThrow();
      expect(last).toEqual({ action: 'spam', old_value: status, new_value: 'closed' });
      expect(emitted.find((e) => e.name === TICKET_CLOSED.name)?.row).toMatchObject({ close_reason: 'spam' });
      expect(await refusal(s.spam(ticket.number, agent))).toMatchObject({ kind: 'conflict' });
    }
    const ticket = await open('not spam');
    expect(await refusal(s.spam(ticket.number, customer))).toMatchObject({ kind: 'forbidden' });
    expect(await refusal(s.spam(ticket.number, viewer))).toMatchObject({ kind: 'forbidden' });
  });
});
