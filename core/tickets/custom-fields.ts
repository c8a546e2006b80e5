import type { TicketField } from '../db/schema.js';
import type { Translate } from '../i18n/translate.js';

export type CustomValue = string | number | boolean;
export type CustomValues = Record<string, CustomValue>;

export interface FieldDefinition {
  key: string;
  label: string;
  type: TicketField['type'];
  options: string[];
  required: boolean;
  categories: string[];
}

export function toDefinition(row: Pick<TicketField, 'key' | 'label' | 'type' | 'options' | 'required' | 'categories'>): FieldDefinition {
  return {
    key: row.key, label: row.label, type: row.type, required: Boolean(row.required),
    options: JSON.parse(row.options) as string[], categories: JSON.parse(row.categories) as string[],
  };
}

/** The fields that apply to a ticket of this category (fields without categories apply to all). */
export function fieldsFor(definitions: readonly FieldDefinition[], category: string | null | undefined): FieldDefinition[] {
  return definitions.filter((d) => d.categories.length === 0 || (category ? d.categories.includes(category) : false));
}

/** Form or API input name of a custom field. */
export const customFieldName = (key: string) => `custom_fields.${key}`;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/**
 * Checks values against the definitions that apply to the category. Unknown keys are
 * refused; blank values clear a field. Errors are keyed `custom_fields.<key>`.
 */
export function validateCustomFields(
  definitions: readonly FieldDefinition[],
  category: string | null | undefined,
  input: Record<string, unknown>,
  t: Translate,
  options: { partial?: boolean } = {},
): { values: CustomValues; errors: Record<string, string> } {
  const applicable = fieldsFor(definitions, category);
  const byKey = new Map(applicable.map((d) => [d.key, d]));
  const values: CustomValues = {};
  const errors: Record<string, string> = {};
  for (const key of Object.keys(input)) {
    if (!byKey.has(key)) errors[customFieldName(key)] = t('field.unknown');
  }
  for (const field of applicable) {
    const name = customFieldName(field.key);
    const present = Object.prototype.hasOwnProperty.call(input, field.key);
    if (options.partial && !present) continue;
    const raw = input[field.key];
    if (field.type === 'checkbox') {
      const checked = raw === true || raw === 'true' || raw === '1' || raw === 'on' || raw === 1;
      if (field.required && !checked) errors[name] = t('validation.required');
      else values[field.key] = checked;
      continue;
    }
    if (isBlank(raw)) {
      if (field.required) errors[name] = t('validation.required');
      continue;
    }
    const text = typeof raw === 'string' ? raw.trim() : raw;
    switch (field.type) {
      case 'text':
        if (typeof text !== 'string') errors[name] = t('validation.format');
        else if (text.length > 500) errors[name] = t('validation.tooLong', { max: 500 });
        else values[field.key] = text;
        break;
      case 'number': {
        const number = typeof text === 'number' ? text : Number(String(text).replace(',', '.'));
        if (!Number.isFinite(number)) errors[name] = t('validation.number');
        else values[field.key] = number;
        break;
      }
      case 'date': {
        const date = String(text);
        if (!DATE.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`)) || new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) !== date) errors[name] = t('validation.date');
        else values[field.key] = date;
        break;
      }
      case 'select':
        if (!field.options.includes(String(text))) errors[name] = t('validation.choice');
        else values[field.key] = String(text);
        break;
    }
  }
  return { values, errors };
}

/** Custom field values from a form: inputs named `custom_fields.<key>`. */
export function customInputFromForm(body: Record<string, unknown>): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(body)) {
    if (name.startsWith('custom_fields.')) input[name.slice('custom_fields.'.length)] = Array.isArray(value) ? value.at(-1) : value;
  }
  return input;
}

/**
 * The form values (by input name) of a ticket's stored custom values, with what was posted taking
 * precedence: a checked checkbox is '1', a value not set is ''.
 */
export function customFieldFormValues(fields: readonly FieldDefinition[], stored: CustomValues, posted?: Record<string, string>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const field of fields) {
    const name = customFieldName(field.key);
    const value = stored[field.key];
    if (posted && name in posted) values[name] = posted[name]!;
    else if (field.type === 'checkbox') values[name] = value === true ? '1' : '';
    else values[name] = value === undefined ? '' : String(value);
  }
  return values;
}

export function formatCustomValue(field: FieldDefinition, value: CustomValue | undefined, t: Translate): string {
  if (value === undefined || value === '') return '—';
  if (field.type === 'checkbox') return value ? t('common.yes') : t('common.no');
  return String(value);
}
