import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { copyFile, rm } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import type { Database } from '../db/create-database.js';
import { openSqliteHandle } from '../db/sqlite-driver.js';
import { BackupError } from './backup-manifest.js';

const run = promisify(execFile);

/**
 * A PostgreSQL client program: from PG_BIN_DIR when set, else the PATH, else the newest
 * /usr/lib/postgresql/<version>/bin (Debian installs the versioned tools there).
 */
export function postgresTool(name: 'pg_dump' | 'pg_restore', env: Record<string, string | undefined> = process.env): string {
  const candidates: string[] = [];
  if (env.PG_BIN_DIR) candidates.push(join(env.PG_BIN_DIR, name));
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) candidates.push(join(dir, name));
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
    for (const version of versions) candidates.push(join(debian, version, 'bin', name));
  }
  const found = candidates.find((path) => existsSync(path));
  if (!found) throw new BackupError(`${name} was not found (PATH, PG_BIN_DIR, /usr/lib/postgresql/*/bin): install the PostgreSQL client programs of the server's version`);
  return found;
}

async function runTool(command: string, args: string[], what: string): Promise<void> {
  try {
    await run(command, args, { maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new BackupError(`${what} failed: ${stderr || (error instanceof Error ? error.message : String(error))}`);
  }
}

/**
 * A consistent copy of the running database: SQLite's online backup API (safe with WAL and concurrent
 * writers), or pg_dump's custom format (one snapshot, restorable with pg_restore).
 */
export async function dumpDatabase(database: Database, target: string): Promise<void> {
  if (database.dialect === 'sqlite') {
    if (!database.sqlite) throw new BackupError('the SQLite handle is not available');
    await database.sqlite.backup(target);
    return;
  }
  await runTool(postgresTool('pg_dump'), ['--format=custom', '--no-owner', '--no-privileges', `--file=${target}`, `--dbname=${database.url}`], 'pg_dump');
}

/** Whether a PostgreSQL database has tables of its own (then a restore would mix two databases). */
async function postgresTableCount(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (error) {
    throw new BackupError(`cannot reach the database of DATABASE_URL: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    const result = await client.query<{ n: string }>("select count(*) as n from information_schema.tables where table_schema not in ('pg_catalog', 'information_schema')");
    return Number(result.rows[0]?.n ?? 0);
  } finally {
    await client.end();
  }
}

/** Refuses to restore over data: the SQLite file must not exist, the PostgreSQL database must be empty. */
export async function assertEmptyTarget(url: string, sqlitePath: string | undefined): Promise<void> {
  if (sqlitePath !== undefined) {
    if (existsSync(sqlitePath) || existsSync(`${sqlitePath}-wal`)) throw new BackupError(`${sqlitePath} exists: restore only into an empty data directory (move the old one away first)`);
    return;
  }
  const tables = await postgresTableCount(url);
  if (tables > 0) throw new BackupError(`the database of DATABASE_URL has ${tables} tables: restore only into an empty database (createdb a new one)`);
}

/** Puts a dumped database in place; on a failure nothing half-restored stays behind for SQLite. */
export async function restoreDatabase(dump: string, url: string, sqlitePath: string | undefined): Promise<void> {
  if (sqlitePath !== undefined) {
    await copyFile(dump, sqlitePath);
    const handle = await openSqliteHandle(sqlitePath);
    try {
      const check = handle.get('pragma integrity_check')?.integrity_check;
      if (check !== 'ok') throw new BackupError(`the restored database fails its integrity check: ${String(check)}`);
    } catch (error) {
      handle.close();
      await rm(sqlitePath, { force: true });
      throw error;
    }
    handle.close();
    return;
  }
  await runTool(postgresTool('pg_restore'), ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', `--dbname=${url}`, dump], 'pg_restore');
}
