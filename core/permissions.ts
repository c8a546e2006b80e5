import type { StaffRole } from './db/schema.js';
import type { PluginRegistry } from './plugin-host/registry.js';

// The key's type lives in a leaf module: the request types and the plugin contract name it without importing this table.
import type { PermissionKey } from './permission-key.js';
export type { PermissionKey };

/** Core permission keys and the staff roles that hold them. Operators hold platform.* only. */
export const corePermissions: Record<PermissionKey, ReadonlyArray<StaffRole>> = {
  'desk.use': ['agent', 'supervisor', 'admin'],
  'tickets.view': ['agent', 'supervisor', 'admin'],
  'tickets.edit': ['agent', 'supervisor', 'admin'],
  'tickets.close': ['supervisor', 'admin'],
  'tickets.delete': ['admin'],
  'people.view': ['agent', 'supervisor', 'admin'],
  'people.manage': ['supervisor', 'admin'],
  /** Macros shared with the whole team (user_id null) are created and edited by these roles. */
  'macros.share': ['supervisor', 'admin'],
  'admin.users': ['admin'],
  'admin.branding': ['admin'],
  'admin.groups': ['admin'],
  'admin.contracts': ['supervisor', 'admin'],
  'admin.audit': ['admin'],
  'admin.tickets': ['admin'],
  'platform.tenants': ['operator'],
  'platform.plugins': ['operator'],
  'platform.outbox': ['operator'],
};

export interface PermissionTable {
  has(role: StaffRole, key: PermissionKey): boolean;
  /** Every key known to the core and the installed plugins. */
  keys(): PermissionKey[];
}

export function buildPermissionTable(registry: PluginRegistry): PermissionTable {
  const byKey = new Map<PermissionKey, Set<StaffRole>>();
  for (const [key, roles] of Object.entries(corePermissions)) byKey.set(key, new Set(roles));
  for (const plugin of registry.plugins) {
    for (const declaration of plugin.permissions ?? []) {
      if (!declaration.key.startsWith(`${plugin.id}.`)) {
        throw new Error(`plugin "${plugin.id}" declares permission "${declaration.key}" outside its own prefix`);
      }
      byKey.set(declaration.key, new Set(declaration.roles));
    }
  }
  return {
    has: (role, key) => {
      const roles = byKey.get(key);
      if (!roles) throw new Error(`unknown permission "${key}"`);
      return roles.has(role);
    },
    keys: () => [...byKey.keys()],
  };
}
