import SqliteDatabase from 'better-sqlite3';
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

export type Dialect = 'sqlite' | 'postgres';

export interface Database {
  db: Kysely<DB>;
  dialect: Dialect;
  /** The raw better-sqlite3 handle (sqlite only): online backup, pragmas. */
  sqlite?: SqliteDatabase.Database;
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

export function openSqlite(path: string): SqliteDatabase.Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const handle = new SqliteDatabase(path);
  handle.pragma('journal_mode = WAL');
  handle.pragma('synchronous = FULL');
  handle.pragma('foreign_keys = ON');
  handle.pragma('busy_timeout = 5000');
  // Planner statistics for indexes that lack them (cheap; the hourly cleanup refreshes them).
  handle.pragma('optimize = 0x10002');
  return handle;
}

export async function createDatabase(url: string, options: { poolSize?: number; onIdleError?: (error: Error) => void } = {}): Promise<Database> {
  if (url.startsWith('sqlite:')) {
    const sqlite = openSqlite(sqlitePathFromUrl(url));
    const db = new Kysely<DB>({ dialect: new ImmediateSqliteDialect({ database: sqlite }) });
    return { db, dialect: 'sqlite', sqlite, url, close: () => db.destroy() };
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    // Idle connections stay open (pg closes them after 10 s by default): a fresh backend costs a
    // fork, authentication and cold catalog caches, ~30 ms before a ticket list's first answer
    // instead of ~3 (measured at 100,000 tickets), which an agent's first click after a pause paid.
    // Keep-alive keeps them known to firewalls in between; idle ones do not keep a script from exiting.
    const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10, idleTimeoutMillis: 0, keepAlive: true, allowExitOnIdle: true });
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
