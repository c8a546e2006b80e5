import { scopeFor } from '../../../core/plugin-api.js';
import type { MailOrigin } from '../extension-points.js';
import type { HelpdeskDB } from '../helpdesk-db.js';

/** The helpdesk's answer to `helpdesk.mailOrigin`: the robot reason of the mail that opened the ticket (status 'ticket'). */
export const mailOrigin: MailOrigin = {
  async automaticReason({ ticketId, scope }) {
    const row = await scopeFor<HelpdeskDB>(scope).selectFrom('helpdesk_mails').select('auto_kind')
      .where('ticket_id', '=', ticketId).where('status', '=', 'ticket').orderBy('id').limit(1).executeTakeFirst();
    return row?.auto_kind ?? null;
  },
};
