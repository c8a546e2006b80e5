import { pluginScope, type Services } from '../../core/plugin-api.js';
import { DEVICE_KIND } from './device-kind.js';

/** Tests and fixtures: a custom field of devices as the core's Custom fields page stores it (kind 'device'). */
export async function addDeviceField(services: Services, tenantId: number, field: {
  key: string; label: string; type: 'text' | 'number' | 'date' | 'select' | 'checkbox'; options?: string[]; required?: boolean; typeIds?: number[]; position?: number; active?: boolean;
}): Promise<void> {
  await pluginScope(services.db, tenantId).insertInto('ticket_fields', {
    record_kind: DEVICE_KIND, key: field.key, label: field.label, type: field.type, options: JSON.stringify(field.options ?? []), required: field.required ? 1 : 0,
    categories: JSON.stringify((field.typeIds ?? []).map(String)), position: field.position ?? 0, active: field.active === false ? 0 : 1,
  }).execute();
}
