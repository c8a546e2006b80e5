import { recordFieldDefinitions } from '../records/record-fields.js';
import { TICKET_KIND } from '../records/record-kinds.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';
import type { FieldDefinition } from './custom-fields.js';

/** The tenant's active ticket fields in their order (position, then id). */
export function activeFieldDefinitions(scope: TenantScope): Promise<FieldDefinition[]> {
  return recordFieldDefinitions(scope, TICKET_KIND);
}
