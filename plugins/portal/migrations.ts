import type { Migration } from 'kysely';
import { withId } from '../../core/plugin-api.js';

/** The portal's own tables (tenant_id and the plugin's prefix); run by the host into kysely_migration_portal. */
export const portalMigrations: Record<string, Migration> = {
  '0001-portal-rate-counts': {
    up: async (db) => {
      // Fixed-window counters for submissions per portal user and per client address.
      await withId(db, db.schema.createTable('portal_rate_counts'))
        .addColumn('tenant_id', 'integer', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('window_start', 'text', (c) => c.notNull())
        .addColumn('hits', 'integer', (c) => c.notNull())
        .addUniqueConstraint('portal_rate_counts_tenant_key', ['tenant_id', 'key'])
        .execute();
    },
    down: async (db) => {
      await db.schema.dropTable('portal_rate_counts').execute();
    },
  },
};
