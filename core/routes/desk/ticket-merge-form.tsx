import { FormError, TextField } from '../../../views/components/form.js';
import { htmxPost, ticketUrl, type ViewProps } from './ticket-page-parts.js';
import { VersionInput } from './ticket-version-parts.js';

/** On a merged ticket: where it went, as a link; on a spam close: that it was spam. */
export function CloseReasonBanner({ c, view }: Pick<ViewProps, 'c' | 'view'>) {
  const t = c.var.t;
  const { ticket } = view;
  if (ticket.close_reason === 'merged' && view.mergedInto) {
    return (
      <p class="notice" id="ticket-merged" role="status">
        {t('ticketPage.mergedInto')} <a href={ticketUrl(c, view.mergedInto)} id="ticket-merged-link">{view.mergedInto}</a>
      </p>
    );
  }
  if (ticket.close_reason === 'spam') return <p class="notice" id="ticket-spam" role="status">{t('ticketPage.spamNotice')}</p>;
  return null;
}

/**
 * "Merge into…" and "Spam" for agents on a ticket that is not closed. Merging takes two steps, both plain forms
 * (no JavaScript needed): the number, then the target's subject to confirm. Spam asks once inside its disclosure.
 */
export function MergeAndSpamActions(props: ViewProps) {
  const { c, view, state } = props;
  const t = c.var.t;
  const { ticket } = view;
  if (!c.var.can('tickets.edit') || ticket.deleted_at || ticket.status === 'closed') return null;
  const url = (rest: string) => ticketUrl(c, ticket.number, rest);
  const merge = state.merge;
  const confirming = Boolean(merge?.values?.target_subject) && !merge?.errors;
  return (
    <>
      <details class="ticket-disclosure" id="merge" open={Boolean(merge)}>
        <summary class="button" id="action-merge">{t('ticketPage.merge')}</summary>
        {confirming ? (
          <form {...htmxPost(url('/merge'), '#ticket-header')} class="stack disclosure-panel" id="merge-confirm">
            <p>{t('ticketPage.mergeConfirm', { number: ticket.number })}</p>
            <p><strong id="merge-target">{merge!.values!.into} · {merge!.values!.target_subject}</strong></p>
            <input type="hidden" name="into" value={merge!.values!.into} />
            <input type="hidden" name="confirm" value="1" />
            <VersionInput ticket={ticket} base={merge?.baseVersion} />
            <button type="submit" class="button-primary" id="merge-submit">{t('ticketPage.mergeSubmit')}</button>
          </form>
        ) : (
          <form {...htmxPost(url('/merge'), '#ticket-header')} class="stack disclosure-panel" id="merge-form">
            <FormError message={merge?.errors?._form} />
            <TextField name="into" label={t('ticketPage.mergeInto')} hint={t('ticketPage.mergeHint')} value={merge?.values?.into} errors={merge?.errors} maxlength={40} placeholder="2026-000123" />
            <VersionInput ticket={ticket} />
            <button type="submit" class="button" id="merge-check">{t('ticketPage.mergeNext')}</button>
          </form>
        )}
      </details>
      <details class="ticket-disclosure" id="spam">
        <summary class="button" id="action-spam">{t('ticketPage.action.spam')}</summary>
        <form {...htmxPost(url('/spam'), '#ticket-header')} class="stack disclosure-panel">
          <p>{t('ticketPage.spamConfirm')}</p>
          <VersionInput ticket={ticket} />
          <button type="submit" class="button-danger" id="spam-submit">{t('ticketPage.spamSubmit')}</button>
        </form>
      </details>
    </>
  );
}
