import { sql, type Kysely, type Migration } from 'kysely';
import { countryOfCallingCode } from '../../core/plugin-api.js';

/**
 * '0004-connect-phone-country': connect read national numbers with its own country calling code; it now uses the
 * tenant's phone country from core (Administration › Support contacts), so the column goes. A tenant that had set
 * another code than Germany's (49, the default of both) and has not saved core's setting yet gets that code's
 * country there, so its callers are read as before; where core's setting was saved, it stays (it is the one the
 * support directory already reads with). A down migration brings the column back with Germany's code.
 */
export const phoneCountryMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    const { rows } = await sql<{ tenant_id: number; country_code: string }>`select tenant_id, country_code from connect_phone_settings`.execute(db);
    const now = new Date().toISOString();
    for (const row of rows) {
      const country = countryOfCallingCode(row.country_code);
      if (!country || country === 'DE') continue;
      const saved = await sql`select 1 from directory_settings where tenant_id = ${row.tenant_id}`.execute(db);
      if (!saved.rows.length) await sql`insert into directory_settings (tenant_id, phone_country, updated_at) values (${row.tenant_id}, ${country}, ${now})`.execute(db);
    }
    await db.schema.alterTable('connect_phone_settings').dropColumn('country_code').execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('connect_phone_settings').addColumn('country_code', 'text', (c) => c.notNull().defaultTo('49')).execute();
  },
};
