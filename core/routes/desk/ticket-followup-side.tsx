import { FormError } from '../../../views/components/form.js';
import { href } from '../../http/guards.js';
import { htmxPost, ticketUrl, type ViewProps } from './ticket-page-parts.js';
import { LINK_CHOICES } from '../../tickets/ticket-links.js';

// The ticket page's links and tags (issue 18 point 7), in the side column under the fields. Both work as plain
// forms; with htmx the link number looks up its ticket as it is typed and the tag field offers the tenant's tags
// (a datalist the server fills), and each change swaps this panel with the header and timeline.

function LinksPanel({ c, view, state }: ViewProps) {
  const t = c.var.t;
  const { ticket } = view;
  const links = view.links ?? [];
  const editable = c.var.can('tickets.edit') && !ticket.deleted_at;
  const form = state.links;
  const url = (rest: string) => ticketUrl(c, ticket.number, rest);
  const duplicateOf = links.find((l) => l.role === 'duplicate_of');
  return (
    <section class="card stack" id="ticket-links" aria-labelledby="ticket-links-title">
      <h2 id="ticket-links-title">{t('link.title')}</h2>
      {links.length ? (
        <ul class="plain-list link-list">
          {links.map((link) => (
            <li id={`link-${link.id}`}>
              <span class="muted">{t(`link.role.${link.role}`)}</span>{' '}
              <a href={ticketUrl(c, link.number)}>{link.number}</a> {link.subject}{' '}
              <span class={`badge status-badge status-badge-${link.status}`}>{t(`status.${link.status}`)}</span>
              {editable ? (
                <form {...htmxPost(url(`/links/${link.id}/delete`), '#ticket-followup')} class="inline-form">
                  <button type="submit" class="link-like" aria-label={t('link.remove', { number: link.number })}>{t('link.removeShort')}</button>
                </form>
              ) : null}
            </li>
          ))}
        </ul>
      ) : <p class="muted">{t('link.none')}</p>}
      {editable && duplicateOf && ticket.status !== 'solved' && ticket.status !== 'closed' ? (
        <form {...htmxPost(url('/close-duplicate'), '#ticket-followup')} class="notice stack" id="close-duplicate">
          <p>{t('link.duplicateOffer', { number: duplicateOf.number })}</p>
          <button type="submit" class="button" id="close-duplicate-submit">{t('link.closeDuplicate')}</button>
        </form>
      ) : null}
      {editable ? (
        <details class="ticket-disclosure" id="link-add" open={Boolean(form?.errors)}>
          <summary class="button" id="action-link">{t('link.add')}</summary>
          <form {...htmxPost(url('/links'), '#ticket-followup')} class="stack disclosure-panel" id="link-form">
            <FormError message={form?.errors?._form} />
            <div class={`field${form?.errors?.role ? ' field-invalid' : ''}`}>
              <label for="f-link-role">{t('link.kind')}</label>
              <select id="f-link-role" name="role">
                {LINK_CHOICES.map((role) => <option value={role} selected={form?.values?.role === role}>{t(`link.role.${role}`)}</option>)}
              </select>
            </div>
            <div class={`field${form?.errors?.other ? ' field-invalid' : ''}`}>
              <label for="f-link-other">{t('link.other')}</label>
              <input id="f-link-other" name="other" value={form?.values?.other ?? ''} maxlength={40} placeholder="2026-000123" autocomplete="off"
                aria-invalid={form?.errors?.other ? 'true' : undefined} aria-describedby="link-lookup"
                hx-get={url('/links/lookup')} hx-trigger="input changed delay:300ms" hx-target="#link-lookup" hx-swap="outerHTML" />
              {form?.errors?.other ? <small class="field-error" id="other-error">{form.errors.other}</small> : null}
              <small id="link-lookup" class="hint" aria-live="polite"></small>
            </div>
            <button type="submit" class="button-primary" id="link-submit">{t('link.submit')}</button>
          </form>
        </details>
      ) : null}
    </section>
  );
}

function TagsPanel({ c, view, state }: ViewProps) {
  const t = c.var.t;
  const { ticket } = view;
  const tags = view.tags ?? [];
  const editable = c.var.can('tickets.edit') && !ticket.deleted_at;
  const form = state.tags;
  const url = (rest: string) => ticketUrl(c, ticket.number, rest);
  return (
    <section class="card stack" id="ticket-tags" aria-labelledby="ticket-tags-title">
      <h2 id="ticket-tags-title">{t('tag.title')}</h2>
      {tags.length ? (
        <ul class="tag-list" id="ticket-tag-list">
          {tags.map((tag) => (
            <li class="tag">
              <a href={href(c, `/desk/tickets?queue=all&tag=${tag.id}`)} class="tag-name">{tag.name}</a>
              {editable ? (
                <form {...htmxPost(url(`/tags/${tag.id}/delete`), '#ticket-followup')} class="inline-form">
                  <button type="submit" class="tag-remove" aria-label={t('tag.remove', { name: tag.name })} title={t('tag.remove', { name: tag.name })}>×</button>
                </form>
              ) : null}
            </li>
          ))}
        </ul>
      ) : <p class="muted">{t('tag.none')}</p>}
      {editable ? (
        <form {...htmxPost(url('/tags'), '#ticket-followup')} class="tag-form" id="tag-form">
          <FormError message={form?.errors?._form} />
          <label for="f-tag" class="visually-hidden">{t('tag.add')}</label>
          <input id="f-tag" name="tag" value={form?.values?.tag ?? ''} maxlength={40} list="tag-options" autocomplete="off" placeholder={t('tag.placeholder')}
            aria-invalid={form?.errors?.tag ? 'true' : undefined}
            hx-get={url('/tags/suggest')} hx-trigger="input changed delay:200ms, focus once" hx-target="#tag-options" hx-swap="innerHTML" />
          <datalist id="tag-options"></datalist>
          <button type="submit" class="button" id="tag-submit">{t('tag.addShort')}</button>
          {form?.errors?.tag ? <small class="field-error">{form.errors.tag}</small> : null}
        </form>
      ) : null}
    </section>
  );
}

/** Links and tags of the ticket, one region the followup part swaps. */
export function FollowupSide(props: ViewProps) {
  return (
    <div id="ticket-followup" class="stack">
      <LinksPanel {...props} />
      <TagsPanel {...props} />
      {props.c.var.can('desk.use') && !props.view.ticket.deleted_at ? (
        <p><a href={href(props.c, `/desk/todos?ticket=${props.view.ticket.number}`)} id="ticket-new-todo" class="button-small">{props.c.var.t('todo.forTicket')}</a></p>
      ) : null}
    </div>
  );
}
