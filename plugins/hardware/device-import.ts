import { sql } from 'kysely';
import type { Services, TenantScope } from '../../core/plugin-api.js';
import { positiveId } from './catalogue-store.js';
import { activeDefinitions, checkCustom, customChanges, fieldsForType, parseValues } from './device-custom.js';
import { DEVICE_FIELDS, shapeProblems, valuesOf, type DeviceField, type DeviceInput } from './device-fields.js';
import type { DeviceState, HardwareDB, HardwareDevicesTable } from './hardware-db.js';
import { insertSpans, serviceSpans } from './service-spans.js';

type Values = Omit<HardwareDevicesTable, 'id' | 'tenant_id' | 'created_at' | 'updated_at' | 'custom_fields'> & { custom_fields: string };
export interface ImportRow { line: number; input: DeviceInput; problems?: Record<string, string> }
export interface ImportActor { id: number | null; label: string }

/** Rows per insert and per lookup (well below both dialects' bound-parameter limits). */
const CHUNK = 500;
/** History lines per insert (7 parameters each; SQLite). */
const HISTORY_CHUNK = 2000;
/** Devices per statement on PostgreSQL (one array per column, see insertDevicesPg). */
const PG_CHUNK = 5000;

const chunks = <T>(items: readonly T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};

/**
 * What the device form's checks need to know about every row of a file, read once per file rather than once per
 * row: which inventory numbers are taken, which referenced models, customers and locations exist in the tenant,
 * and the people by lower-cased e-mail address. One query per kind and chunk of distinct values.
 */
async function lookups(tx: TenantScope<HardwareDB>, inputs: readonly DeviceInput[]) {
  const distinct = <T>(values: Array<T | null>) => [...new Set(values.filter((value): value is T => value !== null))];
  const inventories = distinct(inputs.map((input) => input.inventory_number.trim() || null));
  const models = distinct(inputs.map((input) => positiveId(input.model_id)));
  const organisations = distinct(inputs.map((input) => positiveId(input.organisation_id)));
  const locations = distinct(inputs.map((input) => (input.location_id.trim() ? positiveId(input.location_id) : null)));
  const emails = distinct(inputs.map((input) => input.person.trim().toLowerCase() || null));
  const taken = new Set<string>();
  const modelIds = new Map<number, number>();
  const organisationIds = new Set<number>();
  const locationIds = new Set<number>();
  const people = new Map<string, { id: number; organisation_id: number | null }>();
  for (const part of chunks(inventories, CHUNK)) {
    for (const row of await tx.selectFrom('hardware_devices').select('inventory_number').where('inventory_number', 'in', part).execute()) taken.add(row.inventory_number);
  }
  for (const part of chunks(models, CHUNK)) for (const row of await tx.selectFrom('hardware_models').select(['id', 'type_id']).where('id', 'in', part).execute()) modelIds.set(row.id, row.type_id);
  for (const part of chunks(organisations, CHUNK)) for (const row of await tx.selectFrom('organisations').select('id').where('id', 'in', part).execute()) organisationIds.add(row.id);
  for (const part of chunks(locations, CHUNK)) for (const row of await tx.selectFrom('hardware_locations').select('id').where('id', 'in', part).execute()) locationIds.add(row.id);
  for (const part of chunks(emails, CHUNK)) {
    const rows = await tx.selectFrom('people').select((eb) => ['id', 'organisation_id', eb.fn<string>('lower', ['email']).as('key')])
      .where((eb) => eb(eb.fn('lower', ['email']), 'in', part)).orderBy('id').execute();
    for (const row of rows) if (!people.has(row.key)) people.set(row.key, { id: row.id, organisation_id: row.organisation_id });
  }
  return { taken, modelIds, organisationIds, locationIds, people, definitions: await activeDefinitions(tx) };
}

/** The form's checks of one row (as `deviceStore`'s resolve makes them, same fields and messages) against the file's lookups. */
function check(input: DeviceInput, known: Awaited<ReturnType<typeof lookups>>): { errors: Record<string, string>; values: Values } {
  const errors = shapeProblems(input);
  const inventory = input.inventory_number.trim();
  if (!errors.inventory_number && known.taken.has(inventory)) errors.inventory_number = 'hardware.device.inventoryTaken';
  const modelId = positiveId(input.model_id);
  if (!errors.model_id && !(modelId && known.modelIds.has(modelId))) errors.model_id = 'hardware.field.choose';
  const organisationId = positiveId(input.organisation_id);
  if (!errors.organisation_id && !(organisationId && known.organisationIds.has(organisationId))) errors.organisation_id = 'hardware.field.choose';
  const locationId = input.location_id.trim() ? positiveId(input.location_id) : null;
  if (input.location_id.trim() && !(locationId && known.locationIds.has(locationId))) errors.location_id = 'hardware.field.choose';
  let personId: number | null = null;
  const email = input.person.trim().toLowerCase();
  if (email) {
    const person = known.people.get(email);
    if (!person) errors.person = 'hardware.device.personUnknown';
    else if (organisationId && person.organisation_id !== organisationId) errors.person = 'hardware.device.personElsewhere';
    else personId = person.id;
  }
  // The custom fields of the model's type, with the same rules as the form (a field the file has no column for is empty).
  // An empty cell of a field that does not apply to this type is no value (a printer's column on a notebook's row).
  const typeId = modelId ? known.modelIds.get(modelId) ?? null : null;
  const applicable = new Set(fieldsForType(known.definitions, typeId).map((field) => field.key));
  const sent = Object.fromEntries(Object.entries(input.custom ?? {}).filter(([key, value]) => applicable.has(key) || String(value ?? '').trim() !== ''));
  const custom = checkCustom(known.definitions, typeId, sent, {});
  Object.assign(errors, custom.errors);
  const optional = (value: string) => (value.trim() ? value.trim() : null);
  return {
    errors,
    values: {
      inventory_number: inventory, serial_number: optional(input.serial_number), model_id: modelId!, organisation_id: organisationId!, person_id: personId,
      location_id: locationId, state: input.state as DeviceState, purchased_on: optional(input.purchased_on), warranty_until: optional(input.warranty_until),
      host: optional(input.host), notes: input.notes.trim() ? input.notes.replace(/\r\n/g, '\n').trim() : null, custom_fields: JSON.stringify(custom.values),
    },
  };
}

/**
 * Checks and adds the rows of an import inside the caller's transaction: every row checked as the form checks it
 * (an inventory number twice in the file is refused at its later rows), the references read once per file, and
 * the devices with their first history lines inserted in chunks. Answers the refusals by line; nothing is inserted
 * when there is any refusal or `dryRun` (the caller rolls back).
 */
export async function importDevices(services: Services, tx: TenantScope<HardwareDB>, rows: readonly ImportRow[], actor: ImportActor, dryRun: boolean) {
  const now = services.clock().toISOString();
  const refused: Array<{ line: number; fields: Record<string, string> }> = [];
  const known = await lookups(tx, rows.map((row) => row.input));
  const seen = new Set<string>();
  const values: Values[] = [];
  for (const row of rows) {
    const fields: Record<string, string> = { ...row.problems };
    const inventory = row.input.inventory_number.trim();
    if (inventory && seen.has(inventory)) fields.inventory_number = 'hardware.import.twice';
    seen.add(inventory);
    const checked = check(row.input, known);
    for (const [field, message] of Object.entries(checked.errors)) fields[field] ??= message;
    if (Object.keys(fields).length) refused.push({ line: row.line, fields });
    else values.push(checked.values);
  }
  if (refused.length || dryRun) return { refused, inserted: 0 };
  const postgres = services.database.dialect === 'postgres';
  for (const part of chunks(values, postgres ? PG_CHUNK : CHUNK)) {
    const inserted = postgres ? await insertDevicesPg(tx, part, now)
      : await tx.insertInto('hardware_devices', part.map((value) => ({ ...value, created_at: now, updated_at: now }))).returning(['id', ...DEVICE_FIELDS, 'custom_fields']).execute();
    // The first history lines of each device: its fields, and its custom fields as the form writes them (`custom.<key>`).
    const lines = inserted.flatMap((row) => {
      const after = valuesOf(row);
      return [
        ...DEVICE_FIELDS.filter((field) => after[field] !== null).map((field) => ({ device_id: row.id, field: field as string, new_value: after[field]! })),
        ...customChanges(null, parseValues(row.custom_fields)).map((line) => ({ device_id: row.id, field: line.field, new_value: line.new_value! })),
      ];
    });
    if (postgres) await insertHistoryPg(tx, lines, now, actor);
    else {
      for (const linesPart of chunks(lines, HISTORY_CHUNK)) {
        await tx.insertInto('hardware_device_history', linesPart.map((line) => ({ ...line, at: now, actor_id: actor.id, actor_label: actor.label, old_value: null }))).execute();
      }
    }
    // Each new device has one state line: its period in service, if it is in service (kept as device-store keeps it).
    const at = Date.parse(now);
    await insertSpans(tx, serviceSpans(inserted.map((row) => ({ deviceId: row.id, at, state: row.state }))));
  }
  return { refused, inserted: values.length };
}

/**
 * PostgreSQL: a chunk of devices in one statement of one array per column (`unnest`), whatever the chunk's size: 13
 * parameters instead of 13 per row, so the server plans and binds once per chunk (test/load/hardware-bench.ts).
 * The tenant is stamped from the scope, as its insertInto does.
 */
async function insertDevicesPg(tx: TenantScope<HardwareDB>, rows: readonly Values[], now: string) {
  const column = <K extends keyof Values>(key: K) => rows.map((row) => row[key]);
  const result = await sql<{ id: number; custom_fields: string } & Pick<HardwareDevicesTable, DeviceField>>`
    insert into hardware_devices (tenant_id, inventory_number, serial_number, model_id, organisation_id, person_id, location_id, state,
      purchased_on, warranty_until, host, notes, custom_fields, created_at, updated_at)
    select ${tx.tenantId}, u.* , ${now}, ${now} from unnest(${column('inventory_number')}::text[], ${column('serial_number')}::text[], ${column('model_id')}::integer[],
      ${column('organisation_id')}::integer[], ${column('person_id')}::integer[], ${column('location_id')}::integer[], ${column('state')}::text[],
      ${column('purchased_on')}::text[], ${column('warranty_until')}::text[], ${column('host')}::text[], ${column('notes')}::text[], ${column('custom_fields')}::text[]) as u
    returning id, ${sql.join([...DEVICE_FIELDS, 'custom_fields'].map((field) => sql.ref(field)))}`.execute(tx.db);
  return result.rows;
}

/** PostgreSQL: the history lines of a chunk of new devices in one statement (three arrays; the instant and actor are the same). */
async function insertHistoryPg(tx: TenantScope<HardwareDB>, lines: ReadonlyArray<{ device_id: number; field: string; new_value: string }>, now: string, actor: ImportActor) {
  if (lines.length === 0) return;
  await sql`
    insert into hardware_device_history (tenant_id, device_id, at, actor_id, actor_label, field, old_value, new_value)
    select ${tx.tenantId}, u.device_id, ${now}, ${actor.id}::integer, ${actor.label}, u.field, null, u.new_value
    from unnest(${lines.map((line) => line.device_id)}::integer[], ${lines.map((line) => line.field)}::text[], ${lines.map((line) => line.new_value)}::text[]) as u(device_id, field, new_value)`
    .execute(tx.db);
}
