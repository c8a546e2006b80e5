import type { TicketField } from '../db/schema.js';
import { toDefinition, type FieldDefinition } from '../tickets/custom-fields.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';

/** A stored definition of any record kind, as the admin page lists it. */
export type RecordField = Pick<TicketField, 'id' | 'record_kind' | 'key' | 'label' | 'type' | 'options' | 'required' | 'categories' | 'position' | 'active'>;

const COLUMNS = ['id', 'record_kind', 'key', 'label', 'type', 'options', 'required', 'categories', 'position', 'active'] as const;

/** Every definition of one kind, inactive ones too, in their order (position, then id). */
export function listRecordFields(scope: TenantScope, kind: string): Promise<RecordField[]> {
  return scope.selectFrom('ticket_fields').select(COLUMNS).where('record_kind', '=', kind).orderBy('position').orderBy('id').execute();
}

/**
 * The tenant's active custom field definitions of one record kind in their order: what a form shows and
 * `validateCustomFields` checks against (a definition's `categories` are the kind's scope values).
 */
export async function recordFieldDefinitions(scope: TenantScope, kind: string): Promise<FieldDefinition[]> {
  const rows = await scope.selectFrom('ticket_fields').select(['key', 'label', 'type', 'options', 'required', 'categories'])
    .where('record_kind', '=', kind).where('active', '=', 1).orderBy('position').orderBy('id').execute();
  return rows.map(toDefinition);
}

/** Every definition of one kind (inactive ones too) by key: how a record's history shows a value of a switched-off field. */
export async function allRecordFieldDefinitions(scope: TenantScope, kind: string): Promise<Map<string, FieldDefinition & { active: boolean }>> {
  return new Map((await listRecordFields(scope, kind)).map((row) => [row.key, { ...toDefinition(row), active: Boolean(row.active) }]));
}
