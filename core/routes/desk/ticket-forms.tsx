import { tenantOf } from '../../http/guards.js';
import { MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS } from '../../tickets/attachment-rules.js';
import { customFieldFormValues, fieldsFor, type CustomValues } from '../../tickets/custom-fields.js';
import { CustomFieldInputs } from '../../../views/components/custom-field-inputs.js';
import { allowedTransitions } from '../../tickets/ticket-lifecycle.js';
import { priorityOptions, ticketSettings } from '../../tickets/ticket-settings.js';
import type { Translate } from '../../i18n/translate.js';
import { FormError, TextArea, TextField } from '../../../views/components/form.js';
import { OrganisationPicker } from './organisation-picker.js';
import { MacroFillNotice, ReplyTools } from './reply-tools.js';
import { htmxPost, oobAttr, Select, ticketUrl, type ViewProps } from './ticket-page-parts.js';
import { ComposerToolbar, CopyFields, DraftFiles, DraftState, draftValues, PreviewPane } from './reply-composer.js';
import { FieldMarks, StaleChanges, VersionInput } from './ticket-version-parts.js';

/** The reply and note form, with attachments and the status after sending. */
export function Composer({ c, view, state, oob, composer }: ViewProps) {
  const t = c.var.t;
  const { ticket } = view;
  if (ticket.deleted_at || !c.var.can('tickets.edit')) return <div id="ticket-composer" {...oobAttr(oob)}></div>;
  const url = ticketUrl(c, ticket.number, '/articles');
  // A refused send shows what was posted; else the agent's saved draft (reply-composer.tsx).
  const values = state.composer?.values ?? draftValues(composer?.draft);
  const errors = state.composer?.errors;
  const closed = ticket.status === 'closed';
  const kind = closed ? 'note' : values.kind === 'note' ? 'note' : 'reply';
  const attachmentError = errors?.attachments;
  return (
    <form id="ticket-composer" class="card composer" method="post" action={url} enctype="multipart/form-data"
      hx-post={url} hx-encoding="multipart/form-data" hx-target="this" hx-swap="outerHTML" data-composer data-unsaved={t('composer.unsaved')} data-link-text={t('composer.linkText')} {...oobAttr(oob)}>
      <h2 class="visually-hidden">{t('ticketPage.composer')}</h2>
      <FormError message={errors ? errors._form ?? t('error.invalid') : undefined} />
      <MacroFillNotice c={c} view={view} values={values} />
      <StaleChanges c={c} changes={state.composer?.changes} id="composer-stale" />
      <VersionInput ticket={ticket} base={state.composer?.baseVersion} />
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
      <div class="composer-editor" data-composer-drop>
        <ComposerToolbar c={c} number={ticket.number} canQuote={!closed} />
        <TextArea name="body" label={t('ticketPage.body')} value={values.body} rows={6} errors={errors} />
        <PreviewPane t={t} />
        <small class="hint composer-format-hint">{t('composer.formatHint')}</small>
      </div>
      <ReplyTools c={c} view={view} values={values} errors={errors} />
      {composer?.mails && !closed ? <CopyFields t={t} values={values} errors={errors} /> : null}
      <div class={`field${attachmentError ? ' field-invalid' : ''}`}>
        <label for="f-attachments">{t('ticketPage.attachments')}</label>
        <input type="file" id="f-attachments" name="attachments" multiple
          aria-invalid={attachmentError ? 'true' : undefined} aria-describedby={attachmentError ? 'attachments-hint attachments-error' : 'attachments-hint'} />
        <small id="attachments-hint" class="hint">{t('ticketPage.attachmentsHint', { count: MAX_ATTACHMENTS, max: MAX_ATTACHMENT_BYTES / 1024 / 1024 })}</small>
        {attachmentError ? <small id="attachments-error" class="field-error">{attachmentError}</small> : null}
        <DraftFiles c={c} number={ticket.number} files={composer?.draft?.attachments ?? []} />
      </div>
      <div class="composer-foot">
        <StatusAfterFields c={c} view={view} values={values} errors={errors} />
        <DraftState c={c} number={ticket.number} savedAt={composer?.draft?.updatedAt} />
        <button type="submit" class="button-primary" id="composer-send">{t('ticketPage.send')}</button>
      </div>
    </form>
  );
}

/**
 * The composer's "status after sending" (and "waiting until" while waiting is chosen): what the ticket's status
 * allows now. A header action that moves the status sends it out of band, so the choices follow without a reload
 * (the composer itself stays, with what the agent typed).
 */
export function StatusAfterFields({ c, view, values = {}, errors, oob }: Pick<ViewProps, 'c' | 'view' | 'oob'> & { values?: Record<string, string>; errors?: Record<string, string> | undefined }) {
  const t = c.var.t;
  const { ticket } = view;
  const after = allowedTransitions(ticket.status).filter((s): s is 'waiting' | 'solved' => s === 'waiting' || s === 'solved');
  return (
    <div id="composer-status-after" class="composer-status-after" {...oobAttr(oob)}>
      {after.length ? (
        <Select name="statusAfter" label={t('ticketPage.statusAfter')} value={values.statusAfter ?? ''} errors={errors}
          empty={t('ticketPage.keepStatus', { status: t(`status.${ticket.status}`) })}
          options={after.map((s) => ({ value: s, label: t(`status.${s}`) }))} />
      ) : null}
      {after.includes('waiting') ? (
        // Shown while "waiting" is chosen above (CSS :has); the route ignores it for any other status.
        <TextField name="waiting_until" type="datetime-local" label={t('waiting.until')} hint={t('waiting.hint', { zone: tenantOf(c).time_zone })}
          value={values.waiting_until ?? ''} errors={errors} idPrefix="composer-" wrapClass="composer-waiting" />
      ) : null}
    </div>
  );
}

/** StatusAfterFields out of band, where the page has a composer to hold it (the reply box's content stays as it is). */
export function StatusAfterOob({ c, view }: Pick<ViewProps, 'c' | 'view'>) {
  if (view.ticket.deleted_at || !c.var.can('tickets.edit')) return null;
  return <StatusAfterFields c={c} view={view} oob />;
}

/** The ticket's fields (priority, category, organisation, requester, contract, custom fields). */
export function FieldsForm({ c, view, state, oob }: ViewProps) {
  const t = c.var.t;
  const { ticket, options } = view;
  const settings = ticketSettings(tenantOf(c));
  const values = state.fields?.values;
  const errors = state.fields?.errors;
  const pick = (name: string, current: string | number | null) => (values && name in values ? values[name] : current);
  const category = String(pick('category', ticket.category) ?? '');
  const customFields = fieldsFor(view.fields, category || null);
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
      <StaleChanges c={c} changes={state.fields?.changes} id="fields-stale" />
      <FieldMarks c={c} changes={state.marks ?? []} />
      {/* The version the form shows: a save refuses fields someone changed after it (ticket-stale-fields.ts). */}
      <VersionInput ticket={ticket} />
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
        <CustomFieldInputs id="ticket-custom-fields" mode="edit" t={t} fields={customFields} values={customFieldFormValues(customFields, JSON.parse(ticket.custom_fields) as CustomValues, values)} errors={errors} />
        {locked ? null : <button type="submit" class="button-primary" id="fields-save">{t('common.save')}</button>}
      </fieldset>
    </form>
  );
}
