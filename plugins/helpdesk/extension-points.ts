/**
 * The helpdesk plugin's published extension points (other plugins import only this file of it).
 *
 * `helpdesk.mailOrigin`: the helpdesk itself provides it, so a consumer asks `services.hooks.extensions(
 * HELPDESK_MAIL_ORIGIN, tenantId)` and gets no provider while the tenant has the helpdesk off. It says whether a
 * ticket was opened from a mail a robot sent (Auto-Submitted, Precedence: bulk/list/junk, X-Loop, a mailing
 * list, a delivery report, a no-reply or mailer-daemon sender, a mail from one of the tenant's own mailboxes):
 * the mail channel never opens such a ticket on its own, but an agent may turn such an open helpdesk mail into
 * a ticket by hand. The survey plugin asks it so that no satisfaction survey goes to a robot.
 */
import { defineExtensionPoint, type TenantScope } from '../../core/plugin-api.js';

export interface MailOrigin {
  /** Why the mail that opened the ticket is a robot's (the loop guard's reason, e.g. 'auto-submitted'), or null when a person wrote it or no mail opened the ticket. */
  automaticReason(input: { tenantId: number; ticketId: number; scope: TenantScope }): Promise<string | null>;
}

export const HELPDESK_MAIL_ORIGIN = defineExtensionPoint<MailOrigin>('helpdesk.mailOrigin');
