import type { Generated } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, dialects, type TestDatabase } from '../../test/harness/test-database.js';
import type { DB } from '../db/schema.js';
import { withId } from '../db/migration-helpers.js';
import { definePlugin } from '../plugin-host/define-plugin.js';
import { createRegistry } from '../plugin-host/registry.js';
import { pluginScope, scopeFor, tenantScope } from './tenant-scope.js';

describe.each(dialects)('tenant scope on %s', (dialect) => {
  let database: TestDatabase;
  let tenantA: number;
  let tenantB: number;

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    const rows = await database.db.insertInto('tenants').values([{ slug: 'a', name: 'A' }, { slug: 'b', name: 'B' }]).returning('id').execute();
    tenantA = rows[0]!.id;
    tenantB = rows[1]!.id;
  });
  afterAll(() => database.cleanup());

  it('stamps inserts and filters reads, updates and deletes by tenant', async () => {
    const a = tenantScope(database.db, tenantA);
    const b = tenantScope(database.db, tenantB);
    await a.insertInto('organisations', { name: 'Alpha GmbH' }).execute();
    await b.insertInto('organisations', { name: 'Beta AG' }).execute();

    expect((await a.selectFrom('organisations').select('name').execute()).map((r) => r.name)).toEqual(['Alpha GmbH']);
    const beta = await b.selectFrom('organisations').select('id').executeTakeFirstOrThrow();

    // Tenant A cannot reach B's row even by id.
    expect(await a.selectFrom('organisations').select('name').where('id', '=', beta.id).executeTakeFirst()).toBeUndefined();
    const updated = await a.updateTable('organisations').set({ name: 'hijacked' }).where('id', '=', beta.id).executeTakeFirst();
    expect(Number(updated.numUpdatedRows)).toBe(0);
    const deleted = await a.deleteFrom('organisations').where('id', '=', beta.id).executeTakeFirst();
    expect(Number(deleted.numDeletedRows)).toBe(0);
    expect((await b.selectFrom('organisations').select('name').executeTakeFirstOrThrow()).name).toBe('Beta AG');
  });

  it('keeps the scope inside a transaction', async () => {
    await database.db.transaction().execute(async (trx) => {
      await tenantScope(database.db, tenantA).withDb(trx).insertInto('support_groups', { name: '1st Level', level: 'first' }).execute();
    });
    const groups = await tenantScope(database.db, tenantA).selectFrom('support_groups').select(['name', 'tenant_id']).execute();
    expect(groups).toEqual([{ name: '1st Level', tenant_id: tenantA }]);
  });
});

/** A plugin's own tables as it declares them: one of the tenant's, one shared (no tenant_id). */
interface NotesDB extends DB {
  notes_cards: { id: Generated<number>; tenant_id: number; title: string; organisation_id: number | null };
  notes_kinds: { id: Generated<number>; name: string };
}

const notesPlugin = definePlugin({
  id: 'notes',
  version: '1.0.0',
  core: '^1.0.0',
  name: 'notes.name',
  messages: { en: { 'notes.name': 'Notes' }, de: { 'notes.name': 'Notizen' } },
  migrations: {
    '0001-notes': {
      up: async (db) => {
        await withId(db, db.schema.createTable('notes_cards'))
          .addColumn('tenant_id', 'integer', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
          .addColumn('title', 'text', (c) => c.notNull())
          .addColumn('organisation_id', 'integer')
          .execute();
        await withId(db, db.schema.createTable('notes_kinds')).addColumn('name', 'text', (c) => c.notNull()).execute();
      },
    },
  },
  register() {},
});

describe.each(dialects)('tenant scope over a plugin\'s tables on %s', (dialect) => {
  let database: TestDatabase;
  let tenantA: number;
  let tenantB: number;

  beforeAll(async () => {
    database = await createTestDatabase(dialect, createRegistry([notesPlugin]));
    const rows = await database.db.insertInto('tenants').values([{ slug: 'a', name: 'A' }, { slug: 'b', name: 'B' }]).returning('id').execute();
    tenantA = rows[0]!.id;
    tenantB = rows[1]!.id;
  });
  afterAll(() => database.cleanup());

  it('stamps and filters the plugin\'s table like a core one, aliased too', async () => {
    const a = pluginScope<NotesDB>(database.db, tenantA);
    const b = pluginScope<NotesDB>(database.db, tenantB);
    await a.insertInto('notes_cards', [{ title: 'A one' }, { title: 'A two' }]).execute();
    const beta = await b.insertInto('notes_cards', { title: 'B one' }).returning('id').executeTakeFirstOrThrow();

    expect((await a.selectFrom('notes_cards').select('title').orderBy('title').execute()).map((r) => r.title)).toEqual(['A one', 'A two']);
    expect((await a.selectFrom('notes_cards as n').select('n.title').orderBy('n.title').execute()).map((r) => r.title)).toEqual(['A one', 'A two']);
    expect(await a.selectFrom('notes_cards').select('title').where('id', '=', beta.id).executeTakeFirst()).toBeUndefined();
    expect(Number((await a.updateTable('notes_cards').set({ title: 'hijacked' }).where('id', '=', beta.id).executeTakeFirst()).numUpdatedRows)).toBe(0);
    expect(Number((await a.deleteFrom('notes_cards').where('id', '=', beta.id).executeTakeFirst()).numDeletedRows)).toBe(0);
    expect(await b.selectFrom('notes_cards').select(['title', 'tenant_id']).execute()).toEqual([{ title: 'B one', tenant_id: tenantB }]);

    // A join: the scoped table is filtered, the joined core table comes along by id and tenant.
    const org = await b.insertInto('organisations', { name: 'Beta AG' }).returning('id').executeTakeFirstOrThrow();
    await b.updateTable('notes_cards').set({ organisation_id: org.id }).where('id', '=', beta.id).execute();
    const joined = await b.selectFrom('notes_cards as n')
      .innerJoin('organisations', (join) => join.onRef('organisations.id', '=', 'n.organisation_id').onRef('organisations.tenant_id', '=', 'n.tenant_id'))
      .select(['n.title', 'organisations.name']).execute();
    expect(joined).toEqual([{ title: 'B one', name: 'Beta AG' }]);
    expect(await a.selectFrom('notes_cards as n').innerJoin('organisations', 'organisations.id', 'n.organisation_id').select('n.title').execute()).toEqual([]);
  });

  it('is the same tenant when a core scope is seen with the plugin\'s tables, also inside a transaction', async () => {
    const core = tenantScope(database.db, tenantB);
    const notes = scopeFor<NotesDB>(core);
    expect(notes.tenantId).toBe(tenantB);
    await expect(database.db.transaction().execute(async (trx) => {
      await notes.withDb(trx).insertInto('notes_cards', { title: 'rolled back' }).execute();
      throw new Error('abort');
    })).rejects.toThrow('abort');
    await database.db.transaction().execute(async (trx) => {
      await notes.withDb(trx).insertInto('notes_cards', { title: 'B two' }).execute();
    });
    expect((await notes.selectFrom('notes_cards').select('title').orderBy('title').execute()).map((r) => r.title)).toEqual(['B one', 'B two']);
  });

  it('keeps the platform\'s rows of a table with a nullable tenant_id out of every tenant\'s scope', async () => {
    await database.db.insertInto('users').values([
      { tenant_id: null, email: 'operator@platform.test', name: 'Operator', role: 'operator' },
      { tenant_id: tenantA, email: 'agent@a.test', name: 'Agent A', role: 'agent' },
      { tenant_id: tenantB, email: 'agent@b.test', name: 'Agent B', role: 'agent' },
    ]).execute();
    expect((await tenantScope(database.db, tenantA).selectFrom('users').select('name').execute()).map((r) => r.name)).toEqual(['Agent A']);
    const added = await tenantScope(database.db, tenantB).insertInto('users', { email: 'second@b.test', name: 'Second B', role: 'agent' }).returning('tenant_id').executeTakeFirstOrThrow();
    expect(added.tenant_id).toBe(tenantB);
  });

  it('refuses at compile time a table without tenant_id, an undeclared table and a caller\'s tenant_id', async () => {
    const scope = pluginScope<NotesDB>(database.db, tenantA);
    // @ts-expect-error notes_kinds has no tenant_id: its rows are nobody's, so the scope has none
    const shared = () => scope.selectFrom('notes_kinds').selectAll().execute();
    // @ts-expect-error not a table of the plugin's database
    const unknown = () => scope.selectFrom('notes_unknown').selectAll().execute();
    // @ts-expect-error the core's scope does not know the plugin's tables
    const undeclared = () => tenantScope(database.db, tenantA).selectFrom('notes_cards').selectAll().execute();
    await expect(shared()).rejects.toThrow();
    await expect(unknown()).rejects.toThrow();
    await expect(undeclared()).resolves.toHaveLength(2);

    // @ts-expect-error the tenant is the scope's to stamp, not the caller's
    await scope.insertInto('notes_cards', { title: 'smuggled', tenant_id: tenantB }).execute();
    expect(await scope.selectFrom('notes_cards').select('tenant_id').where('title', '=', 'smuggled').execute()).toEqual([{ tenant_id: tenantA }]);
  });
});
