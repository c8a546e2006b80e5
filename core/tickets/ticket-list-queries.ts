import type { TenantScope } from '../tenancy/tenant-scope.js';

// The reads of ticket management's filter form (core/routes/desk/ticket-list.tsx renders them).

/** Custom field types that make sense as a list filter. */
export const FILTERABLE_FIELDS = ['select', 'checkbox', 'text'] as const;

export interface FilterField { key: string; label: string; type: (typeof FILTERABLE_FIELDS)[number]; options: string[] }

/** The choices the filter form offers: the tenant's agents, its support groups, its tags and its filterable custom fields. */
export async function ticketFilterChoices(tenantScope: TenantScope): Promise<{ users: Array<{ id: number; name: string }>; groups: Array<{ id: number; name: string }>; fields: FilterField[]; tags: Array<{ id: number; name: string }> }> {
  const [users, groups, fields, tags] = await Promise.all([
    // users.tenant_id may be null for operators, so users is not a scoped table.
    tenantScope.db.selectFrom('users').select(['id', 'name']).where('tenant_id', '=', tenantScope.tenantId).where('role', 'in', ['agent', 'supervisor', 'admin']).where('active', '=', 1).orderBy('name').execute(),
    tenantScope.selectFrom('support_groups').select(['id', 'name']).orderBy('name').execute(),
    tenantScope.selectFrom('ticket_fields').select(['key', 'label', 'type', 'options']).where('record_kind', '=', 'ticket').where('active', '=', 1).where('type', 'in', [...FILTERABLE_FIELDS]).orderBy('position').orderBy('id').execute(),
    tenantScope.selectFrom('tags').select(['id', 'name']).orderBy('name_key').execute(),
  ]);
  return { users, groups, tags, fields: fields.map((f) => ({ key: f.key, label: f.label, type: f.type as FilterField['type'], options: safeOptions(f.options) })) };
}

function safeOptions(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

/** The tenant's active categories by name, in their order (the lists' bulk form offers them). */
export async function activeCategoryNames(tenantScope: TenantScope): Promise<string[]> {
  const rows = await tenantScope.selectFrom('ticket_categories').select('name').where('active', '=', 1).orderBy('position').orderBy('name').execute();
  return rows.map((row) => row.name);
}
