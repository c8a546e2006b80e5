import { sql, type Kysely, type Migration } from 'kysely';
import { isPostgres, withId } from '../../core/plugin-api.js';
import { coreFieldsMigration } from './core-fields-migration.js';
import { serviceSpans } from './service-spans.js';

const tenant = 'tenant_id';

/** Run in name order, recorded in kysely_migration_hardware; never edit one that has shipped, add the next. */
export const hardwareMigrations: Record<string, Migration> = {
  '0001-hardware-catalogue': {
    async up(db: Kysely<unknown>): Promise<void> {
      await withId(db, db.schema.createTable('hardware_types'))
        .addColumn(tenant, 'integer', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
        .addColumn('key', 'text')
        .addColumn('name_en', 'text', (c) => c.notNull())
        .addColumn('name_de', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('hardware_types_tenant_key').on('hardware_types').columns([tenant, 'key']).unique().execute();
      await withId(db, db.schema.createTable('hardware_manufacturers'))
        .addColumn(tenant, 'integer', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('hardware_manufacturers_tenant_name').on('hardware_manufacturers').columns([tenant, 'name']).unique().execute();
      await withId(db, db.schema.createTable('hardware_models'))
        .addColumn(tenant, 'integer', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
        .addColumn('type_id', 'integer', (c) => c.notNull().references('hardware_types.id'))
        .addColumn('manufacturer_id', 'integer', (c) => c.notNull().references('hardware_manufacturers.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('hardware_models_tenant_name').on('hardware_models').columns([tenant, 'manufacturer_id', 'name']).unique().execute();
      await db.schema.createIndex('hardware_models_tenant_type').on('hardware_models').columns([tenant, 'type_id']).execute();
      await withId(db, db.schema.createTable('hardware_locations'))
        .addColumn(tenant, 'integer', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
        .addColumn('parent_id', 'integer', (c) => c.references('hardware_locations.id'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('hardware_locations_tenant_parent').on('hardware_locations').columns([tenant, 'parent_id']).execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const table of ['hardware_locations', 'hardware_models', 'hardware_manufacturers', 'hardware_types']) await db.schema.dropTable(table).execute();
    },
  },
  '0002-hardware-devices': {
    async up(db: Kysely<unknown>): Promise<void> {
      await withId(db, db.schema.createTable('hardware_devices'))
        .addColumn(tenant, 'integer', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
        .addColumn('inventory_number', 'text', (c) => c.notNull())
        .addColumn('serial_number', 'text')
        .addColumn('model_id', 'integer', (c) => c.notNull().references('hardware_models.id'))
        .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisations.id'))
        .addColumn('person_id', 'integer', (c) => c.references('people.id').onDelete('set null'))
        .addColumn('location_id', 'integer', (c) => c.references('hardware_locations.id'))
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('purchased_on', 'text')
        .addColumn('warranty_until', 'text')
        .addColumn('host', 'text')
        .addColumn('notes', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      // Unique per tenant; the list's filters each have an index led by the tenant, ordered by inventory number.
      await db.schema.createIndex('hardware_devices_tenant_inventory').on('hardware_devices').columns([tenant, 'inventory_number']).unique().execute();
      await db.schema.createIndex('hardware_devices_tenant_serial').on('hardware_devices').columns([tenant, 'serial_number']).execute();
      await db.schema.createIndex('hardware_devices_tenant_host').on('hardware_devices').columns([tenant, 'host']).execute();
      for (const column of ['model_id', 'organisation_id', 'state', 'location_id', 'person_id']) {
        await db.schema.createIndex(`hardware_devices_tenant_${column}`).on('hardware_devices').columns([tenant, column, 'inventory_number']).execute();
      }
      await withId(db, db.schema.createTable('hardware_device_history'))
        .addColumn(tenant, 'integer', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
        .addColumn('device_id', 'integer', (c) => c.notNull().references('hardware_devices.id').onDelete('cascade'))
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('actor_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
        .addColumn('actor_label', 'text', (c) => c.notNull())
        .addColumn('field', 'text', (c) => c.notNull())
        .addColumn('old_value', 'text')
        .addColumn('new_value', 'text')
        .execute();
      await db.schema.createIndex('hardware_device_history_device').on('hardware_device_history').columns([tenant, 'device_id', 'at']).execute();
      await withId(db, db.schema.createTable('hardware_ticket_links'))
        .addColumn(tenant, 'integer', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
        .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
        .addColumn('device_id', 'integer', (c) => c.notNull().references('hardware_devices.id').onDelete('cascade'))
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('ticket_date', 'text', (c) => c.notNull())
        .addColumn('linked_at', 'text', (c) => c.notNull())
        .addColumn('linked_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
        .execute();
      await db.schema.createIndex('hardware_ticket_links_ticket').on('hardware_ticket_links').columns([tenant, 'ticket_id', 'device_id']).unique().execute();
      await db.schema.createIndex('hardware_ticket_links_device').on('hardware_ticket_links').columns([tenant, 'device_id', 'ticket_id']).execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const table of ['hardware_ticket_links', 'hardware_device_history', 'hardware_devices']) await db.schema.dropTable(table).execute();
    },
  },
  '0003-hardware-installations': {
    async up(db: Kysely<unknown>): Promise<void> {
      await withId(db, db.schema.createTable('hardware_installations'))
        .addColumn(tenant, 'integer', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisations.id'))
        .addColumn('location_id', 'integer', (c) => c.references('hardware_locations.id'))
        .addColumn('notes', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('hardware_installations_tenant_name').on('hardware_installations').columns([tenant, 'organisation_id', 'name']).unique().execute();
      await withId(db, db.schema.createTable('hardware_installation_components'))
        .addColumn(tenant, 'integer', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
        .addColumn('installation_id', 'integer', (c) => c.notNull().references('hardware_installations.id').onDelete('cascade'))
        .addColumn('device_id', 'integer', (c) => c.references('hardware_devices.id').onDelete('cascade'))
        .addColumn('name', 'text')
        .addColumn('sla_level_id', 'integer')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('hardware_installation_components_installation').on('hardware_installation_components').columns([tenant, 'installation_id']).execute();
      // A device stands in one installation at most (parts, without a device, are not limited: NULLs are distinct).
      await db.schema.createIndex('hardware_installation_components_device').on('hardware_installation_components').columns([tenant, 'device_id']).unique().execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const table of ['hardware_installation_components', 'hardware_installations']) await db.schema.dropTable(table).execute();
    },
  },
  '0004-hardware-report-indexes': {
    // The defect statistics read every state line up to the period's end and the defect links of the period: both by index
    // (test/load/hardware-bench.ts; without them a year over 20,000 devices and 30,000 links scanned both tables).
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.createIndex('hardware_device_history_field').on('hardware_device_history').columns([tenant, 'field', 'at']).execute();
      await db.schema.createIndex('hardware_ticket_links_reason').on('hardware_ticket_links').columns([tenant, 'reason', 'ticket_date']).execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropIndex('hardware_ticket_links_reason').execute();
      await db.schema.dropIndex('hardware_device_history_field').execute();
    },
  },
  '0005-hardware-speed': {
    // The list's search is a case-insensitive prefix of the inventory number, serial number or host. PostgreSQL compares
    // lower-cased columns with `like` there (device-list.ts), which these expression indexes serve (text_pattern_ops:
    // a prefix match under any collation); SQLite's `like` is case-insensitive by itself and scans its 20,000 rows fast.
    async up(db: Kysely<unknown>): Promise<void> {
      if (!isPostgres(db)) return;
      for (const column of ['inventory_number', 'serial_number', 'host']) {
        await sql`create index ${sql.id(`hardware_devices_tenant_lower_${column}`)} on hardware_devices (tenant_id, lower(${sql.id(column)}) text_pattern_ops)`.execute(db);
      }
    },
    async down(db: Kysely<unknown>): Promise<void> {
      if (!isPostgres(db)) return;
      for (const column of ['inventory_number', 'serial_number', 'host']) await db.schema.dropIndex(`hardware_devices_tenant_lower_${column}`).execute();
    },
  },
  '0006-hardware-fields': {
    // Custom fields of devices (definitions per tenant, optionally limited to device types; values as JSON on the device)
    // and files on devices (bytes in core's file store, a row per file).
    async up(db: Kysely<unknown>): Promise<void> {
      await withId(db, db.schema.createTable('hardware_fields'))
        .addColumn(tenant, 'integer', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('label', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('options', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('required', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('type_ids', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
        .execute();
      await db.schema.createIndex('hardware_fields_tenant_key').on('hardware_fields').columns([tenant, 'key']).unique().execute();
      await db.schema.alterTable('hardware_devices').addColumn('custom_fields', 'text', (c) => c.notNull().defaultTo('{}')).execute();
      await withId(db, db.schema.createTable('hardware_device_files'))
        .addColumn(tenant, 'integer', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
        .addColumn('device_id', 'integer', (c) => c.notNull().references('hardware_devices.id').onDelete('cascade'))
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('filename', 'text', (c) => c.notNull())
        .addColumn('mime_type', 'text', (c) => c.notNull())
        .addColumn('size', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('hardware_device_files_device').on('hardware_device_files').columns([tenant, 'device_id']).execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('hardware_device_files').execute();
      await db.schema.alterTable('hardware_devices').dropColumn('custom_fields').execute();
      await db.schema.dropTable('hardware_fields').execute();
    },
  },
  '0007-hardware-service-spans': {
    // The defect statistics' installed base from kept periods in service (service-spans.ts) instead of a window over the
    // whole state history per request (test/load/hardware-bench.ts); filled here from the history there is.
    async up(db: Kysely<unknown>): Promise<void> {
      await withId(db, db.schema.createTable('hardware_service_spans'))
        .addColumn(tenant, 'integer', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
        .addColumn('device_id', 'integer', (c) => c.notNull().references('hardware_devices.id').onDelete('cascade'))
        .addColumn('start_ms', 'bigint', (c) => c.notNull())
        .addColumn('end_ms', 'bigint')
        .addColumn('prev_end_ms', 'bigint')
        .execute();
      await db.schema.createIndex('hardware_service_spans_device').on('hardware_service_spans').columns([tenant, 'device_id']).execute();
      await db.schema.createIndex('hardware_service_spans_start').on('hardware_service_spans').columns([tenant, 'start_ms']).execute();
      // The period's defect links read from the index alone (device and ticket with the date); it replaces the shorter one.
      await db.schema.createIndex('hardware_ticket_links_defects').on('hardware_ticket_links').columns([tenant, 'reason', 'ticket_date', 'device_id', 'ticket_id']).execute();
      await db.schema.dropIndex('hardware_ticket_links_reason').execute();
      // Nothing reads the state lines across devices any more (the spans are counted per device, by its own index):
      // one index less for each of the import's history lines.
      await db.schema.dropIndex('hardware_device_history_field').execute();
      const any = db as Kysely<any>;
      const tenants: Array<{ tenant_id: number }> = await any.selectFrom('hardware_device_history').select('tenant_id').distinct().execute();
      for (const { tenant_id } of tenants) {
        const lines: Array<{ device_id: number; at: string; new_value: string | null }> = await any.selectFrom('hardware_device_history')
          .select(['device_id', 'at', 'new_value']).where('tenant_id', '=', tenant_id).where('field', '=', 'state').orderBy('device_id').orderBy('at').orderBy('id').execute();
        const spans = serviceSpans(lines.map((row) => ({ deviceId: row.device_id, at: Date.parse(row.at), state: row.new_value ?? '' })));
        for (let i = 0; i < spans.length; i += 2000) await any.insertInto('hardware_service_spans').values(spans.slice(i, i + 2000).map((span) => ({ ...span, tenant_id }))).execute();
      }
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.createIndex('hardware_device_history_field').on('hardware_device_history').columns([tenant, 'field', 'at']).execute();
      await db.schema.createIndex('hardware_ticket_links_reason').on('hardware_ticket_links').columns([tenant, 'reason', 'ticket_date']).execute();
      await db.schema.dropIndex('hardware_ticket_links_defects').execute();
      await db.schema.dropTable('hardware_service_spans').execute();
    },
  },
  '0008-hardware-ticket-parts': {
    // A named part of an installation chosen on a ticket, so the ticket reaches the part's service level (part-links.ts).
    async up(db: Kysely<unknown>): Promise<void> {
      await withId(db, db.schema.createTable('hardware_ticket_parts'))
        .addColumn(tenant, 'integer', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
        .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
        .addColumn('component_id', 'integer', (c) => c.notNull().references('hardware_installation_components.id').onDelete('cascade'))
        .addColumn('linked_at', 'text', (c) => c.notNull())
        .addColumn('linked_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
        .execute();
      await db.schema.createIndex('hardware_ticket_parts_ticket').on('hardware_ticket_parts').columns([tenant, 'ticket_id', 'component_id']).unique().execute();
      await db.schema.createIndex('hardware_ticket_parts_component').on('hardware_ticket_parts').columns([tenant, 'component_id']).execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('hardware_ticket_parts').execute();
    },
  },
  '0009-hardware-core-fields': coreFieldsMigration,
};
