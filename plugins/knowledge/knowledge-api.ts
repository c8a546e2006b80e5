import type { Context } from 'hono';
import { z } from 'zod';
import { HttpError, apiOne, apiPageOf, defineApiRoute, href, tenantOf, ticketService, type AppEnv } from '../../core/plugin-api.js';
import { actorOf } from './actor.js';
import { FILES_PER_UPLOAD, FILE_MAX_BYTES, FILE_TAGS_MAX, FILE_TAG_MAX, entryFiles, type EntryFile } from './entry-files.js';
import { fileResponse } from './file-views.js';
import { FILE_TEXT_STATES } from './knowledge-db.js';
import { TAGS_MAX, TAG_MAX, TEXT_MAX, TITLE_MAX, entryStore, type EntryDetail, type EntryInput } from './entry-store.js';
import { ENTRY_KINDS, ENTRY_LANGUAGES, ENTRY_STATES, VISIBILITIES } from './knowledge-db.js';
import type { KnowledgeSearch } from './search/knowledge-search.js';
import { segmentsToHtml } from './search/highlight.js';
import { STAFF } from './search/visibility.js';
import { ticketKnowledge } from './ticket-knowledge.js';
import { TOPIC_NAME_MAX, TopicInUseError, topicStore, type Topic } from './topic-store.js';

/**
 * Topics and entries over the REST API (/api/v1/topics, /api/v1/knowledge/…): the same stores, checks,
 * versions, files and search as the agents' pages, for staff tokens (the search sees what staff see).
 */
const VIEW = 'knowledge.view';
const EDIT = 'knowledge.edit';
const TOPICS = 'knowledge.topics';
const TAG = 'knowledge';

const id = z.number().int().positive();
const idParams = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });
const queryId = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

const topicSchema = z.object({ id, parent_id: id.nullable(), name_de: z.string(), name_en: z.string(), position: z.number().int(), archived: z.boolean() });
const topicBody = z.strictObject({
  name_de: z.string().max(TOPIC_NAME_MAX), name_en: z.string().max(TOPIC_NAME_MAX), position: z.number().int().min(0).max(9999).default(0),
  parent_id: id.nullable().optional().meta({ description: 'a topic without a parent (one level of nesting)' }), archived: z.boolean().optional(),
});
const topicPatch = topicBody.partial().refine((patch) => Object.keys(patch).length > 0, { message: 'validation.required' });

const fileSchema = z.object({
  id, filename: z.string(), mime_type: z.string(), size: z.number().int(), tags: z.array(z.string()),
  text_status: z.enum(FILE_TEXT_STATES).meta({ description: 'none: nothing to extract; pending: the job will read its text; done; failed: unreadable (still served)' }),
  created_at: z.string(), created_by: z.string(), download_url: z.string(),
});
const fileParams = z.object({ id: idParams.shape.id, file: idParams.shape.id });
const fileBody = z.object({ file_tags: z.string().max(FILE_TAGS_MAX * (FILE_TAG_MAX + 2)).optional().meta({ description: `comma-separated tags for the uploaded files (at most ${FILE_TAGS_MAX} of ${FILE_TAG_MAX} characters)` }) });

const entrySchema = z.object({
  id, kind: z.enum(ENTRY_KINDS), language: z.enum(ENTRY_LANGUAGES), translation_of: id.nullable(), title: z.string(), body: z.string(), cause: z.string(), steps: z.string(),
  visibility: z.enum(VISIBILITIES), organisation_ids: z.array(id), topic_ids: z.array(id), tags: z.array(z.string()), state: z.enum(ENTRY_STATES),
  state_at: z.string(), state_by: z.string(), version: z.number().int(), used_count: z.number().int(), solved_count: z.number().int(),
  created_at: z.string(), created_by: z.string(), updated_at: z.string(), updated_by: z.string(), files: z.array(fileSchema),
});
const entryFields = {
  kind: z.enum(ENTRY_KINDS), language: z.enum(ENTRY_LANGUAGES), title: z.string().max(TITLE_MAX), body: z.string().max(TEXT_MAX),
  cause: z.string().max(TEXT_MAX).optional().meta({ description: 'KB entries only' }), steps: z.string().max(TEXT_MAX).optional().meta({ description: 'KB entries only' }),
  visibility: z.enum(VISIBILITIES), organisation_ids: z.array(id).max(200).optional().meta({ description: 'required for visibility "organisations"' }),
  topic_ids: z.array(id).max(50).optional(), tags: z.array(z.string().max(TAG_MAX)).max(TAGS_MAX).optional(), translation_of: id.nullable().optional(),
};
const entryBody = z.strictObject(entryFields);
const entryPatch = z.strictObject({ ...entryFields, state: z.enum(ENTRY_STATES) }).partial()
  .refine((patch) => Object.keys(patch).length > 0, { message: 'validation.required' });
const versionSchema = z.object({ version: z.number().int(), title: z.string(), body: z.string(), cause: z.string(), steps: z.string(), tags: z.array(z.string()), saved_at: z.string(), saved_by: z.string() });
const hitSchema = z.object({ id, kind: z.enum(ENTRY_KINDS), state: z.enum(ENTRY_STATES), visibility: z.enum(VISIBILITIES), title_html: z.string(), snippet_html: z.string(), score: z.number(), updated_at: z.string() });

const listQuery = z.object({
  kind: z.enum(ENTRY_KINDS).optional(), topic: queryId.optional(), state: z.enum(ENTRY_STATES).optional(), tag: z.string().max(TAG_MAX).optional(),
  q: z.string().trim().max(200).optional().meta({ description: 'search words (the knowledge search: ranked, umlauts and compounds); without it, newest change first' }),
  page: z.coerce.number().int().min(1).max(100_000).default(1), per_page: z.coerce.number().int().min(1).max(50).default(25),
});
const searchQuery = z.object({ q: z.string().trim().min(1).max(200), kind: z.enum(ENTRY_KINDS).optional(), topic: queryId.optional(), tag: z.string().max(TAG_MAX).optional() });

const topics = (c: Context<AppEnv>) => topicStore(c.var.services, tenantOf(c).id);
const toTopic = (topic: Topic) => ({ id: topic.id, parent_id: topic.parent_id, name_de: topic.name_de, name_en: topic.name_en, position: topic.position, archived: Boolean(topic.archived) });
const toFile = (c: Context<AppEnv>, file: EntryFile): z.input<typeof fileSchema> => ({
  id: file.id, filename: file.filename, mime_type: file.mime_type, size: file.size, tags: file.tags, text_status: file.text_status,
  created_at: file.created_at, created_by: file.created_by, download_url: href(c, `/api/v1/knowledge/entries/${file.entry_id}/files/${file.id}`),
});
const toEntry = (entry: EntryDetail & { files: z.input<typeof fileSchema>[] }): z.input<typeof entrySchema> => ({
  id: entry.id, kind: entry.kind, language: entry.language, translation_of: entry.translation_of, title: entry.title, body: entry.body, cause: entry.cause,
  steps: entry.steps, visibility: entry.visibility, organisation_ids: entry.organisations.map((o) => o.id), topic_ids: entry.topics.map((t) => t.id), tags: entry.tags,
  state: entry.state, state_at: entry.state_at, state_by: entry.state_by, version: entry.version, used_count: entry.used_count, solved_count: entry.solved_count,
  created_at: entry.created_at, created_by: entry.created_by, updated_at: entry.updated_at, updated_by: entry.updated_by, files: entry.files,
});
const inputOf = (body: Partial<z.output<typeof entryBody>>, current?: EntryDetail): EntryInput => ({
  kind: body.kind ?? current?.kind, language: body.language ?? current?.language, title: body.title ?? current?.title, body: body.body ?? current?.body,
  cause: body.cause ?? current?.cause ?? '', steps: body.steps ?? current?.steps ?? '', visibility: body.visibility ?? current?.visibility,
  organisation_ids: body.organisation_ids ?? current?.organisations.map((o) => o.id) ?? [], topic_ids: body.topic_ids ?? current?.topics.map((t) => t.id) ?? [],
  tags: body.tags ?? current?.tags ?? [], translation_of: body.translation_of === undefined ? current?.translation_of ?? null : body.translation_of,
} as EntryInput);
const topicInput = (body: Partial<z.output<typeof topicBody>>, current?: Topic) => ({
  name_de: body.name_de ?? current?.name_de, name_en: body.name_en ?? current?.name_en, position: body.position ?? current?.position ?? 0,
  parent_id: body.parent_id === undefined ? current?.parent_id ?? null : body.parent_id, archived: body.archived ?? Boolean(current?.archived),
}) as Parameters<ReturnType<typeof topicStore>['create']>[0];

export function knowledgeApiRoutes(search: KnowledgeSearch) {
  const entries = (c: Context<AppEnv>) => {
    const store = entryStore(c.var.services, tenantOf(c).id, search);
    const files = entryFiles(c.var.services, tenantOf(c).id, search);
    // An entry as the API shows it: with its files (each with its download URL).
    return {
      ...store,
      detail: async (entryId: number) => {
        const entry = await store.detail(entryId);
        return { ...entry, files: (await files.list(entryId)).map((file) => toFile(c, file)) };
      },
    };
  };
  const files = (c: Context<AppEnv>) => entryFiles(c.var.services, tenantOf(c).id, search);
  return [
    defineApiRoute({
      method: 'get', path: '/topics', operationId: 'listKnowledgeTopics', tag: TAG, permission: VIEW, summary: 'The knowledge topics, in their order (plugin knowledge)',
      status: 200, response: apiOne(z.array(topicSchema)), errors: [403, 404],
      async handle(c) { return { data: (await topics(c).list()).map(toTopic) }; },
    }),
    defineApiRoute({
      method: 'post', path: '/topics', operationId: 'createKnowledgeTopic', tag: TAG, permission: TOPICS, summary: 'Create a knowledge topic (plugin knowledge)',
      body: topicBody, status: 201, response: apiOne(topicSchema), errors: [403, 404, 415, 422],
      async handle(c, { body }) {
        const topic = await topics(c).create(topicInput(body), actorOf(c));
        c.header('Location', href(c, `/api/v1/topics/${topic.id}`));
        return { data: toTopic(topic) };
      },
    }),
    defineApiRoute({
      method: 'get', path: '/topics/{id}', operationId: 'getKnowledgeTopic', tag: TAG, permission: VIEW, summary: 'One knowledge topic (plugin knowledge)',
      params: idParams, status: 200, response: apiOne(topicSchema), errors: [403, 404, 422],
      async handle(c, { params }) { return { data: toTopic(await topics(c).get(params.id)) }; },
    }),
    defineApiRoute({
      method: 'patch', path: '/topics/{id}', operationId: 'updateKnowledgeTopic', tag: TAG, permission: TOPICS, summary: 'Rename, move or archive a topic; assignments stay (plugin knowledge)',
      params: idParams, body: topicPatch, status: 200, response: apiOne(topicSchema), errors: [403, 404, 415, 422],
      async handle(c, { params, body }) {
        const current = await topics(c).get(params.id);
        return { data: toTopic(await topics(c).update(params.id, topicInput(body, current), actorOf(c))) };
      },
    }),
    defineApiRoute({
      method: 'delete', path: '/topics/{id}', operationId: 'deleteKnowledgeTopic', tag: TAG, permission: TOPICS,
      summary: 'Delete a topic no entry uses and without sub-topics (409 with the count of its uses otherwise: archive it instead) (plugin knowledge)',
      params: idParams, status: 204, response: z.null(), errors: [403, 404, 409, 422],
      async handle(c, { params }) {
        try {
          await topics(c).remove(params.id, actorOf(c));
        } catch (error) {
          if (error instanceof TopicInUseError) throw new HttpError(409, c.var.t('knowledge.topic.inUse', { count: error.uses }));
          throw error;
        }
        return null;
      },
    }),
    defineApiRoute({
      method: 'get', path: '/knowledge/entries', operationId: 'listKnowledgeEntries', tag: TAG, permission: VIEW,
      summary: 'FAQ, documentation and KB entries, filtered by kind, topic, state and tag, or found by `q` (plugin knowledge)',
      query: listQuery, status: 200, response: apiPageOf(entrySchema), errors: [403, 404, 422],
      async handle(c, { query }) {
        const filters = { kind: query.kind, topicId: query.topic, state: query.state, tag: query.tag };
        const store = entries(c);
        let ids: number[];
        let total: number;
        if (query.q) {
          const found = await search.search(c.var.services, tenantOf(c).id, { q: query.q, viewer: STAFF, ...filters, limit: 50 });
          const ranked = found.groups.flatMap((group) => group.hits).sort((a, b) => b.score - a.score);
          ids = ranked.slice((query.page - 1) * query.per_page, query.page * query.per_page).map((hit) => hit.id);
          total = ranked.length;
        } else {
          ids = (await store.list({ ...filters, offset: (query.page - 1) * query.per_page, limit: query.per_page })).map((row) => row.id);
          total = (query.page - 1) * query.per_page + ids.length;
        }
        const data = await Promise.all(ids.map(async (entryId) => toEntry(await store.detail(entryId))));
        return { data, page: query.page, per_page: query.per_page, total };
      },
    }),
    defineApiRoute({
      method: 'post', path: '/knowledge/entries', operationId: 'createKnowledgeEntry', tag: TAG, permission: EDIT, summary: 'Create an entry, as a draft with its first version (plugin knowledge)',
      body: entryBody, status: 201, response: apiOne(entrySchema), errors: [403, 404, 415, 422],
      async handle(c, { body }) {
        const created = await entries(c).create(inputOf(body), actorOf(c));
        c.header('Location', href(c, `/api/v1/knowledge/entries/${created.id}`));
        return { data: toEntry(await entries(c).detail(created.id)) };
      },
    }),
    defineApiRoute({
      method: 'get', path: '/knowledge/entries/{id}', operationId: 'getKnowledgeEntry', tag: TAG, permission: VIEW, summary: 'One entry (plugin knowledge)',
      params: idParams, status: 200, response: apiOne(entrySchema), errors: [403, 404, 422],
      async handle(c, { params }) { return { data: toEntry(await entries(c).detail(params.id)) }; },
    }),
    defineApiRoute({
      method: 'patch', path: '/knowledge/entries/{id}', operationId: 'updateKnowledgeEntry', tag: TAG, permission: EDIT,
      summary: 'Change an entry (a changed text adds a version) and/or its state (plugin knowledge)',
      params: idParams, body: entryPatch, status: 200, response: apiOne(entrySchema), errors: [403, 404, 415, 422],
      async handle(c, { params, body }) {
        const { state, ...changes } = body;
        const store = entries(c);
        if (Object.keys(changes).length) await store.update(params.id, inputOf(changes, await store.detail(params.id)), actorOf(c));
        if (state) await store.setState(params.id, state, actorOf(c));
        return { data: toEntry(await store.detail(params.id)) };
      },
    }),
    defineApiRoute({
      method: 'delete', path: '/knowledge/entries/{id}', operationId: 'deleteKnowledgeEntry', tag: TAG, permission: EDIT,
      summary: 'Delete an entry with its versions, files, votes and ticket links (plugin knowledge)', params: idParams, status: 204, response: z.null(), errors: [403, 404, 422],
      async handle(c, { params }) {
        await entries(c).remove(params.id, actorOf(c));
        return null;
      },
    }),
    defineApiRoute({
      method: 'post', path: '/knowledge/entries/{id}/files', operationId: 'addKnowledgeEntryFiles', tag: TAG, permission: EDIT,
      summary: 'Add files to an entry, as multipart/form-data; PDF and Word files get their text read by a job and become searchable (plugin knowledge)',
      params: idParams, body: fileBody, multipart: {
        files: 'files',
        description: `up to ${FILES_PER_UPLOAD} files of ${FILE_MAX_BYTES / 1024 / 1024} MB each (30 per entry): PDF, images, videos, office, text and archive files; 422 on "files" otherwise`,
      },
      status: 201, response: apiOne(z.array(fileSchema)), errors: [403, 404, 413, 415, 422],
      async handle(c, { params, body, files: uploaded }) {
        const added = await files(c).add(params.id, uploaded, body.file_tags ?? '', actorOf(c));
        return { data: added.map((file) => toFile(c, file)) };
      },
    }),
    defineApiRoute({
      method: 'get', path: '/knowledge/entries/{id}/files/{file}', operationId: 'downloadKnowledgeEntryFile', tag: TAG, permission: VIEW,
      summary: 'A file’s bytes (raster images, videos and PDFs inline, anything else as a download; X-Content-Type-Options: nosniff) (plugin knowledge)',
      params: fileParams, status: 200, response: z.unknown(), download: true, errors: [403, 404, 422],
      handle: (c, { params }) => fileResponse(c, files(c), params.id, params.file),
    }),
    defineApiRoute({
      method: 'delete', path: '/knowledge/entries/{id}/files/{file}', operationId: 'deleteKnowledgeEntryFile', tag: TAG, permission: EDIT,
      summary: 'Remove a file from an entry (plugin knowledge)', params: fileParams, status: 204, response: z.null(), errors: [403, 404, 422],
      async handle(c, { params }) {
        await files(c).remove(params.id, params.file, actorOf(c));
        return null;
      },
    }),
    defineApiRoute({
      method: 'get', path: '/knowledge/entries/{id}/versions', operationId: 'listKnowledgeEntryVersions', tag: TAG, permission: VIEW, summary: 'Every saved text of an entry, newest first (plugin knowledge)',
      params: idParams, status: 200, response: apiOne(z.array(versionSchema)), errors: [403, 404, 422],
      async handle(c, { params }) { return { data: await entries(c).versions(params.id) }; },
    }),
    defineApiRoute({
      method: 'get', path: '/knowledge/search', operationId: 'searchKnowledge', tag: TAG, permission: VIEW,
      summary: 'The knowledge search: hits grouped by kind, best first, with the matches marked in escaped HTML (plugin knowledge)',
      query: searchQuery, status: 200, response: apiOne(z.object({ total: z.number().int(), hits: z.array(hitSchema) })), errors: [403, 404, 422],
      async handle(c, { query }) {
        const found = await search.search(c.var.services, tenantOf(c).id, { q: query.q, viewer: STAFF, kind: query.kind, topicId: query.topic, tag: query.tag, limit: 20 });
        const hits = found.groups.flatMap((group) => group.hits).map((hit) => ({
          id: hit.id, kind: hit.kind, state: hit.state, visibility: hit.visibility, title_html: segmentsToHtml(hit.title), snippet_html: segmentsToHtml(hit.snippet), score: hit.score, updated_at: hit.updatedAt,
        }));
        return { data: { total: found.total, hits } };
      },
    }),
    defineApiRoute({
      method: 'post', path: '/tickets/{number}/knowledge-entry', operationId: 'createKnowledgeEntryFromTicket', tag: TAG, permission: EDIT,
      summary: 'A KB draft from a solved ticket (its subject, first customer message and solving reply), linked to it as its origin (plugin knowledge)',
      params: z.object({ number: z.string().max(40).meta({ description: 'ticket number, e.g. 2026-000123' }) }), status: 201, response: apiOne(entrySchema), errors: [403, 404, 422],
      async handle(c, { params }) {
        const ticket = await ticketService(c).get(params.number);
        const draft = await ticketKnowledge(c.var.services, tenantOf(c).id).draft(ticket.id);
        const created = await entries(c).create({
          kind: 'kb', language: c.var.locale, title: draft.subject.slice(0, TITLE_MAX), cause: draft.problem.slice(0, TEXT_MAX),
          body: (draft.solution || draft.subject).slice(0, TEXT_MAX), visibility: 'internal',
        }, actorOf(c), { originTicketId: ticket.id });
        c.header('Location', href(c, `/api/v1/knowledge/entries/${created.id}`));
        return { data: toEntry(await entries(c).detail(created.id)) };
      },
    }),
  ];
}
