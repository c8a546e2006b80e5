import type { Translate } from '../i18n/translate.js';

/** Every audit action the core writes; each needs a label `audit.action.<action>` in core/audit/audit-action-messages.ts. */
export const coreAuditActions = [
  'auth.sign_in', 'auth.password_changed', 'auth.password_reset', 'auth.token_created', 'auth.token_revoked',
  'admin.user_created', 'admin.user_updated', 'admin.branding_updated', 'admin.logo_removed',
  'admin.ticket_settings_updated', 'admin.ticket_field_created', 'admin.ticket_field_updated',
  'admin.ticket_category_created', 'admin.ticket_category_updated', 'admin.contract_created', 'admin.contract_updated',
  'admin.person_created', 'admin.person_updated', 'admin.group_created', 'admin.group_updated', 'admin.group_deleted',
  'admin.organisation_created', 'admin.organisation_updated',
  'platform.tenant_created', 'platform.tenant_updated', 'platform.time_zone_changed', 'platform.admin_created',
  'platform.plugin_settings', 'platform.plugin_enabled', 'platform.plugin_disabled',
  'cli.tenant_created', 'cli.user_created', 'cli.token_created', 'cli.plugin_enabled', 'cli.plugin_disabled',
] as const;

/** The catalog key of an action's readable label (core and plugins use the same scheme). */
export function auditActionKey(action: string): string {
  return `audit.action.${action}`;
}

/** The readable label of an action, or null when no catalog knows it (e.g. the plugin that wrote it was removed). */
export function auditActionLabel(t: Translate, action: string): string | null {
  const key = auditActionKey(action);
  const label = t(key);
  return label === key ? null : label;
}
