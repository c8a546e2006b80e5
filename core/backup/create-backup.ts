import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { sql, type Kysely } from 'kysely';
import * as tar from 'tar';
import { coreMigrations } from '../../migrations/index.js';
import type { Database } from '../db/create-database.js';
import { blobPath, type BlobStore } from '../files/blob-store.js';
import type { PluginRegistry } from '../plugin-host/registry.js';
import { BackupError, DATABASE_FILES, describeEntries, FILES_DIR, listFiles, MANIFEST_FILE, SECRET_FILE, type BackupManifest } from './backup-manifest.js';
import { dumpDatabase } from './database-dump.js';

export interface BackupOptions {
  database: Database;
  registry: PluginRegistry;
  /** Where the attachment bytes are (DATA_DIR/files or a bucket); every file the database names is copied. */
  blobs: BlobStore;
  /** The instance secret, or undefined to leave it out (`--without-secret`). */
  secret: string | undefined;
  appVersion: string;
  /** A folder (absent or empty), or a file ending in .tar. */
  target: string;
  /** Overwrite an existing .tar file or fill a non-empty folder's place. */
  force?: boolean;
  now?: Date;
}

export interface BackupResult {
  manifest: BackupManifest;
  path: string;
  bytes: number;
  /** Files the database names that were already missing from the store: restored as missing, too. */
  missingFiles: string[];
}

export const isTarPath = (path: string) => /\.tar$/i.test(path);

/** Migration names applied, as "core:<name>" and "<plugin>:<name>" (the same form migrateAll reports). */
export async function appliedMigrations(db: Kysely<any>, registry: PluginRegistry): Promise<string[]> {
  const tables: Array<[string, string]> = [['core', 'kysely_migration']];
  for (const plugin of registry.plugins) if (plugin.migrations && Object.keys(plugin.migrations).length) tables.push([plugin.id, `kysely_migration_${plugin.id.replace(/[^a-z0-9]/g, '_')}`]);
  const names: string[] = [];
  for (const [owner, table] of tables) {
    const rows = await sql<{ name: string }>`select name from ${sql.table(table)} order by name`.execute(db).catch(() => ({ rows: [] as Array<{ name: string }> }));
    names.push(...rows.rows.map((r) => `${owner}:${r.name}`));
  }
  return names;
}

/** Every migration this code knows, in the same form. */
export function knownMigrations(registry: PluginRegistry): Set<string> {
  const known = new Set(Object.keys(coreMigrations).map((n) => `core:${n}`));
  for (const plugin of registry.plugins) for (const name of Object.keys(plugin.migrations ?? {})) known.add(`${plugin.id}:${name}`);
  return known;
}

async function prepareFolder(folder: string, force: boolean): Promise<void> {
  if (existsSync(folder)) {
    const inside = await readdir(folder);
    if (inside.length && !force) throw new BackupError(`${folder} is not empty; choose a new folder or add --force to replace its contents`);
    if (inside.length) await rm(folder, { recursive: true });
  }
  await mkdir(folder, { recursive: true });
}

async function count(db: Kysely<any>, table: string): Promise<number> {
  const row = await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Writes a backup: the database (online, consistent), the attachment store, the instance secret unless
 * left out, and a manifest with every file's size and SHA-256, written last. The files' rows are read
 * after the database is dumped, so every file the dump names is copied (bytes are stored before their row).
 */
export async function createBackup(options: BackupOptions): Promise<BackupResult> {
  const target = resolve(options.target);
  const asTar = isTarPath(target);
  if (asTar && existsSync(target) && !options.force) throw new BackupError(`${target} exists; add --force to overwrite it`);
  if (asTar && !existsSync(dirname(target))) throw new BackupError(`the folder ${dirname(target)} does not exist`);
  const folder = asTar ? await mkdtemp(join(dirname(target), `.${basename(target)}-`)) : target;
  try {
    if (!asTar) await prepareFolder(folder, options.force ?? false);
    const { db } = options.database;
    const counts = { tenants: await count(db, 'tenants'), tickets: await count(db, 'tickets'), files: await count(db, 'files') };
    const migrations = await appliedMigrations(db, options.registry);

    const databaseFile = DATABASE_FILES[options.database.dialect];
    await dumpDatabase(options.database, join(folder, databaseFile));

    // Read after the dump: a superset of the rows the dump holds, each written after its bytes.
    const named = [...new Set((await db.selectFrom('files').select('sha256').execute()).map((r) => r.sha256))].sort();
    const missingFiles: string[] = [];
    for (const sha256 of named) {
      const bytes = await options.blobs.read(sha256);
      if (!bytes) {
        missingFiles.push(sha256);
        continue;
      }
      const path = join(folder, FILES_DIR, ...blobPath(sha256).split('/'));
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, bytes);
    }

    if (options.secret !== undefined) await writeFile(join(folder, SECRET_FILE), `${options.secret}\n`, { mode: 0o600 });

    const paths = (await listFiles(folder)).filter((p) => p !== MANIFEST_FILE);
    const manifest: BackupManifest = {
      format: 'tresen-backup', formatVersion: 1, appVersion: options.appVersion, createdAt: (options.now ?? new Date()).toISOString(),
      dialect: options.database.dialect, database: databaseFile, secret: options.secret !== undefined ? 'included' : 'left-out',
      migrations, counts, entries: await describeEntries(folder, paths),
    };
    await writeFile(join(folder, MANIFEST_FILE), `${JSON.stringify(manifest, null, 1)}\n`);
    const bytes = manifest.entries.reduce((sum, e) => sum + e.size, 0);
    if (asTar) {
      const partial = `${target}.partial`;
      await tar.create({ file: partial, cwd: folder, portable: true }, [MANIFEST_FILE, ...paths]);
      await rename(partial, target);
    }
    return { manifest, path: target, bytes, missingFiles };
  } catch (error) {
    if (!asTar) await rm(folder, { recursive: true, force: true }).catch(() => undefined);
    throw error;
  } finally {
    if (asTar) await rm(folder, { recursive: true, force: true });
  }
}
