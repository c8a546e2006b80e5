import type { Context, Hono } from 'hono';
import type { AppEnv } from '../../http/app-env.js';
import { href, isHtmx, redirectTo, requirePermission, requireTenant, requireUser, tenantOf } from '../../http/guards.js';
import { HttpError, toHttpError } from '../../http/http-error.js';
import { flash } from '../../http/flash.js';
import { toast } from '../../http/render.js';
import { isoToZoned, zonedToIso } from '../../i18n/time-zone.js';
import { ticketActor, ticketService } from '../../tickets/ticket-context.js';
import { allowedTransitions } from '../../tickets/ticket-lifecycle.js';
import { FormError, TextField } from '../../../views/components/form.js';
import { findTicket, TICKET_PATH } from './ticket-page-data.js';
import { lastValues, respondWithTicket } from './ticket-page.js';
import { htmxPost, Time, ticketUrl, type ViewProps } from './ticket-page-parts.js';

// "Waiting until" on the ticket page (issue 18 point 6): setting a ticket to waiting asks for an optional date
// and time in the tenant's zone; on a waiting ticket the same form changes or clears it. The wake-up itself is
// the job 'core.waiting-wakeup' (core/tickets/ticket-waiting.ts).

/** The header's waiting action: a disclosure with the optional time, instead of a bare "Ask customer" button. */
export function WaitingAction({ c, view, state }: ViewProps) {
  const t = c.var.t;
  const { ticket } = view;
  const waiting = ticket.status === 'waiting';
  if (!waiting && !allowedTransitions(ticket.status).includes('waiting')) return null;
  const zone = tenantOf(c).time_zone;
  const form = state.waiting;
  const value = form?.values?.waiting_until ?? isoToZoned(ticket.waiting_until, zone);
  return (
    <details class="ticket-disclosure" id="waiting" open={Boolean(form?.errors)}>
      <summary class="button" id={waiting ? 'action-waiting-change' : 'action-waiting'}>{t(waiting ? 'waiting.change' : 'ticketPage.action.waiting')}</summary>
      <form {...htmxPost(ticketUrl(c, ticket.number, '/waiting'), '#ticket-header')} class="stack disclosure-panel" id="waiting-form">
        <FormError message={form?.errors?._form} />
        <TextField name="waiting_until" type="datetime-local" label={t('waiting.until')} hint={t('waiting.hint', { zone })} value={value} errors={form?.errors} />
        <button type="submit" class="button-primary" id="waiting-submit">{t(waiting ? 'waiting.save' : 'waiting.submit')}</button>
      </form>
    </details>
  );
}

/** The fact "Waiting until …" in the header while a waiting ticket has a time. */
export function WaitingFact({ c, view }: Pick<ViewProps, 'c' | 'view'>) {
  const { ticket } = view;
  if (ticket.status !== 'waiting' || !ticket.waiting_until) return null;
  return <div class="fact" id="fact-waiting-until"><dt>{c.var.t('waiting.until')}</dt><dd><Time iso={ticket.waiting_until} c={c} /></dd></div>;
}

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
