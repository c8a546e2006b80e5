import { ADMIN_GROUPS, type AdminGroup, type AdminSection, type PluginDefinition } from './define-plugin.js';

/** The core's administration pages; plugins add theirs through `adminSections` in definePlugin. */
export const CORE_ADMIN_SECTIONS: ReadonlyArray<AdminSection & { group: AdminGroup }> = [
  { id: 'organisations', label: 'admin.organisations', description: 'adminPage.organisations', href: '/admin/organisations', permission: 'people.manage', group: 'customers', order: 10 },
  { id: 'people', label: 'admin.people', description: 'adminPage.people', href: '/admin/people', permission: 'people.manage', group: 'customers', order: 20 },
  { id: 'users', label: 'admin.users', description: 'adminPage.users', href: '/admin/users', permission: 'admin.users', group: 'team', order: 10 },
  { id: 'groups', label: 'admin.groups', description: 'adminPage.groups', href: '/admin/groups', permission: 'admin.groups', group: 'team', order: 20 },
  { id: 'tickets', label: 'ticketAdmin.title', description: 'adminPage.tickets', href: '/admin/tickets', permission: 'admin.tickets', group: 'tickets', order: 10 },
  { id: 'fields', label: 'recordFields.title', description: 'adminPage.fields', href: '/admin/fields', permission: 'admin.tickets', group: 'tickets', order: 20 },
  { id: 'tags', label: 'tag.title', description: 'tagAdmin.section', href: '/admin/tags', permission: 'admin.tickets', group: 'tickets', order: 30 },
  { id: 'branding', label: 'admin.branding', description: 'adminPage.branding', href: '/admin/branding', permission: 'admin.branding', group: 'tenant', order: 10 },
  { id: 'directory', label: 'directory.settings.title', description: 'directory.settings.section', href: '/admin/directory', permission: 'admin.directory', group: 'tenant', order: 15 },
  { id: 'audit', label: 'admin.audit', description: 'adminPage.audit', href: '/admin/audit', permission: 'admin.audit', group: 'tenant', order: 20 },
];

/** A section as the Administration page shows it: whose it is (null: the core's). */
export interface OwnedAdminSection extends AdminSection { owner: string | null }

/** A heading of the Administration page: a core group (message `adminPage.group.<id>`) or a plugin's own (its name). */
export interface AdminSectionGroup { id: string; label: string; sections: OwnedAdminSection[] }

const ownerName = (owner: string | null) => (owner === null ? 'the core' : `plugin "${owner}"`);

/**
 * Why the installed plugins' sections cannot stand together with each other and the core's: two
 * with the same id or the same href (naming both owners), or an href that is no path. Undefined when they fit.
 */
export function adminSectionClash(plugins: readonly PluginDefinition[]): string | undefined {
  const byId = new Map<string, string | null>(CORE_ADMIN_SECTIONS.map((s) => [s.id, null]));
  const byHref = new Map<string, string | null>(CORE_ADMIN_SECTIONS.map((s) => [s.href, null]));
  for (const plugin of plugins) {
    for (const section of plugin.adminSections ?? []) {
      if (!section.href.startsWith('/')) return `admin section "${section.id}" of plugin "${plugin.id}" has href "${section.href}", which is no path inside the tenant`;
      if (byId.has(section.id)) return `admin section id "${section.id}" of plugin "${plugin.id}" is taken by ${ownerName(byId.get(section.id)!)}`;
      if (byHref.has(section.href)) return `admin section "${section.id}" of plugin "${plugin.id}" has href "${section.href}", taken by ${ownerName(byHref.get(section.href)!)}`;
      byId.set(section.id, plugin.id);
      byHref.set(section.href, plugin.id);
    }
  }
  return undefined;
}

/**
 * The sections a user may open, grouped: the core's, then those of the plugins the tenant has
 * on, each only with its permission. Empty groups are left out; the core's groups come first in
 * ADMIN_GROUPS order, then the plugins' own groups in the registry's (dependency) order.
 */
export function visibleAdminSections(plugins: readonly PluginDefinition[], enabled: ReadonlySet<string>, can: (permission: AdminSection['permission']) => boolean): AdminSectionGroup[] {
  const groups = new Map<string, AdminSectionGroup>(ADMIN_GROUPS.map((id) => [id, { id, label: `adminPage.group.${id}`, sections: [] }]));
  for (const section of CORE_ADMIN_SECTIONS) if (can(section.permission)) groups.get(section.group)!.sections.push({ ...section, owner: null });
  for (const plugin of plugins) {
    if (!enabled.has(plugin.id)) continue;
    for (const section of plugin.adminSections ?? []) {
      if (!can(section.permission)) continue;
      const groupId = section.group ?? `plugin-${plugin.id}`;
      if (!groups.has(groupId)) groups.set(groupId, { id: groupId, label: plugin.name, sections: [] });
      groups.get(groupId)!.sections.push({ ...section, owner: plugin.id });
    }
  }
  return [...groups.values()]
    .filter((group) => group.sections.length > 0)
    // A stable sort: equal orders keep core before plugins and the plugins' order.
    .map((group) => ({ ...group, sections: [...group.sections].sort((a, b) => (a.order ?? 100) - (b.order ?? 100)) }));
}
