import type { Services, TenantScope } from '../../core/plugin-api.js';
import { SLA_COMPONENT_LEVELS } from './extension-points.js';
import type { SlaDB } from './sla-db.js';

export type LevelSource = 'component' | 'contract' | 'organisation' | 'tenant';

export interface ChosenLevel { levelId: number; source: LevelSource; label: string }

/**
 * The level a ticket runs under, and why. Precedence: the component's level (from providers of
 * `sla.componentLevels`, e.g. the hardware plugin), then the contract's, then the organisation's default,
 * then the tenant default (plugin setting). A level id the tenant does not have is passed over.
 */
export async function chooseLevel(
  services: Services, scope: TenantScope<SlaDB>, ticket: { id: number; contract_id: number | null; organisation_id: number | null }, tenantDefault: number | null,
): Promise<ChosenLevel | null> {
  const exists = async (id: number) => (await scope.selectFrom('sla_levels').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
  for (const provider of await services.hooks.extensions(SLA_COMPONENT_LEVELS, scope.tenantId)) {
    const found = await provider.levelFor({ tenantId: scope.tenantId, ticketId: ticket.id, scope });
    if (found && await exists(found.levelId)) return { levelId: found.levelId, source: 'component', label: found.label };
  }
  if (ticket.contract_id !== null) {
    const row = await scope.selectFrom('sla_assignments').innerJoin('contracts', 'contracts.id', 'sla_assignments.target_id')
      .select(['sla_assignments.level_id', 'contracts.number']).where('sla_assignments.kind', '=', 'contract').where('sla_assignments.target_id', '=', ticket.contract_id).executeTakeFirst();
    if (row) return { levelId: row.level_id, source: 'contract', label: row.number };
  }
  if (ticket.organisation_id !== null) {
    const row = await scope.selectFrom('sla_assignments').innerJoin('organisations', 'organisations.id', 'sla_assignments.target_id')
      .select(['sla_assignments.level_id', 'organisations.name']).where('sla_assignments.kind', '=', 'organisation').where('sla_assignments.target_id', '=', ticket.organisation_id).executeTakeFirst();
    if (row) return { levelId: row.level_id, source: 'organisation', label: row.name };
  }
  if (tenantDefault !== null && await exists(tenantDefault)) return { levelId: tenantDefault, source: 'tenant', label: '' };
  return null;
}
