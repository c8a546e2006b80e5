import type { Kysely, Migration } from 'kysely';

/**
 * '0004-connect-phone-country': connect read national numbers with its own country calling code; it now uses the
 * tenant's phone country from core (Administration › Support contacts), so the column goes. A down migration brings
 * it back with Germany's code, the old default.
 */
export const phoneCountryMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('connect_phone_settings').dropColumn('country_code').execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('connect_phone_settings').addColumn('country_code', 'text', (c) => c.notNull().defaultTo('49')).execute();
  },
};
