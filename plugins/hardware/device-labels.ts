import { formatDate, pluginScope, type DateContext, type Services, type Translate } from '../../core/plugin-api.js';
import { modelLabel, placeLocations } from './catalogue-store.js';
import type { DeviceField } from './device-fields.js';
import type { HardwareDB } from './hardware-db.js';

/** Names for the ids a device's values and history hold (models, customers, people, locations), in one read each. */
export async function deviceLabels(services: Services, tenantId: number, values: ReadonlyArray<{ field: string; value: string | null }>) {
  const scope = pluginScope<HardwareDB>(services.db, tenantId);
  const ids = (field: DeviceField) => [...new Set(values.filter((v) => v.field === field && v.value).map((v) => Number(v.value)))].filter(Number.isInteger);
  const [models, organisations, people, locations] = await Promise.all([
    ids('model_id').length ? scope.selectFrom('hardware_models').innerJoin('hardware_manufacturers', 'hardware_manufacturers.id', 'hardware_models.manufacturer_id')
      .select(['hardware_models.id', 'hardware_models.name', 'hardware_manufacturers.name as manufacturer']).where('hardware_models.id', 'in', ids('model_id')).execute() : [],
    ids('organisation_id').length ? scope.selectFrom('organisations').select(['id', 'name']).where('id', 'in', ids('organisation_id')).execute() : [],
    ids('person_id').length ? scope.selectFrom('people').select(['id', 'name']).where('id', 'in', ids('person_id')).execute() : [],
    ids('location_id').length ? scope.selectFrom('hardware_locations').select(['id', 'parent_id', 'kind', 'name']).execute() : [],
  ]);
  const names: Record<string, Map<string, string>> = {
    model_id: new Map(models.map((m) => [String(m.id), modelLabel(m)])),
    organisation_id: new Map(organisations.map((o) => [String(o.id), o.name])),
    person_id: new Map(people.map((p) => [String(p.id), p.name])),
    location_id: new Map(placeLocations(locations).map((l) => [String(l.id), l.path])),
  };
  /** A field's value as a reader sees it. */
  return (field: string, value: string | null, t: Translate, dates: DateContext): string => {
    if (value === null || value === '') return '—';
    if (field in names) return names[field]!.get(value) ?? `#${value}`;
    if (field === 'state') return t(`hardware.state.${value}`);
    if (field === 'purchased_on' || field === 'warranty_until') return formatDate(value, dates);
    return value;
  };
}
