import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { createDatabase, type Database, type Dialect } from '../../core/db/create-database.js';
import { migrateAll } from '../../core/db/migrate.js';
import { createRegistry, type PluginRegistry } from '../../core/plugin-host/registry.js';

/** Every data-layer test runs once per dialect: `describe.each(dialects)('%s', (dialect) => …)`. */
export const dialects: readonly Dialect[] = ['sqlite', 'postgres'];

export interface TestDatabase extends Database {
  /** Closes the connection and deletes the database. */
  cleanup(): Promise<void>;
}

/** A fresh, migrated, empty database of the given dialect. */
export async function createTestDatabase(dialect: Dialect, registry: PluginRegistry = createRegistry([])): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'tresen-sqlite-'));
    const database = await createDatabase(`sqlite:${join(dir, 'test.db')}`);
    await migrateAll(database.db, registry);
    return { ...database, cleanup: async () => { await database.close(); rmSync(dir, { recursive: true, force: true }); } };
  }
  const adminUrl = inject('postgresUrl');
  const name = `tresen_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = adminUrl.replace(/\/[^/]*$/, `/${name}`);
  const database = await createDatabase(url, { poolSize: 5 });
  await migrateAll(database.db, registry);
  return {
    ...database,
    cleanup: async () => {
      await database.close();
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}
