import { sql, type Kysely, type Migration } from 'kysely';
import { isPostgres, withId } from '../../../core/plugin-api.js';

/** Service order tables, frozen in time like every migration (they take Kysely<any>). */
export const serviceOrderMigrations: Record<string, Migration> = {
  '0002-helpdesk-service-orders': {
    async up(db: Kysely<any>) {
      const now = isPostgres(db) ? sql`(to_char(now() at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))` : sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`;
      await withId(db, db.schema.createTable('helpdesk_service_orders'))
        .addColumn('tenant_id', 'integer', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
        .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('technician_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
        .addColumn('planned_at', 'text', (c) => c.notNull())
        .addColumn('planned_end', 'text')
        .addColumn('status', 'text', (c) => c.notNull().defaultTo('planned'))
        .addColumn('report', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('minutes_spent', 'integer')
        .addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
        .addColumn('created_by_label', 'text', (c) => c.notNull())
        .addColumn('updated_by_label', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull().defaultTo(now))
        .addColumn('updated_at', 'text', (c) => c.notNull().defaultTo(now))
        .execute();
      // The ticket's panel, the agent list by planned time (default sort) and its status and technician filters.
      await db.schema.createIndex('helpdesk_service_orders_ticket').on('helpdesk_service_orders').columns(['tenant_id', 'ticket_id', 'planned_at']).execute();
      await db.schema.createIndex('helpdesk_service_orders_planned').on('helpdesk_service_orders').columns(['tenant_id', 'planned_at', 'id']).execute();
      await db.schema.createIndex('helpdesk_service_orders_status').on('helpdesk_service_orders').columns(['tenant_id', 'status', 'planned_at']).execute();
      await db.schema.createIndex('helpdesk_service_orders_technician').on('helpdesk_service_orders').columns(['tenant_id', 'technician_id', 'planned_at']).execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('helpdesk_service_orders').execute();
    },
  },
  '0003-helpdesk-service-order-calendar': {
    // The SEQUENCE of the order's calendar messages to its technician (grows with each one).
    async up(db: Kysely<any>) {
      await db.schema.alterTable('helpdesk_service_orders').addColumn('calendar_sequence', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.alterTable('helpdesk_service_orders').dropColumn('calendar_sequence').execute();
    },
  },
};
