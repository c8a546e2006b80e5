import type { Ticket } from '../db/schema.js';
import { defineExtensionPoint } from '../plugin-host/refs.js';

/**
 * Extension point of the reply composer: a plugin that mails agents' replies to the customer (the helpdesk)
 * says for which tickets it does, so the composer offers CC and BCC there and the reply keeps them. Without
 * any provider, or when none answers yes, replies are not mailed and the composer has no such fields.
 */
export const REPLY_MAIL_POINT = defineExtensionPoint<ReplyMailChannel>('core.replyMail');

export interface ReplyMailChannel {
  /** `settings` reads a plugin's settings for the ticket's tenant. */
  mailsReplies(input: { ticket: Pick<Ticket, 'id' | 'channel' | 'requester_id'>; settings: (pluginId: string) => Promise<Record<string, unknown>> }): boolean | Promise<boolean>;
}
