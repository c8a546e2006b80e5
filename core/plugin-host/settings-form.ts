import { z } from 'zod';

/**
 * A plugin's settings as a form the platform operator fills in (the tenant page's "Settings of …" cards), read from
 * the plugin's zod object schema: a checkbox for a boolean, a number field, a text field (a text area when it may be
 * long), a choice for an enum, checkboxes for a set of enum values, one line per entry for a list of texts. What a
 * form cannot offer sensibly (a reference to the tenant's records, a list of objects) is `elsewhere`: shown as set on
 * the tenant's own Administration page, and kept as it is when the operator saves.
 * Labels, hints and option labels are the plugin's messages `<id>.settings.<key>`, `<id>.settings.<key>.hint` and
 * `<id>.settings.<key>.<value>`.
 */
export type SettingsFieldKind = 'boolean' | 'number' | 'text' | 'longText' | 'enum' | 'enumSet' | 'lines' | 'elsewhere';

export interface SettingsField {
  key: string;
  kind: SettingsFieldKind;
  /** The values of an enum or an enum set. */
  options: readonly string[];
}

/** Texts longer than this get a text area. */
const LONG_TEXT = 200;

function unwrap(schema: z.ZodType): { inner: z.ZodType; nullable: boolean } {
  let inner = schema;
  let nullable = false;
  for (;;) {
    if (inner instanceof z.ZodDefault || inner instanceof z.ZodOptional) inner = (inner as z.ZodDefault<z.ZodType>).unwrap() as z.ZodType;
    else if (inner instanceof z.ZodNullable) {
      nullable = true;
      inner = (inner as z.ZodNullable<z.ZodType>).unwrap() as z.ZodType;
    } else return { inner, nullable };
  }
}

function fieldOf(key: string, schema: z.ZodType): SettingsField {
  const { inner, nullable } = unwrap(schema);
  // A nullable number is an id of the tenant's records (a group, a level): picked on the tenant's own pages.
  if (nullable) return { key, kind: 'elsewhere', options: [] };
  if (inner instanceof z.ZodBoolean) return { key, kind: 'boolean', options: [] };
  if (inner instanceof z.ZodNumber) return { key, kind: 'number', options: [] };
  if (inner instanceof z.ZodEnum) return { key, kind: 'enum', options: inner.options as string[] };
  if (inner instanceof z.ZodString) {
    const max = inner.maxLength;
    return { key, kind: max !== null && max > LONG_TEXT ? 'longText' : 'text', options: [] };
  }
  if (inner instanceof z.ZodArray) {
    const element = unwrap(inner.element as z.ZodType).inner;
    if (element instanceof z.ZodEnum) return { key, kind: 'enumSet', options: element.options as string[] };
    if (element instanceof z.ZodString) return { key, kind: 'lines', options: [] };
  }
  return { key, kind: 'elsewhere', options: [] };
}

/** The form's fields in the schema's order; none for a plugin without an object schema. */
export function settingsFormFields(schema: z.ZodType | undefined): SettingsField[] {
  const shape = (schema as unknown as { shape?: Record<string, z.ZodType> } | undefined)?.shape;
  if (!shape) return [];
  return Object.entries(shape).map(([key, field]) => fieldOf(key, field));
}

/**
 * The settings as the form shows them: each stored value that still fits its field, every other field at its default.
 * A plugin never saved for the tenant (or one with a field added since) shows the defaults it works with, not empty
 * fields; an empty text field saved back would be refused at a field the operator never touched.
 */
export function settingsWithDefaults(schema: z.ZodType | undefined, stored: Record<string, unknown>): Record<string, unknown> {
  const shape = (schema as unknown as { shape?: Record<string, z.ZodType> } | undefined)?.shape;
  if (!shape) return stored;
  const values: Record<string, unknown> = { ...stored };
  for (const [key, field] of Object.entries(shape)) {
    const kept = field.safeParse(stored[key]);
    const fallback = kept.success ? kept : field.safeParse(undefined);
    if (fallback.success) values[key] = fallback.data;
  }
  return values;
}

/** A field's current value as the form shows it. */
export function formValueOf(field: SettingsField, value: unknown): string | string[] {
  if (field.kind === 'enumSet') return Array.isArray(value) ? value.map(String) : [];
  if (field.kind === 'lines') return Array.isArray(value) ? value.map(String).join('\n') : '';
  if (field.kind === 'boolean') return value ? '1' : '';
  return value === undefined || value === null ? '' : String(value);
}

/**
 * The settings to validate from a posted form: the current settings with every field the form offers taken from
 * the post (an `elsewhere` field keeps its value). Text is handed on as typed; the plugin's schema judges it.
 */
export function settingsFromForm(fields: readonly SettingsField[], body: Record<string, string | string[]>, current: Record<string, unknown>): Record<string, unknown> {
  const input: Record<string, unknown> = { ...current };
  const one = (key: string) => {
    const raw = body[key];
    return typeof raw === 'string' ? raw : Array.isArray(raw) ? raw[0] ?? '' : '';
  };
  for (const field of fields) {
    const raw = one(field.key);
    if (field.kind === 'elsewhere') continue;
    if (field.kind === 'boolean') input[field.key] = raw === '1';
    else if (field.kind === 'number') input[field.key] = raw.trim() === '' ? undefined : Number(raw.trim());
    else if (field.kind === 'enumSet') {
      const picked = body[field.key];
      input[field.key] = (Array.isArray(picked) ? picked : typeof picked === 'string' ? [picked] : []).filter((v) => v !== '');
    } else if (field.kind === 'lines') input[field.key] = raw.split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
    else input[field.key] = raw;
  }
  return input;
}
