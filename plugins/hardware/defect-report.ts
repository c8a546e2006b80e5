import type { Locale, TenantScope } from '../../core/plugin-api.js';
import { placeLocations, typeName } from './catalogue-store.js';
import { periodMonths, type DefectQuery, type GroupBy } from './defect-period.js';
import { defectCounts } from './defect-query.js';
import type { DefectFigures } from './defect-stats.js';
import type { HardwareDB } from './hardware-db.js';

export interface TopDevice { deviceId: number; defects: number; inventory_number: string; model: string; organisation: string }
export interface DefectReport extends DefectFigures {
  /** The group keys' names in the reader's language (a missing location is `hardware.location.none`, worded by the page). */
  labels: ReadonlyMap<string, string>;
  topDevices: TopDevice[];
}

/**
 * The defect statistics for one tenant and period: the counting is done by the database (`defectCounts`, one row per
 * group and month; the same figures as the in-memory `defectFigures`), then the groups' names and the top devices'
 * columns are read for those few rows only.
 */
export async function defectReport(scope: TenantScope<HardwareDB>, query: DefectQuery, zone: string, locale: Locale, noLocation: string): Promise<DefectReport> {
  const months = periodMonths(query.from, query.to, zone);
  const figures = await defectCounts(scope, months, query.groupBy);
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
