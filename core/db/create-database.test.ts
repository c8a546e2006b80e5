import pg from 'pg';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/harness/test-database.js';
import { createDatabase, type Database } from './create-database.js';

describe('PostgreSQL pool', () => {
  let harness: TestDatabase;
  let database: Database;
  const idleErrors: Error[] = [];

  beforeAll(async () => {
    harness = await createTestDatabase('postgres');
    database = await createDatabase(harness.url, { poolSize: 2, onIdleError: (error) => idleErrors.push(error) });
  });
  afterAll(async () => {
    await database?.close();
    await harness?.cleanup();
  });

  it('survives the server ending its idle connections: reported, not fatal, and the next query reconnects', async () => {
    const pid = async () => (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(database.db)).rows[0]!.pid;
    const before = await pid();
    const admin = new pg.Client({ connectionString: harness.url });
    await admin.connect();
    await admin.query('select pg_terminate_backend($1)', [before]);
    await admin.end();
    // The pool learns of it asynchronously, through the connection's error event.
    for (let i = 0; i < 100 && idleErrors.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(idleErrors.length).toBe(1);
    expect(await pid()).not.toBe(before);
  });
});
