import type { Context, Hono } from 'hono';
import type { AppEnv } from '../../http/app-env.js';
import { flash } from '../../http/flash.js';
import { href, isHtmx, redirectTo, requirePermission, requireTenant, requireUser } from '../../http/guards.js';
import { HttpError, toHttpError } from '../../http/http-error.js';
import { toast } from '../../http/render.js';
import { ticketActor, ticketService } from '../../tickets/ticket-context.js';
import { findTicket, TICKET_PATH } from './ticket-page-data.js';
import { lastValues, respondWithTicket } from './ticket-page.js';
import { versionOf } from './ticket-version-parts.js';
import { StaleTicketError } from '../../tickets/ticket-stale-fields.js';

/** A ticket number as typed: with or without `#`, `[…]` and spaces. */
const typedNumber = (value: string | undefined) => (value ?? '').trim().replace(/^\[?#?/, '').replace(/\]$/, '').trim().slice(0, 40);

function done(c: Context<AppEnv>, number: string, message: string) {
  if (isHtmx(c)) {
    toast(c, 'success', message);
    return respondWithTicket(c, number, 'header');
  }
  flash(c, 'success', message);
  return redirectTo(c, href(c, `/desk/tickets/${number}`));
}

/** Merge (number, then confirmation with the target's subject) and spam close on the ticket page. */
export function ticketMergeRoutes(app: Hono<AppEnv>): void {
  const edit = [requireTenant, requireUser, requirePermission('tickets.edit')] as const;

  app.post(`${TICKET_PATH}/merge`, ...edit, async (c) => {
    const t = c.var.t;
    const source = await findTicket(c, c.req.param('number')!);
    const number = source.number;
    const values = lastValues(await c.req.parseBody({ all: true }));
    const into = typedNumber(values.into);
    const refused = (errors: Record<string, string>, status: 409 | 422) => respondWithTicket(c, number, 'header', { state: { merge: { values: { into }, errors } }, status });
    // A closed ticket shows no merge form to put the reason in: it is refused like other actions on it (toast or error page).
    if (source.status === 'closed') throw new HttpError(409, t(source.close_reason === 'merged' ? 'ticket.merge.sourceMerged' : 'ticket.merge.sourceClosed'));
    try {
      if (values.confirm !== '1') {
        // First step: show the target's subject for confirmation (nothing changes yet).
        if (!into) return refused({ into: t('validation.required') }, 422);
        if (into === number) return refused({ into: t('ticket.merge.same') }, 422);
        const target = await ticketService(c).find(into);
        if (!target) return refused({ into: t('ticket.merge.targetMissing', { number: into }) }, 422);
        if (target.status === 'closed') return refused({ _form: t(target.merged_into_id !== null ? 'ticket.merge.targetMerged' : 'ticket.merge.targetClosed', { number: into }) }, 409);
        return respondWithTicket(c, number, 'header', { state: { merge: { values: { into: target.number, target_subject: target.subject }, baseVersion: versionOf(values) } } });
      }
      await ticketService(c).merge(number, into, ticketActor(c), { version: versionOf(values) });
    } catch (error) {
      const refusal = toHttpError(error);
      if (refusal?.status !== 422 && refusal?.status !== 409) throw error;
      if (refusal.status === 409 && (await findTicket(c, number)).status === 'closed') throw error;
      // A colleague changed the status since the page was loaded: said above the form (the field is not on it).
      if (error instanceof StaleTicketError) return refused({ _form: t('ticketPage.mergeStale', { changes: Object.values(refusal.fields).join(' ') }) }, 409);
      return refused(Object.keys(refusal.fields).length ? { ...refusal.fields } : { _form: refusal.message }, refusal.status);
    }
    return done(c, number, t('ticketPage.merged', { number, into }));
  });

  app.post(`${TICKET_PATH}/spam`, ...edit, async (c) => {
    const number = (await findTicket(c, c.req.param('number')!)).number;
    const values = lastValues(await c.req.parseBody());
    await ticketService(c).spam(number, ticketActor(c), { version: versionOf(values) });
    return done(c, number, c.var.t('ticketPage.spammed', { number }));
  });
}
