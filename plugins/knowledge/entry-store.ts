import type { Selectable } from 'kysely';
import { z } from 'zod';
import { DomainError, invalidFields, pluginScope, type Services, type TenantScope } from '../../core/plugin-api.js';
import {
  ENTRY_KINDS, ENTRY_LANGUAGES, ENTRY_STATES, VISIBILITIES, type EntryKind, type EntryState, type KnowledgeDB, type KnowledgeEntriesTable,
} from './knowledge-db.js';
import { bumpRevision } from './search/index-revision.js';
import type { KnowledgeSearch } from './search/knowledge-search.js';
import type { Actor } from './topic-store.js';
import { checked, listOf } from './validate.js';

export const TITLE_MAX = 200;
export const TEXT_MAX = 20_000;
export const TAG_MAX = 40;
export const TAGS_MAX = 20;

const ids = (message: string) => z.preprocess(listOf, z.array(z.coerce.number(message).int(message).positive(message)));
const text = z.string().trim().max(TEXT_MAX, 'knowledge.error.textTooLong');
const entrySchema = z.object({
  kind: z.enum(ENTRY_KINDS, 'knowledge.error.choice'),
  language: z.enum(ENTRY_LANGUAGES, 'knowledge.error.choice'),
  title: z.string('knowledge.error.required').trim().min(1, 'knowledge.error.required').max(TITLE_MAX, 'knowledge.error.titleTooLong'),
  body: text.min(1, 'knowledge.error.required'),
  cause: text.default(''),
  steps: text.default(''),
  visibility: z.enum(VISIBILITIES, 'knowledge.error.choice'),
  organisation_ids: ids('knowledge.error.invalid').default([]),
  topic_ids: ids('knowledge.error.invalid').default([]),
  /** Comma-separated in forms, a list in the API. */
  tags: z.preprocess((value) => (typeof value === 'string' ? value.split(',') : listOf(value)), z.array(z.string().trim().max(TAG_MAX, 'knowledge.error.tagTooLong')))
    .transform((tags) => [...new Map(tags.filter(Boolean).map((tag) => [tag.toLowerCase(), tag])).values()])
    .refine((tags) => tags.length <= TAGS_MAX, 'knowledge.error.tooManyTags')
    .default([]),
  translation_of: z.union([z.literal('').transform(() => null), z.null(), z.coerce.number('knowledge.error.invalid').int().positive()]).default(null),
});
export type EntryInput = z.input<typeof entrySchema>;
type EntryData = z.output<typeof entrySchema>;

export type EntryRow = Omit<Selectable<KnowledgeEntriesTable>, 'tenant_id'>;
export interface EntryDetail extends EntryRow {
  topics: Array<{ id: number; name_de: string; name_en: string; archived: number }>;
  tags: string[];
  organisations: Array<{ id: number; name: string }>;
  /** The entries linked as translations (either direction). */
  translations: Array<{ id: number; language: string; title: string }>;
}
export interface EntryVersion { version: number; title: string; body: string; cause: string; steps: string; tags: string[]; saved_at: string; saved_by: string }
export interface EntryFilters { kind?: EntryKind | undefined; topicId?: number | undefined; state?: EntryState | undefined; tag?: string | undefined; offset?: number; limit?: number }

const ENTRY_COLUMNS = [
  'id', 'kind', 'language', 'translation_of', 'title', 'body', 'cause', 'steps', 'visibility', 'state', 'state_at', 'state_by', 'version',
  'created_at', 'created_by', 'updated_at', 'updated_by', 'used_count', 'solved_count',
] as const;

type Scope = TenantScope<KnowledgeDB>;

/**
 * The tenant's FAQ, documentation and KB entries, every query through the tenant scope. Every save
 * that changes the text adds a version (all versions are kept, the current one included), and after
 * each commit the search index hears of the change.
 */
export function entryStore(services: Services, tenantId: number, search: KnowledgeSearch) {
  const scope = pluginScope<KnowledgeDB>(services.db, tenantId);
  const audit = (trx: Parameters<typeof services.audit.record>[1], actor: Actor, action: string, target: string) =>
    services.audit.record({ tenantId, actor: { userId: actor.id, label: actor.label }, action, target }, trx);

  async function row(db: Scope, id: number): Promise<EntryRow> {
    const entry = await db.selectFrom('knowledge_entries').select(ENTRY_COLUMNS).where('id', '=', id).executeTakeFirst();
    if (!entry) throw new DomainError('not_found', 'error.notFound');
    return entry;
  }

  /** References must be the tenant's: topics (an archived one only if already assigned), organisations, the translated entry. */
  async function checkReferences(db: Scope, data: EntryData, self?: { id: number; topicIds: number[] }): Promise<void> {
    const fields: Record<string, string> = {};
    if (data.topic_ids.length) {
      const topics = await db.selectFrom('knowledge_topics').select(['id', 'archived']).where('id', 'in', data.topic_ids).execute();
      const usable = topics.filter((topic) => !topic.archived || self?.topicIds.includes(topic.id));
      if (usable.length !== new Set(data.topic_ids).size) fields.topic_ids = 'knowledge.error.invalid';
    }
    if (data.visibility === 'organisations') {
      if (data.organisation_ids.length === 0) fields.organisation_ids = 'knowledge.error.organisationsRequired';
      else {
        const found = await db.selectFrom('organisations').select('id').where('id', 'in', data.organisation_ids).execute();
        if (found.length !== new Set(data.organisation_ids).size) fields.organisation_ids = 'knowledge.error.invalid';
      }
    }
    if (data.translation_of !== null) {
      const other = await db.selectFrom('knowledge_entries').select(['id', 'language']).where('id', '=', data.translation_of).executeTakeFirst();
      if (!other || other.id === self?.id || other.language === data.language) fields.translation_of = 'knowledge.error.translation';
    }
    if (Object.keys(fields).length) throw invalidFields('error.invalid', fields);
  }

  async function writeLinks(db: Scope, id: number, data: EntryData, replace: boolean): Promise<void> {
    if (replace) {
      await db.deleteFrom('knowledge_entry_topics').where('entry_id', '=', id).execute();
      await db.deleteFrom('knowledge_entry_tags').where('entry_id', '=', id).execute();
      await db.deleteFrom('knowledge_entry_organisations').where('entry_id', '=', id).execute();
    }
    const topics = [...new Set(data.topic_ids)];
    const organisations = data.visibility === 'organisations' ? [...new Set(data.organisation_ids)] : [];
    if (topics.length) await db.insertInto('knowledge_entry_topics', topics.map((topic_id) => ({ entry_id: id, topic_id }))).execute();
    if (data.tags.length) await db.insertInto('knowledge_entry_tags', data.tags.map((tag) => ({ entry_id: id, tag }))).execute();
    if (organisations.length) await db.insertInto('knowledge_entry_organisations', organisations.map((organisation_id) => ({ entry_id: id, organisation_id }))).execute();
  }

  async function addVersion(db: Scope, id: number, version: number, data: Pick<EntryData, 'title' | 'body' | 'cause' | 'steps' | 'tags'>, at: string, by: string) {
    await db.insertInto('knowledge_entry_versions', {
      entry_id: id, version, title: data.title, body: data.body, cause: data.cause, steps: data.steps, tags: JSON.stringify(data.tags), saved_at: at, saved_by: by,
    }).execute();
  }

  async function tagsOf(db: Scope, id: number): Promise<string[]> {
    return (await db.selectFrom('knowledge_entry_tags').select('tag').where('entry_id', '=', id).orderBy('tag').execute()).map((r) => r.tag);
  }

  /** Only KB entries have a cause and steps. */
  function normalise(data: EntryData): EntryData {
    return data.kind === 'kb' ? data : { ...data, cause: '', steps: '' };
  }

  async function save(id: number, input: EntryInput, actor: Actor, audited: string): Promise<EntryRow> {
    const data = normalise(checked(entrySchema, input));
    const now = services.clock().toISOString();
    const saved = await services.db.transaction().execute(async (trx) => {
      const tx = scope.withDb(trx);
      const current = await row(tx, id);
      const topicIds = (await tx.selectFrom('knowledge_entry_topics').select('topic_id').where('entry_id', '=', id).execute()).map((r) => r.topic_id);
      await checkReferences(tx, data, { id, topicIds });
      const oldTags = await tagsOf(tx, id);
      const textChanged = current.title !== data.title || current.body !== data.body || current.cause !== data.cause || current.steps !== data.steps
        || JSON.stringify([...oldTags].sort()) !== JSON.stringify([...data.tags].sort());
      const version = textChanged ? current.version + 1 : current.version;
      await tx.updateTable('knowledge_entries').set({
        kind: data.kind, language: data.language, translation_of: data.translation_of, title: data.title, body: data.body, cause: data.cause,
        steps: data.steps, visibility: data.visibility, version, updated_at: now, updated_by: actor.label,
      }).where('id', '=', id).execute();
      await writeLinks(tx, id, data, true);
      if (textChanged) await addVersion(tx, id, version, data, now, actor.label);
      await audit(trx, actor, audited, `#${id} ${data.title}`);
      await bumpRevision(trx, tenantId, [id]);
      return row(tx, id);
    });
    await search.changed(services, tenantId);
    return saved;
  }

  return {
    get: (id: number) => row(scope, id),

    async detail(id: number): Promise<EntryDetail> {
      const entry = await row(scope, id);
      const [topics, tags, organisations, translations] = await Promise.all([
        scope.selectFrom('knowledge_entry_topics as et').innerJoin('knowledge_topics as t', 't.id', 'et.topic_id')
          .select(['t.id', 't.name_de', 't.name_en', 't.archived']).where('et.entry_id', '=', id).orderBy('t.position').orderBy('t.id').execute(),
        tagsOf(scope, id),
        scope.selectFrom('knowledge_entry_organisations as eo').innerJoin('organisations as o', 'o.id', 'eo.organisation_id')
          .select(['o.id', 'o.name']).where('eo.entry_id', '=', id).orderBy('o.name').execute(),
        scope.selectFrom('knowledge_entries').select(['id', 'language', 'title'])
          .where((eb) => eb.or([eb('translation_of', '=', id), ...(entry.translation_of ? [eb('id', '=', entry.translation_of)] : [])])).execute(),
      ]);
      return { ...entry, topics, tags, organisations, translations };
    },

    /** The list page: newest change first, narrowed by kind, topic, state and tag. */
    async list(filters: EntryFilters = {}): Promise<Array<EntryRow & { tags: string[] }>> {
      let query = scope.selectFrom('knowledge_entries').select(ENTRY_COLUMNS);
      if (filters.kind) query = query.where('kind', '=', filters.kind);
      if (filters.state) query = query.where('state', '=', filters.state);
      if (filters.topicId !== undefined) {
        const topicId = filters.topicId;
        query = query.where('id', 'in', scope.selectFrom('knowledge_entry_topics').select('entry_id').where('topic_id', '=', topicId));
      }
      if (filters.tag) {
        const tag = filters.tag.trim().toLowerCase();
        query = query.where('id', 'in', scope.selectFrom('knowledge_entry_tags').select('entry_id').where((eb) => eb(eb.fn('lower', ['tag']), '=', tag)));
      }
      const rows = await query.orderBy('updated_at', 'desc').orderBy('id', 'desc').limit(filters.limit ?? 50).offset(filters.offset ?? 0).execute();
      const tags = rows.length ? await scope.selectFrom('knowledge_entry_tags').select(['entry_id', 'tag']).where('entry_id', 'in', rows.map((r) => r.id)).orderBy('tag').execute() : [];
      return rows.map((r) => ({ ...r, tags: tags.filter((t) => t.entry_id === r.id).map((t) => t.tag) }));
    },

    /** A new entry, as a draft, with its first version; `originTicketId`: the tenant's ticket it was taken from (kept as its origin). */
    async create(input: EntryInput, actor: Actor, options: { originTicketId?: number | undefined; creditedTo?: string | undefined } = {}): Promise<EntryRow> {
      const data = normalise(checked(entrySchema, input));
      const now = services.clock().toISOString();
      const created = await services.db.transaction().execute(async (trx) => {
        const tx = scope.withDb(trx);
        await checkReferences(tx, data);
        const origin = options.originTicketId === undefined ? undefined
          : await tx.selectFrom('tickets').select(['id', 'number']).where('id', '=', options.originTicketId).where('deleted_at', 'is', null).executeTakeFirst();
        if (options.originTicketId !== undefined && !origin) throw invalidFields('error.invalid', { origin_ticket_id: 'knowledge.error.invalid' });
        const { id } = await tx.insertInto('knowledge_entries', {
          kind: data.kind, language: data.language, translation_of: data.translation_of, title: data.title, body: data.body, cause: data.cause,
          steps: data.steps, visibility: data.visibility, state: 'draft', state_at: now, state_by: actor.label, version: 1,
          created_at: now, created_by: actor.label, updated_at: now, updated_by: actor.label,
        }).returning('id').executeTakeFirstOrThrow();
        await writeLinks(tx, id, data, false);
        if (origin) await tx.insertInto('knowledge_ticket_origins', { entry_id: id, ticket_id: origin.id, ticket_number: origin.number, credited_to: options.creditedTo?.trim().slice(0, 200) || null }).execute();
        await addVersion(tx, id, 1, data, now, actor.label);
        await audit(trx, actor, 'knowledge.entry_created', `#${id} ${data.title}`);
        await bumpRevision(trx, tenantId, [id]);
        return row(tx, id);
      });
      await search.changed(services, tenantId);
      return created;
    },

    update: (id: number, input: EntryInput, actor: Actor) => save(id, input, actor, 'knowledge.entry_updated'),

    /** Draft, published or archived, with who and when. */
    async setState(id: number, state: string, actor: Actor): Promise<EntryRow> {
      const next = checked(z.object({ state: z.enum(ENTRY_STATES, 'knowledge.error.choice') }), { state }).state;
      const now = services.clock().toISOString();
      const saved = await services.db.transaction().execute(async (trx) => {
        const tx = scope.withDb(trx);
        const current = await row(tx, id);
        if (current.state === next) return current;
        await tx.updateTable('knowledge_entries').set({ state: next, state_at: now, state_by: actor.label, updated_at: now, updated_by: actor.label }).where('id', '=', id).execute();
        await audit(trx, actor, 'knowledge.entry_state_changed', `#${id} ${current.state} -> ${next}`);
        await bumpRevision(trx, tenantId, [id]);
        return row(tx, id);
      });
      await search.changed(services, tenantId);
      return saved;
    },

    /** Removes the entry with its versions, links, origin, uses and votes (a translation of it keeps its text, unlinked). */
    async remove(id: number, actor: Actor): Promise<void> {
      await services.db.transaction().execute(async (trx) => {
        const tx = scope.withDb(trx);
        const current = await row(tx, id);
        await tx.deleteFrom('knowledge_entries').where('id', '=', id).execute();
        await audit(trx, actor, 'knowledge.entry_deleted', `#${id} ${current.title}`);
        await bumpRevision(trx, tenantId, [id]);
      });
      await search.changed(services, tenantId);
    },

    /** The portal's ratings of an entry: how many found it helpful, how many not. */
    async ratings(id: number): Promise<{ helpful: number; notHelpful: number }> {
      const rows = await scope.selectFrom('knowledge_votes').select('helpful').where('entry_id', '=', id).execute();
      const helpful = rows.filter((r) => r.helpful === 1).length;
      return { helpful, notHelpful: rows.length - helpful };
    },

    /** Every saved text, newest first. */
    async versions(id: number): Promise<EntryVersion[]> {
      await row(scope, id);
      const rows = await scope.selectFrom('knowledge_entry_versions').select(['version', 'title', 'body', 'cause', 'steps', 'tags', 'saved_at', 'saved_by'])
        .where('entry_id', '=', id).orderBy('version', 'desc').execute();
      return rows.map((r) => ({ ...r, tags: JSON.parse(r.tags) as string[] }));
    },

    /** An old text becomes the newest version (nothing is overwritten). */
    async restore(id: number, version: number, actor: Actor): Promise<EntryRow> {
      const detail = await this.detail(id);
      const old = await scope.selectFrom('knowledge_entry_versions').select(['title', 'body', 'cause', 'steps', 'tags'])
        .where('entry_id', '=', id).where('version', '=', version).executeTakeFirst();
      if (!old) throw new DomainError('not_found', 'error.notFound');
      return save(id, {
        kind: detail.kind, language: detail.language, translation_of: detail.translation_of, visibility: detail.visibility,
        organisation_ids: detail.organisations.map((o) => o.id), topic_ids: detail.topics.map((t) => t.id),
        title: old.title, body: old.body, cause: old.cause, steps: old.steps, tags: JSON.parse(old.tags) as string[],
      }, actor, 'knowledge.entry_restored');
    },
  };
}

export type EntryStore = ReturnType<typeof entryStore>;
