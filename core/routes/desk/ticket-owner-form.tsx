import { staff } from '../../http/guards.js';
import { FormError } from '../../../views/components/form.js';
import { htmxPost, oobAttr, ticketUrl, type ViewProps } from './ticket-page-parts.js';
import { StaleChanges, VersionInput } from './ticket-version-parts.js';

/**
 * The owner picker in the sidebar: one choice among the agents of the ticket's group (ticket-owner.ts), sent
 * as soon as it is made (a button without JavaScript). It carries the ticket's version like every ticket form.
 */
export function OwnerForm({ c, view, state, oob }: ViewProps) {
  const t = c.var.t;
  const { ticket } = view;
  const editable = c.var.can('tickets.edit') && !ticket.deleted_at && ticket.status !== 'closed';
  if (!editable) return <div id="ticket-owner" {...oobAttr(oob)}></div>;
  const me = staff(c).id;
  const owners = [...(view.owners ?? [])];
  // The owner the ticket has stays choosable even when they are not (or no longer) in its group.
  if (ticket.assignee_id !== null && !owners.some((o) => o.id === ticket.assignee_id)) {
    owners.push({ id: ticket.assignee_id, name: view.names.users.get(ticket.assignee_id) ?? String(ticket.assignee_id) });
  }
  const mine = owners.find((o) => o.id === me);
  const others = owners.filter((o) => o.id !== me);
  const form = state.owner;
  const chosen = form?.values?.assignee_id ?? (ticket.assignee_id === null ? '' : String(ticket.assignee_id));
  const error = form?.errors?.assignee_id;
  const group = ticket.group_id !== null ? view.names.groups.get(ticket.group_id)?.name : undefined;
  const url = ticketUrl(c, ticket.number, '/owner');
  return (
    <form id="ticket-owner" class="card ticket-owner stack" {...htmxPost(url, '#ticket-header')} {...oobAttr(oob)}>
      <FormError message={form?.errors?._form} />
      <StaleChanges c={c} changes={form?.changes} id="owner-stale" />
      <VersionInput ticket={ticket} />
      <div class={`field${error ? ' field-invalid' : ''}`}>
        <label for="f-owner">{t('ticket.owner.label')}</label>
        <div class="owner-row">
          <select id="f-owner" name="assignee_id" data-autosubmit aria-describedby={[group ? 'owner-hint' : '', error ? 'owner-error' : ''].filter(Boolean).join(' ') || undefined}
            aria-invalid={error ? 'true' : undefined}>
            <option value="" selected={chosen === ''}>{t('ticket.owner.nobody')}</option>
            {mine ? <option value={String(mine.id)} selected={chosen === String(mine.id)}>{t('ticket.owner.me', { name: mine.name })}</option> : null}
            {others.map((o) => <option value={String(o.id)} selected={chosen === String(o.id)}>{o.name}</option>)}
          </select>
          <button type="submit" class="button owner-save" id="owner-save">{t('ticket.owner.save')}</button>
        </div>
        {group ? <small id="owner-hint" class="hint">{t('ticket.owner.hintGroup', { group })}</small> : null}
        {error ? <small id="owner-error" class="field-error">{error}</small> : null}
      </div>
    </form>
  );
}
