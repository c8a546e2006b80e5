import { pluginScope, type FieldDefinition, type Services } from '../../core/plugin-api.js';
import { modelLabel, placeLocations } from './catalogue-store.js';
import type { CsvCell } from '../../core/plugin-api.js';
import type { CsvRecord } from './csv-parse.js';
import { parseValues } from './device-custom.js';
import { type DeviceInput } from './device-fields.js';
import { filteredDevices, type DeviceFilter } from './device-list.js';
import { DEVICE_STATES, type HardwareDB } from './hardware-db.js';

/**
 * The device CSV's columns, export and import alike (the header names them by these keys, so an export reads
 * back in unchanged): the model as "Manufacturer Model", the customer by number or name, the person by e-mail
 * address, the location by its path (or its name where that is unique), the state by its key.
 */
export const CSV_COLUMNS = ['inventory_number', 'serial_number', 'model', 'organisation', 'person', 'location', 'state', 'purchased_on', 'warranty_until', 'host', 'notes'] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];
/**
 * A custom field's column (after the fixed ones, in the fields' order): headed by the field's key, or by
 * `custom.<key>` where the key is also a fixed column's name. `id` is the mapping's name for it.
 */
export interface CustomColumn { id: string; header: string; field: FieldDefinition }

export const customColumns = (definitions: readonly FieldDefinition[]): CustomColumn[] => definitions.map((field) => ({
  id: `custom.${field.key}`, header: (CSV_COLUMNS as readonly string[]).includes(field.key) ? `custom.${field.key}` : field.key, field,
}));

/** The CSV's header: the fixed columns, then one per active custom field. */
export const csvHeader = (custom: readonly CustomColumn[]): string[] => [...CSV_COLUMNS, ...custom.map((column) => column.header)];

/** A stored custom value as its cell: a checkbox `true`/`false` (which the import reads back), empty when not set. */
const customCell = (value: string | number | boolean | undefined): CsvCell => (value === undefined || value === '' ? null : typeof value === 'boolean' ? String(value) : value);

/** The most devices one export or import takes. */
export const CSV_MAX_ROWS = 20_000;

/** The filtered list as CSV rows (by inventory number, at most CSV_MAX_ROWS). */
export async function exportRows(services: Services, tenantId: number, filter: DeviceFilter, custom: readonly CustomColumn[] = []): Promise<CsvCell[][]> {
  const scope = pluginScope<HardwareDB>(services.db, tenantId);
  const [rows, places] = await Promise.all([
    filteredDevices(services, tenantId, filter)
      .innerJoin('hardware_models', 'hardware_models.id', 'hardware_devices.model_id')
      .innerJoin('hardware_manufacturers', 'hardware_manufacturers.id', 'hardware_models.manufacturer_id')
      .innerJoin('organisations', 'organisations.id', 'hardware_devices.organisation_id')
      .leftJoin('people', 'people.id', 'hardware_devices.person_id')
      .select(['hardware_devices.inventory_number', 'hardware_devices.serial_number', 'hardware_models.name as model', 'hardware_manufacturers.name as manufacturer',
        'organisations.name as organisation', 'organisations.number as organisation_number', 'people.email as person', 'hardware_devices.location_id', 'hardware_devices.state',
        'hardware_devices.purchased_on', 'hardware_devices.warranty_until', 'hardware_devices.host', 'hardware_devices.notes', 'hardware_devices.custom_fields'])
      .orderBy('hardware_devices.inventory_number').limit(CSV_MAX_ROWS).execute(),
    scope.selectFrom('hardware_locations').select(['id', 'parent_id', 'kind', 'name']).execute().then(placeLocations),
  ]);
  const paths = new Map(places.map((place) => [place.id, place.path]));
  return rows.map((row) => {
    const values = custom.length ? parseValues(row.custom_fields) : {};
    return [
      row.inventory_number, row.serial_number, modelLabel({ manufacturer: row.manufacturer, name: row.model }), row.organisation_number || row.organisation, row.person,
      row.location_id === null ? null : paths.get(row.location_id) ?? null, row.state, row.purchased_on, row.warranty_until, row.host, row.notes,
      ...custom.map((column) => customCell(values[column.field.key])),
    ];
  });
}

/** Which CSV column (by index) feeds each device column and each custom column (`custom.<key>`); -1 for none. */
export type Mapping = Record<CsvColumn, number> & Record<string, number>;

/**
 * The mapping the header suggests: a fixed column named by its key or by its label in either language; a custom
 * column by its header, its key or its label (a header is taken once, the fixed columns first).
 */
export function guessMapping(header: readonly string[], labels: (column: CsvColumn) => string[], custom: readonly CustomColumn[] = []): Mapping {
  const names = header.map((name) => name.trim().toLowerCase());
  const taken = new Set<number>();
  const find = (candidates: string[]) => {
    const index = names.findIndex((name, at) => !taken.has(at) && candidates.some((candidate) => candidate.toLowerCase() === name));
    if (index >= 0) taken.add(index);
    return index;
  };
  const fixed = CSV_COLUMNS.map((column) => [column, find([column, ...labels(column)])] as const);
  const own = custom.map((column) => [column.id, find([column.header, column.id, column.field.key, column.field.label])] as const);
  return Object.fromEntries([...fixed, ...own]) as Mapping;
}

/** The mapping a form sent (`map.<column>` = index), checked against the header's length. */
export function mappingFromForm(form: Readonly<Record<string, string>>, columns: number, custom: readonly CustomColumn[] = []): Mapping {
  return Object.fromEntries([...CSV_COLUMNS, ...custom.map((column) => column.id)].map((column) => {
    const index = Number(form[`map.${column}`] ?? '-1');
    return [column, Number.isInteger(index) && index >= 0 && index < columns ? index : -1];
  })) as Mapping;
}

/**
 * Turns the records after the header into device inputs: names become ids through the tenant's catalogue and
 * customers; what does not resolve is the row's problem at that column (field → message key).
 */
export async function importInputs(services: Services, tenantId: number, records: readonly CsvRecord[], mapping: Mapping, stateLabels: (state: string) => string[], custom: readonly CustomColumn[] = []) {
  const scope = pluginScope<HardwareDB>(services.db, tenantId);
  const [models, organisations, places] = await Promise.all([
    scope.selectFrom('hardware_models').innerJoin('hardware_manufacturers', 'hardware_manufacturers.id', 'hardware_models.manufacturer_id')
      .select(['hardware_models.id', 'hardware_models.name', 'hardware_manufacturers.name as manufacturer']).execute(),
    scope.selectFrom('organisations').select(['id', 'name', 'number']).execute(),
    scope.selectFrom('hardware_locations').select(['id', 'parent_id', 'kind', 'name']).execute().then(placeLocations),
  ]);
  // A name that two entries share is no key: it resolves to nothing (the row says so).
  const index = (pairs: Array<[string | null | undefined, number]>) => {
    const map = new Map<string, number | null>();
    for (const [name, id] of pairs) {
      if (!name) continue;
      const key = name.trim().toLowerCase();
      map.set(key, map.has(key) && map.get(key) !== id ? null : id);
    }
    return map;
  };
  const byModel = index([...models.map((m): [string, number] => [modelLabel(m), m.id]), ...models.map((m): [string, number] => [m.name, m.id])]);
  const byOrganisation = index([...organisations.map((o): [string | null, number] => [o.number, o.id]), ...organisations.map((o): [string, number] => [o.name, o.id])]);
  const byLocation = index([...places.map((p): [string, number] => [p.path, p.id]), ...places.map((p): [string, number] => [p.name, p.id])]);
  const byState = new Map(DEVICE_STATES.flatMap((state) => [state, ...stateLabels(state)].map((name) => [name.toLowerCase(), state] as const)));

  return records.map((record) => {
    const cell = (column: CsvColumn) => (mapping[column] >= 0 ? (record.fields[mapping[column]] ?? '').trim() : '');
    const problems: Record<string, string> = {};
    const lookup = (column: CsvColumn, field: keyof DeviceInput, map: Map<string, number | null>, required: boolean): string => {
      const text = cell(column);
      if (!text) { if (required) problems[field] = 'hardware.field.required'; return ''; }
      const id = map.get(text.toLowerCase());
      if (id === undefined || id === null) { problems[field] = id === null ? 'hardware.import.ambiguous' : 'hardware.import.unknown'; return ''; }
      return String(id);
    };
    const stateText = cell('state');
    const state = stateText ? byState.get(stateText.toLowerCase()) : 'in_stock';
    if (!state) problems.state = 'hardware.import.unknown';
    const input: DeviceInput = {
      inventory_number: cell('inventory_number'), serial_number: cell('serial_number'),
      model_id: lookup('model', 'model_id', byModel, true), organisation_id: lookup('organisation', 'organisation_id', byOrganisation, true),
      person: cell('person'), location_id: lookup('location', 'location_id', byLocation, false), state: state ?? 'in_stock',
      purchased_on: cell('purchased_on'), warranty_until: cell('warranty_until'), host: cell('host'), notes: record.fields[mapping.notes] ?? '',
    };
    if (mapping.notes < 0) input.notes = '';
    // The custom fields the file has a column for; the import checks them as the form does (a missing required one is refused).
    input.custom = Object.fromEntries(custom.filter((column) => (mapping[column.id] ?? -1) >= 0).map((column) => [column.field.key, (record.fields[mapping[column.id]!] ?? '').trim()]));
    return { line: record.line, input, problems };
  });
}
