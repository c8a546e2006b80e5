import { DEVICE_STATES, type DeviceState, type HardwareDevicesTable } from './hardware-db.js';

/** The fields of a device its form edits and its history records, in the page's order. */
export const DEVICE_FIELDS = [
  'inventory_number', 'serial_number', 'model_id', 'organisation_id', 'person_id', 'location_id', 'state', 'purchased_on', 'warranty_until', 'host', 'notes',
] as const;
export type DeviceField = (typeof DEVICE_FIELDS)[number];

/** A device's recorded values: what the history holds, each as text (ids as digits), null when empty. */
export type DeviceValues = Record<DeviceField, string | null>;

export const INVENTORY_MAX = 60;
export const SERIAL_MAX = 100;
export const HOST_MAX = 253;
export const NOTES_MAX = 4000;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const HOST = /^[A-Za-z0-9][A-Za-z0-9.:_-]*$/;

/** A real calendar date `YYYY-MM-DD`. */
export function isDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

export const isState = (value: string): value is DeviceState => (DEVICE_STATES as readonly string[]).includes(value);

/** The row's values as the history records them. */
export function valuesOf(row: Pick<HardwareDevicesTable, DeviceField>): DeviceValues {
  const text = (v: string | number | null) => (v === null || v === '' ? null : String(v));
  return Object.fromEntries(DEVICE_FIELDS.map((field) => [field, text(row[field])])) as DeviceValues;
}

/** What the form sent, as a device's fields (strings, before references are checked). */
export interface DeviceInput {
  inventory_number: string;
  serial_number: string;
  model_id: string;
  organisation_id: string;
  /** The person's e-mail address (a contact person of the organisation), or empty. */
  person: string;
  location_id: string;
  state: string;
  purchased_on: string;
  warranty_until: string;
  host: string;
  notes: string;
  /** The custom fields by key (form strings or API values); absent: the device keeps its values (the CSV import). */
  custom?: Record<string, unknown> | undefined;
}

export const DEVICE_INPUT_KEYS: ReadonlyArray<Exclude<keyof DeviceInput, 'custom'>> = [
  'inventory_number', 'serial_number', 'model_id', 'organisation_id', 'person', 'location_id', 'state', 'purchased_on', 'warranty_until', 'host', 'notes',
];

/** Reads the form's strings (missing ones empty). */
export function deviceInput(form: Readonly<Record<string, unknown>>): DeviceInput {
  return Object.fromEntries(DEVICE_INPUT_KEYS.map((key) => [key, typeof form[key] === 'string' ? (form[key] as string) : ''])) as unknown as DeviceInput;
}

/** The checks that need no database: field → message key. */
export function shapeProblems(input: DeviceInput): Record<string, string> {
  const errors: Record<string, string> = {};
  const inventory = input.inventory_number.trim();
  if (!inventory) errors.inventory_number = 'hardware.field.required';
  else if (inventory.length > INVENTORY_MAX || /\s/.test(inventory)) errors.inventory_number = 'hardware.device.inventoryInvalid';
  if (input.serial_number.trim().length > SERIAL_MAX) errors.serial_number = 'hardware.field.tooLong';
  const host = input.host.trim();
  if (host && (host.length > HOST_MAX || !HOST.test(host))) errors.host = 'hardware.device.hostInvalid';
  if (input.notes.length > NOTES_MAX) errors.notes = 'hardware.field.tooLong';
  if (!isState(input.state)) errors.state = 'hardware.field.choose';
  for (const field of ['purchased_on', 'warranty_until'] as const) {
    const value = input[field].trim();
    if (value && !isDate(value)) errors[field] = 'hardware.device.dateInvalid';
  }
  if (!errors.purchased_on && !errors.warranty_until && input.purchased_on.trim() && input.warranty_until.trim() && input.warranty_until.trim() < input.purchased_on.trim()) {
    errors.warranty_until = 'hardware.device.warrantyBeforePurchase';
  }
  if (!input.model_id.trim()) errors.model_id = 'hardware.field.choose';
  if (!input.organisation_id.trim()) errors.organisation_id = 'hardware.field.choose';
  return errors;
}

/**
 * The device as it was at the end of a moment: the history's changes up to then applied in order, or null
 * when the device did not exist yet. `rows` are the device's history lines ordered by time and id.
 */
export function replayHistory(rows: ReadonlyArray<{ at: string; field: string; new_value: string | null }>, before: string): DeviceValues | null {
  let state: DeviceValues | null = null;
  for (const row of rows) {
    if (row.at >= before) break;
    state ??= Object.fromEntries(DEVICE_FIELDS.map((field) => [field, null])) as DeviceValues;
    if ((DEVICE_FIELDS as readonly string[]).includes(row.field)) state[row.field as DeviceField] = row.new_value;
  }
  return state;
}
