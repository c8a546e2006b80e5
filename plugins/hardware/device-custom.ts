import {
  customFieldName, fieldsFor, formatCustomValue, recordFieldDefinitions, validateCustomFields, type FieldDefinition, type TenantScope, type Translate,
} from '../../core/plugin-api.js';
import { DEVICE_KIND } from './device-kind.js';

/**
 * Custom fields of devices on the core's definitions (record kind 'device', device-kind.ts): a definition's
 * `categories` are the ids (as digits) of the device types it is limited to, so core's `fieldsFor` and
 * `validateCustomFields` choose and check them by the device's type (its model's). Values are stored as a JSON
 * object on the device row (read with it, no join).
 */
export type CustomValue = string | number | boolean;
export type CustomValues = Record<string, CustomValue>;
/** The active device fields as the core defines them (Administration → Custom fields, kind 'device'). */
export const activeDefinitions = (tx: TenantScope): Promise<FieldDefinition[]> => recordFieldDefinitions(tx, DEVICE_KIND);

/** The fields that apply to a device of this type. */
export const fieldsForType = (definitions: readonly FieldDefinition[], typeId: number | null) => fieldsFor(definitions, typeId === null ? null : String(typeId));

export const parseValues = (json: string | null | undefined): CustomValues => {
  try {
    const value = JSON.parse(json || '{}') as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as CustomValues) : {};
  } catch { return {}; }
};

/** Message keys instead of texts: the store answers keys (its callers translate), and `validation.tooLong` is for 500. */
const keys: Translate = (key) => key;

/**
 * Checks the input against the fields of the device's type. `current`: the stored values, kept for fields that do
 * not apply (or are inactive) so a type change or a switched-off field loses nothing. Errors: `custom_fields.<key>` → message key.
 */
export function checkCustom(definitions: readonly FieldDefinition[], typeId: number | null, input: Record<string, unknown>, current: CustomValues):
{ values: CustomValues; errors: Record<string, string> } {
  const applicable = new Set(fieldsForType(definitions, typeId).map((field) => field.key));
  // A stored value of a field that does not apply (laid over by a PATCH) is kept, not refused as unknown.
  const sent = Object.fromEntries(Object.entries(input).filter(([key]) => applicable.has(key) || !(key in current)));
  const { values, errors } = validateCustomFields(definitions, typeId === null ? null : String(typeId), sent, keys);
  const kept = Object.fromEntries(Object.entries(current).filter(([key]) => !applicable.has(key)));
  return { values: { ...kept, ...values }, errors };
}

/** The history's text of a value: digits, `true`/`false`, the text; null when empty. */
export const historyText = (value: CustomValue | undefined): string | null => (value === undefined || value === '' ? null : String(value));

/** One history line per custom field that moved (field `custom.<key>`). */
export function customChanges(before: CustomValues | null, after: CustomValues): Array<{ field: string; old_value: string | null; new_value: string | null }> {
  const keysOf = new Set([...Object.keys(before ?? {}), ...Object.keys(after)]);
  return [...keysOf].sort().flatMap((key) => {
    const old = historyText(before?.[key]);
    const now = historyText(after[key]);
    // A checkbox left unchecked on a new device is no change worth a line.
    if (old === now || (before === null && (now === null || now === 'false'))) return [];
    return [{ field: `custom.${key}`, old_value: old, new_value: now }];
  });
}

/** A history line's value of a custom field, as the page shows it. */
export function showHistoryValue(field: FieldDefinition | undefined, value: string | null, t: Translate): string {
  if (value === null) return '—';
  if (field?.type === 'checkbox') return formatCustomValue(field, value === 'true', t);
  return value;
}

export { customFieldName };

/** Form values by input name: what was posted, else the stored value (a checked checkbox '1'). */
export function customFormValues(fields: readonly FieldDefinition[], stored: CustomValues, posted?: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(fields.map((field) => {
    const value = posted && field.key in posted ? posted[field.key] : stored[field.key];
    if (field.type === 'checkbox') return [customFieldName(field.key), value === true || value === '1' || value === 'on' || value === 'true' ? '1' : ''];
    return [customFieldName(field.key), value === undefined || value === null ? '' : String(value)];
  }));
}
