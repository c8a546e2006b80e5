import type { Context } from 'hono';
import {
  Checkbox, FormError, OrganisationPicker, SelectField, TextArea, TextField, formatDateTime, href, type AppEnv, type FieldErrors,
} from '../../core/plugin-api.js';
import type { EntryKind } from './knowledge-db.js';
import { ENTRY_LANGUAGES, VISIBILITIES } from './knowledge-db.js';
import type { EntryRow } from './entry-store.js';
import type { Segment } from './search/highlight.js';
import type { SearchResults } from './search/knowledge-search.js';
import { topicName, type Topic } from './topic-store.js';

/** The labels of the shared fields per kind: FAQ question/answer, documentation title/description, KB problem/solution. */
export function fieldLabel(kind: EntryKind, field: 'title' | 'body'): string {
  return `knowledge.${kind}.${field}`;
}

/** Marked pieces of text; JSX escapes every piece, so a match can never carry markup. */
export function Marked(props: { segments: readonly Segment[] }) {
  return <>{props.segments.map((s) => (s.mark ? <mark>{s.text}</mark> : s.text))}</>;
}

export function StateBadge(props: { c: Context<AppEnv>; state: string }) {
  return <span class={`badge knowledge-state knowledge-state-${props.state}`}>{props.c.var.t(`knowledge.state.${props.state}`)}</span>;
}

/** The entries as a table (a card per row on a phone). */
export function EntryTable(props: { c: Context<AppEnv>; entries: Array<EntryRow & { tags: string[] }> }) {
  const { c, entries } = props;
  const t = c.var.t;
  if (entries.length === 0) return <p class="muted" id="knowledge-empty">{t('knowledge.empty')}</p>;
  return (
    <div class="table-wrap">
      <table class="table knowledge-table" id="knowledge-entries">
        <thead><tr><th>{t('knowledge.field.title')}</th><th>{t('knowledge.field.kind')}</th><th>{t('knowledge.field.state')}</th><th>{t('knowledge.field.tags')}</th><th>{t('knowledge.lastUpdated')}</th></tr></thead>
        <tbody>
          {entries.map((entry) => (
            <tr>
              <td data-label={t('knowledge.field.title')}><a href={href(c, `/p/knowledge/entries/${entry.id}`)}>{entry.title}</a> <span class="muted">{entry.language.toUpperCase()}</span></td>
              <td data-label={t('knowledge.field.kind')}>{t(`knowledge.kind.${entry.kind}`)}</td>
              <td data-label={t('knowledge.field.state')}><StateBadge c={c} state={entry.state} /></td>
              <td data-label={t('knowledge.field.tags')}><span class="knowledge-tag-list">{entry.tags.map((tag) => <span class="knowledge-tag">{tag}</span>)}</span></td>
              <td data-label={t('knowledge.lastUpdated')}><time datetime={entry.updated_at}>{formatDateTime(entry.updated_at, c.var.dates)}</time></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Search results, grouped by kind, with the matching words marked. */
export function SearchResultList(props: { c: Context<AppEnv>; results: SearchResults }) {
  const { c, results } = props;
  const t = c.var.t;
  if (results.total === 0) return <p class="muted" id="knowledge-no-hits">{t('knowledge.search.none')}</p>;
  return (
    <div class="knowledge-results" id="knowledge-results">
      {results.groups.map((group) => (
        <section class="knowledge-group" id={`knowledge-group-${group.kind}`}>
          <h2>{t(`knowledge.kinds.${group.kind}`)}</h2>
          <ul class="knowledge-hits">
            {group.hits.map((hit) => (
              <li>
                <a href={href(c, `/p/knowledge/entries/${hit.id}`)} class="knowledge-hit-title"><Marked segments={hit.title} /></a>{' '}
                <StateBadge c={c} state={hit.state} />
                <p class="knowledge-snippet"><Marked segments={hit.snippet} /></p>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}

export interface EntryFormValues {
  kind: EntryKind;
  language: string;
  title: string;
  body: string;
  cause: string;
  steps: string;
  visibility: string;
  tags: string;
  translation_of: string;
  topic_ids: string[];
  organisations: Array<{ id: number; name: string }>;
  /** Tags for the files uploaded with this save (the files themselves are never kept on a refusal). */
  file_tags?: string | undefined;
  /** A new entry taken from a ticket: the ticket's id and number (kept as the entry's origin). */
  origin?: { ticketId: number; number: string } | undefined;
}

/** The create and edit form: keeps what was typed on a refusal and shows each message at its field. */
export function EntryForm(props: { c: Context<AppEnv>; action: string; values: EntryFormValues; topics: Topic[]; errors?: FieldErrors | undefined; submit: string }) {
  const { c, values, errors } = props;
  const t = c.var.t;
  const locale = c.var.locale;
  // Archived topics are offered only where they are assigned already.
  const topics = props.topics.filter((topic) => !topic.archived || values.topic_ids.includes(String(topic.id)));
  return (
    <form method="post" action={props.action} class="card stack knowledge-form" id="knowledge-entry-form" enctype="multipart/form-data">
      <FormError message={errors ? t('error.invalid') : undefined} />
      <input type="hidden" name="kind" value={values.kind} />
      <p class="muted">{t(`knowledge.kind.${values.kind}`)}</p>
      {values.origin ? (
        <p class="muted" id="knowledge-form-origin">
          <input type="hidden" name="origin_ticket_id" value={String(values.origin.ticketId)} />
          {t('knowledge.ticket.origin')}: #{values.origin.number}
          {errors?.origin_ticket_id ? <small class="field-error"> {errors.origin_ticket_id}</small> : null}
        </p>
      ) : null}
      <TextField name="title" label={t(fieldLabel(values.kind, 'title'))} value={values.title} errors={errors} required />
      {values.kind === 'kb' ? <TextArea name="cause" label={t('knowledge.kb.cause')} value={values.cause} errors={errors} rows={3} /> : null}
      <TextArea name="body" label={t(fieldLabel(values.kind, 'body'))} value={values.body} errors={errors} rows={8} required />
      {values.kind === 'kb' ? <TextArea name="steps" label={t('knowledge.kb.steps')} value={values.steps} errors={errors} rows={5} /> : null}
      <TextField name="tags" label={t('knowledge.field.tags')} value={values.tags} errors={errors} hint={t('knowledge.field.tags.hint')} />
      <fieldset class="knowledge-topics field">
        <legend>{t('knowledge.field.topics')}</legend>
        {topics.length === 0 ? <p class="muted">{t('knowledge.topics.none')}</p> : topics.map((topic) => (
          <Checkbox name="topic_ids" value={String(topic.id)} checked={values.topic_ids.includes(String(topic.id))}
            label={`${topic.parent_id ? '— ' : ''}${topicName(topic, locale)}${topic.archived ? ` (${t('knowledge.topic.archived')})` : ''}`} />
        ))}
        {errors?.topic_ids ? <small class="field-error">{errors.topic_ids}</small> : null}
      </fieldset>
      <SelectField name="visibility" label={t('knowledge.field.visibility')} value={values.visibility} errors={errors}
        options={VISIBILITIES.map((v) => ({ value: v, label: t(`knowledge.visibility.${v}`) }))} />
      <fieldset class="knowledge-organisations field">
        <legend>{t('knowledge.field.organisations')}</legend>
        {values.organisations.map((o) => <Checkbox name="organisation_ids" value={String(o.id)} checked label={o.name} />)}
        <OrganisationPicker c={c} name="organisation_add" label={t('knowledge.field.organisationAdd')} value={undefined} display={undefined} />
        {errors?.organisation_ids ? <small class="field-error">{errors.organisation_ids}</small> : null}
      </fieldset>
      <SelectField name="language" label={t('knowledge.field.language')} value={values.language} errors={errors}
        options={ENTRY_LANGUAGES.map((l) => ({ value: l, label: t(`knowledge.language.${l}`) }))} />
      <TextField name="translation_of" label={t('knowledge.field.translationOf')} value={values.translation_of} errors={errors} type="number" hint={t('knowledge.field.translationOf.hint')} />
      <FileFields c={c} errors={errors} tags={values.file_tags} />
      <div><button type="submit" class="button-primary" id="knowledge-entry-save">{props.submit}</button></div>
    </form>
  );
}

/** File inputs (several files, with tags for them): on the entry form and the entry page's upload form. */
export function FileFields(props: { c: Context<AppEnv>; errors?: FieldErrors | undefined; tags?: string | undefined }) {
  const { c, errors } = props;
  const t = c.var.t;
  return (
    <fieldset class="knowledge-upload field">
      <legend>{t('knowledge.file.add')}</legend>
      <div class="field">
        <label for="f-files">{t('knowledge.file.choose')}</label>
        <input type="file" id="f-files" name="files" multiple aria-describedby="f-files-hint" />
        <small class="hint" id="f-files-hint">{t('knowledge.file.hint')}</small>
        {errors?.files ? <small class="field-error">{errors.files}</small> : null}
      </div>
      <TextField name="file_tags" label={t('knowledge.file.tags')} value={props.tags ?? ''} errors={errors} hint={t('knowledge.field.tags.hint')} />
    </fieldset>
  );
}
