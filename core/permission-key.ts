/**
 * A permission's name: `<area>.<action>` for the core's (corePermissions), `<plugin id>.<action>`
 * for a plugin's. A module of its own so that the request types and the plugin contract name it
 * without importing the permission table, which reads the plugin registry.
 */
export type PermissionKey = string;
