import type { PermissionKey } from '../permission-key.js';
import type { Locale, Translate } from '../i18n/translate.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';

/** The core's own record kind: tickets (their fields are limited by ticket category). */
export const TICKET_KIND = 'ticket';

/** A kind's name: lower-case letters, digits, `_` and `-`; 'ticket' is the core's. */
export const RECORD_KIND_PATTERN = /^[a-z][a-z0-9_-]{0,39}$/;

/** What a kind's limit choices are read with: the tenant's scope and the viewer's language. */
export interface RecordKindContext {
  scope: TenantScope;
  locale: Locale;
  t: Translate;
}

/** One thing a field may be limited to: `value` is stored in the field's `categories`, `label` is shown. */
export interface RecordScope {
  value: string;
  label: string;
}

/**
 * A kind of record that carries custom fields defined on Administration → Custom fields, with the same types,
 * checks and inputs as ticket fields (core/tickets/custom-fields.ts). A plugin declares its kinds with
 * `api.recordKind`; the values stay on its own records (a JSON column is cheapest to read with the record)
 * and are checked with `validateCustomFields` against `recordFieldDefinitions(scope, kind)`.
 */
export interface RecordKind {
  /** The kind's name, e.g. 'device'; unique among the core's and every plugin's kinds. */
  kind: string;
  /** Message key of the kind's name on the admin page (e.g. "Devices"). */
  label: string;
  /** Who may define its fields (the core's kind: admin.tickets). */
  permission: PermissionKey;
  /** Message keys of the legend and hint above the limit choices (e.g. "Only for these device types"). */
  scopeLabel: string;
  scopeHint?: string;
  /** The choices a field of this kind may be limited to (a field limited to none applies to every record). */
  scopes(ctx: RecordKindContext): Promise<RecordScope[]>;
}
