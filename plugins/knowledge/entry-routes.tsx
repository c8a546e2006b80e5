import type { Context, Hono } from 'hono';
import {
  DomainError, Page, SelectField, TextField, filesFromForm, flash, formatDateTime, href, redirectTo, render, requirePermission, resolvePicked, scope, tenantOf,
  type AppEnv, type AttachmentInput, type FieldErrors,
} from '../../core/plugin-api.js';
import { actorOf } from './actor.js';
import { checkUpload, entryFiles, type EntryFile } from './entry-files.js';
import { ShareForm, shareRoutes } from './entry-share.js';
import { entryStore, type EntryDetail, type EntryInput } from './entry-store.js';
import { EntryForm, EntryTable, FileFields, SearchResultList, StateBadge, fieldLabel, type EntryFormValues } from './entry-views.js';
import { FileList, fileResponse } from './file-views.js';
import { ENTRY_KINDS, ENTRY_STATES, type EntryKind, type EntryState } from './knowledge-db.js';
import { STAFF } from './search/visibility.js';
import type { KnowledgeSearch } from './search/knowledge-search.js';
import { ticketKnowledge, type TicketOrigin } from './ticket-knowledge.js';
import { topicName, topicStore } from './topic-store.js';
import { listOf } from './validate.js';
import { versionRoutes } from './version-routes.js';

const kindOf = (value: unknown): EntryKind | undefined => (ENTRY_KINDS as readonly unknown[]).includes(value) ? value as EntryKind : undefined;
const stateOf = (value: unknown): EntryState | undefined => (ENTRY_STATES as readonly unknown[]).includes(value) ? value as EntryState : undefined;
const idOf = (value: string | undefined): number | undefined => (value && /^\d{1,9}$/.test(value) ? Number(value) : undefined);


/** The agents' knowledge pages under /p/knowledge: the list with search and filters, an entry, its form. */
export function entryRoutes(search: KnowledgeSearch) {
  return (app: Hono<AppEnv>): void => {
    const store = (c: Context<AppEnv>) => entryStore(c.var.services, tenantOf(c).id, search);
    const topics = (c: Context<AppEnv>) => topicStore(c.var.services, tenantOf(c).id).list();
    const files = (c: Context<AppEnv>) => entryFiles(c.var.services, tenantOf(c).id, search);
    const showEntry = async (c: Context<AppEnv>, id: number, errors?: FieldErrors) => {
      const entry = await store(c).detail(id);
      return entryPage(c, entry, await ticketKnowledge(c.var.services, tenantOf(c).id).originOf(entry.id), await store(c).ratings(entry.id), await files(c).list(entry.id), errors);
    };

    app.get('/', requirePermission('knowledge.view'), async (c) => {
      const t = c.var.t;
      const query = c.req.query();
      const filters = { kind: kindOf(query.kind), state: stateOf(query.state), topicId: idOf(query.topic), tag: query.tag?.trim() || undefined };
      const q = (query.q ?? '').trim().slice(0, 200);
      const allTopics = await topics(c);
      const list = q
        ? <SearchResultList c={c} results={await search.search(c.var.services, tenantOf(c).id, { q, viewer: STAFF, ...filters, limit: 20 })} />
        : <EntryTable c={c} entries={await store(c).list(filters)} />;
      const canEdit = c.var.can('knowledge.edit');
      return render(c, {
        title: t('knowledge.name'),
        page: (
          <Page title={t('knowledge.name')} actions={canEdit ? (
            <>{ENTRY_KINDS.map((kind) => <a class="button" href={href(c, `/p/knowledge/new?kind=${kind}`)} id={`knowledge-new-${kind}`}>{t(`knowledge.new.${kind}`)}</a>)}</>
          ) : undefined}>
            <form method="get" action={href(c, '/p/knowledge')} class="card knowledge-filters" id="knowledge-filters">
              <TextField name="q" type="search" label={t('knowledge.search')} value={q} />
              <SelectField name="kind" label={t('knowledge.field.kind')} value={filters.kind} empty={t('knowledge.all')} options={ENTRY_KINDS.map((k) => ({ value: k, label: t(`knowledge.kind.${k}`) }))} />
              <SelectField name="topic" label={t('knowledge.field.topic')} value={filters.topicId} empty={t('knowledge.all')} options={allTopics.map((topic) => ({ value: topic.id, label: `${topic.parent_id ? '— ' : ''}${topicName(topic, c.var.locale)}` }))} />
              <SelectField name="state" label={t('knowledge.field.state')} value={filters.state} empty={t('knowledge.all')} options={ENTRY_STATES.map((s) => ({ value: s, label: t(`knowledge.state.${s}`) }))} />
              <TextField name="tag" label={t('knowledge.field.tag')} value={filters.tag} />
              <div><button type="submit" class="button-primary">{t('knowledge.filter')}</button></div>
            </form>
            {list}
          </Page>
        ),
      });
    });

    app.get('/new', requirePermission('knowledge.edit'), async (c) => {
      const fromTicket = idOf(c.req.query('from_ticket'));
      if (fromTicket !== undefined) {
        // "Take into knowledge base": a KB entry pre-filled from the solved ticket, for the agent to edit before publishing.
        const draft = await ticketKnowledge(c.var.services, tenantOf(c).id).draft(fromTicket);
        return formPage(c, 'new', {
          ...emptyValues('kb', c.var.locale), title: draft.subject.slice(0, 200), cause: draft.problem, body: draft.solution,
          origin: { ticketId: draft.ticketId, number: draft.number },
        }, await topics(c));
      }
      const kind = kindOf(c.req.query('kind')) ?? 'faq';
      return formPage(c, 'new', emptyValues(kind, c.var.locale), await topics(c));
    });

    app.post('/entries', requirePermission('knowledge.edit'), async (c) => {
      const { input, values, upload } = await readForm(c);
      const originTicketId = idOf(String((await c.req.parseBody()).origin_ticket_id ?? '')) ;
      if (originTicketId !== undefined) {
        const ticket = await scope(c).selectFrom('tickets').select(['id', 'number']).where('id', '=', originTicketId).executeTakeFirst();
        values.origin = { ticketId: originTicketId, number: ticket?.number ?? String(originTicketId) };
      }
      try {
        // Files are checked before the entry is saved: a refusal keeps nothing and shows the form again.
        checkUpload(upload.files, upload.tags);
        const entry = await store(c).create(input, actorOf(c), { originTicketId });
        if (upload.files.length) await files(c).add(entry.id, upload.files, upload.tags, actorOf(c));
        flash(c, 'success', c.var.t('knowledge.entry.created'));
        return redirectTo(c, href(c, `/p/knowledge/entries/${entry.id}`));
      } catch (error) {
        if (!(error instanceof DomainError) || error.kind !== 'invalid') throw error;
        return formPage(c, 'new', values, await topics(c), error.fields);
      }
    });

    app.get('/entries/:id{[0-9]+}', requirePermission('knowledge.view'), (c) => showEntry(c, Number(c.req.param('id'))));

    // An entry's files: served to staff (every entry), added from the entry page or form, removed one by one.
    app.get('/entries/:id{[0-9]+}/files/:file{[0-9]+}', requirePermission('knowledge.view'), (c) => fileResponse(c, files(c), Number(c.req.param('id')), Number(c.req.param('file'))));

    app.post('/entries/:id{[0-9]+}/files', requirePermission('knowledge.edit'), async (c) => {
      const id = Number(c.req.param('id'));
      await store(c).get(id);
      const body = await c.req.parseBody({ all: true });
      try {
        await files(c).add(id, await filesFromForm(body.files), typeof body.file_tags === 'string' ? body.file_tags : '', actorOf(c));
      } catch (error) {
        if (!(error instanceof DomainError) || error.kind !== 'invalid') throw error;
        const errors = Object.fromEntries(Object.entries(error.fields).map(([field, key]) => [field, c.var.t(key)]));
        return showEntry(c, id, errors);
      }
      flash(c, 'success', c.var.t('knowledge.file.added'));
      return redirectTo(c, href(c, `/p/knowledge/entries/${id}`));
    });

    app.post('/entries/:id{[0-9]+}/files/:file{[0-9]+}/delete', requirePermission('knowledge.edit'), async (c) => {
      const id = Number(c.req.param('id'));
      await files(c).remove(id, Number(c.req.param('file')), actorOf(c));
      flash(c, 'success', c.var.t('knowledge.file.removed'));
      return redirectTo(c, href(c, `/p/knowledge/entries/${id}`));
    });

    app.get('/entries/:id{[0-9]+}/edit', requirePermission('knowledge.edit'), async (c) => {
      const entry = await store(c).detail(Number(c.req.param('id')));
      return formPage(c, entry.id, valuesOf(entry), await topics(c));
    });

    app.post('/entries/:id{[0-9]+}', requirePermission('knowledge.edit'), async (c) => {
      const id = Number(c.req.param('id'));
      await store(c).get(id);
      const { input, values, upload } = await readForm(c);
      try {
        checkUpload(upload.files, upload.tags, await files(c).count(id));
        await store(c).update(id, input, actorOf(c));
        if (upload.files.length) await files(c).add(id, upload.files, upload.tags, actorOf(c));
        flash(c, 'success', c.var.t('knowledge.entry.saved'));
        return redirectTo(c, href(c, `/p/knowledge/entries/${id}`));
      } catch (error) {
        if (!(error instanceof DomainError) || error.kind !== 'invalid') throw error;
        return formPage(c, id, values, await topics(c), error.fields);
      }
    });

    app.post('/entries/:id{[0-9]+}/state', requirePermission('knowledge.edit'), async (c) => {
      const id = Number(c.req.param('id'));
      const state = String((await c.req.parseBody()).state ?? '');
      await store(c).setState(id, state, actorOf(c));
      flash(c, 'success', c.var.t('knowledge.entry.stateSaved'));
      return redirectTo(c, href(c, `/p/knowledge/entries/${id}`));
    });

    shareRoutes(app, (c, id) => store(c).detail(id), (c, id, errors) => showEntry(c, id, errors));
    versionRoutes(app, store);
  };
}

function emptyValues(kind: EntryKind, language: string): EntryFormValues {
  return { kind, language, title: '', body: '', cause: '', steps: '', visibility: 'internal', tags: '', translation_of: '', topic_ids: [], organisations: [] };
}

function valuesOf(entry: EntryDetail): EntryFormValues {
  return {
    kind: entry.kind, language: entry.language, title: entry.title, body: entry.body, cause: entry.cause, steps: entry.steps, visibility: entry.visibility,
    tags: entry.tags.join(', '), translation_of: entry.translation_of ? String(entry.translation_of) : '', topic_ids: entry.topics.map((t) => String(t.id)),
    organisations: entry.organisations,
  };
}

/** The form's input for the store, and what to show again on a refusal. */
async function readForm(c: Context<AppEnv>): Promise<{ input: EntryInput; values: EntryFormValues; upload: { files: AttachmentInput[]; tags: string } }> {
  const body = await c.req.parseBody({ all: true });
  const text = (key: string) => (typeof body[key] === 'string' ? body[key] as string : '');
  const pickerValues: Record<string, string | undefined> = { organisation_add: text('organisation_add') };
  if ('organisation_add_text' in body) pickerValues.organisation_add_text = text('organisation_add_text');
  // Without JavaScript the picker sends the typed name; an unknown one is simply not added.
  await resolvePicked(c, pickerValues, 'organisation_add').catch(() => undefined);
  const organisationIds = [...new Set([...listOf(body.organisation_ids), ...(pickerValues.organisation_add ? [pickerValues.organisation_add] : [])])];
  const kind = kindOf(text('kind')) ?? 'faq';
  const input = {
    kind: text('kind'), language: text('language'), title: text('title'), body: text('body'), cause: text('cause'), steps: text('steps'),
    visibility: text('visibility'), tags: text('tags'), translation_of: text('translation_of'), topic_ids: listOf(body.topic_ids), organisation_ids: organisationIds,
  } as unknown as EntryInput;
  const numeric = organisationIds.filter((id) => /^\d{1,9}$/.test(id)).map(Number);
  const names = numeric.length
    ? await scope(c).selectFrom('organisations').select(['id', 'name']).where('id', 'in', numeric).execute()
    : [];
  const values: EntryFormValues = {
    kind, language: text('language'), title: text('title'), body: text('body'), cause: text('cause'), steps: text('steps'), visibility: text('visibility'),
    tags: text('tags'), translation_of: text('translation_of'), topic_ids: listOf(body.topic_ids), organisations: names, file_tags: text('file_tags'),
  };
  return { input, values, upload: { files: await filesFromForm(body.files), tags: text('file_tags') } };
}

async function formPage(c: Context<AppEnv>, id: number | 'new', values: EntryFormValues, topics: Awaited<ReturnType<ReturnType<typeof topicStore>['list']>>, fields?: Readonly<Record<string, string>>) {
  const t = c.var.t;
  const errors = fields ? Object.fromEntries(Object.entries(fields).map(([field, key]) => [field, t(key)])) : undefined;
  const title = id === 'new' ? t(`knowledge.new.${values.kind}`) : t('knowledge.entry.edit');
  const crumbs = [{ label: t('knowledge.name'), href: href(c, '/p/knowledge') }, ...(id === 'new' ? [] : [{ label: values.title || `#${id}`, href: href(c, `/p/knowledge/entries/${id}`) }]), { label: title }];
  return render(c, {
    title,
    status: fields ? 422 : 200,
    page: (
      <Page title={title} crumbs={crumbs}>
        <EntryForm c={c} action={href(c, id === 'new' ? '/p/knowledge/entries' : `/p/knowledge/entries/${id}`)} values={values} topics={topics} errors={errors}
          submit={t(id === 'new' ? 'knowledge.entry.create' : 'knowledge.entry.save')} />
      </Page>
    ),
  });
}

/** The ticket an entry was taken from (agents' pages only), or "ticket deleted" once it is gone. */
function OriginLink(props: { c: Context<AppEnv>; origin: TicketOrigin }) {
  const { c, origin } = props;
  const t = c.var.t;
  return origin.deleted
    ? <span id="knowledge-origin">#{origin.number} ({t('knowledge.ticket.deleted')})</span>
    : <a id="knowledge-origin" href={href(c, `/desk/tickets/${encodeURIComponent(origin.number)}`)}>#{origin.number} {origin.subject}</a>;
}

function entryPage(c: Context<AppEnv>, entry: EntryDetail, origin: TicketOrigin | null, ratings: { helpful: number; notHelpful: number }, files: EntryFile[], errors?: FieldErrors) {
  const t = c.var.t;
  const canEdit = c.var.can('knowledge.edit');
  const stateButton = (state: EntryState) => (
    <form method="post" action={href(c, `/p/knowledge/entries/${entry.id}/state`)} class="knowledge-inline">
      <input type="hidden" name="state" value={state} />
      <button type="submit" class="button" id={`knowledge-state-${state}`}>{t(`knowledge.action.${state}`)}</button>
    </form>
  );
  const block = (label: string, text: string) => (text ? <section class="knowledge-text"><h2>{label}</h2><p>{text}</p></section> : null);
  return render(c, {
    title: entry.title,
    status: errors ? 422 : 200,
    page: (
      <Page title={entry.title} crumbs={[{ label: t('knowledge.name'), href: href(c, '/p/knowledge') }, { label: entry.title }]} actions={canEdit ? (
        <>
          <a class="button" href={href(c, `/p/knowledge/entries/${entry.id}/edit`)} id="knowledge-edit">{t('knowledge.entry.edit')}</a>
          {ENTRY_STATES.filter((s) => s !== entry.state).map(stateButton)}
        </>
      ) : undefined}>
        <div class="knowledge-entry" id="knowledge-entry">
          <dl class="knowledge-facts card">
            <dt>{t('knowledge.field.kind')}</dt><dd>{t(`knowledge.kind.${entry.kind}`)}</dd>
            <dt>{t('knowledge.field.state')}</dt>
            <dd><StateBadge c={c} state={entry.state} /> {t('knowledge.stateBy', { who: entry.state_by, when: formatDateTime(entry.state_at, c.var.dates) })}</dd>
            <dt>{t('knowledge.field.visibility')}</dt>
            <dd>{t(`knowledge.visibility.${entry.visibility}`)}{entry.visibility === 'organisations' ? `: ${entry.organisations.map((o) => o.name).join(', ')}` : ''}</dd>
            <dt>{t('knowledge.field.language')}</dt>
            <dd>{t(`knowledge.language.${entry.language}`)}{entry.translations.map((tr) => (
              <> · <a href={href(c, `/p/knowledge/entries/${tr.id}`)} class="knowledge-translation">{t('knowledge.translation', { language: t(`knowledge.language.${tr.language}`) })}: {tr.title}</a></>
            ))}</dd>
            <dt>{t('knowledge.field.topics')}</dt>
            <dd id="knowledge-entry-topics">{entry.topics.length ? entry.topics.map((topic) => (
              <span class="knowledge-tag">{topicName(topic, c.var.locale)}{topic.archived ? ` (${t('knowledge.topic.archived')})` : ''}</span>
            )) : '—'}</dd>
            <dt>{t('knowledge.field.tags')}</dt>
            <dd id="knowledge-entry-tags">{entry.tags.length ? entry.tags.map((tag) => <span class="knowledge-tag">{tag}</span>) : '—'}</dd>
            {origin ? <><dt>{t('knowledge.ticket.origin')}</dt><dd><OriginLink c={c} origin={origin} /></dd></> : null}
            {origin?.creditedTo ? <><dt>{t('knowledge.ticket.credited')}</dt><dd id="knowledge-credited">{origin.creditedTo}</dd></> : null}
            <dt>{t('knowledge.usage')}</dt>
            <dd id="knowledge-usage">{t('knowledge.usage.counts', { used: entry.used_count, solved: entry.solved_count })}
              {' · '}{t('knowledge.usage.ratings', { helpful: ratings.helpful, notHelpful: ratings.notHelpful })}</dd>
            <dt>{t('knowledge.lastUpdated')}</dt>
            <dd id="knowledge-last-updated">{t('knowledge.updatedBy', { who: entry.updated_by, when: formatDateTime(entry.updated_at, c.var.dates) })} · <a href={href(c, `/p/knowledge/entries/${entry.id}/versions`)} id="knowledge-versions">{t('knowledge.versions.count', { count: entry.version })}</a></dd>
          </dl>
          {block(t(fieldLabel(entry.kind, 'title')), entry.kind === 'kb' ? entry.title : '')}
          {block(t('knowledge.kb.cause'), entry.cause)}
          {block(t(fieldLabel(entry.kind, 'body')), entry.body)}
          {block(t('knowledge.kb.steps'), entry.steps)}
          <FileList c={c} files={files} urlOf={(file) => href(c, `/p/knowledge/entries/${entry.id}/files/${file.id}`)}
            remove={canEdit ? (file) => href(c, `/p/knowledge/entries/${entry.id}/files/${file.id}/delete`) : undefined} />
          {canEdit ? (
            <form method="post" action={href(c, `/p/knowledge/entries/${entry.id}/files`)} enctype="multipart/form-data" class="card stack knowledge-upload-form" id="knowledge-file-upload">
              <FileFields c={c} errors={errors} />
              <div><button type="submit" class="button" id="knowledge-file-upload-save">{t('knowledge.file.upload')}</button></div>
            </form>
          ) : null}
          {c.var.can('timeline.post') ? <ShareForm c={c} entry={entry} errors={errors} /> : null}
        </div>
      </Page>
    ),
  });
}
