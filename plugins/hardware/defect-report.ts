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
 * Loads what the defect statistics count, for one tenant and period: every device with its attributes (grouped
 * by their current values), the state lines up to the period's end, and the defect links of tickets created in
 * the period (deleted tickets left out). Three reads; the counting is `defectFigures`.
 */
export async function defectReport(scope: TenantScope<HardwareDB>, query: DefectQuery, zone: string, locale: Locale, noLocation: string): Promise<DefectReport> {
  const months = periodMonths(query.from, query.to, zone);
  const start = new Date(months[0]!.start).toISOString();
  const end = new Date(months.at(-1)!.end).toISOString();
  const [devices, states, defects] = await Promise.all([
    scope.selectFrom('hardware_devices')
      .innerJoin('hardware_models', 'hardware_models.id', 'hardware_devices.model_id')
      .innerJoin('hardware_manufacturers', 'hardware_manufacturers.id', 'hardware_models.manufacturer_id')
      .innerJoin('hardware_types', 'hardware_types.id', 'hardware_models.type_id')
      .innerJoin('organisations', 'organisations.id', 'hardware_devices.organisation_id')
      .select(['hardware_devices.id', 'hardware_devices.inventory_number', 'hardware_devices.model_id', 'hardware_devices.location_id', 'hardware_devices.organisation_id',
        'hardware_models.type_id', 'hardware_models.manufacturer_id', 'hardware_models.name as model', 'hardware_manufacturers.name as manufacturer',
        'hardware_types.name_en', 'hardware_types.name_de', 'organisations.name as organisation'])
      .execute(),
    scope.selectFrom('hardware_device_history').select(['device_id', 'at', 'new_value']).where('field', '=', 'state').where('at', '<', end).execute(),
    scope.selectFrom('hardware_ticket_links').innerJoin('tickets', 'tickets.id', 'hardware_ticket_links.ticket_id')
      .select(['hardware_ticket_links.device_id', 'hardware_ticket_links.ticket_date'])
      .where('hardware_ticket_links.reason', '=', 'defect').where('tickets.deleted_at', 'is', null)
      .where('hardware_ticket_links.ticket_date', '>=', start).where('hardware_ticket_links.ticket_date', '<', end).execute(),
  ]);
  const byId = new Map(devices.map((row) => [row.id, row]));
  const key = KEY[query.groupBy];
  const figures = defectFigures({
    months,
    states: states.map((row) => ({ deviceId: row.device_id, at: Date.parse(row.at), state: row.new_value ?? '' })),
    defects: defects.map((row) => ({ deviceId: row.device_id, at: Date.parse(row.ticket_date) })),
    groupOf: (id) => { const row = byId.get(id); return row ? key(row) : undefined; },
  });
  const labels = new Map<string, string>();
  if (query.groupBy === 'location') {
    const places = placeLocations(await scope.selectFrom('hardware_locations').select(['id', 'parent_id', 'kind', 'name']).execute());
    const paths = new Map(places.map((place) => [String(place.id), place.path]));
    for (const group of figures.groups) labels.set(group.key, group.key === 'none' ? noLocation : paths.get(group.key) ?? group.key);
  } else {
    for (const row of devices) {
      const name = { type: typeName(row, locale), model: `${row.manufacturer} ${row.model}`, manufacturer: row.manufacturer, organisation: row.organisation }[query.groupBy];
      labels.set(key(row), name);
    }
  }
  const topDevices = figures.top.map((entry) => {
    const row = byId.get(entry.deviceId)!;
    return { ...entry, inventory_number: row.inventory_number, model: `${row.manufacturer} ${row.model}`, organisation: row.organisation };
  });
  return { ...figures, labels, topDevices };
}
