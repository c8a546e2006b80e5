import { defineExtensionPoint } from '../plugin-host/refs.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';

/** One stretch of a ticket's life whose business time a KPI needs (ISO instants, from before until). */
export interface BusinessSpan { ticketId: number; from: string; until: string }

/**
 * `core.kpiBusinessTime`: the core's seam for business time in the KPI reports (a core module never
 * imports a plugin). The sla plugin fills it from its calendars while a tenant has it switched on; with
 * no provider the reports count wall time and say so.
 */
export interface KpiBusinessTime {
  /** Per span, in order, the business seconds on the calendar of the ticket's service level, or null when the ticket runs under none (wall time counts then). */
  businessSeconds(input: { tenantId: number; scope: TenantScope; spans: readonly BusinessSpan[] }): Promise<Array<number | null>>;
}

export const KPI_BUSINESS_TIME = defineExtensionPoint<KpiBusinessTime>('core.kpiBusinessTime');
