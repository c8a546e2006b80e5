import type { Context } from 'hono';
import type { AppEnv } from '../../http/app-env.js';
import { formatDateTime } from '../../i18n/format.js';
import type { Translate } from '../../i18n/translate.js';
import type { DraftAttachment, ReplyDraft } from '../../tickets/reply-drafts.js';
import { ticketUrl } from './ticket-page-parts.js';

// The reply composer's own parts (issue 18 point 3): the markdown toolbar and preview, CC/BCC, the draft's files and
// the draft's saved state. static/composer.js drives the toolbar, the quote, drag and drop, paste and autosave hints;
// without it the form still posts text and files.

/** The values a draft fills the form with (as a refused form's values would). */
export function draftValues(draft: ReplyDraft | undefined): Record<string, string> {
  if (!draft) return {};
  return { kind: draft.kind, body: draft.body, cc: draft.cc, bcc: draft.bcc, statusAfter: draft.statusAfter };
}

const TOOLS = [
  { id: 'bold', label: 'composer.tool.bold', glyph: 'B' },
  { id: 'italic', label: 'composer.tool.italic', glyph: 'I' },
  { id: 'list', label: 'composer.tool.list', glyph: '•' },
  { id: 'numbered', label: 'composer.tool.numbered', glyph: '1.' },
  { id: 'link', label: 'composer.tool.link', glyph: 'link' },
  { id: 'code', label: 'composer.tool.code', glyph: '</>' },
  { id: 'quote', label: 'composer.tool.quote', glyph: '❝' },
] as const;

/** A chain link (no emoji font is needed to show it). */
function LinkIcon() {
  return (
    <svg aria-hidden="true" viewBox="0 0 24 24" width="18" height="18" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">
      <path d="M10 13a5 5 0 0 0 7.07 0l3-3a5 5 0 0 0-7.07-7.07l-1.5 1.5" />
      <path d="M14 11a5 5 0 0 0-7.07 0l-3 3a5 5 0 0 0 7.07 7.07l1.5-1.5" />
    </svg>
  );
}

/** Toolbar and Write/Preview switch above the text; shown only with JavaScript (html.js). */
export function ComposerToolbar(props: { c: Context<AppEnv>; number: string; canQuote: boolean }) {
  const t = props.c.var.t;
  const previewUrl = ticketUrl(props.c, props.number, '/reply/preview');
  return (
    <div class="composer-bar js-only">
      <div class="composer-toolbar" role="toolbar" aria-label={t('composer.toolbar')} aria-controls="f-body">
        {TOOLS.map((tool) => (
          <button type="button" class={`tool tool-${tool.id}`} data-md={tool.id} title={t(tool.label)} aria-label={t(tool.label)}>{tool.id === 'link' ? <LinkIcon /> : tool.glyph}</button>
        ))}
        {props.canQuote ? (
          <button type="button" class="tool tool-wide" id="composer-quote" data-quote-url={ticketUrl(props.c, props.number, '/reply/quote')}>{t('composer.quoteLast')}</button>
        ) : null}
      </div>
      <div class="composer-modes" role="group" aria-label={t('composer.mode')}>
        <button type="button" class="mode" id="composer-write" aria-pressed="true">{t('composer.write')}</button>
        <button type="button" class="mode" id="composer-preview-tab" aria-pressed="false"
          hx-post={previewUrl} hx-params="body" hx-target="#composer-preview" hx-swap="innerHTML" hx-encoding="application/x-www-form-urlencoded">{t('composer.preview')}</button>
      </div>
    </div>
  );
}

/** Where the server's rendering of the text shows while Preview is on. */
export function PreviewPane(props: { t: Translate }) {
  return <div id="composer-preview" class="composer-preview entry-body rich-body" hidden aria-live="polite" aria-label={props.t('composer.preview')}></div>;
}

/** The preview's content: the safe HTML, or a word that there is nothing yet. */
export function PreviewBody(props: { html: string; t: Translate }) {
  return props.html ? <div dangerouslySetInnerHTML={{ __html: props.html }}></div> : <p class="muted">{props.t('composer.previewEmpty')}</p>;
}

function CopyField(props: { name: 'cc' | 'bcc'; label: string; value: string | undefined; error: string | undefined; hint: string }) {
  const { name, error } = props;
  return (
    <div class={`field${error ? ' field-invalid' : ''}`}>
      <label for={`f-${name}`}>{props.label}</label>
      <input type="text" id={`f-${name}`} name={name} value={props.value ?? ''} inputmode="email" autocomplete="off" spellcheck={false}
        aria-invalid={error ? 'true' : undefined} aria-describedby={error ? `${name}-hint ${name}-error` : `${name}-hint`} />
      <small id={`${name}-hint`} class="hint">{props.hint}</small>
      {error ? <small id={`${name}-error`} class="field-error">{error}</small> : null}
    </div>
  );
}

/** CC and BCC, for replies on tickets whose replies are mailed; hidden while "Internal note" is chosen. */
export function CopyFields(props: { t: Translate; values: Record<string, string>; errors: Record<string, string> | undefined }) {
  const { t, values, errors } = props;
  const open = Boolean(values.cc || values.bcc || errors?.cc || errors?.bcc);
  return (
    <details class="composer-copies composer-reply-only" open={open}>
      <summary>{t('composer.copies')}</summary>
      <div class="composer-copy-fields">
        <CopyField name="cc" label={t('composer.cc')} value={values.cc} error={errors?.cc} hint={t('composer.copiesHint')} />
        <CopyField name="bcc" label={t('composer.bcc')} value={values.bcc} error={errors?.bcc} hint={t('composer.bccHint')} />
      </div>
    </details>
  );
}

const size = (bytes: number) => (bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`);

/** The files dropped or pasted into this draft, each with a remove button; sent with the reply. */
export function DraftFiles(props: { c: Context<AppEnv>; number: string; files: DraftAttachment[]; error?: string | undefined }) {
  const t = props.c.var.t;
  const removeUrl = ticketUrl(props.c, props.number, '/reply/attachments/remove');
  return (
    <div id="composer-files" class="composer-files" data-upload-url={ticketUrl(props.c, props.number, '/reply/attachments')}>
      {props.files.length ? (
        <ul class="attachment-list" aria-label={t('composer.attached')}>
          {props.files.map((file, index) => (
            <li>
              <span class="composer-file">{file.filename}</span> <span class="muted">({size(file.size)})</span>{' '}
              <button type="button" class="button-link" hx-post={removeUrl} hx-vals={JSON.stringify({ index: String(index) })} hx-params="index"
                hx-encoding="application/x-www-form-urlencoded" hx-target="#composer-files" hx-swap="outerHTML"
                aria-label={t('composer.removeFile', { name: file.filename })}>{t('composer.remove')}</button>
            </li>
          ))}
        </ul>
      ) : null}
      {props.error ? <p class="field-error" role="alert">{props.error}</p> : null}
      <small class="hint js-only composer-drop-hint">{t('composer.dropHint')}</small>
    </div>
  );
}

/**
 * "Draft saved 12:03": also the autosave's trigger. Typing in the form posts the form here after a pause
 * (htmx); the answer is this element again with the new time.
 */
export function DraftState(props: { c: Context<AppEnv>; number: string; savedAt?: string | undefined; failed?: boolean }) {
  const t = props.c.var.t;
  // Today's draft says only the time; an older one its date too.
  const full = props.savedAt ? formatDateTime(props.savedAt, props.c.var.dates) : undefined;
  const recent = props.savedAt && props.c.var.services.clock().getTime() - Date.parse(props.savedAt) < 12 * 3600_000;
  const time = full && recent ? full.split(/,?\s+/).pop() : full;
  return (
    <span id="composer-draft-state" class={`hint composer-draft${props.failed ? ' field-error' : ''}`} role="status"
      hx-post={ticketUrl(props.c, props.number, '/reply/draft')} hx-trigger="input from:closest form delay:1200ms, change from:closest form delay:300ms"
      hx-params="kind,body,cc,bcc,statusAfter" hx-encoding="application/x-www-form-urlencoded" hx-target="this" hx-swap="outerHTML" hx-sync="closest form:abort"
      data-saved-at={props.savedAt} data-failed-text={t('composer.draftFailed')}>
      {props.failed ? t('composer.draftFailed') : time ? t('composer.draftSaved', { time }) : ''}
    </span>
  );
}
