import type { Generated } from 'kysely';
import type { DB } from '../../core/plugin-api.js';
import type { CallTables } from './call-db.js';

/** A monitoring system allowed to post to the tenant's webhook: one per kind, its token stored only as a hash. */
export interface ConnectSourcesTable {
  id: Generated<number>;
  tenant_id: number;
  /** nagios | icinga | checkmk | prometheus | generic: the last part of the webhook's path. */
  kind: string;
  /** SHA-256 of the token, hex; the token itself is shown once, at creation. */
  token_hash: string;
  /** The token's first characters, so an admin can tell which one a system holds. */
  token_hint: string;
  created_at: string;
}

/** Every event the webhook accepted a token for, raw, with what came of it; kept 7 days. */
export interface ConnectEventsTable {
  id: Generated<number>;
  tenant_id: number;
  kind: string;
  received_at: string;
  /** The raw body (for Alertmanager: the envelope with this one alert). */
  body: string;
  host: string;
  service: string;
  /** Normalised: critical | warning | unknown | down | ok | up ('' when the body did not parse). */
  state: string;
  /** problem | recovery | other: what the state means for tickets, before the tenant's settings. */
  state_class: string;
  /** received | opened | appended | recovered | solved | flapping | ignored | invalid | failed */
  outcome: string;
  /** Why (a field message for invalid, the error for failed). */
  detail: string;
  ticket_id: number | null;
  dedup_key: string;
  /** A random value the ticket-create filter checks, so no create form can claim to be this event. */
  nonce: string;
}

/** One alert per monitoring ticket: host + service, open while its ticket is worked on. */
export interface ConnectAlertsTable {
  id: Generated<number>;
  tenant_id: number;
  dedup_key: string;
  /** The dedup key while the alert is open, null once closed: unique per tenant, so one open alert per key. */
  open_key: string | null;
  host: string;
  service: string;
  state: string;
  ticket_id: number;
  events_count: number;
  opened_at: string;
  last_at: string;
  closed_at: string | null;
}

/** The plugin's tables, declared once: the tenant scope (pluginScope<ConnectDB>) reaches them like the core's. */
export interface ConnectDB extends DB, CallTables {
  connect_sources: ConnectSourcesTable;
  connect_events: ConnectEventsTable;
  connect_alerts: ConnectAlertsTable;
}
