import { tenantOf } from '../../http/guards.js';
import { isoToZoned } from '../../i18n/time-zone.js';
import { allowedTransitions } from '../../tickets/ticket-lifecycle.js';
import { FormError, TextField } from '../../../views/components/form.js';
import { htmxPost, Time, ticketUrl, type ViewProps } from './ticket-page-parts.js';

// The ticket header's "waiting until" parts (issue 18 point 6); the route that saves it is ticket-waiting.tsx.

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
