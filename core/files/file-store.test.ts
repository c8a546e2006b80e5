import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant } from '../tenancy/tenant-service.js';
import { createFileStore } from './file-store.js';
import { createTestDatabase, dialects, type TestDatabase } from '../../test/harness/test-database.js';

describe.each(dialects)('file store on %s', (dialect) => {
  let database: TestDatabase;
  beforeAll(async () => { database = await createTestDatabase(dialect); });
  afterAll(() => database.cleanup());

  it('stores equal bytes written at the same moment once, and keeps tenants apart', async () => {
    const store = createFileStore(database.db, mkdtempSync(join(tmpdir(), 'tresen-files-')));
    const acme = await createTenant(database.db, { slug: 'acme', name: 'ACME', locale: 'en' });
    const globex = await createTenant(database.db, { slug: 'globex', name: 'Globex', locale: 'en' });
    const bytes = new TextEncoder().encode('the same attachment, twice at once');
    const hashes = await Promise.all(Array.from({ length: 8 }, () => store.put(acme.id, bytes, 'text/plain')));
    expect(new Set(hashes).size).toBe(1);
    expect((await store.get(acme.id, hashes[0]!))?.bytes.toString()).toBe('the same attachment, twice at once');
    expect(await store.get(globex.id, hashes[0]!)).toBeUndefined();
    expect(await store.get(acme.id, '../../etc/passwd')).toBeUndefined();
  });

  it('answers a file whose bytes are gone from the disk as not found, with a warning, not an error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tresen-files-'));
    const warnings: Array<{ message: string; fields?: Record<string, unknown> }> = [];
    const store = createFileStore(database.db, dir, { warn: (message, fields) => warnings.push({ message, ...(fields ? { fields } : {}) }) });
    const tenant = await createTenant(database.db, { slug: 'lost', name: 'Lost', locale: 'en' });
    const sha256 = await store.put(tenant.id, new TextEncoder().encode('soon gone'), 'text/plain');
    rmSync(join(dir, 'files'), { recursive: true, force: true });
    expect(await store.get(tenant.id, sha256)).toBeUndefined();
    expect(warnings).toEqual([{ message: 'file missing from the store', fields: expect.objectContaining({ tenantId: tenant.id, sha256 }) }]);
  });
});
