import pg from 'pg';
import {
  CompiledQuery,
  Kysely,
  PostgresDialect,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type Driver,
  type SqliteDialectConfig,
} from 'kysely';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DB } from './schema.js';
import { openSqliteHandle, type SqliteDriverName, type SqliteHandle } from './sqlite-driver.js';

export type Dialect = 'sqlite' | 'postgres';

export interface Database {
  db: Kysely<DB>;
  dialect: Dialect;
  /** The SQLite handle (sqlite only; better-sqlite3 or node:sqlite, see sqlite-driver.ts): online backup, pragmas. */
  sqlite?: SqliteHandle;
  /** The pg pool (postgres only): LISTEN/NOTIFY. */
  pool?: pg.Pool;
  url: string;
  close(): Promise<void>;
}

/** Write transactions take the write lock up front, so two writers never deadlock on upgrade. */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;
  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
}

// count(*) and bigint columns come back from pg as strings; our ids and counts fit in a double.
pg.types.setTypeParser(20, (value) => Number.parseInt(value, 10));

export function sqlitePathFromUrl(url: string): string {
  const path = url.replace(/^sqlite:(\/\/)?/, '');
  if (!path) throw new Error(`DATABASE_URL "${url}" names no SQLite file`);
  return path;
}

/** Opens a SQLite file with the pragmas every connection of ours has (WAL, full sync, foreign keys, a busy wait). */
export async function openSqlite(path: string, driver?: SqliteDriverName): Promise<SqliteHandle> {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const handle = await openSqliteHandle(path, driver ? { driver } : {});
  handle.exec('pragma journal_mode = WAL');
  handle.exec('pragma synchronous = FULL');
  handle.exec('pragma foreign_keys = ON');
  handle.exec('pragma busy_timeout = 5000');
  // Planner statistics for indexes that lack them (cheap; the hourly cleanup refreshes them).
  handle.exec('pragma optimize = 0x10002');
  return handle;
}

export async function createDatabase(url: string, options: { poolSize?: number; onIdleError?: (error: Error) => void } = {}): Promise<Database> {
  if (url.startsWith('sqlite:')) {
    const sqlite = await openSqlite(sqlitePathFromUrl(url));
    const db = new Kysely<DB>({ dialect: new ImmediateSqliteDialect({ database: sqlite.database }) });
    return { db, dialect: 'sqlite', sqlite, url, close: () => db.destroy() };
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    // Idle connections stay open (pg closes them after 10 s by default): a fresh backend costs a
    // fork, authentication and cold catalog caches, ~30 ms before a ticket list's first answer
    // instead of ~3 (measured at 100,000 tickets), which an agent's first click after a pause paid.
    // Keep-alive keeps them known to firewalls in between; idle ones do not keep a script from exiting.
    // JIT off: PostgreSQL compiles a query whose estimated cost passes jit_above_cost, which at
    // 1,000,000 tickets includes the search's lookup: 3.5 ms of compiling for a query of a few ms.
    // Short queries are this application's whole load (the usual advice for OLTP).
    const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10, idleTimeoutMillis: 0, keepAlive: true, allowExitOnIdle: true, options: '-c jit=off' });
    // The server may end an idle connection (restart, failover, an administrator, a dropped test
    // database): the pool has dropped it already and opens a new one on demand, but pg reports it as
    // an 'error' event, which without a listener ends the process.
    pool.on('error', (error) => options.onIdleError?.(error));
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    // Fail at start, not on the first request, when the server is unreachable.
    await db.executeQuery(CompiledQuery.raw('select 1'));
    return { db, dialect: 'postgres', pool, url, close: () => db.destroy() };
  }
  throw new Error(`DATABASE_URL must start with sqlite: or postgres://, got "${url}"`);
}
