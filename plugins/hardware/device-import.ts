import type { Services, TenantScope } from '../../core/plugin-api.js';
import { positiveId } from './catalogue-store.js';
import { DEVICE_FIELDS, shapeProblems, valuesOf, type DeviceInput } from './device-fields.js';
import type { DeviceState, HardwareDB, HardwareDevicesTable } from './hardware-db.js';

type Values = Omit<HardwareDevicesTable, 'id' | 'tenant_id' | 'created_at' | 'updated_at' | 'custom_fields'>;
export interface ImportRow { line: number; input: DeviceInput; problems?: Record<string, string> }
export interface ImportActor { id: number | null; label: string }

/** Rows per insert and per lookup (well below both dialects' bound-parameter limits). */
const CHUNK = 500;
/** History lines per insert (7 parameters each). */
const HISTORY_CHUNK = 2000;

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
  const modelIds = new Set<number>();
  const organisationIds = new Set<number>();
  const locationIds = new Set<number>();
  const people = new Map<string, { id: number; organisation_id: number | null }>();
  for (const part of chunks(inventories, CHUNK)) {
    for (const row of await tx.selectFrom('hardware_devices').select('inventory_number').where('inventory_number', 'in', part).execute()) taken.add(row.inventory_number);
  }
  for (const part of chunks(models, CHUNK)) for (const row of await tx.selectFrom('hardware_models').select('id').where('id', 'in', part).execute()) modelIds.add(row.id);
  for (const part of chunks(organisations, CHUNK)) for (const row of await tx.selectFrom('organisations').select('id').where('id', 'in', part).execute()) organisationIds.add(row.id);
  for (const part of chunks(locations, CHUNK)) for (const row of await tx.selectFrom('hardware_locations').select('id').where('id', 'in', part).execute()) locationIds.add(row.id);
  for (const part of chunks(emails, CHUNK)) {
    const rows = await tx.selectFrom('people').select((eb) => ['id', 'organisation_id', eb.fn<string>('lower', ['email']).as('key')])
      .where((eb) => eb(eb.fn('lower', ['email']), 'in', part)).orderBy('id').execute();
    for (const row of rows) if (!people.has(row.key)) people.set(row.key, { id: row.id, organisation_id: row.organisation_id });
  }
  return { taken, modelIds, organisationIds, locationIds, people };
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
  const optional = (value: string) => (value.trim() ? value.trim() : null);
  return {
    errors,
    values: {
      inventory_number: inventory, serial_number: optional(input.serial_number), model_id: modelId!, organisation_id: organisationId!, person_id: personId,
      location_id: locationId, state: input.state as DeviceState, purchased_on: optional(input.purchased_on), warranty_until: optional(input.warranty_until),
      host: optional(input.host), notes: input.notes.trim() ? input.notes.replace(/\r\n/g, '\n').trim() : null,
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
  for (const part of chunks(values, CHUNK)) {
    const inserted = await tx.insertInto('hardware_devices', part.map((value) => ({ ...value, created_at: now, updated_at: now })))
      .returning(['id', ...DEVICE_FIELDS]).execute();
    const lines = inserted.flatMap((row) => {
      const after = valuesOf(row);
      return DEVICE_FIELDS.filter((field) => after[field] !== null)
        .map((field) => ({ device_id: row.id, at: now, actor_id: actor.id, actor_label: actor.label, field, old_value: null, new_value: after[field] }));
    });
    for (const linesPart of chunks(lines, HISTORY_CHUNK)) await tx.insertInto('hardware_device_history', linesPart).execute();
  }
  return { refused, inserted: values.length };
}
