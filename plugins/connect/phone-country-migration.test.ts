import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, dialects, type TestDatabase } from '../../test/harness/test-database.js';
import { connectMigrations } from './migrations.js';

describe.each(dialects)('migration 0004-connect-phone-country on %s', (dialect) => {
  let database: TestDatabase;
  const tenants: Record<string, number> = {};

  beforeAll(async () => {
    // Core only; connect's migrations are run by hand up to 0003, as on an instance from before the fold.
    database = await createTestDatabase(dialect);
    const db = database.db;
    for (const name of ['0001-connect-monitoring', '0002-connect-telephony', '0003-connect-remote-sessions']) await connectMigrations[name]!.up(db);
    for (const slug of ['vienna', 'zurich', 'berlin', 'odd', 'none']) {
      tenants[slug] = (await db.insertInto('tenants').values({ slug, name: slug }).returning('id').executeTakeFirstOrThrow()).id;
    }
    const settings = [['vienna', '43'], ['zurich', '41'], ['berlin', '49'], ['odd', '999']] as const;
    for (const [slug, code] of settings) await sql`insert into connect_phone_settings (tenant_id, country_code) values (${tenants[slug]}, ${code})`.execute(db);
    // Zurich's admin had already chosen a country under Support contacts: that one stays.
    await sql`insert into directory_settings (tenant_id, phone_country, updated_at) values (${tenants.zurich}, 'LI', '2026-12-01T00:00:00.000Z')`.execute(db);
    await connectMigrations['0004-connect-phone-country']!.up(db);
  });
  afterAll(() => database.cleanup());

  it('drops the column and keeps the rows', async () => {
    const { rows } = await sql<Record<string, unknown>>`select * from connect_phone_settings order by tenant_id`.execute(database.db);
    expect(rows).toHaveLength(4);
    for (const row of rows) expect(Object.keys(row)).not.toContain('country_code');
  });

  it('carries a code other than Germany\'s over to core\'s phone country where core\'s was not saved', async () => {
    const { rows } = await sql<{ tenant_id: number; phone_country: string }>`select tenant_id, phone_country from directory_settings order by tenant_id`.execute(database.db);
    expect(rows.map((row) => [Number(row.tenant_id), row.phone_country])).toEqual([[tenants.vienna, 'AT'], [tenants.zurich, 'LI']]);
  });

  it('brings the column back on the way down', async () => {
    await connectMigrations['0004-connect-phone-country']!.down!(database.db);
    const { rows } = await sql<{ country_code: string }>`select country_code from connect_phone_settings`.execute(database.db);
    expect(rows.map((row) => row.country_code)).toEqual(['49', '49', '49', '49']);
  });
});
