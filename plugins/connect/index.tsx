import { definePlugin } from '../../core/plugin-api.js';
import { itemRoutes } from './item-routes.js';
import { connectMessages } from './messages.js';
import { connectMigrations } from './migrations.js';

/**
 * Plugin "connect": say here in two sentences what it gives a helpdesk. Everything it contributes is
 * declared below; plugins/README.md lists every seam (slots, events, extension points, jobs, CLI, API).
 */
export const connectPlugin = definePlugin({
  id: 'connect',
  version: '0.1.0',
  core: '^1.0.0',
  name: 'connect.name',
  permissions: [
    { key: 'connect.view', roles: ['admin', 'supervisor', 'agent'], label: { en: 'See the connect items', de: 'connect-Einträge sehen' } },
    { key: 'connect.manage', roles: ['admin'], label: { en: 'Manage the connect items', de: 'connect-Einträge verwalten' } },
  ],
  adminSections: [{ id: 'connect-items', label: 'connect.items', description: 'connect.items.text', href: '/p/connect/items', permission: 'connect.manage' }],
  auditActions: { 'connect.item_created': { en: 'Created a connect item', de: 'connect-Eintrag angelegt' } },
  migrations: connectMigrations,
  messages: connectMessages,
  static: new URL('./static/', import.meta.url),
  register(api) {
    api.nav({ id: 'connect', label: 'connect.name', href: '/p/connect', permission: 'connect.view', order: 80 });
    api.routes(itemRoutes);
  },
});
