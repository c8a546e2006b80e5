import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tenant } from '../db/schema.js';
import { createEventBus } from '../events/event-bus.js';
import { createFileStore } from '../files/file-store.js';
import { DomainError } from '../domain-error.js';
import { createCatalog } from '../i18n/translate.js';
import { en } from '../i18n/messages-en.js';
import { de } from '../i18n/messages-de.js';
import { createTenant } from '../tenancy/tenant-service.js';
import { tenantScope } from '../tenancy/tenant-scope.js';
import { ticketMessages } from './messages.js';
import { ticketVersionMessages } from './ticket-version-messages.js';
import { recordTicketHistory } from './ticket-history.js';
import { createTicketService, type TicketActor } from './ticket-service.js';
import { StaleTicketError } from './ticket-stale-fields.js';
import { createTestDatabase, dialects, type TestDatabase } from '../../test/harness/test-database.js';

const catalog = createCatalog([{ en, de }, ticketMessages, ticketVersionMessages]);
const all = () => true;

describe.each(dialects)('ticket versions on %s', (dialect) => {
  let database: TestDatabase;
  let tenant: Tenant;
  let sven: TicketActor;
  let ada: TicketActor;
  let adaId: number;
  let svenId: number;
  let carla: TicketActor;
  let bobId: number;
  let group: number;
  let otherGroup: number;
  let clockAt = Date.parse('2026-03-02T09:00:00.000Z');

  const service = (locale: 'en' | 'de' = 'en') => createTicketService({
    db: database.db, dialect, clock: () => new Date((clockAt += 60_000)), events: createEventBus(), files: createFileStore(database.db, mkdtempSync(join(tmpdir(), 'tresen-files-'))),
  }, tenant, catalog.translator(locale));
  const version = async (number: string) => (await service().get(number, { includeDeleted: true })).version;
  const historyVersions = async (number: string) => {
    const ticket = await service().get(number, { includeDeleted: true });
    return (await tenantScope(database.db, tenant.id).selectFrom('ticket_history').select('version').where('ticket_id', '=', ticket.id).orderBy('id').execute()).map((row) => row.version);
  };

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    const db = database.db;
    tenant = await createTenant(db, { slug: 'acme', name: 'ACME', locale: 'en' });
    const user = (email: string, name: string, role: 'agent' | 'supervisor' | 'admin') =>
      db.insertInto('users').values({ tenant_id: tenant.id, email, name, role }).returning('id').executeTakeFirstOrThrow().then((r) => r.id);
    adaId = await user('ada@acme.test', 'Ada Agent', 'admin');
    svenId = await user('sven@acme.test', 'Sven Kollege', 'supervisor');
    bobId = await user('bob@acme.test', 'Bob Second', 'agent');
    ada = { kind: 'user', id: adaId, label: 'Ada Agent', can: all };
    sven = { kind: 'user', id: svenId, label: 'Sven Kollege', can: all };
    const scope = tenantScope(db, tenant.id);
    [group, otherGroup] = (await scope.insertInto('support_groups', [{ name: 'Servicedesk', level: 'first' }, { name: 'Systems', level: 'second' }]).returning('id').execute()).map((g) => g.id) as [number, number];
    const person = await scope.insertInto('people', { name: 'Carla', email: 'carla@customer.test' }).returning('id').executeTakeFirstOrThrow();
    carla = { kind: 'person', id: person.id, label: 'Carla' };
    await scope.insertInto('group_members', [{ group_id: group, user_id: adaId }, { group_id: group, user_id: svenId }, { group_id: otherGroup, user_id: bobId }]).execute();
  });
  afterAll(() => database.cleanup());

  const open = (subject = 'Printer') => service().create({ subject, description: 'blank pages', groupId: group }, ada);

  it('starts at 1 and rises by one with every kind of change, each history line carrying the version it made', async () => {
    const ticket = await open();
    expect(ticket.version).toBe(1);
    const steps: Array<[string, () => Promise<unknown>]> = [
      ['accept', () => service().accept(ticket.number, ada)],
      ['fields', () => service().update(ticket.number, { priority: 4, category: null }, ada)],
      ['note', () => service().addArticle(ticket.number, { kind: 'note', body: 'looked' }, ada)],
      ['customer reply', () => service().addArticle(ticket.number, { kind: 'customer', body: 'thanks' }, carla)],
      ['owner', () => service().assign(ticket.number, svenId, ada)],
      ['forward', () => service().forward(ticket.number, { groupId: otherGroup, note: 'for you' }, ada)],
      ['status', () => service().changeStatus(ticket.number, 'waiting', ada)],
      ['plugin history', async () => {
        const row = await service().get(ticket.number);
        await database.db.transaction().execute((trx) => recordTicketHistory(trx, tenant.id, row.id, ada, [{ action: 'helpdesk.service_order', note: 'SO-1' }], new Date(clockAt).toISOString()));
      }],
      ['delete', () => service().remove(ticket.number, ada)],
      ['restore', () => service().restore(ticket.number, ada)],
      ['spam', () => service().spam(ticket.number, ada)],
    ];
    let expected = 1;
    for (const [name, step] of steps) {
      await step();
      expected += 1;
      expect({ name, version: await version(ticket.number) }).toEqual({ name, version: expected });
    }
    const lines = await historyVersions(ticket.number);
    expect(lines[0]).toBe(1);
    // Every line carries a version; they never go down.
    expect(lines.every((v, i) => v !== null && (i === 0 || v >= lines[i - 1]!))).toBe(true);
    expect(lines.at(-1)).toBe(expected);
  });

  it('raises both tickets of a merge; a change that changes nothing keeps the version', async () => {
    const source = await open('Source');
    const target = await open('Target');
    const unchanged = await service().update(target.number, { priority: target.priority }, ada);
    expect(unchanged.version).toBe(target.version);
    const merged = await service().merge(source.number, target.number, ada);
    expect(merged.source.version).toBe(source.version + 1);
    expect(merged.target.version).toBe(target.version + 1);
    expect(await version(target.number)).toBe(target.version + 1);
  });

  it('refuses a save against a changed field with what changed (old → new, who, when) and lets other fields and articles pass', async () => {
    const ticket = await open('Conflict');
    await service().changeStatus(ticket.number, 'open', sven);
    await service().update(ticket.number, { priority: 3 }, sven);
    await service().addArticle(ticket.number, { kind: 'note', body: 'meanwhile' }, sven);
    // Another field and an article since: no conflict for the category.
    const saved = await service().update(ticket.number, { category: null, priority: 3 }, ada, { version: ticket.version });
    expect(saved.priority).toBe(3);
    // Putting back the priority Sven changed is refused.
    const error = await service().update(ticket.number, { priority: 2 }, ada, { version: ticket.version }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StaleTicketError);
    const stale = error as StaleTicketError;
    expect(stale.kind).toBe('conflict');
    expect(Object.keys(stale.fields)).toEqual(['priority']);
    expect(stale.fields.priority).toMatch(/^Sven Kollege changed this at 2026-03-02 \d\d:\d\d: “normal” → “high”\.$/);
    expect(stale.changes.map((c) => [c.label, c.old, c.new, c.who, c.conflict])).toEqual([
      ['Agent', '—', 'Sven Kollege', 'Sven Kollege', false],
      ['Status', 'New', 'Customer waits', 'Sven Kollege', false],
      ['Priority', 'normal', 'high', 'Sven Kollege', true],
    ]);
    expect(stale.version).toBe(await version(ticket.number));
    expect((await service().get(ticket.number)).priority).toBe(3);
    // From the version it now shows, the same save is a deliberate overwrite.
    expect((await service().update(ticket.number, { priority: 2 }, ada, { version: stale.version })).priority).toBe(2);
  });

  it('words the refusal in the caller\'s language', async () => {
    const ticket = await open('Deutsch');
    await service().assign(ticket.number, svenId, sven);
    const error = await service('de').assign(ticket.number, adaId, ada, { version: ticket.version }).catch((e: unknown) => e) as StaleTicketError;
    expect(error).toBeInstanceOf(StaleTicketError);
    expect(error.message).toContain('Nicht gespeichert');
    expect(error.fields.assignee_id).toMatch(/^Sven Kollege hat dies um 2026-03-02 \d\d:\d\d geändert: „—“ → „Sven Kollege“\.$/);
    expect(error.changes[0]!.label).toBe('Bearbeiter');
  });

  it('refuses a status move, a reply with status and a forward against a colleague\'s change of the same field', async () => {
    const ticket = await open('Status race');
    const accepted = await service().accept(ticket.number, sven);
    await service().changeStatus(ticket.number, 'waiting', sven);
    const refusals = await Promise.all([
      service().changeStatus(ticket.number, 'solved', ada, { version: accepted.version }).catch((e: unknown) => e),
      service().addArticle(ticket.number, { kind: 'reply', body: 'Done', statusAfter: 'solved' }, ada, { version: accepted.version }).catch((e: unknown) => e),
    ]);
    for (const refusal of refusals) expect(refusal).toBeInstanceOf(StaleTicketError);
    await service().forward(ticket.number, { groupId: otherGroup }, sven);
    const forward = await service().forward(ticket.number, { groupId: group }, ada, { version: accepted.version }).catch((e: unknown) => e);
    expect(forward).toBeInstanceOf(StaleTicketError);
    expect((forward as StaleTicketError).changes.filter((c) => c.conflict).map((c) => c.field)).toEqual(['group_id']);
    // A reply without a status change passes: nothing it sets was changed.
    const reply = await service().addArticle(ticket.number, { kind: 'note', body: 'fine' }, ada, { version: accepted.version });
    expect(reply.ticket.version).toBe(accepted.version + 3);
  });

  it('lets an agent go on from a form loaded before their own change (accept, then the reply with a status)', async () => {
    const ticket = await open('Own change');
    await service().accept(ticket.number, ada);
    const reply = await service().addArticle(ticket.number, { kind: 'reply', body: 'Which version?', statusAfter: 'waiting' }, ada, { version: ticket.version });
    expect(reply.ticket.status).toBe('waiting');
    // The same form from a colleague is refused.
    const other = await open('Colleague change');
    await service().accept(other.number, sven);
    const refused = await service().addArticle(other.number, { kind: 'reply', body: 'Which version?', statusAfter: 'waiting' }, ada, { version: other.version }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(StaleTicketError);
  });

  it('gives the owner only to agents of the ticket\'s group, or nobody', async () => {
    const ticket = await open('Owner');
    const refused = await service().assign(ticket.number, bobId, ada).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DomainError);
    expect((refused as DomainError).fields.assignee_id).toContain('group');
    expect((await service().assign(ticket.number, svenId, ada)).assignee_id).toBe(svenId);
    expect((await service().assign(ticket.number, null, ada)).assignee_id).toBeNull();
    const customer = await service().assign(ticket.number, adaId, carla).catch((e: unknown) => e);
    expect((customer as DomainError).kind).toBe('forbidden');
  });
});
