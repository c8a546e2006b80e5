import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as tar from 'tar';
import { sqlitePathFromUrl } from '../db/create-database.js';
import { isSha256, type BlobStore } from '../files/blob-store.js';
import type { PluginRegistry } from '../plugin-host/registry.js';
import { BackupError, FILES_DIR, SECRET_FILE, verifyBackup, type BackupManifest } from './backup-manifest.js';
import { isTarPath, knownMigrations } from './create-backup.js';
import { assertEmptyTarget, restoreDatabase } from './database-dump.js';

export interface RestoreOptions {
  /** A backup folder or .tar file written by createBackup. */
  source: string;
  /** Where the restored instance keeps its secret; must hold no data yet. */
  dataDir: string;
  /** Where the attachment bytes go (DATA_DIR/files, which must be empty, or a bucket: content-addressed, so any bucket will do). */
  blobs: BlobStore;
  /** DATABASE_URL of the restored instance: a SQLite file that does not exist, or an empty PostgreSQL database. */
  databaseUrl: string;
  /** SECRET from the environment, if set (it then has to be the backup's). */
  environmentSecret: string | undefined;
  registry: PluginRegistry;
}

export interface RestoreResult {
  manifest: BackupManifest;
  /** Things the operator must know, e.g. that the secret was left out. */
  warnings: string[];
}

/** Unpacks a .tar into a fresh temporary folder; node-tar drops absolute paths and `..` parts. */
async function unpack(file: string): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'tresen-restore-'));
  try {
    await tar.extract({ file, cwd: folder, strict: true, preservePaths: false, filter: (_path, entry) => 'type' in entry && (entry.type === 'File' || entry.type === 'Directory') });
  } catch (error) {
    await rm(folder, { recursive: true, force: true });
    throw new BackupError(`${file} is no readable tar archive: ${error instanceof Error ? error.message : String(error)}`);
  }
  return folder;
}

async function assertEmptyDataDir(dataDir: string, blobs: BlobStore, environmentSecret: string | undefined, backupSecret: string | undefined): Promise<void> {
  const store = join(dataDir, FILES_DIR);
  if (blobs.kind === 'disk' && existsSync(store) && (await readdir(store)).length) throw new BackupError(`${store} holds files: restore only into an empty data directory`);
  const secretFile = join(dataDir, SECRET_FILE);
  if (existsSync(secretFile) && backupSecret !== undefined && (await readFile(secretFile, 'utf8')).trim() !== backupSecret) {
    throw new BackupError(`${secretFile} holds another instance secret: restore only into an empty data directory`);
  }
  if (environmentSecret !== undefined && backupSecret !== undefined && environmentSecret !== backupSecret) {
    throw new BackupError('SECRET in the environment differs from the backup\'s secret: unset SECRET (the restored data directory keeps the backup\'s) or set it to the value in the backup\'s "secret" file');
  }
}

/**
 * Restores a verified backup into an empty data directory and database: refuses a damaged or incomplete
 * backup, one from a newer version (unknown migrations), another dialect, and any target holding data,
 * before it writes anything.
 */
export async function restoreBackup(options: RestoreOptions): Promise<RestoreResult> {
  const source = resolve(options.source);
  if (!existsSync(source)) throw new BackupError(`${source} does not exist`);
  const unpacked = isTarPath(source) || (await stat(source)).isFile() ? await unpack(source) : undefined;
  const root = unpacked ?? source;
  try {
    const manifest = await verifyBackup(root);
    const dialect = options.databaseUrl.startsWith('sqlite:') ? 'sqlite' : 'postgres';
    if (manifest.dialect !== dialect) throw new BackupError(`the backup holds a ${manifest.dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL'} database, but DATABASE_URL points to ${dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL'}`);
    const known = knownMigrations(options.registry);
    const unknown = manifest.migrations.filter((m) => !known.has(m));
    if (unknown.length) throw new BackupError(`the backup comes from a newer Tresen (${manifest.appVersion}) or has plugins this installation lacks; restore it with that version`, unknown.map((m) => `unknown migration ${m}`));

    const backupSecret = manifest.secret === 'included' ? (await readFile(join(root, SECRET_FILE), 'utf8')).trim() : undefined;
    const sqlitePath = dialect === 'sqlite' ? resolve(sqlitePathFromUrl(options.databaseUrl)) : undefined;
    await assertEmptyDataDir(options.dataDir, options.blobs, options.environmentSecret, backupSecret);
    await assertEmptyTarget(options.databaseUrl, sqlitePath);

    await mkdir(options.dataDir, { recursive: true });
    await restoreDatabase(join(root, manifest.database), options.databaseUrl, sqlitePath);
    await options.blobs.check();
    for (const entry of manifest.entries) {
      const sha256 = entry.path.split('/').at(-1)!;
      if (entry.path.startsWith(`${FILES_DIR}/`) && isSha256(sha256)) await options.blobs.write(sha256, await readFile(join(root, entry.path)));
    }
    const warnings: string[] = [];
    if (backupSecret !== undefined) {
      if (options.environmentSecret === undefined) await writeFile(join(options.dataDir, SECRET_FILE), `${backupSecret}\n`, { mode: 0o600 });
    } else {
      warnings.push('THE BACKUP HAS NO INSTANCE SECRET (written with --without-secret): stored mailbox passwords and SMTP addresses cannot be decrypted and signed links (calendar feeds, password resets) no longer work. Set SECRET to the old instance\'s secret before starting, or enter the mailbox passwords again.');
    }
    return { manifest, warnings };
  } finally {
    if (unpacked) await rm(unpacked, { recursive: true, force: true });
  }
}
