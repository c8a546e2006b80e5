import type { Kysely, Migration } from 'kysely';
import { withId } from '../../core/plugin-api.js';
import { DEVICE_KIND } from './device-kind.js';

type Row = { id: number; tenant_id: number; key: string; label: string; type: string; options: string; required: number; categories: string; position: number; active: number };

/**
 * 0009-hardware-core-fields: the custom field definitions of devices move from the plugin's own `hardware_fields`
 * into the core's definitions (record kind 'device', core migration 0018-record-fields); a field limited to device
 * types keeps them as the ids in digits. The values stay where they are: a JSON object on each device row.
 */
export const coreFieldsMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    const rows = await db.selectFrom('hardware_fields').selectAll().orderBy('id').execute() as Array<Omit<Row, 'categories'> & { type_ids: string }>;
    for (let at = 0; at < rows.length; at += 200) {
      await db.insertInto('ticket_fields').values(rows.slice(at, at + 200).map((row) => ({
        tenant_id: row.tenant_id, record_kind: DEVICE_KIND, key: row.key, label: row.label, type: row.type, options: row.options, required: row.required,
        categories: JSON.stringify((JSON.parse(row.type_ids) as number[]).map(String)), position: row.position, active: row.active,
      }))).execute();
    }
    await db.schema.dropTable('hardware_fields').execute();
  },
  async down(db: Kysely<any>): Promise<void> {
    await withId(db, db.schema.createTable('hardware_fields'))
      .addColumn('tenant_id', 'integer', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('label', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('options', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('required', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('type_ids', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
      .execute();
    await db.schema.createIndex('hardware_fields_tenant_key').on('hardware_fields').columns(['tenant_id', 'key']).unique().execute();
    const rows = await db.selectFrom('ticket_fields').selectAll().where('record_kind', '=', DEVICE_KIND).orderBy('id').execute() as Row[];
    for (let at = 0; at < rows.length; at += 200) {
      await db.insertInto('hardware_fields').values(rows.slice(at, at + 200).map((row) => ({
        tenant_id: row.tenant_id, key: row.key, label: row.label, type: row.type, options: row.options, required: row.required,
        type_ids: JSON.stringify((JSON.parse(row.categories) as string[]).map(Number).filter(Number.isInteger)), position: row.position, active: row.active,
      }))).execute();
    }
    await db.deleteFrom('ticket_fields').where('record_kind', '=', DEVICE_KIND).execute();
  },
};
