import type { Kysely } from 'kysely';
import { invalidFields, pluginScope, type DB, type Locale, type Services, type TenantScope } from '../../core/plugin-api.js';
import type { HardwareDB, LocationKind } from './hardware-db.js';

export const NAME_MAX = 120;

/** The types a tenant starts with (seeded the first time its catalogue is read), in both languages. */
export const SEED_TYPES: ReadonlyArray<{ key: string; en: string; de: string }> = [
  { key: 'printer', en: 'Printer', de: 'Drucker' },
  { key: 'notebook', en: 'Notebook', de: 'Notebook' },
  { key: 'desktop', en: 'Desktop PC', de: 'Arbeitsplatz-PC' },
  { key: 'monitor', en: 'Monitor', de: 'Bildschirm' },
  { key: 'server', en: 'Server', de: 'Server' },
  { key: 'switch', en: 'Switch', de: 'Switch' },
  { key: 'router', en: 'Router', de: 'Router' },
  { key: 'phone', en: 'Phone', de: 'Telefon' },
  { key: 'mobile', en: 'Mobile phone', de: 'Mobiltelefon' },
];

export interface TypeRow { id: number; key: string | null; name_en: string; name_de: string }
export interface ModelRow { id: number; name: string; type_id: number; manufacturer_id: number; manufacturer: string; type_en: string; type_de: string }
export interface LocationRow { id: number; parent_id: number | null; kind: LocationKind; name: string }
/** A location with its path (`Site › Building › Room`) and depth, in tree order. */
export interface PlacedLocation extends LocationRow { path: string; depth: number }

export const typeName = (type: { name_en: string; name_de: string }, locale: Locale) => (locale === 'de' ? type.name_de : type.name_en);
export const modelLabel = (model: Pick<ModelRow, 'manufacturer' | 'name'>) => `${model.manufacturer} ${model.name}`;

/** The parent kind each location kind needs (a site stands alone). */
const PARENT_KIND: Record<LocationKind, LocationKind | null> = { site: null, building: 'site', room: 'building' };
export const LOCATION_KINDS: readonly LocationKind[] = ['site', 'building', 'room'];

/** A trimmed name, or the field's refusal. */
function cleanName(value: string, field: string): string {
  const name = value.trim();
  if (!name) throw invalidFields('error.invalid', { [field]: 'hardware.field.required' });
  if (name.length > NAME_MAX) throw invalidFields('error.invalid', { [field]: 'hardware.field.tooLong' });
  return name;
}

const positiveId = (value: string | number | null | undefined): number | null => {
  const n = Number(value);
  return value !== '' && value !== null && Number.isInteger(n) && n > 0 && n < 2 ** 31 ? n : null;
};
export { positiveId };

/** Seeds the tenant's device types once (the unique key makes a second, concurrent seed add nothing). */
export async function ensureTypes(scope: TenantScope<HardwareDB>): Promise<void> {
  const seeded = await scope.selectFrom('hardware_types').select('id').where('key', 'is not', null).limit(1).executeTakeFirst();
  if (seeded) return;
  await scope.insertInto('hardware_types', SEED_TYPES.map((type) => ({ key: type.key, name_en: type.en, name_de: type.de })))
    .onConflict((oc) => oc.columns(['tenant_id', 'key']).doNothing()).execute();
}

/** Puts locations in tree order (each site, its buildings, their rooms), with their paths. */
export function placeLocations(rows: readonly LocationRow[]): PlacedLocation[] {
  const children = new Map<number | null, LocationRow[]>();
  for (const row of rows) children.set(row.parent_id, [...(children.get(row.parent_id) ?? []), row]);
  const out: PlacedLocation[] = [];
  const walk = (parent: number | null, prefix: string, depth: number) => {
    for (const row of (children.get(parent) ?? []).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = prefix ? `${prefix} › ${row.name}` : row.name;
      out.push({ ...row, path, depth });
      walk(row.id, path, depth + 1);
    }
  };
  walk(null, '', 0);
  return out;
}

/**
 * The tenant's catalogue: types, manufacturers, models and locations, every query through the tenant
 * scope. Refusals are DomainErrors with catalog keys at the form's fields; each change has its audit entry.
 */
export function catalogueStore(services: Services, tenantId: number) {
  const scope = pluginScope<HardwareDB>(services.db, tenantId);
  const audit = (trx: Kysely<DB>, actor: { id: number; label: string }, target: string) =>
    services.audit.record({ tenantId, actor: { userId: actor.id, label: actor.label }, action: 'hardware.catalogue_changed', target }, trx);

  return {
    /** The types; seeded first when the tenant has none of the seeded ones yet (one read in the usual case). */
    async types(): Promise<TypeRow[]> {
      const read = () => scope.selectFrom('hardware_types').select(['id', 'key', 'name_en', 'name_de']).orderBy('name_en').execute();
      const rows = await read();
      if (rows.some((row) => row.key !== null)) return rows;
      await ensureTypes(scope);
      return read();
    },

    manufacturers(): Promise<Array<{ id: number; name: string }>> {
      return scope.selectFrom('hardware_manufacturers').select(['id', 'name']).orderBy('name').execute();
    },

    models(): Promise<ModelRow[]> {
      return scope.selectFrom('hardware_models')
        .innerJoin('hardware_manufacturers', 'hardware_manufacturers.id', 'hardware_models.manufacturer_id')
        .innerJoin('hardware_types', 'hardware_types.id', 'hardware_models.type_id')
        .select(['hardware_models.id', 'hardware_models.name', 'hardware_models.type_id', 'hardware_models.manufacturer_id',
          'hardware_manufacturers.name as manufacturer', 'hardware_types.name_en as type_en', 'hardware_types.name_de as type_de'])
        .orderBy('hardware_manufacturers.name').orderBy('hardware_models.name').execute();
    },

    async locations(): Promise<PlacedLocation[]> {
      return placeLocations(await scope.selectFrom('hardware_locations').select(['id', 'parent_id', 'kind', 'name']).execute());
    },

    async addType(input: { name_en: string; name_de: string }, actor: { id: number; label: string }): Promise<number> {
      const errors: Record<string, string> = {};
      const names = { name_en: '', name_de: '' };
      for (const field of ['name_en', 'name_de'] as const) {
        try { names[field] = cleanName(input[field], field); } catch (error) { Object.assign(errors, (error as { fields: object }).fields); }
      }
      if (Object.keys(errors).length) throw invalidFields('error.invalid', errors);
      return services.db.transaction().execute(async (trx) => {
        const tx = scope.withDb(trx);
        await ensureTypes(tx);
        const taken = await tx.selectFrom('hardware_types').select('id').where('name_en', '=', names.name_en).executeTakeFirst();
        if (taken) throw invalidFields('error.invalid', { name_en: 'hardware.field.taken' });
        const row = await tx.insertInto('hardware_types', { key: null, ...names }).returning('id').executeTakeFirstOrThrow();
        await audit(trx, actor, `type:${names.name_en}`);
        return row.id;
      });
    },

    async renameType(id: number, input: { name_en: string; name_de: string }, actor: { id: number; label: string }): Promise<void> {
      const names = { name_en: cleanName(input.name_en, `name_en`), name_de: cleanName(input.name_de, 'name_de') };
      await services.db.transaction().execute(async (trx) => {
        const tx = scope.withDb(trx);
        const taken = await tx.selectFrom('hardware_types').select('id').where('name_en', '=', names.name_en).where('id', '!=', id).executeTakeFirst();
        if (taken) throw invalidFields('error.invalid', { name_en: 'hardware.field.taken' });
        const result = await tx.updateTable('hardware_types').set(names).where('id', '=', id).executeTakeFirst();
        if (Number(result.numUpdatedRows) === 0) throw invalidFields('error.invalid', { name_en: 'hardware.field.unknown' });
        await audit(trx, actor, `type:${names.name_en}`);
      });
    },

    async addManufacturer(value: string, actor: { id: number; label: string }): Promise<number> {
      const name = cleanName(value, 'name');
      return services.db.transaction().execute(async (trx) => {
        const tx = scope.withDb(trx);
        if (await tx.selectFrom('hardware_manufacturers').select('id').where('name', '=', name).executeTakeFirst()) throw invalidFields('error.invalid', { name: 'hardware.field.taken' });
        const row = await tx.insertInto('hardware_manufacturers', { name }).returning('id').executeTakeFirstOrThrow();
        await audit(trx, actor, `manufacturer:${name}`);
        return row.id;
      });
    },

    async addModel(input: { type_id: string; manufacturer_id: string; name: string }, actor: { id: number; label: string }): Promise<number> {
      const errors: Record<string, string> = {};
      const typeId = positiveId(input.type_id);
      const manufacturerId = positiveId(input.manufacturer_id);
      const name = input.name.trim();
      if (!name) errors.name = 'hardware.field.required';
      else if (name.length > NAME_MAX) errors.name = 'hardware.field.tooLong';
      return services.db.transaction().execute(async (trx) => {
        const tx = scope.withDb(trx);
        // Another tenant's ids are unknown here: the scope finds none.
        if (!typeId || !(await tx.selectFrom('hardware_types').select('id').where('id', '=', typeId).executeTakeFirst())) errors.type_id = 'hardware.field.choose';
        if (!manufacturerId || !(await tx.selectFrom('hardware_manufacturers').select('id').where('id', '=', manufacturerId).executeTakeFirst())) errors.manufacturer_id = 'hardware.field.choose';
        if (!errors.name && manufacturerId && await tx.selectFrom('hardware_models').select('id').where('manufacturer_id', '=', manufacturerId).where('name', '=', name).executeTakeFirst()) {
          errors.name = 'hardware.field.taken';
        }
        if (Object.keys(errors).length) throw invalidFields('error.invalid', errors);
        const row = await tx.insertInto('hardware_models', { type_id: typeId!, manufacturer_id: manufacturerId!, name }).returning('id').executeTakeFirstOrThrow();
        await audit(trx, actor, `model:${name}`);
        return row.id;
      });
    },

    async addLocation(input: { kind: string; name: string; parent_id: string }, actor: { id: number; label: string }): Promise<number> {
      const errors: Record<string, string> = {};
      const kind = LOCATION_KINDS.find((k) => k === input.kind);
      const name = input.name.trim();
      if (!kind) errors.kind = 'hardware.field.choose';
      if (!name) errors.name = 'hardware.field.required';
      else if (name.length > NAME_MAX) errors.name = 'hardware.field.tooLong';
      const parentId = positiveId(input.parent_id);
      return services.db.transaction().execute(async (trx) => {
        const tx = scope.withDb(trx);
        if (kind) {
          const wanted = PARENT_KIND[kind];
          const parent = parentId ? await tx.selectFrom('hardware_locations').select(['id', 'kind']).where('id', '=', parentId).executeTakeFirst() : undefined;
          if (wanted === null && input.parent_id) errors.parent_id = 'hardware.location.siteParent';
          if (wanted !== null && parent?.kind !== wanted) errors.parent_id = wanted === 'site' ? 'hardware.location.needSite' : 'hardware.location.needBuilding';
        }
        if (Object.keys(errors).length) throw invalidFields('error.invalid', errors);
        const row = await tx.insertInto('hardware_locations', { kind: kind!, name, parent_id: kind === 'site' ? null : parentId }).returning('id').executeTakeFirstOrThrow();
        await audit(trx, actor, `location:${name}`);
        return row.id;
      });
    },
  };
}
