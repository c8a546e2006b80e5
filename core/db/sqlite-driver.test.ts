import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { createDatabase, openSqlite } from './create-database.js';
import { openSqliteHandle, sqliteDriverName, type SqliteDriverName } from './sqlite-driver.js';

// node:sqlite exists from Node 22.13 (and in Deno); on Node 20 only better-sqlite3 is tested here. CI's Node 24
// pass runs both, and the same file under both.
const nodeSqlite = await import('node:sqlite' as string).then(() => true, () => false);
// Deno has node:sqlite but cannot load better-sqlite3's addon (the data-layer suite also runs under Deno).
const onDeno = 'Deno' in globalThis;
const drivers: SqliteDriverName[] = onDeno ? ['node:sqlite'] : nodeSqlite ? ['better-sqlite3', 'node:sqlite'] : ['better-sqlite3'];
const dir = mkdtempSync(join(tmpdir(), 'tresen-sqlite-driver-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Schema { notes: { id: number | undefined; body: string; n: number } }
let files = 0;
const nextFile = () => join(dir, `db-${++files}.db`);

describe('sqliteDriverName', () => {
  it('takes TRESEN_SQLITE_DRIVER, defaults to better-sqlite3 on Node and node:sqlite on Deno, and refuses an unknown driver by name', () => {
    expect(sqliteDriverName({})).toBe(onDeno ? 'node:sqlite' : 'better-sqlite3');
    expect(sqliteDriverName({ TRESEN_SQLITE_DRIVER: 'node:sqlite' })).toBe('node:sqlite');
    expect(() => sqliteDriverName({ TRESEN_SQLITE_DRIVER: 'sqlite3' })).toThrow(/TRESEN_SQLITE_DRIVER must be one of better-sqlite3, node:sqlite, got "sqlite3"/);
  });
});

// Named after the driver so that a run over the suites with TRESEN_SQLITE_DRIVER set shows (verbose) which it used.
describe('the database a process opens', () => {
  it(`is SQLite through ${sqliteDriverName()} in this process`, async () => {
    const database = await createDatabase(`sqlite:${nextFile()}`);
    expect(database.sqlite?.driver).toBe(sqliteDriverName());
    await database.close();
  });
});

describe.each(drivers)('SQLite through %s', (driver) => {
  async function open(path = nextFile()) {
    const handle = await openSqlite(path, driver);
    const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: handle.database }) });
    await sql`create table notes (id integer primary key, body text not null, n integer not null default 0)`.execute(db);
    return { handle, db, path };
  }

  it('sets the connection pragmas and reports the driver', async () => {
    const { handle, db } = await open();
    expect(handle.driver).toBe(driver);
    expect(handle.get('pragma journal_mode')).toEqual({ journal_mode: 'wal' });
    expect(handle.get('pragma foreign_keys')).toEqual({ foreign_keys: 1 });
    expect(handle.get('pragma busy_timeout')).toEqual({ timeout: 5000 });
    await db.destroy();
  });

  it('reads, writes, returns, counts changes and streams as Kysely expects', async () => {
    const { db } = await open();
    const inserted = await db.insertInto('notes').values([{ id: undefined, body: 'a', n: 1 }, { id: undefined, body: 'b', n: 2 }]).returning(['id', 'body']).execute();
    expect(inserted).toEqual([{ id: 1, body: 'a' }, { id: 2, body: 'b' }]);
    const plain = await db.insertInto('notes').values({ id: undefined, body: 'c', n: 3 }).executeTakeFirst();
    expect(Number(plain.insertId)).toBe(3);
    const updated = await db.updateTable('notes').set({ n: 10 }).where('n', '<', 3).executeTakeFirst();
    expect(Number(updated.numUpdatedRows)).toBe(2);
    expect(await db.selectFrom('notes').select(['body', 'n']).orderBy('id').execute()).toEqual([{ body: 'a', n: 10 }, { body: 'b', n: 10 }, { body: 'c', n: 3 }]);
    const streamed: string[] = [];
    for await (const row of db.selectFrom('notes').select('body').orderBy('id').stream()) streamed.push(row.body);
    expect(streamed).toEqual(['a', 'b', 'c']);
    const deleted = await db.deleteFrom('notes').where('body', '=', 'c').executeTakeFirst();
    expect(Number(deleted.numDeletedRows)).toBe(1);
    await db.destroy();
  });

  it('rolls a failed transaction back whole', async () => {
    const { db } = await open();
    await expect(db.transaction().execute(async (trx) => {
      await trx.insertInto('notes').values({ id: undefined, body: 'kept?', n: 0 }).execute();
      await trx.insertInto('notes').values({ id: 1, body: 'same id', n: 0 }).execute();
    })).rejects.toThrow(/UNIQUE|constraint/i);
    expect(await db.selectFrom('notes').selectAll().execute()).toEqual([]);
    await db.destroy();
  });

  it('backs up a consistent copy that the other driver reads, and a read-only handle refuses writes', async () => {
    const { handle, db } = await open();
    await db.insertInto('notes').values(Array.from({ length: 100 }, (_, i) => ({ id: undefined, body: `note ${i}`, n: i }))).execute();
    const copy = nextFile();
    await handle.backup(copy);
    await db.destroy();
    for (const reader of drivers) {
      const check = await openSqliteHandle(copy, { driver: reader, readonly: true });
      expect(check.get('pragma integrity_check')).toEqual({ integrity_check: 'ok' });
      expect(check.get('select count(*) as n, sum(n) as total from notes')).toEqual({ n: 100, total: 4950 });
      expect(() => check.exec("insert into notes (body) values ('no')")).toThrow(/readonly|read-only/i);
      check.close();
    }
  });
});

describe.runIf(nodeSqlite && !onDeno)('one database file under both drivers', () => {
  it('keeps every row when a file written by one driver is reopened by the other, and back', async () => {
    const path = nextFile();
    const first = await openSqlite(path, 'better-sqlite3');
    first.exec('create table notes (id integer primary key, body text not null, n integer not null default 0)');
    first.exec("insert into notes (body, n) values ('from better-sqlite3', 1)");
    first.close();
    const second = await openSqlite(path, 'node:sqlite');
    expect(second.get('select body from notes where n = 1')).toEqual({ body: 'from better-sqlite3' });
    second.exec("insert into notes (body, n) values ('from node:sqlite', 2)");
    second.close();
    const third = await openSqlite(path, 'better-sqlite3');
    expect(third.get("select group_concat(body, '|') as bodies from notes")).toEqual({ bodies: 'from better-sqlite3|from node:sqlite' });
    third.close();
  });
});
