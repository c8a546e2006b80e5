import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant } from '../tenancy/tenant-service.js';
import { createFileStore } from './file-store.js';
import { s3BlobStore } from './s3-blob-store.js';
import { startS3Server } from '../../test/harness/s3-server.js';
import { createTestDatabase, dialects, type TestDatabase } from '../../test/harness/test-database.js';

type S3 = Awaited<ReturnType<typeof startS3Server>>;

describe.each(dialects)('file store in an S3 bucket on %s', (dialect) => {
  let database: TestDatabase;
  let s3: S3;
  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    s3 = await startS3Server(['tresen', 'other']);
  });
  afterAll(async () => {
    await s3.stop();
    await database.cleanup();
  });

  it('stores bytes once under their hash in the bucket, reads them back, and keeps tenants apart', async () => {
    const blobs = s3BlobStore(s3.settings('tresen', `${dialect}/`));
    await blobs.check();
    const store = createFileStore(database.db, blobs);
    const acme = await createTenant(database.db, { slug: 'acme', name: 'ACME', locale: 'en' });
    const globex = await createTenant(database.db, { slug: 'globex', name: 'Globex', locale: 'en' });
    const bytes = new Uint8Array([0, 1, 2, 255, ...new TextEncoder().encode('a scanned delivery note')]);
    const hashes = await Promise.all(Array.from({ length: 4 }, () => store.put(acme.id, bytes, 'application/pdf')));
    expect(new Set(hashes)).toEqual(new Set([createHash('sha256').update(bytes).digest('hex')]));
    const read = await store.get(acme.id, hashes[0]!);
    expect(read?.mimeType).toBe('application/pdf');
    expect(new Uint8Array(read!.bytes)).toEqual(bytes);
    expect(await store.get(globex.id, hashes[0]!)).toBeUndefined();
    // The object is really in the bucket, under the prefix: another store on the same bucket sees it, one on another bucket does not.
    expect(await s3BlobStore(s3.settings('tresen', `${dialect}/`)).has(hashes[0]!)).toBe(true);
    expect(await s3BlobStore(s3.settings('other', `${dialect}/`)).has(hashes[0]!)).toBe(false);
  });

  it('answers bytes missing from the bucket as not found with a warning, and a missing bucket fails the start check', async () => {
    const warnings: string[] = [];
    const emptyBucket = s3BlobStore(s3.settings('other', `${dialect}-lost/`));
    const writer = createFileStore(database.db, s3BlobStore(s3.settings('tresen', `${dialect}-lost/`)));
    const reader = createFileStore(database.db, emptyBucket, { warn: (message) => warnings.push(message) });
    const tenant = await createTenant(database.db, { slug: 'lost', name: 'Lost', locale: 'en' });
    const sha256 = await writer.put(tenant.id, new TextEncoder().encode('only in the other bucket'), 'text/plain');
    expect(await reader.get(tenant.id, sha256)).toBeUndefined();
    expect(warnings).toEqual(['file missing from the store']);
    await expect(s3BlobStore(s3.settings('no-such-bucket')).check()).rejects.toThrow(/bucket check of no-such-bucket answered 404/);
    await expect(s3BlobStore({ ...s3.settings(), endpoint: 'http://127.0.0.1:1' }).check()).rejects.toThrow(/S3 bucket check failed/);
  });
});
