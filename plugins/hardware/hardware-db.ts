import type { Generated } from 'kysely';
import type { DB } from '../../core/plugin-api.js';

/** A device type (printer, notebook, …): seeded per tenant on first use with a `key`, admin-editable, named in both languages. */
export interface HardwareTypesTable {
  id: Generated<number>;
  tenant_id: number;
  /** The seed's key (`printer`), null for a type an admin added; unique per tenant, so seeding twice adds nothing. */
  key: string | null;
  name_en: string;
  name_de: string;
}

export interface HardwareManufacturersTable {
  id: Generated<number>;
  tenant_id: number;
  name: string;
}

export interface HardwareModelsTable {
  id: Generated<number>;
  tenant_id: number;
  type_id: number;
  manufacturer_id: number;
  name: string;
}

export type LocationKind = 'site' | 'building' | 'room';

/** A place in the tree site → building → room (`parent_id` null for a site). */
export interface HardwareLocationsTable {
  id: Generated<number>;
  tenant_id: number;
  parent_id: number | null;
  kind: LocationKind;
  name: string;
}

export const DEVICE_STATES = ['in_stock', 'in_service', 'in_repair', 'retired'] as const;
export type DeviceState = (typeof DEVICE_STATES)[number];

export interface HardwareDevicesTable {
  id: Generated<number>;
  tenant_id: number;
  inventory_number: string;
  serial_number: string | null;
  model_id: number;
  organisation_id: number;
  person_id: number | null;
  location_id: number | null;
  state: DeviceState;
  /** Calendar dates `YYYY-MM-DD`. */
  purchased_on: string | null;
  warranty_until: string | null;
  host: string | null;
  notes: string | null;
  /** The custom fields' values (JSON object key → text, number or boolean), checked against the core's definitions of kind 'device'. */
  custom_fields: Generated<string>;
  /** ISO instants from the app's clock. */
  created_at: string;
  updated_at: string;
}

/** A file on a device: the bytes in core's file store (by sha256 per tenant), the name and type as served. */
export interface HardwareDeviceFilesTable {
  id: Generated<number>;
  tenant_id: number;
  device_id: number;
  sha256: string;
  filename: string;
  mime_type: string;
  size: number;
  created_at: string;
  created_by: string;
}

/** One field of one device moved: who, when, old → new (values as text, ids as their decimal digits). */
export interface HardwareDeviceHistoryTable {
  id: Generated<number>;
  tenant_id: number;
  device_id: number;
  at: string;
  actor_id: number | null;
  actor_label: string;
  field: string;
  old_value: string | null;
  new_value: string | null;
}

/**
 * A period a device was in service (epoch ms, `end_ms` null while it still is), counted from its state lines and kept in
 * the same transaction as they are written (service-spans.ts); `prev_end_ms` is the end of its latest earlier period
 * that lasted more than an instant. The defect statistics read these instead of replaying the history.
 */
export interface HardwareServiceSpansTable {
  id: Generated<number>;
  tenant_id: number;
  device_id: number;
  start_ms: number;
  end_ms: number | null;
  prev_end_ms: number | null;
}

export const LINK_REASONS = ['defect', 'question', 'installation', 'maintenance'] as const;
export type LinkReason = (typeof LINK_REASONS)[number];

/** A device linked to a ticket, with the reason and the ticket's date (its creation) at the time of linking. */
export interface HardwareTicketLinksTable {
  id: Generated<number>;
  tenant_id: number;
  ticket_id: number;
  device_id: number;
  reason: LinkReason;
  ticket_date: string;
  linked_at: string;
  linked_by: number | null;
}

/** A named set of devices at a customer's site (the seed's "Anlage"). */
export interface HardwareInstallationsTable {
  id: Generated<number>;
  tenant_id: number;
  name: string;
  organisation_id: number;
  /** Where it stands (a site, building or room of the catalogue), or null. */
  location_id: number | null;
  notes: string | null;
  created_at: string;
  updated_at: string;
}

/**
 * A component of an installation: one of the customer's devices (a device belongs to at most one installation)
 * or a named part without a device; optionally the sla plugin's service level (`sla_levels.id`, no foreign key:
 * the sla plugin may be absent; an id it does not know is passed over).
 */
export interface HardwareInstallationComponentsTable {
  id: Generated<number>;
  tenant_id: number;
  installation_id: number;
  device_id: number | null;
  /** The part's name; for a device an optional role ("main printer"). */
  name: string | null;
  sla_level_id: number | null;
  created_at: string;
}

/** A named part of an installation (a component without a device) chosen on a ticket (part-links.ts). */
export interface HardwareTicketPartsTable {
  id: Generated<number>;
  tenant_id: number;
  ticket_id: number;
  component_id: number;
  linked_at: string;
  linked_by: number | null;
}

/** The plugin's tables, declared once: the tenant scope (pluginScope<HardwareDB>) reaches them like the core's. */
export interface HardwareDB extends DB {
  hardware_types: HardwareTypesTable;
  hardware_manufacturers: HardwareManufacturersTable;
  hardware_models: HardwareModelsTable;
  hardware_locations: HardwareLocationsTable;
  hardware_devices: HardwareDevicesTable;
  hardware_device_history: HardwareDeviceHistoryTable;
  hardware_service_spans: HardwareServiceSpansTable;
  hardware_ticket_links: HardwareTicketLinksTable;
  hardware_installations: HardwareInstallationsTable;
  hardware_installation_components: HardwareInstallationComponentsTable;
  hardware_ticket_parts: HardwareTicketPartsTable;
  hardware_device_files: HardwareDeviceFilesTable;
}
