import type { Generated } from 'kysely';
import type { ConnectDB } from './connect-db.js';

/** The remote-support tools a session may be for ("other" for any the list does not name). */
export const REMOTE_TOOLS = ['teamviewer', 'anydesk', 'rustdesk', 'other'] as const;
export type RemoteTool = (typeof REMOTE_TOOLS)[number];
/** Why a session's secret is gone: its validity ended, its ticket was closed or deleted, or someone removed it. */
export const WIPE_REASONS = ['expired', 'closed', 'removed'] as const;
export type WipeReason = (typeof WIPE_REASONS)[number];

/** A remote-support session on a ticket: the tool and ID in the clear, the password or one-time code sealed. */
export interface ConnectRemoteSessionsTable {
  id: Generated<number>;
  tenant_id: number;
  ticket_id: number;
  tool: RemoteTool;
  /** The session's or the machine's ID in the tool, as the customer read it out. */
  remote_id: string;
  /** The password or one-time code, AES-256-GCM sealed (remote-secret.ts); null once wiped. */
  secret_sealed: string | null;
  valid_until: string;
  created_at: string;
  created_by: number | null;
  created_by_label: string;
  wiped_at: string | null;
  wipe_reason: WipeReason | null;
}

/** The connect plugin's tables with the remote sessions (kept apart from connect-db.ts, which the webhook owns). */
export interface RemoteDB extends ConnectDB {
  connect_remote_sessions: ConnectRemoteSessionsTable;
}
