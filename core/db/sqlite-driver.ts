import { createRequire } from 'node:module';
import type { SqliteDatabase as KyselySqliteDatabase, SqliteStatement as KyselySqliteStatement } from 'kysely';

/**
 * The one place where the SQLite driver differs by runtime. Node runs better-sqlite3 (a native addon, the
 * fastest and the default there); Deno cannot load that addon's ABI, so it runs the built-in `node:sqlite`
 * (Node has it from 22.13 without a flag). Everything above this module sees one handle: the database for
 * Kysely, `exec`, one-row reads for pragmas, an online backup and close.
 */
export type SqliteDriverName = 'better-sqlite3' | 'node:sqlite';
export const SQLITE_DRIVERS: readonly SqliteDriverName[] = ['better-sqlite3', 'node:sqlite'];

export interface SqliteHandle {
  readonly driver: SqliteDriverName;
  /** What Kysely's SqliteDialect drives. */
  readonly database: KyselySqliteDatabase;
  /** Runs statements that return nothing wanted (pragmas that set, `analyze`, FTS commands). */
  exec(sql: string): void;
  /** The first row of a statement, e.g. a pragma that reports. */
  get(sql: string): Record<string, unknown> | undefined;
  /** A consistent copy of the open database into a new file (safe beside writers and with WAL). */
  backup(target: string): Promise<void>;
  close(): void;
}

/** The driver a process uses: TRESEN_SQLITE_DRIVER when set, else node:sqlite under Deno and better-sqlite3 on Node. */
export function sqliteDriverName(env: Record<string, string | undefined> = process.env): SqliteDriverName {
  const chosen = env.TRESEN_SQLITE_DRIVER?.trim();
  if (chosen) {
    if (!(SQLITE_DRIVERS as readonly string[]).includes(chosen)) {
      throw new Error(`TRESEN_SQLITE_DRIVER must be one of ${SQLITE_DRIVERS.join(', ')}, got "${chosen}"`);
    }
    return chosen as SqliteDriverName;
  }
  return 'Deno' in globalThis ? 'node:sqlite' : 'better-sqlite3';
}

const require = createRequire(import.meta.url);

/** Opens a SQLite file (or `:memory:`) with the chosen driver; `readonly` for checks of a file nobody writes. */
export async function openSqliteHandle(path: string, options: { driver?: SqliteDriverName; readonly?: boolean } = {}): Promise<SqliteHandle> {
  const driver = options.driver ?? sqliteDriverName();
  return driver === 'node:sqlite' ? openNodeSqlite(path, options.readonly ?? false) : openBetterSqlite(path, options.readonly ?? false);
}

// better-sqlite3 is loaded only when chosen, so that a runtime without it (Deno) never touches the addon.
function openBetterSqlite(path: string, readonly: boolean): SqliteHandle {
  const Database = require('better-sqlite3') as typeof import('better-sqlite3');
  const handle = new Database(path, { readonly });
  return {
    driver: 'better-sqlite3',
    database: handle,
    exec: (sql) => void handle.exec(sql),
    get: (sql) => handle.prepare(sql).get() as Record<string, unknown> | undefined,
    backup: async (target) => void (await handle.backup(target)),
    close: () => handle.close(),
  };
}

/** The part of `node:sqlite` used here (typed locally: @types/node 20 does not describe the module). */
interface NodeStatementSync {
  all(...parameters: unknown[]): unknown[];
  get(...parameters: unknown[]): unknown;
  run(...parameters: unknown[]): { changes: number | bigint; lastInsertRowid: number | bigint };
  iterate(...parameters: unknown[]): IterableIterator<unknown>;
  columns?(): unknown[];
}
interface NodeDatabaseSync {
  exec(sql: string): void;
  prepare(sql: string): NodeStatementSync;
  close(): void;
}
type NodeSqliteModule = { DatabaseSync: new (path: string, options?: { readOnly?: boolean }) => NodeDatabaseSync };

/** Statements that hand back rows when the driver cannot say so itself (`columns()` arrived in Node 22.16). */
const READS_ROWS = /^\s*(select|with|pragma|explain|values)\b|\breturning\b/i;

/**
 * Kysely's SQLite statement over a `node:sqlite` statement: node:sqlite takes parameters spread rather than as
 * an array, and has no `reader` flag, so the statement's result columns tell whether it reads rows.
 */
class NodeSqliteStatement implements KyselySqliteStatement {
  readonly reader: boolean;
  readonly #statement: NodeStatementSync;
  constructor(statement: NodeStatementSync, sql: string) {
    this.#statement = statement;
    this.reader = typeof statement.columns === 'function' ? statement.columns().length > 0 : READS_ROWS.test(sql);
  }
  all(parameters: ReadonlyArray<unknown>): unknown[] {
    return this.#statement.all(...parameters);
  }
  run(parameters: ReadonlyArray<unknown>): { changes: number | bigint; lastInsertRowid: number | bigint } {
    return this.#statement.run(...parameters);
  }
  iterate(parameters: ReadonlyArray<unknown>): IterableIterator<unknown> {
    return this.#statement.iterate(...parameters);
  }
}

async function openNodeSqlite(path: string, readonly: boolean): Promise<SqliteHandle> {
  // A variable specifier: the module is resolved at run time only (Node 20 has no node:sqlite).
  const specifier = 'node:sqlite';
  let module: NodeSqliteModule;
  try {
    module = (await import(specifier)) as NodeSqliteModule;
  } catch (error) {
    throw new Error(`node:sqlite is not available in this runtime (${process.version}): it needs Node.js 22.13 or later, or Deno 2 (${error instanceof Error ? error.message : String(error)})`);
  }
  const handle = new module.DatabaseSync(path, { readOnly: readonly });
  const database: KyselySqliteDatabase = {
    close: () => handle.close(),
    prepare: (sql) => new NodeSqliteStatement(handle.prepare(sql), sql),
  };
  return {
    driver: 'node:sqlite',
    database,
    exec: (sql) => handle.exec(sql),
    get: (sql) => handle.prepare(sql).get() as Record<string, unknown> | undefined,
    // VACUUM INTO writes a consistent, compacted copy in one read transaction (WAL writers go on meanwhile).
    backup: async (target) => void handle.prepare('vacuum into ?').run(target),
    close: () => handle.close(),
  };
}
