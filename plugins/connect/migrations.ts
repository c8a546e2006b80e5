import type { Kysely, Migration } from 'kysely';
import { withId } from '../../core/plugin-api.js';
import { phoneCountryMigration } from './phone-country-migration.js';
import { remoteSessionsMigration } from './remote-migration.js';

/** Run in name order, recorded in kysely_migration_connect; never edit one that has shipped, add the next. */
export const connectMigrations: Record<string, Migration> = {
  '0001-connect-monitoring': {
    async up(db: Kysely<unknown>): Promise<void> {
      await withId(db, db.schema.createTable('connect_sources'))
        .addColumn('tenant_id', 'integer', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('token_hash', 'text', (c) => c.notNull())
        .addColumn('token_hint', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('connect_sources_tenant_kind').on('connect_sources').columns(['tenant_id', 'kind']).unique().execute();

      await withId(db, db.schema.createTable('connect_events'))
        .addColumn('tenant_id', 'integer', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('received_at', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('host', 'text', (c) => c.notNull())
        .addColumn('service', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('state_class', 'text', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('detail', 'text', (c) => c.notNull())
        .addColumn('ticket_id', 'integer', (c) => c.references('tickets.id').onDelete('set null'))
        .addColumn('dedup_key', 'text', (c) => c.notNull())
        .addColumn('nonce', 'text', (c) => c.notNull())
        .execute();
      // The admin list and the 7-day cleanup walk received_at; flapping counts a key's recent changes.
      await db.schema.createIndex('connect_events_tenant_received').on('connect_events').columns(['tenant_id', 'received_at']).execute();
      await db.schema.createIndex('connect_events_tenant_key').on('connect_events').columns(['tenant_id', 'dedup_key', 'received_at']).execute();

      await withId(db, db.schema.createTable('connect_alerts'))
        .addColumn('tenant_id', 'integer', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
        .addColumn('dedup_key', 'text', (c) => c.notNull())
        .addColumn('open_key', 'text')
        .addColumn('host', 'text', (c) => c.notNull())
        .addColumn('service', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
        .addColumn('events_count', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('opened_at', 'text', (c) => c.notNull())
        .addColumn('last_at', 'text', (c) => c.notNull())
        .addColumn('closed_at', 'text')
        .execute();
      // One open alert per host+service: NULLs (closed alerts) never collide, on SQLite and PostgreSQL alike.
      await db.schema.createIndex('connect_alerts_open_key').on('connect_alerts').columns(['tenant_id', 'open_key']).unique().execute();
      await db.schema.createIndex('connect_alerts_tenant_host').on('connect_alerts').columns(['tenant_id', 'host', 'opened_at']).execute();
      await db.schema.createIndex('connect_alerts_ticket').on('connect_alerts').columns(['ticket_id']).execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('connect_alerts').execute();
      await db.schema.dropTable('connect_events').execute();
      await db.schema.dropTable('connect_sources').execute();
    },
  },
  '0002-connect-telephony': {
    async up(db: Kysely<unknown>): Promise<void> {
      await withId(db, db.schema.createTable('connect_calls'))
        .addColumn('tenant_id', 'integer', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
        .addColumn('call_id', 'text', (c) => c.notNull())
        .addColumn('direction', 'text', (c) => c.notNull())
        .addColumn('from_number', 'text', (c) => c.notNull())
        .addColumn('to_number', 'text', (c) => c.notNull())
        .addColumn('number', 'text', (c) => c.notNull())
        .addColumn('extension', 'text', (c) => c.notNull())
        .addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
        .addColumn('person_id', 'integer', (c) => c.references('people.id').onDelete('set null'))
        .addColumn('organisation_id', 'integer', (c) => c.references('organisations.id').onDelete('set null'))
        .addColumn('match', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('missed', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('cause', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('started_at', 'text', (c) => c.notNull())
        .addColumn('answered_at', 'text')
        .addColumn('ended_at', 'text')
        .addColumn('duration_s', 'integer')
        .addColumn('ticket_id', 'integer', (c) => c.references('tickets.id').onDelete('set null'))
        .addColumn('group_id', 'integer', (c) => c.references('support_groups.id').onDelete('set null'))
        .addColumn('todo_open', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('popup_closed', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('recording', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('recording_url', 'text')
        .execute();
      // One row per call of the PBX; the log pages by start; the pop-up reads an agent's live calls; to-dos the open ones.
      await db.schema.createIndex('connect_calls_tenant_call').on('connect_calls').columns(['tenant_id', 'call_id']).unique().execute();
      await db.schema.createIndex('connect_calls_tenant_started').on('connect_calls').columns(['tenant_id', 'started_at']).execute();
      await db.schema.createIndex('connect_calls_tenant_user_state').on('connect_calls').columns(['tenant_id', 'user_id', 'state']).execute();
      await db.schema.createIndex('connect_calls_tenant_todo').on('connect_calls').columns(['tenant_id', 'todo_open', 'started_at']).execute();
      await db.schema.createIndex('connect_calls_ticket').on('connect_calls').columns(['ticket_id']).execute();

      await withId(db, db.schema.createTable('connect_extensions'))
        .addColumn('tenant_id', 'integer', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('extension', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('connect_extensions_tenant_extension').on('connect_extensions').columns(['tenant_id', 'extension']).unique().execute();
      await db.schema.createIndex('connect_extensions_tenant_user').on('connect_extensions').columns(['tenant_id', 'user_id']).unique().execute();

      await withId(db, db.schema.createTable('connect_phone_settings'))
        .addColumn('tenant_id', 'integer', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
        .addColumn('country_code', 'text', (c) => c.notNull())
        .addColumn('missed_group_id', 'integer', (c) => c.references('support_groups.id').onDelete('set null'))
        .execute();
      await db.schema.createIndex('connect_phone_settings_tenant').on('connect_phone_settings').column('tenant_id').unique().execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('connect_phone_settings').execute();
      await db.schema.dropTable('connect_extensions').execute();
      await db.schema.dropTable('connect_calls').execute();
    },
  },
  '0003-connect-remote-sessions': remoteSessionsMigration,
  '0004-connect-phone-country': phoneCountryMigration,
};
