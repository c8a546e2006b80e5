import { CompiledQuery, sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DB, Tenant } from '../db/schema.js';
import { createTenant } from '../tenancy/tenant-service.js';
import { tenantScope } from '../tenancy/tenant-scope.js';
import { dueTodoReminders } from '../todos/todo-store.js';
import { createTicketQueries } from './ticket-queries.js';
import { dueWaitingTickets } from './ticket-waiting.js';
import { createTestDatabase, dialects, type TestDatabase } from '../../test/harness/test-database.js';

// The plans of the follow-up reads (issue 18 points 6 and 7): the minutely sweeps find due waiting tickets and
// due to-dos through their partial indexes, and the tag filter reads ticket_tags by its (tenant, tag) index,
// never by scanning tickets or matching text. On PostgreSQL the planner is told to avoid a table scan, so a
// missing index shows as one all the same.

const N = 3000;

describe.each(dialects)('follow-up query plans on %s', (dialect) => {
  let database: TestDatabase;
  let db: Kysely<DB>;
  let tenant: Tenant;
  let tagId = 0;

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    db = database.db;
    tenant = await createTenant(db, { slug: 'acme', name: 'ACME' });
    const scope = tenantScope(db, tenant.id);
    const user = (await db.insertInto('users').values({ tenant_id: tenant.id, email: 'a@acme.test', name: 'A', role: 'agent' }).returning('id').executeTakeFirstOrThrow()).id;
    for (let start = 0; start < N; start += 500) {
      await scope.insertInto('tickets', Array.from({ length: 500 }, (_, k) => {
        const i = start + k;
        return { number: `2026-${String(i + 1).padStart(6, '0')}`, subject: `Ticket ${i}`, status: i % 3 === 0 ? 'waiting' as const : 'open' as const,
          waiting_until: i % 30 === 0 ? new Date(Date.UTC(2026, 2, 1 + (i % 28))).toISOString() : null, created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:00Z' };
      })).execute();
    }
    // Twenty tags, each ticket carrying one: a tag's tickets are a twentieth of the tenant's.
    const tags = (await scope.insertInto('tags', Array.from({ length: 20 }, (_, i) => ({ name: `Tag ${i}`, name_key: `tag ${String(i).padStart(2, '0')}`, created_at: '2026-01-01T00:00:00Z' }))).returning('id').execute()).map((r) => r.id);
    tagId = tags[0]!;
    const ids = (await scope.selectFrom('tickets').select('id').orderBy('id').execute()).map((r) => r.id);
    for (let start = 0; start < ids.length; start += 500) {
      await scope.insertInto('ticket_tags', ids.slice(start, start + 500).map((id, k) => ({ ticket_id: id, tag_id: tags[(start + k) % 20]! }))).execute();
    }
    await scope.insertInto('todos', Array.from({ length: 200 }, (_, i) => ({ user_id: user, title: `To-do ${i}`, due_at: i % 2 ? '2026-03-02T08:00:00Z' : null, created_at: '2026-01-01T00:00:00Z' }))).execute();
    await sql`analyze`.execute(db);
  });
  afterAll(() => database?.cleanup());

  /** The plan of a compiled query, as one text. */
  async function plan(query: { compile(): { sql: string; parameters: readonly unknown[] } }): Promise<string> {
    const compiled = query.compile();
    if (dialect === 'sqlite') {
      const rows = await db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${compiled.sql}`, [...compiled.parameters]));
      return rows.rows.map((r) => r.detail).join('\n');
    }
    return db.transaction().execute(async (trx) => {
      await sql`set local enable_seqscan = off`.execute(trx);
      const rows = await trx.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`explain ${compiled.sql}`, [...compiled.parameters]));
      return rows.rows.map((r) => r['QUERY PLAN']).join('\n');
    });
  }

  it('finds due waiting tickets through tickets_waiting_until, and gets them right', async () => {
    const query = db.selectFrom('tickets').select(['tenant_id', 'number']).where('waiting_until', 'is not', null).where('waiting_until', '<=', '2026-03-05T00:00:00.000Z')
      .where('status', '=', 'waiting').where('deleted_at', 'is', null).orderBy('waiting_until').limit(500);
    expect(await plan(query)).toContain('tickets_waiting_until');
    const due = await dueWaitingTickets(db, '2026-03-05T00:00:00.000Z');
    // Waiting (i % 3 == 0) with a time (i % 30 == 0) on 1 to 5 March (i % 28 < 5).
    const expected = Array.from({ length: N }, (_, i) => i).filter((i) => i % 30 === 0 && i % 28 < 5).length;
    expect(due).toHaveLength(expected);
  });

  it('finds due to-do reminders through todos_due', async () => {
    const query = db.selectFrom('todos').select(['id']).where('due_at', 'is not', null).where('due_at', '<=', '2026-03-05T00:00:00Z')
      .where('reminded_at', 'is', null).where('done_at', 'is', null).orderBy('due_at').limit(500);
    expect(await plan(query)).toContain('todos_due');
    expect(await dueTodoReminders(db, '2026-03-05T00:00:00Z')).toHaveLength(100);
  });

  it('filters by tag through ticket_tags_tag, and pages the tagged tickets', async () => {
    const scope = tenantScope(db, tenant.id);
    const query = scope.selectFrom('ticket_tags').select('ticket_tags.ticket_id').where('ticket_tags.tag_id', '=', tagId);
    expect(await plan(query)).toMatch(/ticket_tags_tag/);
    const queries = createTicketQueries(db, dialect, tenant.id);
    const viewer = await queries.viewer(1);
    const page = await queries.search({ tag: tagId }, viewer, 25);
    expect(page.total).toBe(N / 20);
    expect(page.rows).toHaveLength(25);
  });
});
