import type { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../../http/app-env.js';
import { flash } from '../../http/flash.js';
import { href, isHtmx, redirectTo, requirePermission, requireTenant, requireUser, staff } from '../../http/guards.js';
import { HttpError, toHttpError } from '../../http/http-error.js';
import { BULK_ACTIONS, BULK_MAX_TICKETS, type BulkAction, type BulkOutcome } from '../../tickets/ticket-bulk.js';
import { ticketActor, ticketService } from '../../tickets/ticket-context.js';
import { BulkSummary } from './ticket-bulk-form.js';

const numbers = z.preprocess((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]),
  z.array(z.string().trim().regex(/^[A-Za-z0-9-]{1,40}$/)).max(BULK_MAX_TICKETS));
const optional = (schema: z.ZodType) => z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

const bulkSchema = z.object({
  ticket: numbers,
  bulk_action: z.enum(BULK_ACTIONS),
  to_assignee: optional(z.union([z.literal('me'), z.literal('none'), z.coerce.number().int().positive()])),
  to_group: optional(z.coerce.number().int().positive()),
  to_status: optional(z.enum(['open', 'waiting', 'solved'])),
  to_priority: optional(z.coerce.number().int().min(1).max(4)),
  to_category: optional(z.string().trim().min(1).max(80)),
  to_ticket: optional(z.string().trim().min(1).max(40)),
  note: optional(z.string().trim().max(2000)),
});
type BulkForm = z.infer<typeof bulkSchema>;

/** The form's action with its value; undefined when the value it needs is missing. */
function actionOf(form: BulkForm, userId: number): BulkAction | undefined {
  switch (form.bulk_action) {
    case 'assign': return form.to_assignee === undefined ? undefined : { kind: 'assign', assigneeId: form.to_assignee === 'none' ? null : form.to_assignee === 'me' ? userId : form.to_assignee as number };
    case 'forward': return form.to_group === undefined ? undefined : { kind: 'forward', groupId: form.to_group as number, note: form.note as string | undefined };
    case 'status': return form.to_status === undefined ? undefined : { kind: 'status', status: form.to_status as 'open' | 'waiting' | 'solved' };
    case 'priority': return form.to_priority === undefined ? undefined : { kind: 'priority', priority: form.to_priority as number };
    case 'category': return form.to_category === undefined ? undefined : { kind: 'category', category: form.to_category === 'none' ? null : form.to_category as string };
    case 'close': return { kind: 'close' };
    case 'merge': return form.to_ticket === undefined ? undefined : { kind: 'merge', into: form.to_ticket as string };
  }
}

/** The summary as one line for a flash message (without JavaScript the form posts and the list comes back). */
function summaryText(t: (key: string, values?: Record<string, string | number>) => string, outcome: BulkOutcome): string {
  const head = t('bulk.summary', { changed: outcome.changed.length, unchanged: outcome.unchanged.length, refused: outcome.refused.length });
  const lines = outcome.refused.slice(0, 20).map((r) => t('bulk.refusedLine', { number: r.number, reason: r.reason }));
  return [head, ...lines, ...(outcome.refused.length > 20 ? ['…'] : [])].join(' ');
}

/** POST /desk/tickets/bulk: one action on the ticked tickets, through the ticket service (which checks every right again). */
export function ticketBulkRoutes(app: Hono<AppEnv>): void {
  app.post('/desk/tickets/bulk', requireTenant, requireUser, requirePermission('tickets.edit'), async (c) => {
    const t = c.var.t;
    const body = await c.req.parseBody({ all: true });
    const parsed = bulkSchema.safeParse(body);
    const back = listReferer(c);
    const refuse = (message: string) => {
      if (isHtmx(c)) return c.html(<BulkSummary c={c} error={message} />, 422);
      flash(c, 'error', message);
      return redirectTo(c, back);
    };
    if (!parsed.success) return refuse(t('error.invalid'));
    if (parsed.data.ticket.length === 0) return refuse(t('bulk.noneSelected'));
    const action = actionOf(parsed.data, staff(c).id);
    if (!action) return refuse(t('bulk.valueMissing'));
    let outcome: BulkOutcome;
    try {
      outcome = await ticketService(c).bulk(parsed.data.ticket, action, ticketActor(c));
    } catch (error) {
      const refusal = toHttpError(error);
      if (!refusal || refusal.status >= 500) throw error;
      if (refusal.status === 403) throw new HttpError(403, refusal.message);
      return refuse(Object.values(refusal.fields)[0] ?? refusal.message);
    }
    if (isHtmx(c)) return c.html(<BulkSummary c={c} outcome={outcome} />);
    flash(c, outcome.refused.length ? 'info' : 'success', summaryText(t, outcome));
    return redirectTo(c, back);
  });
}

/** Back to the list the form was on (same tenant's desk only), else the ticket lists. */
function listReferer(c: Parameters<typeof href>[0]): string {
  const fallback = href(c, '/desk/tickets');
  const referer = c.req.header('Referer');
  if (!referer) return fallback;
  try {
    const url = new URL(referer);
    const own = new URL(c.req.url);
    return url.origin === own.origin && url.pathname === new URL(fallback, own).pathname ? `${url.pathname}${url.search}` : fallback;
  } catch {
    return fallback;
  }
}
