import { sql } from 'kysely';
import { pluginScope, type Services } from '../../core/plugin-api.js';
import { positiveId } from './catalogue-store.js';
import { isState } from './device-fields.js';
import type { DeviceState, HardwareDB } from './hardware-db.js';

export const PAGE_SIZE = 50;

/** The list's filters as the query string carries them (ids as digits, '' for none). */
export interface DeviceFilter { type: string; model: string; organisation: string; state: string; location: string; q: string }
export const FILTER_KEYS: ReadonlyArray<keyof DeviceFilter> = ['type', 'model', 'organisation', 'state', 'location', 'q'];

export interface DeviceListRow {
  id: number; inventory_number: string; serial_number: string | null; host: string | null; state: DeviceState;
  model: string; manufacturer: string; type_en: string; type_de: string; organisation: string; location: string | null;
}

/** The filter from a query string: unknown or malformed values answer with the field's message key. */
export function readFilter(query: Readonly<Record<string, string | undefined>>): { filter: DeviceFilter; errors: Record<string, string> } {
  const filter = Object.fromEntries(FILTER_KEYS.map((key) => [key, (query[key] ?? '').trim()])) as unknown as DeviceFilter;
  const errors: Record<string, string> = {};
  for (const key of ['type', 'model', 'organisation', 'location'] as const) if (filter[key] && !positiveId(filter[key])) errors[key] = 'hardware.field.choose';
  if (filter.state && !isState(filter.state)) errors.state = 'hardware.field.choose';
  if (filter.q.length > 100) errors.q = 'hardware.field.tooLong';
  return { filter, errors };
}

/**
 * Where a page starts, as the list's links carry it: after the inventory number that ended the page before ("next"),
 * or before the one that began the page after ("previous"). A page reached by a cursor reads its 50 rows from the
 * index from there (no rows skipped); a link with only `page` (typed by hand) skips by offset.
 */
export interface PageCursor { after?: string; before?: string }

/** The cursor from a query string (an inventory number is at most 60 characters; anything longer is no cursor). */
export function readCursor(query: Readonly<Record<string, string | undefined>>): PageCursor {
  const value = (key: string) => { const text = query[key] ?? ''; return text && text.length <= 60 ? text : undefined; };
  const after = value('after');
  if (after !== undefined) return { after };
  const before = value('before');
  return before === undefined ? {} : { before };
}

/**
 * One page of the tenant's devices, by inventory number, and the count the filter keeps. Each filter is an equality
 * on a column the devices table indexes behind the tenant (the type through the models' tenant/type index); `q` is a
 * prefix of the inventory number, serial number or host name. With a cursor the page is read from the inventory
 * number on (keyset paging: page 200 costs what page 1 does, test/load/hardware-bench.ts); without one, by offset.
 */
export async function listDevices(services: Services, tenantId: number, filter: DeviceFilter, page: number, cursor: PageCursor = {}): Promise<{ rows: DeviceListRow[]; total: number }> {
  const query = filteredDevices(services, tenantId, filter);
  let rowsQuery = query
    .innerJoin('hardware_models', 'hardware_models.id', 'hardware_devices.model_id')
    .innerJoin('hardware_manufacturers', 'hardware_manufacturers.id', 'hardware_models.manufacturer_id')
    .innerJoin('hardware_types', 'hardware_types.id', 'hardware_models.type_id')
    .innerJoin('organisations', 'organisations.id', 'hardware_devices.organisation_id')
    .leftJoin('hardware_locations', 'hardware_locations.id', 'hardware_devices.location_id')
    .select(['hardware_devices.id', 'hardware_devices.inventory_number', 'hardware_devices.serial_number', 'hardware_devices.host', 'hardware_devices.state',
      'hardware_models.name as model', 'hardware_manufacturers.name as manufacturer', 'hardware_types.name_en as type_en', 'hardware_types.name_de as type_de',
      'organisations.name as organisation', 'hardware_locations.name as location'])
    .limit(PAGE_SIZE);
  if (cursor.after !== undefined) rowsQuery = rowsQuery.where('hardware_devices.inventory_number', '>', cursor.after).orderBy('hardware_devices.inventory_number');
  else if (cursor.before !== undefined) rowsQuery = rowsQuery.where('hardware_devices.inventory_number', '<', cursor.before).orderBy('hardware_devices.inventory_number', 'desc');
  else rowsQuery = rowsQuery.orderBy('hardware_devices.inventory_number').offset((page - 1) * PAGE_SIZE);
  const [counted, rows] = await Promise.all([query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(), rowsQuery.execute()]);
  if (cursor.before !== undefined) rows.reverse();
  return { rows, total: Number(counted.n) };
}

/** The tenant's devices the filter keeps (the list's page and the CSV export select from it). */
export function filteredDevices(services: Services, tenantId: number, filter: DeviceFilter) {
  const scope = pluginScope<HardwareDB>(services.db, tenantId);
  let query = scope.selectFrom('hardware_devices');
  if (filter.model) query = query.where('hardware_devices.model_id', '=', Number(filter.model));
  if (filter.type) query = query.where('hardware_devices.model_id', 'in', scope.selectFrom('hardware_models').select('id').where('type_id', '=', Number(filter.type)));
  if (filter.organisation) query = query.where('hardware_devices.organisation_id', '=', Number(filter.organisation));
  if (filter.state) query = query.where('hardware_devices.state', '=', filter.state as DeviceState);
  if (filter.location) {
    // A site or building takes the rooms below it (the tree is three levels deep).
    const id = Number(filter.location);
    const below = scope.selectFrom('hardware_locations').select('id').where('parent_id', '=', id);
    query = query.where((eb) => eb.or([
      eb('hardware_devices.location_id', '=', id),
      eb('hardware_devices.location_id', 'in', below),
      eb('hardware_devices.location_id', 'in', scope.selectFrom('hardware_locations').select('id').where('parent_id', 'in', below)),
    ]));
  }
  if (filter.q) {
    // `%` and `\` are dropped (no escape clause works alike on both dialects); `_` stays a one-character wildcard.
    const prefix = `${filter.q.replace(/[%\\]/g, '')}%`;
    // Case-insensitive on both dialects: SQLite's like already is (for ASCII); PostgreSQL compares the lower-cased
    // columns, which its expression indexes serve (migration 0005-hardware-speed), where `ilike` scanned every row.
    const postgres = services.database.dialect === 'postgres';
    const column = (name: 'inventory_number' | 'serial_number' | 'host') => (postgres ? sql<string>`lower(${sql.ref(`hardware_devices.${name}`)})` : sql.ref<string>(`hardware_devices.${name}`));
    const pattern = postgres ? sql<string>`lower(${prefix})` : sql<string>`${prefix}`;
    query = query.where((eb) => eb.or([
      eb(column('inventory_number'), 'like', pattern),
      eb(column('serial_number'), 'like', pattern),
      eb(column('host'), 'like', pattern),
    ]));
  }
  return query;
}
