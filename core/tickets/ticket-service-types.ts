import type { Kysely } from 'kysely';
import type { Dialect } from '../db/create-database.js';
import type { ArticleKind, DB, TicketChannel, TicketStatus } from '../db/schema.js';
import type { EventBus } from '../events/event-bus.js';
import type { FileStore } from '../files/file-store.js';
import type { Logger } from '../logger.js';
import type { Catalog } from '../i18n/translate.js';
import type { Mailer } from '../mail/mailer.js';
import type { EventPayload, EventRef, ExtensionPointRef } from '../plugin-host/refs.js';
import type { Clock } from '../time.js';
import type { AttachmentInput } from './attachment-rules.js';

// What the ticket service is given and takes: its dependencies, who acts, and the input of each change.

export type TicketActor =
  | { kind: 'user'; id: number; label: string; can: (permission: string) => boolean }
  | { kind: 'person'; id: number; label: string }
  | { kind: 'system'; label: string };

/** The plugin host's hooks as the ticket service uses them (see core/plugin-host). */
export interface TicketHooks {
  /** `enabledPlugins`: the tenant's switched-on plugins when the caller read them once for many changes. */
  runFilters<P extends EventPayload>(event: EventRef<P>, payload: P, trx: Kysely<DB>, enabledPlugins?: ReadonlySet<string>): Promise<void>;
  emit<P extends EventPayload>(event: EventRef<P>, payload: P): Promise<void>;
  /** The tenant's switched-on plugins, read once for a batch of changes (their filters then need not read them each). */
  enabledPlugins?(tenantId: number, trx: Kysely<DB>): Promise<ReadonlySet<string>>;
  /** The tenant's providers of an extension point (the KPI facts ask for business time). */
  extensions?<Impl>(point: ExtensionPointRef<Impl>, tenantId: number, enabledPlugins: undefined, trx: Kysely<DB>): Promise<Impl[]>;
}

export interface TicketServiceDeps {
  db: Kysely<DB>;
  dialect: Dialect;
  clock: Clock;
  events: EventBus;
  files: FileStore;
  mailer?: Mailer | undefined;
  hooks?: TicketHooks | undefined;
  log?: Logger | undefined;
  /** The message catalog: notification mails are written in each recipient's language (without it, in the service's). */
  catalog?: Catalog | undefined;
}

export const CHANNELS: readonly TicketChannel[] = ['phone', 'mail', 'web', 'fax', 'monitoring', 'chat', 'in_person'];

export interface NewTicketInput {
  subject: string;
  description: string;
  priority?: number | undefined;
  category?: string | null | undefined;
  channel?: TicketChannel | undefined;
  organisationId?: number | null | undefined;
  requesterId?: number | null | undefined;
  /** Finds the person by e-mail, or creates one (organisation by e-mail domain). */
  requesterEmail?: string | undefined;
  requesterName?: string | undefined;
  contractId?: number | null | undefined;
  groupId?: number | null | undefined;
  assigneeId?: number | null | undefined;
  customFields?: Record<string, unknown> | undefined;
  attachments?: AttachmentInput[] | undefined;
  /**
   * What plugins' fields on a create form sent (`p.<plugin>.<field>` names, see TICKET_CREATE_FIELDS):
   * handed to the TICKET_CREATED filters, which validate and store them inside the create transaction.
   */
  pluginFields?: Readonly<Record<string, string>> | undefined;
  /**
   * One step at the phone (staff only): `take` assigns the new ticket to the creating agent and opens it;
   * `solution` also answers it with this public reply and marks it solved, in the same transaction.
   */
  onCreate?: { take?: boolean | undefined; solution?: string | undefined } | undefined;
}

export interface TicketPatch {
  subject?: string | undefined;
  priority?: number | undefined;
  category?: string | null | undefined;
  organisationId?: number | null | undefined;
  requesterId?: number | null | undefined;
  contractId?: number | null | undefined;
  customFields?: Record<string, unknown> | undefined;
}

export interface ArticleInput {
  kind: ArticleKind;
  body: string;
  bodyHtml?: string | null | undefined;
  /** The composer's markdown, from which body (plain text) and bodyHtml (safe HTML) were made. */
  bodyMarkdown?: string | null | undefined;
  /** Addresses the reply's mail also goes to (only where replies are mailed). */
  cc?: readonly string[] | undefined;
  bcc?: readonly string[] | undefined;
  channel?: TicketChannel | undefined;
  messageId?: string | null | undefined;
  attachments?: AttachmentInput[] | undefined;
  /** Status to move to together with an agent's reply or note (e.g. waiting after asking back). */
  statusAfter?: TicketStatus | undefined;
  /** With statusAfter waiting: when the ticket comes back to its agent (ISO instant; ticket-waiting.ts). */
  waitingUntil?: string | undefined;
  /** Minutes the agent spent; added to the ticket's sum in the same transaction. */
  timeSpentMinutes?: number | undefined;
}

export interface ForwardInput {
  groupId?: number | null | undefined;
  assigneeId?: number | null | undefined;
  note?: string | undefined;
  /** Also tells the customer, as a public reply with this text. */
  customerMessage?: string | undefined;
}

/** Changes `apply` makes together. */
export interface TicketChanges {
  fields?: TicketPatch | undefined;
  forward?: ForwardInput | undefined;
  article?: ArticleInput | undefined;
  status?: TicketStatus | undefined;
  /** A new owner from the ticket's group, or nobody (the sidebar's picker, ticket-owner.ts). */
  owner?: { assigneeId: number | null } | undefined;
  /** Take the ticket (with a status change from new: accept). */
  assignToActor?: boolean | undefined;
  /**
   * The ticket's version the form showed: a field this change sets that someone changed since is refused
   * (a StaleTicketError saying what changed, ticket-stale-fields.ts) instead of overwritten.
   */
  version?: number | undefined;
}
