import type { ColumnType, Generated, Kysely, Selectable } from 'kysely';
import { pluginDb, pluginScope, type DB, type TenantScope } from '../../../core/plugin-api.js';
import type { ServiceOrderStatus, ServiceOrderType } from './service-order-rules.js';

type Defaulted<T> = ColumnType<T, T | undefined, T>;

export interface HelpdeskServiceOrdersTable {
  id: Generated<number>;
  tenant_id: number;
  ticket_id: number;
  type: ServiceOrderType;
  technician_id: number | null;
  /** ISO instants (UTC). */
  planned_at: string;
  planned_end: string | null;
  status: Defaulted<ServiceOrderStatus>;
  report: Defaulted<string>;
  minutes_spent: number | null;
  created_by: number | null;
  created_by_label: string;
  updated_by_label: string;
  created_at: Defaulted<string>;
  updated_at: Defaulted<string>;
  /** SEQUENCE of the last calendar message to the technician (migration 0003). */
  calendar_sequence: Defaulted<number>;
}

export interface ServiceOrderDB extends DB {
  helpdesk_service_orders: HelpdeskServiceOrdersTable;
}

export type ServiceOrder = Selectable<HelpdeskServiceOrdersTable>;

/** The core's handle seen with the service order table (created by the plugin's migration). */
export function serviceOrderDb(db: Kysely<DB>): Kysely<ServiceOrderDB> {
  return pluginDb<ServiceOrderDB>(db);
}

/** One tenant's scope over the core's tables and the service orders. */
export function serviceOrderScope(db: Kysely<DB>, tenantId: number): TenantScope<ServiceOrderDB> {
  return pluginScope<ServiceOrderDB>(db, tenantId);
}
