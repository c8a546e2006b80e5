/**
 * The sla plugin's published extension points (other plugins import only this file of it).
 *
 * `sla.componentLevels`: a plugin that knows installed components (the hardware plugin) names the service
 * level of the component a ticket concerns. It is consulted first in the precedence (component, contract,
 * organisation default, tenant default): the first provider that answers a level id of the tenant wins.
 * The sla plugin works without any provider. When a provider's answer for tickets changes, it emits
 * `SLA_COMPONENTS_CHANGED` (events.ts) and those tickets get their level chosen again.
 */
import { defineExtensionPoint, scopeFor, type TenantScope } from '../../core/plugin-api.js';
import type { SlaDB } from './sla-db.js';

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

export interface ServiceLevelOption { id: number; name: string }

/** The tenant's service levels by name, for a provider's picker (e.g. a component's level). */
export function serviceLevels(scope: TenantScope): Promise<ServiceLevelOption[]> {
  return scopeFor<SlaDB>(scope).selectFrom('sla_levels').select(['id', 'name']).orderBy('name').execute();
}

export interface TicketBusinessMinutes {
  /** Business minutes in [from, until) on the calendar of the ticket's service level. */
  minutes: number;
  /** The calendar's name, for a sentence such as "after 8 business hours (Office hours)". */
  calendar: string;
}

/**
 * `sla.businessTime`: the sla plugin provides it itself, so a consumer asks `services.hooks.extensions(
 * SLA_BUSINESS_TIME, tenantId)` and gets no provider while the tenant has sla off (then it counts wall time).
 * The survey plugin escalates an unhandled quality alert after business hours with it.
 */
export interface SlaBusinessTime {
  /** Business minutes between two instants for a ticket, or null when the ticket runs under no service level (count wall time then). */
  minutesBetween(input: { tenantId: number; ticketId: number; scope: TenantScope; from: Date; until: Date }): Promise<TicketBusinessMinutes | null>;
}

export const SLA_BUSINESS_TIME = defineExtensionPoint<SlaBusinessTime>('sla.businessTime');
