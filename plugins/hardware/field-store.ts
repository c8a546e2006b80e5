import { invalidFields, pluginScope, DomainError, type Services } from '../../core/plugin-api.js';
import { positiveId } from './catalogue-store.js';
import { FIELD_COLUMNS, listFields, type FieldRow } from './device-custom.js';
import type { HardwareDB, HardwareFieldsTable } from './hardware-db.js';

export const FIELD_TYPES = ['text', 'number', 'date', 'select', 'checkbox'] as const satisfies ReadonlyArray<HardwareFieldsTable['type']>;
export const FIELD_KEY = /^[a-z][a-z0-9_]{0,39}$/;
export const LABEL_MAX = 100;
export const OPTIONS_MAX = 50;
export const OPTION_MAX = 100;

/** What the admin form sends: strings; `type_ids` the chosen device types' ids; the key only when adding. */
export interface FieldInput {
  key?: string;
  label: string;
  type: string;
  /** One choice per line (select). */
  options: string;
  required: boolean;
  active: boolean;
  position: string;
  type_ids: string[];
}

/**
 * The tenant's definitions of custom device fields, every query through the tenant scope. Refusals are
 * DomainErrors with message keys at the form's fields; each change has its audit entry.
 */
export function fieldStore(services: Services, tenantId: number) {
  const scope = pluginScope<HardwareDB>(services.db, tenantId);

  async function checked(input: FieldInput, type: string) {
    const errors: Record<string, string> = {};
    const label = input.label.trim();
    if (!label) errors.label = 'hardware.field.required';
    else if (label.length > LABEL_MAX) errors.label = 'hardware.field.tooLong';
    if (!(FIELD_TYPES as readonly string[]).includes(type)) errors.type = 'hardware.field.choose';
    const options = [...new Set(input.options.split(/\r?\n/).map((line) => line.trim()).filter(Boolean))];
    if (type === 'select' && options.length === 0) errors.options = 'hardware.fields.optionsRequired';
    else if (options.length > OPTIONS_MAX || options.some((option) => option.length > OPTION_MAX)) errors.options = 'hardware.fields.optionsTooMany';
    const position = input.position.trim() === '' ? 0 : Number(input.position);
    if (!Number.isInteger(position) || position < 0 || position > 9999) errors.position = 'hardware.fields.positionInvalid';
    const ids = [...new Set(input.type_ids.map((id) => positiveId(id)))];
    const known = new Set((await scope.selectFrom('hardware_types').select('id').execute()).map((row) => row.id));
    if (ids.some((id) => id === null || !known.has(id))) errors.type_ids = 'hardware.field.choose';
    return {
      errors,
      values: {
        label, options: JSON.stringify(type === 'select' ? options : []), required: input.required ? 1 : 0, active: input.active ? 1 : 0, position,
        type_ids: JSON.stringify((ids.filter((id) => id !== null) as number[]).sort((a, b) => a - b)),
      },
    };
  }

  const audit = (actor: { id: number; label: string }, target: string) =>
    services.audit.record({ tenantId, actor: { userId: actor.id, label: actor.label }, action: 'hardware.fields_changed', target });

  return {
    list: () => listFields(scope),

    async get(id: number): Promise<FieldRow> {
      const row = await scope.selectFrom('hardware_fields').select(FIELD_COLUMNS).where('id', '=', id).executeTakeFirst();
      if (!row) throw new DomainError('not_found', 'error.notFound');
      return row;
    },

    async add(input: FieldInput, actor: { id: number; label: string }): Promise<number> {
      const key = (input.key ?? '').trim();
      const { errors, values } = await checked(input, input.type);
      if (!FIELD_KEY.test(key)) errors.key = 'hardware.fields.keyInvalid';
      else if (await scope.selectFrom('hardware_fields').select('id').where('key', '=', key).executeTakeFirst()) errors.key = 'hardware.field.taken';
      if (Object.keys(errors).length) throw invalidFields('error.invalid', errors);
      const row = await scope.insertInto('hardware_fields', { ...values, key, type: input.type as HardwareFieldsTable['type'] }).returning('id').executeTakeFirstOrThrow();
      await audit(actor, `field:${key}`);
      return row.id;
    },

    /** Changes a field; its key and type stay (the stored values depend on them). */
    async update(id: number, input: FieldInput, actor: { id: number; label: string }): Promise<void> {
      const current = await this.get(id);
      const { errors, values } = await checked(input, current.type);
      if (Object.keys(errors).length) throw invalidFields('error.invalid', errors);
      await scope.updateTable('hardware_fields').set(values).where('id', '=', id).execute();
      await audit(actor, `field:${current.key}`);
    },
  };
}
