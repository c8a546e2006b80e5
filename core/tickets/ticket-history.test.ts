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
import { createTenant } from '../tenancy/tenant-service.js';
import { tenantScope } from '../tenancy/tenant-scope.js';
import { ticketMessages } from './messages.js';
import { recordTicketHistory } from './ticket-history.js';
import { createTicketService, type TicketActor } from './ticket-service.js';
import { createTestDatabase, dialects, type TestDatabase } from '../../test/harness/test-database.js';

const t = createCatalog([{ en, de: en }, ticketMessages]).translator('en');

describe.each(dialects)('recordTicketHistory on %s', (dialect) => {
  let database: TestDatabase;
  let tenant: Tenant;
  let other: Tenant;
  let actor: TicketActor;
  let ticketId: number;

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    tenant = await createTenant(database.db, { slug: 'acme', name: 'ACME', locale: 'en' });
    other = await createTenant(database.db, { slug: 'globex', name: 'Globex', locale: 'en' });
    const userId = (await database.db.insertInto('users').values({ tenant_id: tenant.id, email: 'ada@acme.test', name: 'Ada', role: 'agent' }).returning('id').executeTakeFirstOrThrow()).id;
    actor = { kind: 'user', id: userId, label: 'Ada', can: () => true };
    const service = createTicketService({ db: database.db, dialect, clock: () => new Date('2026-01-01T10:00:00.000Z'), events: createEventBus(), files: createFileStore(database.db, mkdtempSync(join(tmpdir(), 'tresen-files-'))) }, tenant, t);
    ticketId = (await service.create({ subject: 'Printer', description: 'Broken' }, actor)).id;
  });
  afterAll(() => database.cleanup());

  it('writes the entries in the caller\'s transaction and bumps updated_at', async () => {
    const now = '2026-02-01T08:00:00.000Z';
    const result = await database.db.transaction().execute((trx) => recordTicketHistory(trx, tenant.id, ticketId, actor, [
      { action: 'plugin.thing', field: 'status', old: 'a', new: 'b', note: '#1' },
      { action: 'plugin.thing', field: 'minutes', old: null, new: 90 },
    ], now));
    expect(result.number).toMatch(/^\d{4}-\d{6}$/);
    const rows = await tenantScope(database.db, tenant.id).selectFrom('ticket_history').select(['action', 'field', 'old_value', 'new_value', 'note', 'actor_user_id', 'actor_label', 'created_at'])
      .where('ticket_id', '=', ticketId).where('action', '=', 'plugin.thing').orderBy('id').execute();
    expect(rows).toEqual([
      { action: 'plugin.thing', field: 'status', old_value: 'a', new_value: 'b', note: '#1', actor_user_id: actor.kind === 'user' ? actor.id : null, actor_label: 'Ada', created_at: now },
      { action: 'plugin.thing', field: 'minutes', old_value: null, new_value: '90', note: null, actor_user_id: actor.kind === 'user' ? actor.id : null, actor_label: 'Ada', created_at: now },
    ]);
    const ticket = await tenantScope(database.db, tenant.id).selectFrom('tickets').select('updated_at').where('id', '=', ticketId).executeTakeFirstOrThrow();
    expect(ticket.updated_at).toBe(now);
  });

  it('rolls back with the caller\'s transaction', async () => {
    await expect(database.db.transaction().execute(async (trx) => {
      await recordTicketHistory(trx, tenant.id, ticketId, actor, [{ action: 'plugin.rollback' }], '2026-03-01T00:00:00.000Z');
      throw new Error('veto');
    })).rejects.toThrow('veto');
    const rows = await tenantScope(database.db, tenant.id).selectFrom('ticket_history').select('id').where('action', '=', 'plugin.rollback').execute();
    expect(rows).toEqual([]);
  });

  it('refuses another tenant\'s ticket with 404 and writes nothing', async () => {
    const attempt = database.db.transaction().execute((trx) => recordTicketHistory(trx, other.id, ticketId, actor, [{ action: 'plugin.foreign' }], '2026-03-01T00:00:00.000Z'));
    await expect(attempt).rejects.toBeInstanceOf(DomainError);
    await expect(attempt).rejects.toMatchObject({ kind: 'not_found' });
    const rows = await database.db.selectFrom('ticket_history').select('id').where('action', '=', 'plugin.foreign').execute();
    expect(rows).toEqual([]);
  });
});
