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

/** A reply's text with the signature this ticket's reply gets (signatures.ts), unless the agent left it out. */
export async function signedBody(c: Context<AppEnv>, ticket: Ticket, kind: 'reply' | 'note', text: string, leaveOut: boolean): Promise<string> {
  if (kind !== 'reply' || leaveOut || !text.trim()) return text;
  const user = staff(c);
  const { values, signature } = await ticketPlaceholders(scope(c), tenantOf(c), ticket, { id: user.id, name: user.name }, c.var.t);
  return signature ? withSignature(text, renderMacro(signature.template, values)) : text;
}
