import type { Context } from 'hono';
import type { Ticket, TicketStatus } from '../../db/schema.js';
import type { AppEnv } from '../../http/app-env.js';
import { HttpError } from '../../http/http-error.js';
import { scope, staff, tenantOf } from '../../http/guards.js';
import { renderMacro } from '../../tickets/macro-template.js';
import { ticketPlaceholders } from '../../tickets/placeholder-values.js';
import { withSignature } from '../../tickets/signatures.js';
import { TICKET_STATUSES } from '../../tickets/ticket-lifecycle.js';
import type { TicketChanges } from '../../tickets/ticket-service.js';
import { ticketSettings } from '../../tickets/ticket-settings.js';

export const MAX_MINUTES = 1440;

/** The minutes field: blank is none (refused while the tenant requires it), else a whole number up to a day. */
export function timeSpentFrom(c: Context<AppEnv>, raw: string | undefined): number | undefined {
  const t = c.var.t;
  const mode = ticketSettings(tenantOf(c)).timeSpent;
  const text = (raw ?? '').trim();
  if (mode === 'off' || text === '') {
    if (mode === 'required') throw new HttpError(422, t('error.invalid'), { time_spent: t('validation.required') });
    return undefined;
  }
  if (!/^\d{1,5}$/.test(text) || Number(text) > MAX_MINUTES) throw new HttpError(422, t('error.invalid'), { time_spent: t('replyTools.timeSpentInvalid', { max: MAX_MINUTES }) });
  return Number(text);
}

/**
 * What Send changes besides the article: what a macro filled and the agent kept (its boxes ticked) — status,
 * priority, group — applied with the article in one transaction (the ticket service's apply).
 */
export function macroChanges(values: Record<string, string>, ticket: Ticket): Pick<TicketChanges, 'fields' | 'forward' | 'status'> {
  const status = TICKET_STATUSES.find((s) => s === values.macro_status) as TicketStatus | undefined;
  const priority = /^[1-4]$/.test(values.macro_priority ?? '') ? Number(values.macro_priority) : undefined;
  const groupId = /^\d+$/.test(values.macro_group_id ?? '') ? Number(values.macro_group_id) : undefined;
  return {
    fields: priority && priority !== ticket.priority ? { priority } : undefined,
    forward: groupId && groupId !== ticket.group_id ? { groupId } : undefined,
    status: status && status !== ticket.status ? status : undefined,
  };
}

/** The signature this ticket's reply gets (signatures.ts), filled; '' for a note, an empty reply, or when the agent left it out. */
export async function replySignature(c: Context<AppEnv>, ticket: Ticket, kind: 'reply' | 'note', text: string, leaveOut: boolean): Promise<string> {
  if (kind !== 'reply' || leaveOut || !text.trim()) return '';
  const user = staff(c);
  const { values, signature } = await ticketPlaceholders(scope(c), tenantOf(c), ticket, { id: user.id, name: user.name }, c.var.t);
  return signature ? renderMacro(signature.template, values).trim() : '';
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/**
 * The composed article with the signature below it: plain text, never markdown (a signature's `*` or `_` stays as
 * typed), after the sig-dash line `-- ` that mail programs recognise, in the text part and the HTML alike. The
 * markdown source stays what the agent wrote.
 */
export function signComposed<A extends { body: string; bodyHtml?: string | null | undefined }>(article: A, signature: string): A {
  if (!signature) return article;
  return {
    ...article,
    body: withSignature(article.body, signature),
    bodyHtml: article.bodyHtml ? `${article.bodyHtml}\n<p class="signature">-- <br>${escapeHtml(signature).replace(/\r?\n/g, '<br>')}</p>` : article.bodyHtml,
  };
}
