import type { Kysely } from 'kysely';
import { DomainError, invalidFields, pluginScope, type DB, type Services, type TenantScope } from '../../core/plugin-api.js';
import { positiveId } from './catalogue-store.js';
import { importDevices } from './device-import.js';
import { activeDefinitions, checkCustom, customChanges, parseValues, type CustomValues } from './device-custom.js';
import { DEVICE_FIELDS, replayHistory, shapeProblems, valuesOf, type DeviceInput, type DeviceValues } from './device-fields.js';
import type { DeviceState, HardwareDB, HardwareDevicesTable } from './hardware-db.js';
import { refreshServiceSpans } from './service-spans.js';

export type DeviceRow = Omit<HardwareDevicesTable, 'id' | 'tenant_id' | 'custom_fields'> & { id: number; custom_fields: string };
export interface HistoryRow { id: number; at: string; actor_label: string; field: string; old_value: string | null; new_value: string | null }
export interface Actor { id: number | null; label: string }
/** An import's answer: the refused rows by line (field → message key), how many rows passed, whether they were saved. */
export interface ImportResult { refused: Array<{ line: number; fields: Record<string, string> }>; count: number; saved: boolean }

const COLUMNS = ['id', 'inventory_number', 'serial_number', 'model_id', 'organisation_id', 'person_id', 'location_id', 'state',
  'purchased_on', 'warranty_until', 'host', 'notes', 'custom_fields', 'created_at', 'updated_at'] as const;

/** A unique index refused the insert or update (SQLite and PostgreSQL word it differently). */
const isUniqueViolation = (error: unknown) => {
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || /UNIQUE constraint failed/.test(message ?? '');
};

/** The devices of a tenant: created and changed with a history line per field, read "as of" a moment. */
export function deviceStore(services: Services, tenantId: number) {
  const scope = pluginScope<HardwareDB>(services.db, tenantId);

  /**
   * Checks the references inside the tenant and returns the row's values, or throws the fields' refusals. The custom
   * fields are checked against the fields of the model's type when the input has them (`input.custom`); without
   * them (the CSV import) the device keeps `current` (none for a new one).
   */
  async function resolve(tx: TenantScope<HardwareDB>, input: DeviceInput, exceptId: number | null, current: CustomValues = {}): Promise<Omit<DeviceRow, 'id' | 'created_at' | 'updated_at'>> {
    const errors = shapeProblems(input);
    const inventory = input.inventory_number.trim();
    if (!errors.inventory_number) {
      let taken = tx.selectFrom('hardware_devices').select('id').where('inventory_number', '=', inventory);
      if (exceptId) taken = taken.where('id', '!=', exceptId);
      if (await taken.executeTakeFirst()) errors.inventory_number = 'hardware.device.inventoryTaken';
    }
    const modelId = positiveId(input.model_id);
    const model = !errors.model_id && modelId ? await tx.selectFrom('hardware_models').select(['id', 'type_id']).where('id', '=', modelId).executeTakeFirst() : undefined;
    if (!errors.model_id && !model) errors.model_id = 'hardware.field.choose';
    let custom = current;
    if (input.custom) {
      const checked = checkCustom(await activeDefinitions(tx), model?.type_id ?? null, input.custom, current);
      Object.assign(errors, checked.errors);
      custom = checked.values;
    }
    const organisationId = positiveId(input.organisation_id);
    if (!errors.organisation_id && !(organisationId && await tx.selectFrom('organisations').select('id').where('id', '=', organisationId).executeTakeFirst())) errors.organisation_id = 'hardware.field.choose';
    const locationId = input.location_id.trim() ? positiveId(input.location_id) : null;
    if (input.location_id.trim() && !(locationId && await tx.selectFrom('hardware_locations').select('id').where('id', '=', locationId).executeTakeFirst())) errors.location_id = 'hardware.field.choose';
    let personId: number | null = null;
    const email = input.person.trim().toLowerCase();
    if (email) {
      const person = await tx.selectFrom('people').select(['id', 'organisation_id']).where((eb) => eb(eb.fn('lower', ['email']), '=', email)).executeTakeFirst();
      if (!person) errors.person = 'hardware.device.personUnknown';
      else if (organisationId && person.organisation_id !== organisationId) errors.person = 'hardware.device.personElsewhere';
      else personId = person.id;
    }
    if (Object.keys(errors).length) throw invalidFields('error.invalid', errors);
    const optional = (value: string) => (value.trim() ? value.trim() : null);
    return {
      inventory_number: inventory, serial_number: optional(input.serial_number), model_id: modelId!, organisation_id: organisationId!, person_id: personId,
      location_id: locationId, state: input.state as DeviceState, purchased_on: optional(input.purchased_on), warranty_until: optional(input.warranty_until),
      host: optional(input.host), notes: input.notes.trim() ? input.notes.replace(/\r\n/g, '\n').trim() : null, custom_fields: JSON.stringify(custom),
    };
  }

  /** A line per moved field, and per moved custom field (`custom.<key>`; `customBefore` null for a new device). */
  async function writeHistory(tx: TenantScope<HardwareDB>, deviceId: number, before: DeviceValues | null, after: DeviceValues, actor: Actor, at: string,
    customBefore: CustomValues | null = null, customAfter: CustomValues = {}): Promise<number> {
    const lines = [
      ...DEVICE_FIELDS.filter((field) => (before?.[field] ?? null) !== after[field] && !(before === null && after[field] === null))
        .map((field) => ({ field, old_value: before?.[field] ?? null, new_value: after[field] })),
      ...customChanges(customBefore, customAfter),
    ].map((line) => ({ device_id: deviceId, at, actor_id: actor.id, actor_label: actor.label, ...line }));
    if (lines.length) await tx.insertInto('hardware_device_history', lines).execute();
    if (lines.some((line) => line.field === 'state')) await refreshServiceSpans(tx, [deviceId]);
    return lines.length;
  }

  const audit = (trx: Kysely<DB>, actor: Actor, action: string, target: string) =>
    services.audit.record({ tenantId, actor: { userId: actor.id, label: actor.label }, action, target }, trx);

  return {
    async get(id: number): Promise<DeviceRow> {
      const row = await scope.selectFrom('hardware_devices').select(COLUMNS).where('id', '=', id).executeTakeFirst();
      if (!row) throw new DomainError('not_found', 'error.notFound');
      return row;
    },

    async create(input: DeviceInput, actor: Actor): Promise<DeviceRow> {
      const now = services.clock().toISOString();
      try {
        return await services.db.transaction().execute(async (trx) => {
          const tx = scope.withDb(trx);
          const values = await resolve(tx, input, null);
          const row = await tx.insertInto('hardware_devices', { ...values, created_at: now, updated_at: now }).returning(COLUMNS).executeTakeFirstOrThrow();
          await writeHistory(tx, row.id, null, valuesOf(row), actor, now, null, parseValues(row.custom_fields));
          await audit(trx, actor, 'hardware.device_created', row.inventory_number);
          return row;
        });
      } catch (error) {
        // Two saves of one number at once: the index refuses the second, at the same field.
        if (isUniqueViolation(error)) throw invalidFields('error.invalid', { inventory_number: 'hardware.device.inventoryTaken' });
        throw error;
      }
    },

    /** Saves the form's values; a history line for each field that moved (none when nothing did). */
    async update(id: number, input: DeviceInput, actor: Actor): Promise<DeviceRow> {
      const now = services.clock().toISOString();
      try {
        return await services.db.transaction().execute(async (trx) => {
          const tx = scope.withDb(trx);
          const current = await tx.selectFrom('hardware_devices').select(COLUMNS).where('id', '=', id).executeTakeFirst();
          if (!current) throw new DomainError('not_found', 'error.notFound');
          const before = parseValues(current.custom_fields);
          const values = await resolve(tx, input, id, before);
          const moved = await writeHistory(tx, id, valuesOf(current), valuesOf(values), actor, now, before, parseValues(values.custom_fields));
          if (moved === 0) return current;
          const row = await tx.updateTable('hardware_devices').set({ ...values, updated_at: now }).where('id', '=', id).returning(COLUMNS).executeTakeFirstOrThrow();
          await audit(trx, actor, 'hardware.device_changed', row.inventory_number);
          return row;
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw invalidFields('error.invalid', { inventory_number: 'hardware.device.inventoryTaken' });
        throw error;
      }
    },

    /**
     * Adds many devices in one transaction, all or nothing: every row is checked as the form checks it (and an
     * inventory number twice in the batch is refused); any refusal, or `dryRun`, rolls everything back.
     * Answers the refusals by line (field → message key) and how many devices were (or would be) added.
     */
    async importMany(rows: ReadonlyArray<{ line: number; input: DeviceInput; problems?: Record<string, string> }>, actor: Actor, dryRun: boolean): Promise<ImportResult> {
      const refused: ImportResult['refused'] = [];
      const rollback = new Error('rollback');
      try {
        await services.db.transaction().execute(async (trx) => {
          // Checked and saved in batches (references read once per file, inserts in chunks): device-import.ts.
          const result = await importDevices(services, scope.withDb(trx), rows, actor, dryRun);
          refused.push(...result.refused);
          if (refused.length || dryRun) throw rollback;
          await services.audit.record({ tenantId, actor: { userId: actor.id, label: actor.label }, action: 'hardware.devices_imported', details: { count: result.inserted } }, trx);
        });
      } catch (error) {
        if (error !== rollback) throw error;
      }
      return { refused, count: rows.length - refused.length, saved: !dryRun && refused.length === 0 };
    },

    /**
     * Deletes a device with its history and ticket links. A device standing in an installation is refused
     * (conflict at `id`): its component may carry a service level, so it is taken out there first.
     */
    async remove(id: number, actor: Actor): Promise<void> {
      await services.db.transaction().execute(async (trx) => {
        const tx = scope.withDb(trx);
        const device = await tx.selectFrom('hardware_devices').select(['id', 'inventory_number']).where('id', '=', id).executeTakeFirst();
        if (!device) throw new DomainError('not_found', 'error.notFound');
        if (await tx.selectFrom('hardware_installation_components').select('id').where('device_id', '=', id).executeTakeFirst()) {
          throw new DomainError('conflict', 'hardware.device.inInstallation', { id: 'hardware.device.inInstallation' });
        }
        await tx.deleteFrom('hardware_ticket_links').where('device_id', '=', id).execute();
        await tx.deleteFrom('hardware_device_files').where('device_id', '=', id).execute();
        await tx.deleteFrom('hardware_service_spans').where('device_id', '=', id).execute();
        await tx.deleteFrom('hardware_device_history').where('device_id', '=', id).execute();
        await tx.deleteFrom('hardware_devices').where('id', '=', id).execute();
        await audit(trx, actor, 'hardware.device_deleted', device.inventory_number);
      });
    },

    history(id: number): Promise<HistoryRow[]> {
      return scope.selectFrom('hardware_device_history').select(['id', 'at', 'actor_label', 'field', 'old_value', 'new_value'])
        .where('device_id', '=', id).orderBy('at').orderBy('id').execute();
    },

    /** The device's values before `instant` (exclusive), rebuilt from its history; null when it did not exist yet. */
    async asOf(id: number, instant: string): Promise<DeviceValues | null> {
      const rows = await scope.selectFrom('hardware_device_history').select(['at', 'field', 'new_value'])
        .where('device_id', '=', id).where('at', '<', instant).orderBy('at').orderBy('id').execute();
      return replayHistory(rows, instant);
    },
  };
}
