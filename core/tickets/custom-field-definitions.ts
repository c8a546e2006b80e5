import type { TenantScope } from '../tenancy/tenant-scope.js';
import { toDefinition, type FieldDefinition } from './custom-fields.js';

/** The tenant's active custom field definitions in their order (position, then id). */
export async function activeFieldDefinitions(scope: TenantScope): Promise<FieldDefinition[]> {
  const rows = await scope.selectFrom('ticket_fields').select(['key', 'label', 'type', 'options', 'required', 'categories'])
    .where('active', '=', 1).orderBy('position').orderBy('id').execute();
  return rows.map(toDefinition);
}
