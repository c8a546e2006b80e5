import { scopeFor, type RecordKind } from '../../core/plugin-api.js';
import { MANAGE } from './catalogue-routes.js';
import { typeName } from './catalogue-store.js';
import type { HardwareDB } from './hardware-db.js';

/** The record kind of devices in the core's custom field definitions. */
export const DEVICE_KIND = 'device';

/**
 * Devices carry custom fields defined on the core's Administration → Custom fields page; a field may be limited to
 * device types (a definition's `categories` hold their ids as digits, so `fieldsFor` chooses by the model's type).
 */
export const deviceRecordKind: RecordKind = {
  kind: DEVICE_KIND,
  label: 'hardware.fields.kind',
  permission: MANAGE,
  scopeLabel: 'hardware.fields.types',
  scopeHint: 'hardware.fields.typesHint',
  async scopes({ scope, locale }) {
    const types = await scopeFor<HardwareDB>(scope).selectFrom('hardware_types').select(['id', 'name_en', 'name_de']).orderBy('id').execute();
    return types.map((type) => ({ value: String(type.id), label: typeName(type, locale) })).sort((x, y) => x.label.localeCompare(y.label, locale));
  },
};
