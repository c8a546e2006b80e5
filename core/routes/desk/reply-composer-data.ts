import type { Context } from 'hono';
import type { Ticket } from '../../db/schema.js';
import type { AppEnv } from '../../http/app-env.js';
import { scope, staff } from '../../http/guards.js';
import { formatDateTime } from '../../i18n/format.js';
import { markdownQuote } from '../../text/markdown.js';
import { replyDrafts } from '../../tickets/reply-drafts.js';
import { REPLY_MAIL_POINT } from '../../tickets/reply-mail.js';
import type { ComposerExtras } from './composer-extras.js';

/** The signed-in agent's drafts in this tenant. */
export const draftsOf = (c: Context<AppEnv>) => replyDrafts(scope(c), c.var.services.clock, c.var.t);

/** Whether an enabled plugin mails this ticket's replies to the customer (then CC/BCC apply). */
export async function mailsReplies(c: Context<AppEnv>, ticket: Ticket): Promise<boolean> {
  const channels = await c.var.services.hooks.extensions(REPLY_MAIL_POINT, ticket.tenant_id, c.var.enabledPlugins);
  const settings = (pluginId: string) => c.var.services.tenants.pluginSettings(ticket.tenant_id, pluginId);
  for (const channel of channels) {
    try {
      if (await channel.mailsReplies({ ticket, settings })) return true;
    } catch (error) {
      c.var.services.log.error('reply mail channel failed', { ticket: ticket.id, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return false;
}

/** What the ticket page's composer needs besides the ticket view. */
export async function composerExtras(c: Context<AppEnv>, ticket: Ticket): Promise<ComposerExtras> {
  if (ticket.deleted_at || !c.var.can('tickets.edit')) return { mails: false };
  const [draft, mails] = await Promise.all([draftsOf(c).load(ticket.id, staff(c).id), mailsReplies(c, ticket)]);
  return { draft, mails };
}

/**
 * The customer's last message as a markdown quote under "On <date>, <name> wrote:": their newest article,
 * else the ticket's description. Undefined when the customer has said nothing.
 */
export async function lastMessageQuote(c: Context<AppEnv>, ticket: Ticket): Promise<string | undefined> {
  const s = scope(c);
  const article = await s.selectFrom('ticket_articles').select(['author_label', 'body_text', 'created_at'])
    .where('ticket_id', '=', ticket.id).where('kind', '=', 'customer').orderBy('created_at', 'desc').orderBy('id', 'desc').executeTakeFirst();
  let message = article ? { name: article.author_label, text: article.body_text, at: article.created_at } : undefined;
  if (!message && ticket.description.trim()) {
    const requester = ticket.requester_id ? await s.selectFrom('people').select('name').where('id', '=', ticket.requester_id).executeTakeFirst() : undefined;
    message = { name: requester?.name ?? c.var.t('composer.customer'), text: ticket.description, at: ticket.created_at };
  }
  if (!message) return undefined;
  return markdownQuote(c.var.t('composer.quoteHeader', { date: formatDateTime(message.at, c.var.dates), name: message.name }), message.text);
}
