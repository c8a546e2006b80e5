import type { Label } from '../../core/plugin-api.js';

/** Every audit action the portal plugin writes, with its label (declared in definePlugin: the audit pages show it). */
export const portalAuditActions: Readonly<Record<string, Label>> = {
  'portal.registered': { en: 'Registered in the customer portal', de: 'Im Kundenportal registriert' },
  'portal.settings': { en: 'Changed customer portal settings', de: 'Kundenportal-Einstellungen geändert' },
};
