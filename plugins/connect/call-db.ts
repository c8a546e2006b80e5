import type { Generated } from 'kysely';

/** One call the PBX reported: newCall opens it, answer and hangup move it on. */
export interface ConnectCallsTable {
  id: Generated<number>;
  tenant_id: number;
  /** The PBX's id of the call (Asterisk's Uniqueid/Linkedid, a webhook's callId), unique per tenant. */
  call_id: string;
  /** in | out */
  direction: string;
  /** As the PBX sent them (cleaned, at most 60 characters). */
  from_number: string;
  to_number: string;
  /** The outside party in E.164 ('' when withheld or not a full number): the caller of an incoming call, the callee of an outgoing one. */
  number: string;
  /** The agent's extension (the user field of the event), '' when none was named. */
  extension: string;
  user_id: number | null;
  person_id: number | null;
  organisation_id: number | null;
  /** known (a person's number) | maybe (only an organisation's) | none */
  match: string;
  /** ringing | answered | ended */
  state: string;
  missed: number;
  /** The hangup's cause as sent (normalClearing, busy, cancel, noAnswer…). */
  cause: string;
  started_at: string;
  answered_at: string | null;
  ended_at: string | null;
  /** Seconds talked (answer to hangup); null for a call never answered. */
  duration_s: number | null;
  ticket_id: number | null;
  /** The group a missed call's to-do belongs to. */
  group_id: number | null;
  /** 1 while a missed incoming call waits to be called back. */
  todo_open: number;
  /** 1 once the agent closed the call's pop-up. */
  popup_closed: number;
  /** '' | pending (a URL to fetch) | attached | failed: <why> */
  recording: string;
  recording_url: string | null;
}

/** Which staff user answers which extension. */
export interface ConnectExtensionsTable { id: Generated<number>; tenant_id: number; user_id: number; extension: string }

/** The tenant's telephony settings: the country of national numbers and the group missed calls go to. */
export interface ConnectPhoneSettingsTable { id: Generated<number>; tenant_id: number; missed_group_id: number | null }

export interface CallTables {
  connect_calls: ConnectCallsTable;
  connect_extensions: ConnectExtensionsTable;
  connect_phone_settings: ConnectPhoneSettingsTable;
}
