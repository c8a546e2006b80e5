/**
 * The sla plugin's published extension points (other plugins import only this file of it).
 *
 * `sla.componentLevels`: a plugin that knows installed components (the hardware plugin) names the service
 * level of the component a ticket concerns. It is consulted first in the precedence (component, contract,
 * organisation default, tenant default): the first provider that answers a level id of the tenant wins.
 * The sla plugin works without any provider; none exists yet.
 */
import { defineExtensionPoint, type TenantScope } from '../../core/plugin-api.js';

export interface ComponentLevel {
  /** A service level of the ticket's tenant (`sla_levels.id`); an id the tenant does not have is ignored. */
  levelId: number;
  /** What the ticket shows as the reason, e.g. the component's name and serial number. */
  label: string;
}

export interface SlaComponentLevels {
  /** The level of the component a ticket concerns, or null when it concerns none with a level. */
  levelFor(input: { tenantId: number; ticketId: number; scope: TenantScope }): Promise<ComponentLevel | null>;
}

export const SLA_COMPONENT_LEVELS = defineExtensionPoint<SlaComponentLevels>('sla.componentLevels');
