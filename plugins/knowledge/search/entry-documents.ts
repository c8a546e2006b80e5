import { pluginScope, type Services } from '../../../core/plugin-api.js';
import type { EntryKind, EntryLanguage, EntryState, KnowledgeDB, Visibility } from '../knowledge-db.js';
import type { Viewer } from './visibility.js';

/** An entry as the search indexes it: its texts, and what filters and visibility need. */
export interface EntryDocument {
  id: number;
  kind: EntryKind;
  language: EntryLanguage;
  state: EntryState;
  visibility: Visibility;
  title: string;
  body: string;
  tags: string[];
  /** The files' names, tags and extracted text (PDF, Word): searched with a lower boost than the body. */
  files: string;
  topicIds: number[];
  organisationIds: number[];
  updatedAt: string;
}

function group<T extends { entry_id: number }, V>(rows: T[], value: (row: T) => V): Map<number, V[]> {
  const map = new Map<number, V[]>();
  for (const row of rows) {
    const list = map.get(row.entry_id);
    if (list) list.push(value(row));
    else map.set(row.entry_id, [value(row)]);
  }
  return map;
}

/** The tenant's entries as documents: all of them, or those with the given ids (missing ids are gone). */
export async function loadEntryDocuments(services: Services, tenantId: number, ids?: readonly number[]): Promise<EntryDocument[]> {
  if (ids && ids.length === 0) return [];
  const scope = pluginScope<KnowledgeDB>(services.db, tenantId);
  let entries = scope.selectFrom('knowledge_entries')
    .select(['id', 'kind', 'language', 'state', 'visibility', 'title', 'body', 'cause', 'steps', 'updated_at']);
  let topics = scope.selectFrom('knowledge_entry_topics').select(['entry_id', 'topic_id']);
  let tags = scope.selectFrom('knowledge_entry_tags').select(['entry_id', 'tag']);
  let organisations = scope.selectFrom('knowledge_entry_organisations').select(['entry_id', 'organisation_id']);
  let files = scope.selectFrom('knowledge_files').select(['entry_id', 'filename', 'tags', 'text']);
  if (ids) {
    files = files.where('entry_id', 'in', ids);
    entries = entries.where('id', 'in', ids);
    topics = topics.where('entry_id', 'in', ids);
    tags = tags.where('entry_id', 'in', ids);
    organisations = organisations.where('entry_id', 'in', ids);
  }
  const [entryRows, topicRows, tagRows, organisationRows, fileRows] = await Promise.all([entries.execute(), topics.execute(), tags.execute(), organisations.execute(), files.execute()]);
  const filesOf = group(fileRows, (row) => [row.filename.replace(/\.[a-z0-9]+$/i, ''), (JSON.parse(row.tags) as string[]).join(' '), row.text].join('\n'));
  const topicsOf = group(topicRows, (row) => row.topic_id);
  const tagsOf = group(tagRows, (row) => row.tag);
  const organisationsOf = group(organisationRows, (row) => row.organisation_id);
  return entryRows.map((row) => ({
    id: row.id,
    kind: row.kind,
    language: row.language,
    state: row.state,
    visibility: row.visibility,
    title: row.title,
    body: [row.body, row.cause, row.steps].filter(Boolean).join('\n\n'),
    tags: tagsOf.get(row.id) ?? [],
    files: (filesOf.get(row.id) ?? []).join('\n\n'),
    topicIds: topicsOf.get(row.id) ?? [],
    organisationIds: organisationsOf.get(row.id) ?? [],
    updatedAt: row.updated_at,
  }));
}

/** A hit's texts and what decides who sees it, as the database says now. */
export interface HitRow { id: number; kind: EntryKind; language: EntryLanguage; state: EntryState; visibility: Visibility; title: string; body: string; updatedAt: string; organisationIds: number[] }

/**
 * The rows of a page of hits in one read (the named organisations only in a second one, and only when a
 * customer looks at an entry for named organisations: staff see everything, anyone else none of those).
 */
export async function loadHitRows(services: Services, tenantId: number, ids: readonly number[], viewer: Viewer): Promise<HitRow[]> {
  if (ids.length === 0) return [];
  const scope = pluginScope<KnowledgeDB>(services.db, tenantId);
  const rows = await scope.selectFrom('knowledge_entries')
    .select(['id', 'kind', 'language', 'state', 'visibility', 'title', 'body', 'cause', 'steps', 'updated_at']).where('id', 'in', ids).execute();
  const named = viewer.kind === 'customer' ? rows.filter((row) => row.visibility === 'organisations').map((row) => row.id) : [];
  const organisationsOf = named.length
    ? group(await scope.selectFrom('knowledge_entry_organisations').select(['entry_id', 'organisation_id']).where('entry_id', 'in', named).execute(), (row) => row.organisation_id)
    : new Map<number, number[]>();
  return rows.map((row) => ({
    id: row.id, kind: row.kind, language: row.language, state: row.state, visibility: row.visibility, title: row.title,
    body: [row.body, row.cause, row.steps].filter(Boolean).join('\n\n'), updatedAt: row.updated_at, organisationIds: organisationsOf.get(row.id) ?? [],
  }));
}
