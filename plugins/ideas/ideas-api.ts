import { z } from 'zod';
import { DomainError, apiOne, defineApiRoute, href, tenantOf, ticketActor, ticketService } from '../../core/plugin-api.js';
import { acceptProposal } from './accept.js';
import { COMMENT_MAX, commentStore, type Comment } from './comment-store.js';
import { IDEA_STATUSES } from './ideas-db.js';
import { refusedAsHttp, viewerOf } from './ideas-http.js';
import { likeStore } from './like-store.js';
import { PAGE_SIZE, SORTS, TEXT_MAX, TITLE_MAX, proposalStore, type Proposal } from './proposal-store.js';
import { ideasSettings } from './settings.js';
import { statusStore } from './status-store.js';
import { reportPeriod, submittersReport } from './submitters-report.js';
import { VIEW } from './viewer.js';

/**
 * Proposals over the REST API (/api/v1/ideas…), with the pages' stores and rules: anonymity (the submitter is
 * null for colleagues), idempotent likes, managers for status and accept. Another tenant's proposal is 404.
 */
const id = z.number().int().positive();
const idParams = z.object({ id: z.coerce.number().int().positive().max(999_999_999) });
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const ideaSchema = z.object({
  id, ticket_number: z.string(), title: z.string(), description: z.string(), benefit: z.string(), topic: z.string().nullable(),
  status: z.enum(IDEA_STATUSES), decline_reason: z.string().nullable(), duplicate_of: id.nullable(),
  submitter: z.string().nullable().meta({ description: 'null when the submitter is anonymous to the caller' }),
  anonymous: z.boolean(), portal_visible: z.boolean(), likes: z.number().int(), comments: z.number().int(), liked: z.boolean(),
  knowledge_entry_id: id.nullable(), created_at: z.string(), status_at: z.string(),
});
const toIdea = (p: Proposal): z.input<typeof ideaSchema> => ({
  id: p.id, ticket_number: p.number, title: p.title, description: p.description, benefit: p.benefit, topic: p.category, status: p.status,
  decline_reason: p.decline_reason, duplicate_of: p.duplicate_of, submitter: p.submitter, anonymous: p.anonymous === 1, portal_visible: p.portal_visible === 1,
  likes: p.likes_count, comments: p.comments_count, liked: p.liked, knowledge_entry_id: p.kb_entry_id, created_at: p.created_at, status_at: p.status_at,
});
const commentSchema = z.object({
  id, author: z.string(), body: z.string(), created_at: z.string(), edited_at: z.string().nullable(), deleted: z.boolean(), deleted_by: z.string().nullable(),
});
const toComment = (c: Comment): z.input<typeof commentSchema> => ({ id: c.id, author: c.deleted_at ? '' : c.author_label, body: c.body, created_at: c.created_at, edited_at: c.edited_at, deleted: !!c.deleted_at, deleted_by: c.deleted_by });

const listQuery = z.object({
  status: z.enum(IDEA_STATUSES).optional(), topic: z.string().max(120).optional(), q: z.string().max(200).optional(),
  sort: z.enum(SORTS).default('newest'), page: z.coerce.number().int().min(1).max(10_000).default(1),
});
const createBody = z.strictObject({
  title: z.string().max(TITLE_MAX * 2), description: z.string().max(TEXT_MAX * 2), benefit: z.string().max(TEXT_MAX * 2).optional(),
  anonymous: z.boolean().optional(), portal_visible: z.boolean().optional(), topic: z.string().max(120).optional(),
});
const patchBody = z.strictObject({ title: z.string().max(TITLE_MAX * 2).optional(), benefit: z.string().max(TEXT_MAX * 2).optional(), portal_visible: z.boolean().optional() });
const statusBody = z.strictObject({ status: z.enum(IDEA_STATUSES), reason: z.string().max(4000).optional(), duplicateOf: id.nullable().optional() });
const likeOut = apiOne(z.object({ likes: z.number().int(), liked: z.boolean() }));

export const ideasApiRoutes = [
  defineApiRoute({
    method: 'get', path: '/ideas', operationId: 'listIdeas', tag: 'ideas', permission: VIEW,
    summary: `Proposals, ${PAGE_SIZE} a page, filtered by status, topic and text, sorted newest, liked, trending or discussed (plugin ideas)`,
    query: listQuery, status: 200, response: z.object({ data: z.array(ideaSchema), more: z.boolean() }), errors: [403, 404, 422],
    async handle(c, { query }) {
      const board = await proposalStore(c.var.services, tenantOf(c).id).board(await viewerOf(c), query);
      return { data: board.rows.map(toIdea), more: board.more };
    },
  }),
  defineApiRoute({
    method: 'post', path: '/ideas', operationId: 'createIdea', tag: 'ideas', permission: VIEW,
    summary: 'Submit a proposal: a ticket plus the proposal; answers 201 with its Location (plugin ideas)',
    body: createBody, status: 201, response: apiOne(ideaSchema), errors: [403, 404, 415, 422],
    async handle(c, { body }) {
      const tenantId = tenantOf(c).id;
      const settings = await ideasSettings(c.var.services, tenantId);
      const store = proposalStore(c.var.services, tenantId);
      try {
        const made = await store.submit(ticketService(c), ticketActor(c), {
          title: body.title, description: body.description, benefit: body.benefit ?? '', anonymous: body.anonymous ?? false, portal: body.portal_visible ?? false, category: body.topic ?? '',
        }, { groupId: settings.managerGroupId, anonymousLabel: c.var.t('ideas.anonymous') });
        c.header('Location', href(c, `/api/v1/ideas/${made.id}`));
        return { data: toIdea(await store.get(await viewerOf(c), made.id)) };
      } catch (error) {
        refusedAsHttp(c, error);
      }
    },
  }),
  defineApiRoute({
    method: 'get', path: '/ideas/{id}', operationId: 'getIdea', tag: 'ideas', permission: VIEW,
    summary: 'One proposal (plugin ideas)', params: idParams, status: 200, response: apiOne(ideaSchema), errors: [403, 404, 422],
    async handle(c, { params }) {
      try {
        return { data: toIdea(await proposalStore(c.var.services, tenantOf(c).id).get(await viewerOf(c), params.id)) };
      } catch (error) {
        refusedAsHttp(c, error);
      }
    },
  }),
  defineApiRoute({
    method: 'patch', path: '/ideas/{id}', operationId: 'updateIdea', tag: 'ideas', permission: VIEW,
    summary: 'Change title, benefit or portal visibility: the submitter or an idea manager (plugin ideas)',
    params: idParams, body: patchBody, status: 200, response: apiOne(ideaSchema), errors: [403, 404, 415, 422],
    async handle(c, { params, body }) {
      try {
        return { data: toIdea(await proposalStore(c.var.services, tenantOf(c).id).update(await viewerOf(c), params.id, { title: body.title, benefit: body.benefit, portal: body.portal_visible })) };
      } catch (error) {
        refusedAsHttp(c, error);
      }
    },
  }),
  defineApiRoute({
    method: 'post', path: '/ideas/{id}/like', operationId: 'likeIdea', tag: 'ideas', permission: VIEW,
    summary: 'Like a proposal; a repeated like changes nothing (plugin ideas)', params: idParams, status: 200, response: likeOut, errors: [403, 404, 409, 422],
    async handle(c, { params }) {
      try {
        return { data: await likeStore(c.var.services, tenantOf(c).id).like(await viewerOf(c), params.id) };
      } catch (error) {
        refusedAsHttp(c, error);
      }
    },
  }),
  defineApiRoute({
    method: 'delete', path: '/ideas/{id}/like', operationId: 'unlikeIdea', tag: 'ideas', permission: VIEW,
    summary: 'Take one\'s like back (plugin ideas)', params: idParams, status: 200, response: likeOut, errors: [403, 404, 422],
    async handle(c, { params }) {
      try {
        return { data: await likeStore(c.var.services, tenantOf(c).id).unlike(await viewerOf(c), params.id) };
      } catch (error) {
        refusedAsHttp(c, error);
      }
    },
  }),
  defineApiRoute({
    method: 'get', path: '/ideas/{id}/comments', operationId: 'listIdeaComments', tag: 'ideas', permission: VIEW,
    summary: 'The comments, deleted ones as tombstones (plugin ideas)', params: idParams, status: 200, response: z.object({ data: z.array(commentSchema) }), errors: [403, 404, 422],
    async handle(c, { params }) {
      try {
        await proposalStore(c.var.services, tenantOf(c).id).get(await viewerOf(c), params.id);
        return { data: (await commentStore(c.var.services, tenantOf(c).id).list(params.id)).map(toComment) };
      } catch (error) {
        refusedAsHttp(c, error);
      }
    },
  }),
  defineApiRoute({
    method: 'post', path: '/ideas/{id}/comments', operationId: 'createIdeaComment', tag: 'ideas', permission: VIEW,
    summary: 'Comment; colleagues mentioned with @name are notified (plugin ideas)',
    params: idParams, body: z.strictObject({ body: z.string().max(COMMENT_MAX * 2) }), status: 201, response: apiOne(commentSchema), errors: [403, 404, 415, 422],
    async handle(c, { params, body }) {
      try {
        return { data: toComment(await commentStore(c.var.services, tenantOf(c).id).add(await viewerOf(c), params.id, body)) };
      } catch (error) {
        refusedAsHttp(c, error);
      }
    },
  }),
  defineApiRoute({
    method: 'post', path: '/ideas/{id}/status', operationId: 'setIdeaStatus', tag: 'ideas', permission: VIEW,
    summary: 'Idea managers: move the status; declined needs a reason, duplicate the original (its likes and followers move there) (plugin ideas)',
    params: idParams, body: statusBody, status: 200, response: apiOne(ideaSchema), errors: [403, 404, 409, 415, 422],
    async handle(c, { params, body }) {
      try {
        const viewer = await viewerOf(c);
        await statusStore(c.var.services, tenantOf(c).id).change(viewer, params.id, { status: body.status, reason: body.reason ?? '', duplicateOf: body.duplicateOf ?? null });
        return { data: toIdea(await proposalStore(c.var.services, tenantOf(c).id).get(viewer, params.id)) };
      } catch (error) {
        refusedAsHttp(c, error);
      }
    },
  }),
  defineApiRoute({
    method: 'post', path: '/ideas/{id}/accept', operationId: 'acceptIdea', tag: 'ideas', permission: VIEW,
    summary: 'Idea managers: take the proposal into the knowledge base (one entry, also when called twice) and accept it; returns the entry id (plugin ideas)',
    params: idParams, body: z.strictObject({ solutionCommentId: id.nullable().optional() }).optional(), status: 200,
    response: apiOne(z.object({ knowledge_entry_id: id, created: z.boolean() })), errors: [403, 404, 409, 415, 422],
    async handle(c, { params, body }) {
      try {
        const result = await acceptProposal(c.var.services, tenantOf(c).id, await viewerOf(c), params.id, { solutionCommentId: body?.solutionCommentId ?? null });
        return { data: { knowledge_entry_id: result.entryId, created: result.created } };
      } catch (error) {
        refusedAsHttp(c, error);
      }
    },
  }),
  defineApiRoute({
    method: 'get', path: '/reports/idea-submitters', operationId: 'getIdeaSubmittersReport', tag: 'ideas', permission: VIEW,
    summary: 'Idea managers: accepted proposals per submitter in a period (plugin ideas)',
    query: z.object({ from: z.string().regex(DATE).optional(), to: z.string().regex(DATE).optional() }), status: 200,
    response: apiOne(z.object({ from: z.string(), to: z.string(), rows: z.array(z.object({ submitter: z.string(), kind: z.enum(['user', 'person']), accepted: z.number().int(), proposals: z.array(z.object({ id, number: z.string(), title: z.string(), accepted_at: z.string() })) })) })),
    errors: [403, 404, 422],
    async handle(c, { query }) {
      try {
        if (!(await viewerOf(c)).manager) throw new DomainError('forbidden', 'error.forbidden');
        const period = reportPeriod(query, c.var.services.clock(), tenantOf(c).time_zone);
        return { data: { ...period, rows: await submittersReport(c.var.services.db, tenantOf(c).id, period, tenantOf(c).time_zone) } };
      } catch (error) {
        refusedAsHttp(c, error);
      }
    },
  }),
];
