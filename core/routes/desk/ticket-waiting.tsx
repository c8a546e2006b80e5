import type { Context, Hono } from 'hono';
import type { AppEnv } from '../../http/app-env.js';
import { href, isHtmx, redirectTo, requirePermission, requireTenant, requireUser, tenantOf } from '../../http/guards.js';
import { HttpError, toHttpError } from '../../http/http-error.js';
import { flash } from '../../http/flash.js';
import { toast } from '../../http/render.js';
import { isoToZoned, zonedToIso } from '../../i18n/time-zone.js';
import { ticketActor, ticketService } from '../../tickets/ticket-context.js';
import { findTicket, TICKET_PATH } from './ticket-page-data.js';
import { lastValues, respondWithTicket } from './ticket-page.js';

// "Waiting until" on the ticket page (issue 18 point 6): setting a ticket to waiting asks for an optional date
// and time in the tenant's zone; on a waiting ticket the same form changes or clears it. The wake-up itself is
// the job 'core.waiting-wakeup' (core/tickets/ticket-waiting.ts).

/** The posted local time as an instant of the tenant's zone; undefined when it is malformed or falls into a skipped hour. */
export function waitingInstant(value: string | undefined, zone: string): string | null | undefined {
  if (value === undefined || value.trim() === '') return null;
  return zonedToIso(value, zone);
}

export function ticketWaitingRoutes(app: Hono<AppEnv>): void {
  const edit = [requireTenant, requireUser, requirePermission('tickets.edit')] as const;

  app.post(`${TICKET_PATH}/waiting`, ...edit, async (c: Context<AppEnv>) => {
    const t = c.var.t;
    const number = (await findTicket(c, c.req.param('number')!)).number;
    const values = lastValues(await c.req.parseBody({ all: true }));
    const until = waitingInstant(values.waiting_until, tenantOf(c).time_zone);
    try {
      if (until === undefined) throw new HttpError(422, t('error.invalid'), { waiting_until: t('waiting.invalid') });
      await ticketService(c).waitUntil(number, until, ticketActor(c));
    } catch (error) {
      const refusal = toHttpError(error);
      if (refusal?.status !== 422) throw error;
      const errors = Object.keys(refusal.fields).length ? { ...refusal.fields } : { _form: refusal.message };
      return respondWithTicket(c, number, 'header', { state: { waiting: { values, errors } }, status: 422 });
    }
    const message = until ? t('waiting.set', { number, at: isoToZoned(until, tenantOf(c).time_zone).replace('T', ' ') }) : t('waiting.setWithout', { number });
    if (isHtmx(c)) {
      toast(c, 'success', message);
      return respondWithTicket(c, number, 'header');
    }
    flash(c, 'success', message);
    return redirectTo(c, href(c, `/desk/tickets/${number}`));
  });
}
