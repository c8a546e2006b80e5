import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Logger } from '../logger.js';
import { isSha256, type BlobStore } from './blob-store.js';
import { diskBlobStore } from './disk-blob-store.js';

/**
 * Content-addressed files: the bytes in a blob store (DATA_DIR/files/ab/cd/<sha256> by default, or an
 * S3 bucket), the `files` table records which tenant owns which hash. The same bytes are stored once.
 * Given a folder, the store is that data directory's disk store.
 */
export function createFileStore(db: Kysely<DB>, storage: string | BlobStore, log?: Pick<Logger, 'warn'>) {
  const blobs = typeof storage === 'string' ? diskBlobStore(join(storage, 'files')) : storage;

  return {
    blobs,
    async put(tenantId: number, bytes: Uint8Array, mimeType: string): Promise<string> {
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      // The bytes first, then the row: a row never names bytes that are not stored (backups rely on it).
      await blobs.write(sha256, bytes);
      await db.insertInto('files').values({ tenant_id: tenantId, sha256, size: bytes.byteLength, mime_type: mimeType })
        .onConflict((oc) => oc.columns(['tenant_id', 'sha256']).doNothing()).execute();
      return sha256;
    },

    /** The bytes and type of a file the tenant owns, or undefined (also when its bytes are gone from the store: logged, answered as not found). */
    async get(tenantId: number, sha256: string): Promise<{ bytes: Buffer; mimeType: string } | undefined> {
      if (!isSha256(sha256)) return undefined;
      const row = await db.selectFrom('files').select('mime_type').where('tenant_id', '=', tenantId).where('sha256', '=', sha256).executeTakeFirst();
      if (!row) return undefined;
      const bytes = await blobs.read(sha256);
      if (!bytes) {
        log?.warn('file missing from the store', { tenantId, sha256, store: blobs.description });
        return undefined;
      }
      return { bytes, mimeType: row.mime_type };
    },
  };
}
export type FileStore = ReturnType<typeof createFileStore>;
