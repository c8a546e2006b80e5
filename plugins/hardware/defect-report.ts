import type { Locale, TenantScope } from '../../core/plugin-api.js';
import { placeLocations, typeName } from './catalogue-store.js';
import { periodMonths, type DefectQuery, type GroupBy } from './defect-period.js';
import { defectFigures, type DefectFigures } from './defect-stats.js';
import type { HardwareDB } from './hardware-db.js';

export interface TopDevice { deviceId: number; defects: number; inventory_number: string; model: string; organisation: string }
export interface DefectReport extends DefectFigures {
  /** The group keys' names in the reader's language (a missing location is `hardware.location.none`, worded by the page). */
  labels: ReadonlyMap<string, string>;
  topDevices: TopDevice[];
}

/** The group key of each attribute (ids as text; a device without a location is in the group "none"). */
const KEY: Record<GroupBy, (row: { type_id: number; model_id: number; manufacturer_id: number; location_id: number | null; organisation_id: number }) => string> = {
  type: (row) => String(row.type_id),
  model: (row) => String(row.model_id),
  manufacturer: (row) => String(row.manufacturer_id),
  location: (row) => (row.location_id === null ? 'none' : String(row.location_id)),
  organisation: (row) => String(row.organisation_id),
};

/**
 * Loads what the defect statistics count, for one tenant and period: every device with the ids it is grouped by
 * (their current values), the state lines up to the period's end, and the defect links of tickets created in the
 * period (deleted tickets left out). Three narrow reads; the counting is `defectFigures`. The groups' names and the
 * top devices' columns are read afterwards for those few rows only.
 */
export async function defectReport(scope: TenantScope<HardwareDB>, query: DefectQuery, zone: string, locale: Locale, noLocation: string): Promise<DefectReport> {
  const months = periodMonths(query.from, query.to, zone);
  const start = new Date(months[0]!.start).toISOString();
  const end = new Date(months.at(-1)!.end).toISOString();
  const [devices, states, defects] = await Promise.all([
    scope.selectFrom('hardware_devices')
      .innerJoin('hardware_models', 'hardware_models.id', 'hardware_devices.model_id')
      .select(['hardware_devices.id', 'hardware_devices.model_id', 'hardware_devices.location_id', 'hardware_devices.organisation_id', 'hardware_models.type_id', 'hardware_models.manufacturer_id'])
      .execute(),
    scope.selectFrom('hardware_device_history').select(['device_id', 'at', 'new_value']).where('field', '=', 'state').where('at', '<', end).execute(),
    scope.selectFrom('hardware_ticket_links').innerJoin('tickets', 'tickets.id', 'hardware_ticket_links.ticket_id')
      .select(['hardware_ticket_links.device_id', 'hardware_ticket_links.ticket_date'])
      .where('hardware_ticket_links.reason', '=', 'defect').where('tickets.deleted_at', 'is', null)
      .where('hardware_ticket_links.ticket_date', '>=', start).where('hardware_ticket_links.ticket_date', '<', end).execute(),
  ]);
  const key = KEY[query.groupBy];
  const groupOf = new Map(devices.map((row) => [row.id, key(row)]));
  const figures = defectFigures({
    months,
    states: states.map((row) => ({ deviceId: row.device_id, at: Date.parse(row.at), state: row.new_value ?? '' })),
    defects: defects.map((row) => ({ deviceId: row.device_id, at: Date.parse(row.ticket_date) })),
    groupOf: (id) => groupOf.get(id),
  });
  const [labels, topRows] = await Promise.all([
    groupLabels(scope, query.groupBy, figures.groups.map((group) => group.key), locale, noLocation),
    figures.top.length === 0 ? Promise.resolve([]) : scope.selectFrom('hardware_devices')
      .innerJoin('hardware_models', 'hardware_models.id', 'hardware_devices.model_id')
      .innerJoin('hardware_manufacturers', 'hardware_manufacturers.id', 'hardware_models.manufacturer_id')
      .innerJoin('organisations', 'organisations.id', 'hardware_devices.organisation_id')
      .select(['hardware_devices.id', 'hardware_devices.inventory_number', 'hardware_models.name as model', 'hardware_manufacturers.name as manufacturer', 'organisations.name as organisation'])
      .where('hardware_devices.id', 'in', figures.top.map((entry) => entry.deviceId)).execute(),
  ]);
  const byId = new Map(topRows.map((row) => [row.id, row]));
  const topDevices = figures.top.map((entry) => {
    const row = byId.get(entry.deviceId)!;
    return { ...entry, inventory_number: row.inventory_number, model: `${row.manufacturer} ${row.model}`, organisation: row.organisation };
  });
  return { ...figures, labels, topDevices };
}

/** The names of the groups' keys in the reader's language: one read of the grouped attribute's table. */
async function groupLabels(scope: TenantScope<HardwareDB>, groupBy: GroupBy, keys: readonly string[], locale: Locale, noLocation: string): Promise<Map<string, string>> {
  const labels = new Map<string, string>();
  const ids = keys.filter((key) => key !== 'none').map(Number);
  if (groupBy === 'location') {
    const places = placeLocations(await scope.selectFrom('hardware_locations').select(['id', 'parent_id', 'kind', 'name']).execute());
    const paths = new Map(places.map((place) => [String(place.id), place.path]));
    for (const key of keys) labels.set(key, key === 'none' ? noLocation : paths.get(key) ?? key);
    return labels;
  }
  // In chunks: a customer grouping may name thousands of ids (bound-parameter limits).
  for (let i = 0; i < ids.length; i += 1000) {
    const part = ids.slice(i, i + 1000);
    const names: Array<{ id: number; name: string }> =
      groupBy === 'type' ? (await scope.selectFrom('hardware_types').select(['id', 'name_en', 'name_de']).where('id', 'in', part).execute()).map((row) => ({ id: row.id, name: typeName(row, locale) }))
      : groupBy === 'model' ? (await scope.selectFrom('hardware_models').innerJoin('hardware_manufacturers', 'hardware_manufacturers.id', 'hardware_models.manufacturer_id')
        .select(['hardware_models.id', 'hardware_models.name', 'hardware_manufacturers.name as manufacturer']).where('hardware_models.id', 'in', part).execute()).map((row) => ({ id: row.id, name: `${row.manufacturer} ${row.name}` }))
      : groupBy === 'manufacturer' ? await scope.selectFrom('hardware_manufacturers').select(['id', 'name']).where('id', 'in', part).execute()
      : await scope.selectFrom('organisations').select(['id', 'name']).where('id', 'in', part).execute();
    for (const row of names) labels.set(String(row.id), row.name);
  }
  return labels;
}
