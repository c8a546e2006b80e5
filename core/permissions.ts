import type { StaffRole } from './db/schema.js';
import { labelText, type Label } from './i18n/label.js';
import type { Locale } from './i18n/translate.js';
import { CORE_OWNER } from './plugin-host/labelled-codes.js';
import { PluginRegistryError, type PluginRegistry } from './plugin-host/registry.js';

// The key's type lives in a leaf module: the request types and the plugin contract name it without importing this table.
import type { PermissionKey } from './permission-key.js';
export type { PermissionKey };

export interface CorePermission {
  /** The staff roles that hold it. */
  roles: ReadonlyArray<StaffRole>;
  /** What it allows, as the roles overview shows it. */
  label: Label;
}

/** Core permission keys, the staff roles that hold them and their labels. Operators hold platform.* only. */
export const corePermissions: Readonly<Record<PermissionKey, CorePermission>> = {
  'desk.use': { roles: ['agent', 'supervisor', 'admin'], label: { en: 'Work at the desk', de: 'Am Arbeitsplatz arbeiten' } },
  'tickets.view': { roles: ['agent', 'supervisor', 'admin'], label: { en: 'See tickets', de: 'Tickets sehen' } },
  'tickets.edit': { roles: ['agent', 'supervisor', 'admin'], label: { en: 'Edit and answer tickets', de: 'Tickets bearbeiten und beantworten' } },
  'tickets.close': { roles: ['supervisor', 'admin'], label: { en: 'Close tickets', de: 'Tickets schließen' } },
  'tickets.delete': { roles: ['admin'], label: { en: 'Delete tickets', de: 'Tickets löschen' } },
  'people.view': { roles: ['agent', 'supervisor', 'admin'], label: { en: 'See customers and contact persons', de: 'Kunden und Ansprechpartner sehen' } },
  'people.manage': { roles: ['supervisor', 'admin'], label: { en: 'Manage customers and contact persons', de: 'Kunden und Ansprechpartner verwalten' } },
  /** Macros shared with the whole team (user_id null) are created and edited by these roles. */
  'macros.share': { roles: ['supervisor', 'admin'], label: { en: 'Share macros with the team', de: 'Makros mit dem Team teilen' } },
  'textModules.share': { roles: ['supervisor', 'admin'], label: { en: 'Share text modules with a group or the team', de: 'Textbausteine mit einer Gruppe oder dem Team teilen' } },
  /** The staff Statistics page (/desk/statistics); a panel may ask for more. */
  'timeline.post': { roles: ['agent', 'supervisor', 'admin'], label: { en: 'Post to the timeline', de: 'In der Timeline posten' } },
  'timeline.manage': { roles: ['supervisor', 'admin'], label: { en: 'Pin, change and remove any timeline post', de: 'Timeline-Beiträge anheften, ändern und entfernen' } },
  'statistics.view': { roles: ['supervisor', 'admin'], label: { en: 'See statistics', de: 'Statistik sehen' } },
  'admin.users': { roles: ['admin'], label: { en: 'Manage users', de: 'Benutzer verwalten' } },
  'admin.branding': { roles: ['admin'], label: { en: 'Change the branding', de: 'Erscheinungsbild ändern' } },
  'admin.groups': { roles: ['admin'], label: { en: 'Manage support groups', de: 'Supportgruppen verwalten' } },
  'admin.contracts': { roles: ['supervisor', 'admin'], label: { en: 'Manage contracts', de: 'Verträge verwalten' } },
  'admin.directory': { roles: ['admin'], label: { en: 'Set up the support contacts', de: 'Kundendienst einrichten' } },
  'admin.audit': { roles: ['admin'], label: { en: 'Read the audit log', de: 'Audit-Protokoll lesen' } },
  'admin.tickets': { roles: ['admin'], label: { en: 'Set up ticket fields, categories and settings', de: 'Ticketfelder, Kategorien und Einstellungen einrichten' } },
  'platform.tenants': { roles: ['operator'], label: { en: 'Manage tenants', de: 'Mandanten verwalten' } },
  'platform.plugins': { roles: ['operator'], label: { en: 'Switch plugins', de: 'Plugins schalten' } },
  'platform.outbox': { roles: ['operator'], label: { en: 'Read the mail outbox', de: 'Postausgang lesen' } },
};

/** One permission as the host knows it: who declared it, who holds it, what it is called. */
export interface PermissionEntry {
  key: PermissionKey;
  /** 'core' or the id of the plugin that declares it. */
  owner: string;
  roles: ReadonlySet<StaffRole>;
  label: Label;
}

export interface PermissionTable {
  has(role: StaffRole, key: PermissionKey): boolean;
  /** Every key known to the core and the installed plugins. */
  keys(): PermissionKey[];
  /** Every permission, the core's first, then the plugins' in dependency order. */
  entries(): readonly PermissionEntry[];
  /** The label in the reader's language; an unknown key shows as itself. */
  label(key: PermissionKey, locale: Locale): string;
}

/**
 * The core's permissions merged with those the installed plugins declare. Refuses, naming the owners:
 * a plugin key outside its own prefix, a key declared twice, a label missing a language.
 */
export function buildPermissionTable(registry: PluginRegistry): PermissionTable {
  const byKey = new Map<PermissionKey, PermissionEntry>();
  const add = (owner: string, key: PermissionKey, roles: ReadonlyArray<StaffRole>, label: Label | undefined) => {
    const earlier = byKey.get(key);
    if (earlier) throw new PluginRegistryError(`permission "${key}" is declared by both "${earlier.owner}" and "${owner}"`);
    if (!label?.en?.trim() || !label.de?.trim()) throw new PluginRegistryError(`permission "${key}" of "${owner}" needs a label in English and German`);
    byKey.set(key, Object.freeze({ key, owner, roles: new Set(roles), label }));
  };
  for (const [key, permission] of Object.entries(corePermissions)) add(CORE_OWNER, key, permission.roles, permission.label);
  for (const plugin of registry.plugins) {
    for (const declaration of plugin.permissions ?? []) {
      if (!declaration.key.startsWith(`${plugin.id}.`)) {
        throw new PluginRegistryError(`plugin "${plugin.id}" declares permission "${declaration.key}" outside its own prefix`);
      }
      add(plugin.id, declaration.key, declaration.roles, declaration.label);
    }
  }
  const entries = Object.freeze([...byKey.values()]);
  return {
    has: (role, key) => {
      const entry = byKey.get(key);
      if (!entry) throw new Error(`unknown permission "${key}"`);
      return entry.roles.has(role);
    },
    keys: () => [...byKey.keys()],
    entries: () => entries,
    label: (key, locale) => {
      const entry = byKey.get(key);
      return entry ? labelText(entry.label, locale) : key;
    },
  };
}
