/** Every audit action the helpdesk plugin writes; each needs a label `audit.action.<action>` in ./messages.ts. */
export const helpdeskAuditActions = [
  'helpdesk.mailbox_created', 'helpdesk.mailbox_updated', 'helpdesk.mailbox_deleted',
  'helpdesk.mail_ticket_opened', 'helpdesk.mail_attached', 'helpdesk.mail_discarded', 'helpdesk.mail_restored',
] as const;
