import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile, access } from 'node:fs/promises';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Logger } from '../logger.js';

/**
 * Content-addressed files outside the web root: DATA_DIR/files/ab/cd/<sha256>.
 * The same bytes are stored once; the `files` table records which tenant owns which hash.
 */
export function createFileStore(db: Kysely<DB>, dataDir: string, log?: Pick<Logger, 'warn'>) {
  const root = join(dataDir, 'files');
  const pathOf = (sha256: string) => join(root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);

  return {
    async put(tenantId: number, bytes: Uint8Array, mimeType: string): Promise<string> {
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const target = pathOf(sha256);
      const exists = await access(target).then(() => true, () => false);
      if (!exists) {
        await mkdir(join(root, sha256.slice(0, 2), sha256.slice(2, 4)), { recursive: true });
        // A name of its own per write: two puts of the same bytes at once must not share one temporary file.
        const temporary = `${target}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
        await writeFile(temporary, bytes);
        await rename(temporary, target);
      }
      await db.insertInto('files').values({ tenant_id: tenantId, sha256, size: bytes.byteLength, mime_type: mimeType })
        .onConflict((oc) => oc.columns(['tenant_id', 'sha256']).doNothing()).execute();
      return sha256;
    },

    /** The bytes and type of a file the tenant owns, or undefined (also when its bytes are gone from the disk: logged, answered as not found). */
    async get(tenantId: number, sha256: string): Promise<{ bytes: Buffer; mimeType: string } | undefined> {
      if (!/^[0-9a-f]{64}$/.test(sha256)) return undefined;
      const row = await db.selectFrom('files').select('mime_type').where('tenant_id', '=', tenantId).where('sha256', '=', sha256).executeTakeFirst();
      if (!row) return undefined;
      try {
        return { bytes: await readFile(pathOf(sha256)), mimeType: row.mime_type };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        log?.warn('file missing from the store', { tenantId, sha256, path: pathOf(sha256) });
        return undefined;
      }
    },
  };
}
export type FileStore = ReturnType<typeof createFileStore>;
