import { href, tenantOf } from '../../http/guards.js';
import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { TicketStatus } from '../../db/schema.js';
import type { AppEnv } from '../../http/app-env.js';
import type { Translate } from '../../i18n/translate.js';
import { allowedTransitions } from '../../tickets/ticket-lifecycle.js';
import { priorityName, priorityOptions, ticketSettings, type TicketSettings } from '../../tickets/ticket-settings.js';
import { FormError, TextArea } from '../../../views/components/form.js';
import { CloseReasonBanner, MergeAndSpamActions } from './ticket-merge-form.js';
import { WaitingAction, WaitingFact } from './ticket-waiting-form.js';
import { htmxPost, oobAttr, Select, ticketUrl, Time, type ViewProps } from './ticket-page-parts.js';
import { StaleChanges, VersionInput } from './ticket-version-parts.js';

/** The label of a status action: the same target reads differently depending on where the ticket is. */
function actionLabel(from: TicketStatus, to: TicketStatus, t: Translate): string {
  if (to === 'waiting') return t('ticketPage.action.waiting');
  if (to === 'solved') return t('ticketPage.action.solve');
  if (to === 'closed') return t('ticketPage.action.close');
  return t(from === 'solved' ? 'ticketPage.action.reopen' : 'ticketPage.action.resume');
}

function canClose(c: Context<AppEnv>, settings: TicketSettings): boolean {
  return settings.closeRequiresSupervisor ? c.var.can('tickets.close') : c.var.can('tickets.edit');
}

/** The ticket's title, badges, facts and actions (accept, status moves, forward, macros, delete). */
const RECORD_LINK_IDS = { organisations: 'organisation', people: 'requester', contracts: 'contract' } as const;

export function Header({ c, view, state, slots, oob }: ViewProps) {
  const t = c.var.t;
  const { ticket, names, options } = view;
  const settings = ticketSettings(tenantOf(c));
  const url = (rest: string) => ticketUrl(c, ticket.number, rest);
  const editable = c.var.can('tickets.edit') && !ticket.deleted_at;
  const requester = ticket.requester_id ? names.people.get(ticket.requester_id) : undefined;
  const group = ticket.group_id ? names.groups.get(ticket.group_id) : undefined;
  const contract = ticket.contract_id ? names.contracts.get(ticket.contract_id) : undefined;
  const transitions = allowedTransitions(ticket.status).filter((to) => to !== 'closed' || canClose(c, settings));
  const forward = state.forward;
  const fact = (label: string, value: Child, id: string) => <div class="fact" id={id}><dt>{label}</dt><dd>{value}</dd></div>;
  // The customer, requester and contract link to their record pages for agents who may read people.
  const record = (kind: 'organisations' | 'people' | 'contracts', id: number | null, label: string) =>
    (id !== null && c.var.can('people.view') ? <a href={href(c, `/desk/${kind}/${id}`)} id={`ticket-${RECORD_LINK_IDS[kind]}-link`}>{label}</a> : label);
  return (
    <section id="ticket-header" class="card ticket-header" {...oobAttr(oob)}>
      {ticket.deleted_at ? <p class="notice notice-danger" id="ticket-deleted">{t('ticketPage.deletedNotice')}</p> : null}
      <CloseReasonBanner c={c} view={view} />
      <div class="ticket-title">
        <span class="ticket-number">{ticket.number}</span>
        <h1>{ticket.subject}</h1>
      </div>
      <div class="ticket-badges">
        <span class={`badge status-badge status-${ticket.status}`} id="ticket-status">{t(`status.${ticket.status}`)}</span>
        <span class={`badge priority-badge priority-${ticket.priority}`} id="ticket-priority">{t('ticketPage.priority')}: {priorityName(settings, ticket.priority, t)}</span>
        {ticket.category ? <span class="badge">{ticket.category}</span> : null}
        {slots.badges}
      </div>
      <dl class="ticket-facts">
        {fact(t('ticketPage.requester'), requester ? <>{record('people', ticket.requester_id, requester.name)}{requester.email ? <span class="muted"> · {requester.email}</span> : null}</> : t('ticketPage.empty'), 'fact-requester')}
        {fact(t('ticketPage.organisation'), <>{ticket.organisation_id && names.organisations.has(ticket.organisation_id) ? record('organisations', ticket.organisation_id, names.organisations.get(ticket.organisation_id)!) : t('ticketPage.empty')}{contract ? <span class="muted"> · {t('ticketPage.contract')} {record('contracts', ticket.contract_id, `${contract.name} (${contract.number})`)}</span> : null}</>, 'fact-organisation')}
        {fact(t('ticketPage.group'), group ? <>{group.name} <span class="badge">{t(`level.${group.level}`)}</span></> : t('ticketPage.empty'), 'fact-group')}
        {fact(t('ticketPage.assignee'), ticket.assignee_id ? names.users.get(ticket.assignee_id) ?? t('ticketPage.empty') : t('ticketPage.unassigned'), 'fact-assignee')}
        {fact(t('ticketPage.channel'), t(`channel.${ticket.channel}`), 'fact-channel')}
        {fact(t('ticketPage.created'), <Time iso={ticket.created_at} c={c} />, 'fact-created')}
        {fact(t('ticketPage.updated'), <Time iso={ticket.updated_at} c={c} />, 'fact-updated')}
        <WaitingFact c={c} view={view} />
      </dl>
      {state.actions ? <div class="stack" id="actions-refused"><FormError message={state.actions.errors?._form} /><StaleChanges c={c} changes={state.actions.changes} id="actions-stale" /></div> : null}
      <div class="ticket-actions" id="ticket-actions">
        {editable && ticket.status === 'new' ? (
          <form {...htmxPost(url('/accept'), '#ticket-header')} class="accept-form">
            <VersionInput ticket={ticket} />
            <label for="accept-priority" class="visually-hidden">{t('ticketPage.acceptPriority')}</label>
            <select id="accept-priority" name="priority" title={t('ticketPage.acceptPriority')}>
              {priorityOptions(settings, t).map((o) => <option value={String(o.value)} selected={o.value === ticket.priority}>{o.label}</option>)}
            </select>
            <button type="submit" class="button-primary" id="action-accept">{t('ticketPage.action.accept')}</button>
          </form>
        ) : null}
        {editable ? <WaitingAction c={c} view={view} state={state} slots={slots} /> : null}
        {editable ? transitions.filter((to) => !(ticket.status === 'new' && to === 'open') && to !== 'waiting').map((to) => (
          <form {...htmxPost(url('/status'), '#ticket-header')}>
            <input type="hidden" name="to" value={to} />
            <VersionInput ticket={ticket} />
            <button type="submit" class={to === 'solved' ? 'button button-solve' : 'button'} id={`action-${to}`}>{actionLabel(ticket.status, to, t)}</button>
          </form>
        )) : null}
        {editable && ticket.status !== 'closed' ? (
          <details class="ticket-disclosure" id="forward" open={Boolean(forward?.errors)}>
            <summary class="button">{t('ticketPage.forward')}</summary>
            <form {...htmxPost(url('/forward'), '#ticket-header')} class="stack disclosure-panel">
              <FormError message={forward?.errors?._form} />
              <StaleChanges c={c} changes={forward?.changes} id="forward-stale" />
              <VersionInput ticket={ticket} />
              <Select name="group_id" label={t('ticketPage.forwardGroup')} value={forward?.values?.group_id} empty={t('ticketPage.keepGroup')} errors={forward?.errors}
                options={options.groups.map((g) => ({ value: g.id, label: `${g.name} · ${t(`level.${g.level}`)}` }))} />
              <Select name="assignee_id" label={t('ticketPage.forwardAgent')} value={forward?.values?.assignee_id} empty={t('ticketPage.anyAgent')} errors={forward?.errors}
                options={options.agents.map((a) => ({ value: a.id, label: a.name }))} />
              <TextArea name="note" label={t('ticketPage.forwardNote')} value={forward?.values?.note} rows={3} errors={forward?.errors} />
              <TextArea name="customerMessage" label={t('ticketPage.customerMessage')} value={forward?.values?.customerMessage} rows={3} errors={forward?.errors} />
              <button type="submit" class="button-primary">{t('ticketPage.forward')}</button>
            </form>
          </details>
        ) : null}
        {editable && ticket.status !== 'closed' && options.macros.length ? (
          <details class="ticket-disclosure" id="macros">
            <summary class="button">{t('ticketPage.macros')}</summary>
            <ul class="plain-list disclosure-panel macro-list">
              {options.macros.map((m) => (
                <li>
                  {/* Fills the reply form (keeping what was typed); nothing is saved or sent until Send. */}
                  <form method="post" action={url(`/macros/${m.id}`)} hx-post={url(`/macros/${m.id}`)} hx-target="#ticket-composer" hx-swap="outerHTML show:top"
                    hx-include="#ticket-composer [name='body'], #ticket-composer [name='time_spent']">
                    <button type="submit" class="link-like">{m.name}</button>
                    {m.shared ? <span class="badge badge-off">{t('ticketPage.macroShared')}</span> : null}
                  </form>
                </li>
              ))}
            </ul>
          </details>
        ) : null}
        <MergeAndSpamActions c={c} view={view} state={state} slots={slots} />
        {!ticket.deleted_at && !ticket.close_reason && c.var.can('timeline.post') && (ticket.status === 'solved' || ticket.status === 'closed') ? (
          <form method="post" action={url('/share-solution')}>
            <button type="submit" class="button" id="action-share-solution">{t('timeline.shareSolution')}</button>
          </form>
        ) : null}
        {c.var.can('tickets.delete') ? (
          ticket.deleted_at ? (
            <form method="post" action={url('/restore')}>
              <button type="submit" class="button" id="action-restore">{t('ticketPage.action.restore')}</button>
            </form>
          ) : (
            // Asks first and says what happens: the ticket can be restored, and where (no JavaScript needed).
            <details class="ticket-disclosure" id="delete">
              <summary class="button-danger" id="action-delete">{t('ticketPage.action.delete')}</summary>
              <form method="post" action={url('/delete')} class="stack disclosure-panel" id="delete-confirm">
                <p id="delete-explained">{t('ticketPage.deleteExplained', { number: ticket.number })}</p>
                <input type="hidden" name="confirm" value="1" />
                <button type="submit" class="button-danger" id="action-delete-confirm">{t('ticketPage.deleteConfirm', { number: ticket.number })}</button>
              </form>
            </details>
          )
        ) : null}
      </div>
    </section>
  );
}
