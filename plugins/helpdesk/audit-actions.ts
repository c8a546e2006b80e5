import type { Label } from '../../core/plugin-api.js';

/** Every audit action the helpdesk plugin writes, with its label (declared in definePlugin: the audit pages show it). */
export const helpdeskAuditActions: Readonly<Record<string, Label>> = {
  'helpdesk.mailbox_created': { en: 'Created mailbox', de: 'Postfach angelegt' },
  'helpdesk.mailbox_updated': { en: 'Changed mailbox', de: 'Postfach geändert' },
  'helpdesk.mailbox_deleted': { en: 'Deleted mailbox', de: 'Postfach gelöscht' },
  'helpdesk.mail_ticket_opened': { en: 'Opened ticket from mail', de: 'Ticket aus Mail eröffnet' },
  'helpdesk.mail_attached': { en: 'Added mail to ticket', de: 'Mail einem Ticket hinzugefügt' },
  'helpdesk.mail_discarded': { en: 'Discarded mail', de: 'Mail verworfen' },
  'helpdesk.mail_restored': { en: 'Restored discarded mail', de: 'Verworfene Mail wiederhergestellt' },
};
