import type { Label } from '../i18n/label.js';
import type { PluginRegistry } from '../plugin-host/registry.js';
import { mergeLabelledCodes, type LabelledCodes } from '../plugin-host/labelled-codes.js';

/** Every audit action the core writes, with its label; plugins declare theirs in `definePlugin({ auditActions })`. */
export const coreAuditActions: Readonly<Record<string, Label>> = {
  'auth.sign_in': { en: 'Signed in', de: 'Angemeldet' },
  'auth.sign_in_refused_seats': { en: 'Sign-in refused: all agent licences in use', de: 'Anmeldung abgewiesen: alle Agenten-Lizenzen belegt' },
  'auth.password_changed': { en: 'Changed own password', de: 'Eigenes Passwort geändert' },
  'auth.password_reset': { en: 'Reset password by mail link', de: 'Passwort per Mail-Link zurückgesetzt' },
  'auth.token_created': { en: 'Created API token', de: 'API-Token erstellt' },
  'auth.token_revoked': { en: 'Revoked API token', de: 'API-Token widerrufen' },
  'admin.user_created': { en: 'Created user', de: 'Benutzer angelegt' },
  'admin.user_updated': { en: 'Changed user', de: 'Benutzer geändert' },
  'admin.branding_updated': { en: 'Changed branding', de: 'Erscheinungsbild geändert' },
  'admin.logo_removed': { en: 'Removed logo', de: 'Logo entfernt' },
  'admin.directory_settings_updated': { en: 'Changed support contacts settings', de: 'Kundendienst-Einstellungen geändert' },
  'admin.ticket_settings_updated': { en: 'Changed ticket settings', de: 'Ticket-Einstellungen geändert' },
  'admin.ticket_field_created': { en: 'Created ticket field', de: 'Ticketfeld angelegt' },
  'admin.ticket_field_updated': { en: 'Changed ticket field', de: 'Ticketfeld geändert' },
  'admin.record_field_created': { en: 'Created custom field', de: 'Zusatzfeld angelegt' },
  'admin.record_field_updated': { en: 'Changed custom field', de: 'Zusatzfeld geändert' },
  'admin.ticket_category_created': { en: 'Created ticket category', de: 'Ticketkategorie angelegt' },
  'admin.ticket_category_updated': { en: 'Changed ticket category', de: 'Ticketkategorie geändert' },
  'admin.tag_renamed': { en: 'Renamed tag', de: 'Schlagwort umbenannt' },
  'admin.tag_merged': { en: 'Merged tags', de: 'Schlagwörter zusammengeführt' },
  'admin.tag_deleted': { en: 'Deleted tag', de: 'Schlagwort gelöscht' },
  'admin.contract_created': { en: 'Created contract', de: 'Vertrag angelegt' },
  'admin.contract_updated': { en: 'Changed contract', de: 'Vertrag geändert' },
  'admin.person_created': { en: 'Created contact person', de: 'Ansprechpartner angelegt' },
  'admin.person_updated': { en: 'Changed contact person', de: 'Ansprechpartner geändert' },
  'admin.group_created': { en: 'Created group', de: 'Gruppe angelegt' },
  'admin.group_updated': { en: 'Changed group', de: 'Gruppe geändert' },
  'admin.group_deleted': { en: 'Deleted group', de: 'Gruppe gelöscht' },
  'admin.organisation_created': { en: 'Created organisation', de: 'Organisation angelegt' },
  'admin.organisation_updated': { en: 'Changed organisation', de: 'Organisation geändert' },
  'platform.tenant_created': { en: 'Created tenant', de: 'Mandant angelegt' },
  'platform.seats_changed': { en: 'Changed licence seats', de: 'Lizenzen geändert' },
  'platform.tenant_updated': { en: 'Changed tenant', de: 'Mandant geändert' },
  'platform.time_zone_changed': { en: 'Changed tenant time zone', de: 'Zeitzone des Mandanten geändert' },
  'platform.admin_created': { en: 'Created tenant administrator', de: 'Mandanten-Administrator angelegt' },
  'platform.plugin_settings': { en: 'Changed plugin settings', de: 'Plugin-Einstellungen geändert' },
  'platform.plugin_enabled': { en: 'Enabled plugin', de: 'Plugin aktiviert' },
  'platform.plugin_disabled': { en: 'Disabled plugin', de: 'Plugin deaktiviert' },
  'cli.tenant_created': { en: 'Created tenant (command line)', de: 'Mandant angelegt (Kommandozeile)' },
  'cli.user_created': { en: 'Created user (command line)', de: 'Benutzer angelegt (Kommandozeile)' },
  'cli.token_created': { en: 'Created API token (command line)', de: 'API-Token erstellt (Kommandozeile)' },
  'cli.plugin_enabled': { en: 'Enabled plugin (command line)', de: 'Plugin aktiviert (Kommandozeile)' },
  'cli.plugin_disabled': { en: 'Disabled plugin (command line)', de: 'Plugin deaktiviert (Kommandozeile)' },
};

/** The core's audit actions and those of the installed plugins, each with its owner and label (start fails on a clash). */
export function auditActionRegistry(registry: PluginRegistry): LabelledCodes {
  return mergeLabelledCodes('audit action', coreAuditActions, registry, (plugin) => plugin.auditActions);
}

