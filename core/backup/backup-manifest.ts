import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { z } from 'zod';

/** The file in a backup that lists every other file with its size and SHA-256. */
export const MANIFEST_FILE = 'manifest.json';
export const SECRET_FILE = 'secret';
export const FILES_DIR = 'files';
export const DATABASE_FILES = { sqlite: 'database.sqlite', postgres: 'database.pgdump' } as const;

const entrySchema = z.object({
  path: z.string().min(1).refine((p) => !p.startsWith('/') && !p.split('/').includes('..') && !p.includes('\\'), 'a relative path inside the backup'),
  size: z.number().int().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

export const manifestSchema = z.object({
  format: z.literal('tresen-backup'),
  formatVersion: z.literal(1),
  appVersion: z.string(),
  createdAt: z.string(),
  dialect: z.enum(['sqlite', 'postgres']),
  database: z.string(),
  /** Whether the instance secret is in the backup; without it sealed passwords and signed links are lost. */
  secret: z.enum(['included', 'left-out']),
  /** Applied migrations at the time of the backup, for the restoring version to compare. */
  migrations: z.array(z.string()),
  counts: z.object({ tenants: z.number(), tickets: z.number(), files: z.number() }),
  entries: z.array(entrySchema),
});
export type BackupManifest = z.infer<typeof manifestSchema>;
export type BackupEntry = z.infer<typeof entrySchema>;

/** A backup that cannot be written or restored; the message says what to do. */
export class BackupError extends Error {
  constructor(message: string, readonly problems: readonly string[] = []) {
    super(problems.length ? `${message}:\n  ${problems.slice(0, 20).join('\n  ')}${problems.length > 20 ? `\n  … and ${problems.length - 20} more` : ''}` : message);
  }
}

export function sha256OfFile(path: string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const hash = createHash('sha256');
    createReadStream(path).on('error', reject).on('data', (chunk) => hash.update(chunk)).on('end', () => resolvePromise(hash.digest('hex')));
  });
}

/** Every regular file under `root`, as '/'-separated paths relative to it. */
export async function listFiles(root: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(root, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    found.push(relative(root, join(entry.parentPath, entry.name)).split(sep).join('/'));
  }
  return found.sort();
}

/** Size and SHA-256 of the given files of a backup folder. */
export async function describeEntries(root: string, paths: readonly string[]): Promise<BackupEntry[]> {
  const entries: BackupEntry[] = [];
  for (const path of paths) {
    const full = join(root, path);
    entries.push({ path, size: (await stat(full)).size, sha256: await sha256OfFile(full) });
  }
  return entries;
}

/**
 * Reads and checks a backup folder: the manifest parses, every listed file is there with its size and
 * checksum, nothing unlisted lies beside them, and the database (and the secret, when included) are listed.
 * Throws a BackupError naming every problem.
 */
export async function verifyBackup(root: string): Promise<BackupManifest> {
  let raw: string;
  try {
    raw = await readFile(join(root, MANIFEST_FILE), 'utf8');
  } catch {
    throw new BackupError(`${root} is no Tresen backup: ${MANIFEST_FILE} is missing`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new BackupError(`${MANIFEST_FILE} in ${root} is damaged (not JSON)`);
  }
  const result = manifestSchema.safeParse(parsed);
  if (!result.success) throw new BackupError(`${MANIFEST_FILE} in ${root} is not a Tresen backup manifest`, result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  const manifest = result.data;
  const problems: string[] = [];
  const listed = new Set(manifest.entries.map((e) => e.path));
  if (manifest.database !== DATABASE_FILES[manifest.dialect] || !listed.has(manifest.database)) problems.push(`the database (${DATABASE_FILES[manifest.dialect]}) is not listed`);
  if (manifest.secret === 'included' && !listed.has(SECRET_FILE)) problems.push('the secret is said to be included but is not listed');
  const present = new Set((await listFiles(root)).filter((p) => p !== MANIFEST_FILE));
  for (const entry of manifest.entries) {
    if (!present.has(entry.path)) {
      problems.push(`${entry.path}: missing`);
      continue;
    }
    const full = join(root, entry.path);
    const size = (await stat(full)).size;
    if (size !== entry.size) problems.push(`${entry.path}: ${size} bytes, the manifest says ${entry.size}`);
    else if (await sha256OfFile(full) !== entry.sha256) problems.push(`${entry.path}: checksum differs (damaged)`);
  }
  for (const path of present) if (!listed.has(path)) problems.push(`${path}: not in the manifest`);
  if (problems.length) throw new BackupError(`the backup in ${root} is damaged or incomplete`, problems);
  return manifest;
}
