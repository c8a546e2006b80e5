import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Dialect } from '../../core/db/create-database.js';
import type { GroupLevel, Tenant } from '../../core/db/schema.js';
import { createEventBus } from '../../core/events/event-bus.js';
import { createFileStore } from '../../core/files/file-store.js';
import { en } from '../../core/i18n/messages-en.js';
import { createCatalog } from '../../core/i18n/translate.js';
import { createTenant } from '../../core/tenancy/tenant-service.js';
import { tenantScope } from '../../core/tenancy/tenant-scope.js';
import { ticketMessages } from '../../core/tickets/messages.js';
import { createTicketService, type TicketActor, type TicketService } from '../../core/tickets/ticket-service.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

/** A staff member acting on tickets (every permission). */
export type Staff = Extract<TicketActor, { kind: 'user' }>;

/** A small deterministic generator (mulberry32), so a failing random sequence can be replayed from its seed. */
export function random(seed: number): () => number {
  let a = seed;
  return () => {
    a |= 0; a = (a + 0x6d2b79f5) | 0;
    let r = Math.imul(a ^ (a >>> 15), 1 | a);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

/** Picks an element of a list with the given generator. */
export function picker(next: () => number): <T>(list: readonly T[]) => T {
  return (list) => list[Math.floor(next() * list.length)]!;
}

/**
 * What the ticket data-layer tests share: a fresh database of the dialect with two tenants ("acme" and
 * "globex", the second one to prove nothing leaks), a clock the test moves, the real ticket service on it
 * (English texts), and helpers that add supervisors and support groups.
 */
export interface TicketWorld {
  database: TestDatabase;
  tenant: Tenant;
  other: Tenant;
  /** The clock's current time (the service reads it on every change). */
  now(): Date;
  at(iso: string): void;
  advance(ms: number): void;
  service(forTenant: Tenant): TicketService;
  /** A supervisor `<name>@<tenant slug>.test` acting with every permission. */
  staff(forTenant: Tenant, name: string): Promise<Staff>;
  group(forTenant: Tenant, name: string, level: GroupLevel): Promise<number>;
}

export async function ticketWorld(dialect: Dialect, start = '2026-03-02T08:00:00Z'): Promise<TicketWorld> {
  const t = createCatalog([{ en, de: en }, ticketMessages]).translator('en');
  const database = await createTestDatabase(dialect);
  const { db } = database;
  const tenant = await createTenant(db, { slug: 'acme', name: 'ACME', locale: 'en' });
  const other = await createTenant(db, { slug: 'globex', name: 'Globex', locale: 'en' });
  let clock = new Date(start);
  return {
    database, tenant, other,
    now: () => clock,
    at: (iso) => { clock = new Date(iso); },
    advance: (ms) => { clock = new Date(clock.getTime() + ms); },
    service: (forTenant) => createTicketService({
      db, dialect, clock: () => clock, events: createEventBus(), files: createFileStore(db, mkdtempSync(join(tmpdir(), 'tresen-files-'))),
    }, forTenant, t),
    staff: async (forTenant, name) => {
      const { id } = await db.insertInto('users').values({ tenant_id: forTenant.id, email: `${name}@${forTenant.slug}.test`, name, role: 'supervisor' })
        .returning('id').executeTakeFirstOrThrow();
      return { kind: 'user', id, label: name, can: () => true };
    },
    group: async (forTenant, name, level) =>
      (await tenantScope(db, forTenant.id).insertInto('support_groups', { name, level }).returning('id').executeTakeFirstOrThrow()).id,
  };
}
