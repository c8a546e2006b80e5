import { definePlugin } from '../../core/plugin-api.js';
import { registerMailChannel } from './mail/mail-channel.js';
import { mailOrigin } from './mail/mail-origin.js';
import { HELPDESK_MAIL_ORIGIN } from './extension-points.js';
import { helpdeskAuditActions } from './audit-actions.js';
import { helpdeskMessages } from './messages.js';
import { helpdeskMigrations } from './migrations.js';
import { helpdeskSettingsSchema } from './settings.js';
import { serviceOrderMessages } from './service-orders/service-order-messages.js';
import { technicianMailMessages } from './service-orders/technician-mail-messages.js';
import { serviceOrderMigrations } from './service-orders/service-order-migrations.js';
import { registerServiceOrders, serviceOrderPermissions } from './service-orders/service-orders.js';

/**
 * Helpdesk I: the mail channel (mailboxes, IMAP import, matching, sender filters, open
 * helpdesk mails, confirmations and replies by SMTP). Each part registers itself in a block
 * of its own below (service orders join as another block).
 */
export const helpdeskPlugin = definePlugin({
  id: 'helpdesk',
  version: '1.0.0',
  core: '^1.0.0',
  // Provides the portal's service orders extension point when the portal is installed; works without it.
  enhances: ['portal'],
  name: 'helpdesk.name',
  settings: helpdeskSettingsSchema,
  permissions: [
    { key: 'helpdesk.mails', roles: ['agent', 'supervisor', 'admin'], label: { en: 'Handle open helpdesk mails', de: 'Offene Helpdesk-Mails bearbeiten' } },
    { key: 'helpdesk.admin', roles: ['admin'], label: { en: 'Set up mailboxes', de: 'Postfächer einrichten' } },
    ...serviceOrderPermissions,
  ],
  // The mail channel's mailboxes are set up from the tenant's Administration page, beside the other channels.
  adminSections: [{ id: 'helpdesk-mailboxes', label: 'helpdesk.nav.mailboxes', description: 'helpdesk.admin.mailboxes', href: '/p/helpdesk/mailboxes', permission: 'helpdesk.admin', group: 'channels', order: 10 }],
  migrations: { ...helpdeskMigrations, ...serviceOrderMigrations },
  messages: {
    en: { ...helpdeskMessages.en, ...serviceOrderMessages.en, ...technicianMailMessages.en },
    de: { ...helpdeskMessages.de, ...serviceOrderMessages.de, ...technicianMailMessages.de },
  },
  // helpdesk.css: mail pages and service orders, linked while the tenant has the helpdesk on.
  static: new URL('./static/', import.meta.url),
  auditActions: helpdeskAuditActions,
  register(api) {
    // Mail channel: mailboxes, import, matching, outgoing mail, open helpdesk mails.
    registerMailChannel(api);
    // Whether a robot's mail opened a ticket (extension-points.ts), for plugins that must not write to robots.
    api.provide(HELPDESK_MAIL_ORIGIN, mailOrigin);
    // Service orders: work orders from a ticket, its page's panel, the agent list, the portal's extension point.
    registerServiceOrders(api);
  },
});
