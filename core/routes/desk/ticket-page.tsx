import type { Context, Hono } from 'hono';
import type { Child } from 'hono/jsx';
import type { TicketStatus } from '../../db/schema.js';
import type { AppEnv } from '../../http/app-env.js';
import { href, isHtmx, requirePermission, requireTenant, requireUser } from '../../http/guards.js';
import { HttpError } from '../../http/http-error.js';
import { render } from '../../http/render.js';
import { formatDateTime } from '../../i18n/format.js';
import type { Translate } from '../../i18n/translate.js';
import { MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS } from '../../tickets/attachment-rules.js';
import { customFieldName, fieldsFor, type CustomValues, type FieldDefinition } from '../../tickets/custom-fields.js';
import { allowedTransitions } from '../../tickets/ticket-lifecycle.js';
import { priorityName, priorityOptions, ticketSettings, type TicketSettings } from '../../tickets/ticket-settings.js';
import { FormError, TextArea } from '../../../views/components/form.js';
import type { SlotContext } from '../../plugin-host/define-plugin.js';
import { slotContext } from '../../plugin-host/slot-context.js';
import { TICKET_MAIN, TICKET_SIDE } from '../../plugin-host/slots.js';
import { ARTICLE_VIEW_POINT, type ArticleViewRenderer } from '../../tickets/article-view.js';
import { ticketService } from '../../tickets/ticket-context.js';
import { OrganisationPicker } from './organisation-picker.js';
import { isReferenceField, loadTicketView, referenceName, TICKET_PATH, type ArticleRow, type AttachmentRow, type HistoryRow, type TicketView } from './ticket-page-data.js';

export interface FormState { values?: Record<string, string> | undefined; errors?: Record<string, string> | undefined }
export interface PageState { composer?: FormState; fields?: FormState; forward?: FormState }
/** Which part an htmx request swaps; the others it changes follow out-of-band. */
export type TicketPart = 'page' | 'header' | 'composer' | 'fields' | 'form' | 'live';

/** What the tenant's plugins render into the page's slots (`ticket.main`, `ticket.side`), read before rendering. */
export interface SlotViews { main: Child[]; side: Child[] }
/** A plugin's rendering of an article body (extension point ticket.articleView), or undefined for the plain text. */
type ArticleView = (article: ArticleRow) => Child | undefined;
interface ViewProps { c: Context<AppEnv>; view: TicketView; state: PageState; slots: SlotViews; articleView?: ArticleView | undefined; oob?: boolean | undefined }

const oobAttr = (oob: boolean | undefined) => (oob ? { 'hx-swap-oob': 'true' } : {});
const ticketUrl = (c: Context<AppEnv>, number: string, rest = '') => href(c, `/desk/tickets/${number}${rest}`);
const htmxPost = (url: string, target: string) => ({ method: 'post' as const, action: url, 'hx-post': url, 'hx-target': target, 'hx-swap': 'outerHTML' });

function formatBytes(size: number): string {
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(size < 10 * 1024 ? 1 : 0)} KB`;
  return `${(size / 1024 / 1024).toFixed(1)} MB`;
}

function Time(props: { iso: string; c: Context<AppEnv> }) {
  return <time datetime={props.iso}>{formatDateTime(props.iso, props.c.var.dates)}</time>;
}

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

function Select(props: { name: string; label: string; value: string | number | null | undefined; options: Array<{ value: string | number; label: string }>; empty?: string | undefined; errors?: Record<string, string> | undefined; attrs?: Record<string, string> | undefined }) {
  const error = props.errors?.[props.name];
  return (
    <div class={`field${error ? ' field-invalid' : ''}`}>
      <label for={`f-${props.name}`}>{props.label}</label>
      <select id={`f-${props.name}`} name={props.name} aria-invalid={error ? 'true' : undefined} aria-describedby={error ? `${props.name}-error` : undefined} {...(props.attrs ?? {})}>
        {props.empty !== undefined ? <option value="">{props.empty}</option> : null}
        {props.options.map((o) => <option value={String(o.value)} selected={String(o.value) === String(props.value ?? '')}>{o.label}</option>)}
      </select>
      {error ? <small id={`${props.name}-error`} class="field-error">{error}</small> : null}
    </div>
  );
}

const RECORD_LINK_IDS = { organisations: 'organisation', people: 'requester', contracts: 'contract' } as const;

function Header({ c, view, state, oob }: ViewProps) {
  const t = c.var.t;
  const { ticket, names, options } = view;
  const settings = ticketSettings(c.var.tenant!);
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
      <div class="ticket-title">
        <span class="ticket-number">{ticket.number}</span>
        <h1>{ticket.subject}</h1>
      </div>
      <div class="ticket-badges">
        <span class={`badge status-badge status-${ticket.status}`} id="ticket-status">{t(`status.${ticket.status}`)}</span>
        <span class={`badge priority-badge priority-${ticket.priority}`} id="ticket-priority">{t('ticketPage.priority')}: {priorityName(settings, ticket.priority, t)}</span>
        {ticket.category ? <span class="badge">{ticket.category}</span> : null}
      </div>
      <dl class="ticket-facts">
        {fact(t('ticketPage.requester'), requester ? <>{record('people', ticket.requester_id, requester.name)}{requester.email ? <span class="muted"> · {requester.email}</span> : null}</> : t('ticketPage.empty'), 'fact-requester')}
        {fact(t('ticketPage.organisation'), <>{ticket.organisation_id && names.organisations.has(ticket.organisation_id) ? record('organisations', ticket.organisation_id, names.organisations.get(ticket.organisation_id)!) : t('ticketPage.empty')}{contract ? <span class="muted"> · {t('ticketPage.contract')} {record('contracts', ticket.contract_id, `${contract.name} (${contract.number})`)}</span> : null}</>, 'fact-organisation')}
        {fact(t('ticketPage.group'), group ? <>{group.name} <span class="badge">{t(`level.${group.level}`)}</span></> : t('ticketPage.empty'), 'fact-group')}
        {fact(t('ticketPage.assignee'), ticket.assignee_id ? names.users.get(ticket.assignee_id) ?? t('ticketPage.empty') : t('ticketPage.unassigned'), 'fact-assignee')}
        {fact(t('ticketPage.channel'), t(`channel.${ticket.channel}`), 'fact-channel')}
        {fact(t('ticketPage.created'), <Time iso={ticket.created_at} c={c} />, 'fact-created')}
        {fact(t('ticketPage.updated'), <Time iso={ticket.updated_at} c={c} />, 'fact-updated')}
      </dl>
      <div class="ticket-actions" id="ticket-actions">
        {editable && ticket.status === 'new' ? (
          <form {...htmxPost(url('/accept'), '#ticket-header')} class="accept-form">
            <label for="accept-priority" class="visually-hidden">{t('ticketPage.acceptPriority')}</label>
            <select id="accept-priority" name="priority" title={t('ticketPage.acceptPriority')}>
              {priorityOptions(settings, t).map((o) => <option value={String(o.value)} selected={o.value === ticket.priority}>{o.label}</option>)}
            </select>
            <button type="submit" class="button-primary" id="action-accept">{t('ticketPage.action.accept')}</button>
          </form>
        ) : null}
        {editable ? transitions.filter((to) => !(ticket.status === 'new' && to === 'open')).map((to) => (
          <form {...htmxPost(url('/status'), '#ticket-header')}>
            <input type="hidden" name="to" value={to} />
            <button type="submit" class={to === 'solved' ? 'button button-solve' : 'button'} id={`action-${to}`}>{actionLabel(ticket.status, to, t)}</button>
          </form>
        )) : null}
        {editable && ticket.status !== 'closed' ? (
          <details class="ticket-disclosure" id="forward" open={Boolean(forward?.errors)}>
            <summary class="button">{t('ticketPage.forward')}</summary>
            <form {...htmxPost(url('/forward'), '#ticket-header')} class="stack disclosure-panel">
              <FormError message={forward?.errors?._form} />
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
                  <form method="post" action={url(`/macros/${m.id}`)}>
                    <button type="submit" class="link-like">{m.name}</button>
                    {m.shared ? <span class="badge badge-off">{t('ticketPage.macroShared')}</span> : null}
                  </form>
                </li>
              ))}
            </ul>
          </details>
        ) : null}
        {c.var.can('tickets.delete') ? (
          ticket.deleted_at ? (
            <form method="post" action={url('/restore')}>
              <button type="submit" class="button" id="action-restore">{t('ticketPage.action.restore')}</button>
            </form>
          ) : (
            <form method="post" action={url('/delete')}>
              <button type="submit" class="button-danger" id="action-delete">{t('ticketPage.action.delete')}</button>
            </form>
          )
        ) : null}
      </div>
    </section>
  );
}

function AttachmentList(props: { c: Context<AppEnv>; number: string; attachments: AttachmentRow[] }) {
  if (!props.attachments.length) return null;
  const t = props.c.var.t;
  return (
    <ul class="attachment-list">
      {props.attachments.map((a) => (
        <li>
          <a href={ticketUrl(props.c, props.number, `/attachments/${a.id}`)} download={a.filename} aria-label={t('ticketPage.download', { name: a.filename })}>📎 {a.filename}</a>
          <span class="muted"> ({formatBytes(a.size)})</span>
        </li>
      ))}
    </ul>
  );
}

/**
 * A history entry a plugin wrote (recordTicketHistory): its catalog words it through the keys
 * `<action>.history` ({field}, {note}), `<action>.history.<field>` and `<action>.history.<field>.<value>`;
 * without them the raw action, field and values show.
 */
function PluginHistoryLine(props: { c: Context<AppEnv>; entry: HistoryRow }) {
  const { c, entry } = props;
  const t = c.var.t;
  const word = (key: string, fallback: string, params?: Record<string, string>) => (c.var.services.catalog.has(key) ? t(key, params) : fallback);
  const base = `${entry.action}.history`;
  const fieldLabel = entry.field ? word(`${base}.${entry.field}`, entry.field) : '';
  const valueText = (value: string | null) => (value === null || value === '' ? t('ticketPage.empty') : word(`${base}.${entry.field}.${value}`, value));
  const worded = c.var.services.catalog.has(base);
  const what = worded ? t(base, { field: fieldLabel, note: entry.note ?? '' }) : t('ticketPage.history.other', { action: entry.action });
  const showChange = entry.field && (entry.old_value !== null || entry.new_value !== null);
  return (
    <li class="entry entry-history entry-plugin" id={`history-${entry.id}`}>
      <span class="entry-who">{entry.actor_label}</span> {what}
      {showChange ? (
        <span class="entry-change">
          <span class="muted"> {fieldLabel}:</span>
          {' '}{entry.old_value !== null ? <><del>{valueText(entry.old_value)}</del> → </> : null}<ins>{valueText(entry.new_value)}</ins>
        </span>
      ) : null}
      {' '}<span class="muted">· <Time iso={entry.created_at} c={c} /></span>
      {entry.note && !worded ? <div class="entry-note">{entry.note}</div> : null}
    </li>
  );
}

type TimelineItem = { at: string; order: number; id: number } & ({ type: 'article'; article: ArticleRow } | { type: 'history'; entry: HistoryRow });

/** One history entry as a sentence: who did what, old → new with readable names. */
function HistoryLine(props: { c: Context<AppEnv>; view: TicketView; entry: HistoryRow; settings: TicketSettings }) {
  const { c, view, entry, settings } = props;
  const t = c.var.t;
  const field = entry.field;
  const definition = field?.startsWith('custom_fields.') ? view.fields.find((f) => customFieldName(f.key) === field) : undefined;
  const fieldLabel = (): string => {
    if (!field) return '';
    if (definition) return definition.label;
    if (field.startsWith('custom_fields.')) return field.slice('custom_fields.'.length);
    const labels: Record<string, string> = {
      status: 'ticketPage.status', priority: 'ticketPage.priority', assignee_id: 'ticketPage.assignee', group_id: 'ticketPage.group',
      organisation_id: 'ticketPage.organisation', requester_id: 'ticketPage.requester', contract_id: 'ticketPage.contract',
      category: 'ticketPage.category', subject: 'ticketPage.field.subject',
    };
    return labels[field] ? t(labels[field]) : field;
  };
  const valueText = (value: string | null): string => {
    if (value === null || value === '') return t('ticketPage.empty');
    if (field === 'status') return t(`status.${value}`);
    if (field === 'priority') return priorityName(settings, Number(value), t);
    if (isReferenceField(field)) return referenceName(view.names, field!, value) ?? t('ticketPage.unknownName', { id: value });
    if (definition?.type === 'checkbox') return value === 'true' ? t('common.yes') : t('common.no');
    return value;
  };
  const known = ['created', 'assigned', 'status', 'reopened', 'changed', 'forwarded', 'deleted', 'restored'];
  if (!known.includes(entry.action)) return <PluginHistoryLine c={c} entry={entry} />;
  const what = known.includes(entry.action) ? t(`ticketPage.history.${entry.action}`, { field: fieldLabel() }) : t('ticketPage.history.other', { action: entry.action });
  const showChange = field && entry.action !== 'created' && (entry.old_value !== null || entry.new_value !== null);
  return (
    <li class="entry entry-history" id={`history-${entry.id}`}>
      <span class="entry-who">{entry.actor_label}</span> {what}
      {showChange ? (
        <span class="entry-change">
          {entry.action !== 'changed' ? <span class="muted"> {fieldLabel()}:</span> : null}
          {' '}<del>{valueText(entry.old_value)}</del> → <ins>{valueText(entry.new_value)}</ins>
        </span>
      ) : null}
      {' '}<span class="muted">· <Time iso={entry.created_at} c={c} /></span>
      {entry.note ? <div class="entry-note">{entry.note}</div> : null}
    </li>
  );
}

function Timeline({ c, view, articleView, oob }: ViewProps) {
  const t = c.var.t;
  const { ticket } = view;
  const settings = ticketSettings(c.var.tenant!);
  // The article itself stands in the timeline; its history line would only repeat it, as would "created" the description.
  const items: TimelineItem[] = [
    ...view.articles.map((article) => ({ type: 'article' as const, at: article.created_at, order: 0, id: article.id, article })),
    ...view.history.filter((h) => !['reply', 'note', 'customer', 'created'].includes(h.action))
      .map((entry) => ({ type: 'history' as const, at: entry.created_at, order: 1, id: entry.id, entry })),
  ].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.order - b.order || a.id - b.id));
  const creator = view.history.find((h) => h.action === 'created')?.actor_label;
  const requester = ticket.requester_id ? view.names.people.get(ticket.requester_id)?.name : undefined;
  const attachmentsOf = (articleId: number | null) => view.attachments.filter((a) => a.article_id === articleId);
  return (
    <section id="ticket-timeline" class="card timeline" aria-labelledby="timeline-title" {...oobAttr(oob)}>
      <h2 id="timeline-title">{t('ticketPage.timeline')}</h2>
      <ol class="timeline-list">
        <li class="entry entry-article entry-description" id="description">
          <div class="entry-head">
            <strong>{t('ticketPage.description')}</strong>
            <span class="muted">{requester ?? creator ?? ''} · <Time iso={ticket.created_at} c={c} /></span>
          </div>
          <div class="entry-body">{ticket.description}</div>
          <AttachmentList c={c} number={ticket.number} attachments={attachmentsOf(null)} />
        </li>
        {items.map((item) => item.type === 'article' ? (
          <li class={`entry entry-article entry-${item.article.kind}`} id={`article-${item.article.id}`}>
            <div class="entry-head">
              <strong>{item.article.author_label}</strong>
              <span class={`badge kind-badge kind-${item.article.kind}`}>{t(`ticketPage.kind.${item.article.kind}`)}</span>
              <span class="muted"><Time iso={item.article.created_at} c={c} /> · {t(`channel.${item.article.channel}`)}</span>
            </div>
            {articleView?.(item.article) ?? <div class="entry-body">{item.article.body_text}</div>}
            <AttachmentList c={c} number={ticket.number} attachments={attachmentsOf(item.article.id)} />
          </li>
        ) : <HistoryLine c={c} view={view} entry={item.entry} settings={settings} />)}
      </ol>
    </section>
  );
}

function Composer({ c, view, state, oob }: ViewProps) {
  const t = c.var.t;
  const { ticket } = view;
  if (ticket.deleted_at || !c.var.can('tickets.edit')) return <div id="ticket-composer" {...oobAttr(oob)}></div>;
  const url = ticketUrl(c, ticket.number, '/articles');
  const values = state.composer?.values ?? {};
  const errors = state.composer?.errors;
  const closed = ticket.status === 'closed';
  const kind = closed ? 'note' : values.kind === 'note' ? 'note' : 'reply';
  const after = allowedTransitions(ticket.status).filter((s): s is 'waiting' | 'solved' => s === 'waiting' || s === 'solved');
  const attachmentError = errors?.attachments;
  return (
    <form id="ticket-composer" class="card composer" method="post" action={url} enctype="multipart/form-data"
      hx-post={url} hx-encoding="multipart/form-data" hx-target="this" hx-swap="outerHTML" {...oobAttr(oob)}>
      <h2 class="visually-hidden">{t('ticketPage.composer')}</h2>
      <FormError message={errors ? errors._form ?? t('error.invalid') : undefined} />
      <fieldset class="composer-tabs">
        <legend class="visually-hidden">{t('ticketPage.composer')}</legend>
        {closed ? null : (
          <>
            <input type="radio" name="kind" value="reply" id="composer-reply" checked={kind === 'reply'} data-hotkey="r" data-hotkey-focus="f-body" />
            <label for="composer-reply" class="tab">{t('ticketPage.tab.reply')}</label>
          </>
        )}
        <input type="radio" name="kind" value="note" id="composer-note" checked={kind === 'note'} data-hotkey="n" data-hotkey-focus="f-body" />
        <label for="composer-note" class="tab">{t('ticketPage.tab.note')}</label>
      </fieldset>
      <p class="hint composer-hint">
        {closed ? t('ticketPage.closedHint') : <><span class="hint-reply">{t('ticketPage.replyHint')}</span><span class="hint-note">{t('ticketPage.noteHint')}</span></>}
      </p>
      <TextArea name="body" label={t('ticketPage.body')} value={values.body} rows={6} errors={errors} />
      <div class={`field${attachmentError ? ' field-invalid' : ''}`}>
        <label for="f-attachments">{t('ticketPage.attachments')}</label>
        <input type="file" id="f-attachments" name="attachments" multiple
          aria-invalid={attachmentError ? 'true' : undefined} aria-describedby={attachmentError ? 'attachments-hint attachments-error' : 'attachments-hint'} />
        <small id="attachments-hint" class="hint">{t('ticketPage.attachmentsHint', { count: MAX_ATTACHMENTS, max: MAX_ATTACHMENT_BYTES / 1024 / 1024 })}</small>
        {attachmentError ? <small id="attachments-error" class="field-error">{attachmentError}</small> : null}
      </div>
      <div class="composer-foot">
        {after.length ? (
          <Select name="statusAfter" label={t('ticketPage.statusAfter')} value={values.statusAfter ?? ''} errors={errors}
            empty={t('ticketPage.keepStatus', { status: t(`status.${ticket.status}`) })}
            options={after.map((s) => ({ value: s, label: t(`status.${s}`) }))} />
        ) : null}
        <button type="submit" class="button-primary" id="composer-send">{t('ticketPage.send')}</button>
      </div>
    </form>
  );
}

/** Custom field inputs named custom_fields.<key>; a checkbox sends '' when unchecked thanks to its hidden twin. */
function CustomFieldInputs(props: { t: Translate; fields: FieldDefinition[]; values: CustomValues; posted: Record<string, string> | undefined; errors: Record<string, string> | undefined }) {
  const { t, fields, values, posted, errors } = props;
  return (
    <div id="ticket-custom-fields" class="stack">
      {fields.map((field) => {
        const name = customFieldName(field.key);
        const id = `f-${name}`;
        const error = errors?.[name];
        const current = posted && name in posted ? posted[name]! : values[field.key] === undefined ? '' : String(values[field.key]);
        const common = { id, name, 'aria-invalid': error ? 'true' : undefined, 'aria-describedby': error ? `${name}-error` : undefined };
        const label = <label for={id}>{field.label}{field.required ? ' *' : ''}</label>;
        const message = error ? <small id={`${name}-error`} class="field-error">{error}</small> : null;
        if (field.type === 'checkbox') {
          const checked = posted && name in posted ? ['1', 'on', 'true'].includes(posted[name]!) : values[field.key] === true;
          return (
            <div class={`field field-check${error ? ' field-invalid' : ''}`}>
              <input type="hidden" name={name} value="" />
              <input type="checkbox" value="1" checked={checked} {...common} />
              {label}
              {message}
            </div>
          );
        }
        return (
          <div class={`field${error ? ' field-invalid' : ''}`}>
            {label}
            {field.type === 'select' ? (
              <select {...common}>
                <option value="">{t('ticketPage.empty')}</option>
                {field.options.map((o) => <option value={o} selected={o === current}>{o}</option>)}
              </select>
            ) : (
              <input {...common} type={field.type === 'date' ? 'date' : field.type === 'number' ? 'number' : 'text'} step={field.type === 'number' ? 'any' : undefined}
                value={current} maxlength={field.type === 'text' ? 500 : undefined} />
            )}
            {message}
          </div>
        );
      })}
    </div>
  );
}

function FieldsForm({ c, view, state, oob }: ViewProps) {
  const t = c.var.t;
  const { ticket, options } = view;
  const settings = ticketSettings(c.var.tenant!);
  const values = state.fields?.values;
  const errors = state.fields?.errors;
  const pick = (name: string, current: string | number | null) => (values && name in values ? values[name] : current);
  const category = String(pick('category', ticket.category) ?? '');
  const organisationId = pick('organisation_id', ticket.organisation_id);
  const url = ticketUrl(c, ticket.number, '/fields');
  const refresh = (part: string) => ({
    'hx-get': ticketUrl(c, ticket.number, '/fields-form'), 'hx-trigger': 'change', 'hx-include': 'closest form',
    'hx-target': `#${part}`, 'hx-select': `#${part}`, 'hx-swap': 'outerHTML',
  });
  const locked = Boolean(ticket.deleted_at) || ticket.status === 'closed' || !c.var.can('tickets.edit');
  return (
    <form id="ticket-fields" class="card ticket-fields" {...htmxPost(url, 'this')} {...oobAttr(oob)}>
      <h2>{t('ticketPage.fields')}</h2>
      <FormError message={errors ? errors._form ?? t('error.invalid') : undefined} />
      <fieldset class="bare-fieldset stack" disabled={locked}>
        <Select name="priority" label={t('ticketPage.priority')} value={pick('priority', ticket.priority)} options={priorityOptions(settings, t)} errors={errors} />
        <Select name="category" label={t('ticketPage.category')} value={category} empty={t('ticketPage.noCategory')} errors={errors}
          options={options.categories.map((name) => ({ value: name, label: name }))} attrs={refresh('ticket-custom-fields')} />
        <OrganisationPicker c={c} name="organisation_id" label={t('ticketPage.organisation')} value={organisationId} errors={errors} valueAttrs={refresh('ticket-org-fields')} readOnly={locked}
          display={view.names.organisations.get(Number(organisationId)) ?? (values?.organisation_id_text || undefined)} />
        <div id="ticket-org-fields" class="stack">
          <Select name="requester_id" label={t('ticketPage.requester')} value={pick('requester_id', ticket.requester_id)} empty={t('ticketPage.noRequester')} errors={errors}
            options={options.people.map((p) => ({ value: p.id, label: p.email ? `${p.name} <${p.email}>` : p.name }))} />
          <Select name="contract_id" label={t('ticketPage.contract')} value={pick('contract_id', ticket.contract_id)} empty={t('ticketPage.noContract')} errors={errors}
            options={options.contracts.map((k) => ({ value: k.id, label: `${k.name} (${k.number})` }))} />
        </div>
        <CustomFieldInputs t={t} fields={fieldsFor(view.fields, category || null)} values={JSON.parse(ticket.custom_fields) as CustomValues} posted={values} errors={errors} />
        {locked ? null : <button type="submit" class="button-primary" id="fields-save">{t('common.save')}</button>}
      </fieldset>
    </form>
  );
}

/**
 * A slot's views in a region of their own. Only the full page renders it: a plugin's panel may hold
 * half-typed input, so it refreshes its own parts (e.g. on sse:ticket) instead of the host swapping it.
 */
function PluginSlot(props: { id: string; views: Child[] }) {
  return props.views.length ? <div id={props.id} class="plugin-slot stack">{props.views}</div> : null;
}

/** Listens for ticket events; asks the server whether this ticket moved since the version on screen. */
function LiveMarker({ c, view, oob }: ViewProps) {
  const url = ticketUrl(c, view.ticket.number, `/live?since=${encodeURIComponent(view.ticket.updated_at)}`);
  return <div id="ticket-live" hidden hx-get={url} hx-trigger="sse:ticket" hx-swap="outerHTML" {...oobAttr(oob)}></div>;
}

function Workspace(props: ViewProps) {
  const { c, view } = props;
  const t = c.var.t;
  return (
    <div class="ticket-page" id="ticket">
      <nav class="crumbs" aria-label="Breadcrumb">
        <ol>
          <li><a href={href(c, '/desk')}>{t('nav.dashboard')}</a></li>
          <li><a href={href(c, '/desk/tickets')}>{t('ticketPage.tickets')}</a></li>
          <li>{view.ticket.number}</li>
        </ol>
      </nav>
      <Header {...props} />
      <div class="ticket-layout">
        <div class="ticket-main">
          <Timeline {...props} />
          <Composer {...props} />
          <PluginSlot id="ticket-slot-main" views={props.slots.main} />
        </div>
        <aside class="ticket-side">
          <FieldsForm {...props} />
          <PluginSlot id="ticket-slot-side" views={props.slots.side} />
        </aside>
      </div>
      <LiveMarker {...props} />
    </div>
  );
}

/** The first enabled plugin renderer that takes an article; a failing one falls back to the plain text. */
function articleViewOf(c: Context<AppEnv>, renderers: ArticleViewRenderer[], context: SlotContext<unknown>): ArticleView | undefined {
  if (!renderers.length) return undefined;
  return (article) => {
    for (const renderer of renderers) {
      try {
        const shown = renderer.render(article, context);
        if (shown !== undefined) return shown;
      } catch (error) {
        c.var.services.log.error('article view failed', { article: article.id, error: error instanceof Error ? error.stack ?? error.message : String(error) });
      }
    }
    return undefined;
  };
}

/**
 * The ticket page, or for htmx the part that was acted on with the parts it changed
 * out-of-band: the header and timeline always follow, the live marker carries the new version.
 */
export async function respondWithTicket(c: Context<AppEnv>, number: string, part: TicketPart, options: { state?: PageState; status?: 200 | 422; organisationId?: number | null } = {}) {
  const view = await loadTicketView(c, number, options.organisationId);
  const state = options.state ?? {};
  const context = slotContext(c, { ticket: view.ticket });
  const [main, side, renderers] = await Promise.all([c.var.services.hooks.slot(TICKET_MAIN, context), c.var.services.hooks.slot(TICKET_SIDE, context),
    c.var.services.hooks.extensions(ARTICLE_VIEW_POINT, context.tenantId, context.enabledPlugins)]);
  const props = { c, view, state, slots: { main, side }, articleView: articleViewOf(c, renderers, context) };
  let fragment: Child;
  switch (part) {
    case 'page':
      fragment = <Workspace {...props} />;
      break;
    case 'header':
      // A closed or deleted ticket also locks the composer and the fields form.
      fragment = <><Header {...props} /><Timeline {...props} oob /><LiveMarker {...props} oob />
        {view.ticket.status === 'closed' || view.ticket.deleted_at ? <><Composer {...props} oob /><FieldsForm {...props} oob /></> : null}</>;
      break;
    case 'composer':
      fragment = <><Composer {...props} /><Header {...props} oob /><Timeline {...props} oob /><LiveMarker {...props} oob /></>;
      break;
    case 'fields':
      fragment = <><FieldsForm {...props} /><Header {...props} oob /><Timeline {...props} oob /><LiveMarker {...props} oob /></>;
      break;
    case 'form':
      fragment = <FieldsForm {...props} />;
      break;
    case 'live':
      fragment = <><LiveMarker {...props} /><Header {...props} oob /><Timeline {...props} oob /></>;
      break;
  }
  return render(c, {
    title: `${view.ticket.number} · ${view.ticket.subject}`,
    status: options.status ?? 200,
    live: href(c, '/events'),
    page: <Workspace {...props} />,
    fragment,
  });
}

/** The last value of each form or query field, as the forms redisplay them. */
export function lastValues(body: Record<string, string | File | Array<string | File>>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(body)) {
    const last = Array.isArray(value) ? value.at(-1) : value;
    if (typeof last === 'string') values[key] = last;
  }
  return values;
}

const idOrNull = (value: string | undefined) => (value && /^\d+$/.test(value) ? Number(value) : null);

export function ticketPageRoutes(app: Hono<AppEnv>): void {
  const guard = [requireTenant, requireUser, requirePermission('tickets.view')] as const;

  app.get(TICKET_PATH, ...guard, (c) => respondWithTicket(c, c.req.param('number'), 'page'));

  // Re-renders the fields form for values not yet saved (a new category brings its own custom fields).
  app.get(`${TICKET_PATH}/fields-form`, ...guard, (c) => {
    const values = lastValues(c.req.queries() as Record<string, string[]>);
    return respondWithTicket(c, c.req.param('number'), 'form', { state: { fields: { values } }, organisationId: 'organisation_id' in values ? idOrNull(values.organisation_id) : undefined });
  });

  // Answers 204 while the ticket is as the page shows it, so a busy tenant's events cost one indexed read each.
  app.get(`${TICKET_PATH}/live`, ...guard, async (c) => {
    const number = c.req.param('number');
    if (!isHtmx(c)) return c.redirect(ticketUrl(c, number), 303);
    const ticket = await ticketService(c).find(number, { includeDeleted: true });
    if (!ticket) throw new HttpError(404, c.var.t('ticket.notFound'));
    if (ticket.deleted_at && !c.var.can('tickets.delete')) return c.html(<p id="ticket-live" class="notice notice-danger">{c.var.t('ticketPage.deletedLive')}</p>);
    if (ticket.updated_at === c.req.query('since')) return c.body(null, 204);
    return respondWithTicket(c, number, 'live');
  });
}
