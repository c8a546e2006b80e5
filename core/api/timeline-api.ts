import type { Context } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../http/app-env.js';
import { href, staff } from '../http/guards.js';
import { HttpError } from '../http/http-error.js';
import { deps, staffViewer, timelineHttpError } from '../timeline/timeline-http.js';
import {
  addComment, createPost, deletePost, findPost, listComments, listPosts, postOrganisations, postPatchSchema, setLike, TIMELINE_AUDIENCES,
  TIMELINE_KINDS, TIMELINE_PAGE_SIZE, updatePost, type TimelinePost,
} from '../timeline/timeline-posts.js';
import { one } from './api-schemas.js';
import { defineRoute } from './openapi.js';

const id = z.number().int().positive();
const timestamp = z.iso.datetime();
const postParams = z.object({ id: z.coerce.number().int().positive().max(2_147_483_647).meta({ description: 'the post’s id' }) });

const postSchema = z.object({
  id, kind: z.enum(TIMELINE_KINDS), audience: z.enum(TIMELINE_AUDIENCES),
  group_id: id.nullable().meta({ description: 'the support group of a group post' }),
  organisation_ids: z.array(id).meta({ description: 'the organisations whose customers see an organisations post' }),
  title: z.string(), body: z.string(), link: z.string().nullable(), ticket_id: id.nullable(),
  author_user_id: id.nullable(), author_label: z.string(), pinned: z.boolean(), expires_at: timestamp.nullable(),
  like_count: z.number().int(), comment_count: z.number().int(), liked: z.boolean().meta({ description: 'whether the token’s user likes it' }),
  created_at: timestamp, updated_at: timestamp,
});

const listQuery = z.object({
  before: z.coerce.number().int().positive().max(2_147_483_647).optional().meta({ description: 'continue after this post id (the previous page’s next_before); pinned posts come on the first page only' }),
  limit: z.coerce.number().int().min(1).max(100).default(TIMELINE_PAGE_SIZE),
});

const newPostBody = z.object({
  kind: z.enum(TIMELINE_KINDS).default('announcement'),
  title: z.string().trim().min(1).max(200),
  body: z.string().trim().min(1).max(10_000),
  link: z.string().trim().max(500).optional().meta({ description: 'a path inside the tenant (/desk/tickets/2026-000123) or an http(s) URL' }),
  audience: z.enum(TIMELINE_AUDIENCES).default('everyone').meta({ description: 'group needs group_id, organisations needs organisation_ids' }),
  group_id: id.max(2_147_483_647).optional(),
  organisation_ids: z.array(id.max(2_147_483_647)).max(200).optional(),
  pinned: z.boolean().optional().meta({ description: 'needs the right timeline.manage' }),
  expires_at: timestamp.optional().meta({ description: 'the post disappears from every timeline afterwards' }),
  ticket_id: id.max(2_147_483_647).optional().meta({ description: 'the ticket a shared solution comes from' }),
}).strict();

const patchBody = postPatchSchema.meta({ description: 'the author or a holder of timeline.manage; pinned needs timeline.manage' });
const likeSchema = z.object({ data: z.object({ liked: z.boolean(), like_count: z.number().int() }) });
const commentSchema = z.object({ id, author_label: z.string(), body: z.string(), created_at: timestamp });
const newCommentBody = z.object({ body: z.string().trim().min(1).max(5_000) }).strict();

function toPost(post: TimelinePost, organisations: Map<number, number[]>): z.input<typeof postSchema> {
  return {
    id: post.id, kind: post.kind, audience: post.audience, group_id: post.group_id, organisation_ids: organisations.get(post.id) ?? [],
    title: post.title, body: post.body, link: post.link, ticket_id: post.ticket_id, author_user_id: post.author_user_id, author_label: post.author_label,
    pinned: Boolean(post.pinned), expires_at: post.expires_at, like_count: post.like_count, comment_count: post.comment_count, liked: post.liked,
    created_at: post.created_at, updated_at: post.updated_at,
  };
}

/** One post the token's user sees, with its organisations; 404 for another tenant's or another audience's post. */
async function onePost(c: Context<AppEnv>, postId: number) {
  const post = await findPost(deps(c), await staffViewer(c), postId).catch((error: unknown) => timelineHttpError(c, error));
  return toPost(post, await postOrganisations(deps(c), [post.id]));
}

/** Changing or removing a post is its author's or a holder of timeline.manage's; a post the user cannot see is 404 first. */
async function ownPost(c: Context<AppEnv>, postId: number) {
  const post = await findPost(deps(c), await staffViewer(c), postId).catch((error: unknown) => timelineHttpError(c, error));
  if (!c.var.can('timeline.manage') && post.author_user_id !== staff(c).id) throw new HttpError(403, c.var.t('error.forbidden'));
  return post;
}

/** The timeline for staff over the REST API: the same audiences, likes and comments as /desk/timeline. */
export const timelineApiRoutes = [
  defineRoute({
    method: 'get', path: '/timeline/posts', operationId: 'listTimelinePosts', tag: 'timeline', permission: 'desk.use',
    summary: 'The token user’s timeline: pinned posts first, then newest first; expired posts and other audiences’ are left out',
    query: listQuery, status: 200, errors: [403, 422],
    response: z.object({ data: z.array(postSchema), next_before: id.nullable().meta({ description: 'pass as before for the next page; null at the end' }) }),
    async handle(c, { query }) {
      const page = await listPosts(deps(c), await staffViewer(c), { before: query.before, limit: query.limit });
      const organisations = await postOrganisations(deps(c), page.posts.map((p) => p.id));
      return { data: page.posts.map((post) => toPost(post, organisations)), next_before: page.next ?? null };
    },
  }),

  defineRoute({
    method: 'post', path: '/timeline/posts', operationId: 'createTimelinePost', tag: 'timeline', permission: 'timeline.post',
    summary: 'Post to the timeline for an audience; answers 201 with its Location and tells live pages',
    body: newPostBody, status: 201, response: one(postSchema), errors: [403, 415, 422],
    async handle(c, { body }) {
      if (body.pinned && !c.var.can('timeline.manage')) throw new HttpError(403, c.var.t('error.forbidden'), { pinned: c.var.t('error.forbidden') });
      const user = staff(c);
      const postId = await createPost(deps(c), { userId: user.id, label: user.name }, { ...body, organisation_ids: body.organisation_ids ?? [] })
        .catch((error: unknown) => timelineHttpError(c, error));
      c.header('Location', href(c, `/api/v1/timeline/posts/${postId}`));
      return { data: await onePost(c, postId) };
    },
  }),

  defineRoute({
    method: 'get', path: '/timeline/posts/{id}', operationId: 'getTimelinePost', tag: 'timeline', permission: 'desk.use',
    summary: 'One post the token’s user may see',
    params: postParams, status: 200, response: one(postSchema), errors: [403, 404, 422],
    async handle(c, { params }) {
      return { data: await onePost(c, params.id) };
    },
  }),

  defineRoute({
    method: 'patch', path: '/timeline/posts/{id}', operationId: 'updateTimelinePost', tag: 'timeline', permission: 'timeline.post',
    summary: 'Change a post’s title, text, pin or expiry (its author, or timeline.manage; pinning needs timeline.manage)',
    params: postParams, body: patchBody, status: 200, response: one(postSchema), errors: [403, 404, 415, 422],
    async handle(c, { params, body }) {
      await ownPost(c, params.id);
      if (body.pinned !== undefined && !c.var.can('timeline.manage')) throw new HttpError(403, c.var.t('error.forbidden'), { pinned: c.var.t('error.forbidden') });
      await updatePost(deps(c), params.id, body).catch((error: unknown) => timelineHttpError(c, error));
      return { data: await onePost(c, params.id) };
    },
  }),

  defineRoute({
    method: 'delete', path: '/timeline/posts/{id}', operationId: 'deleteTimelinePost', tag: 'timeline', permission: 'timeline.post',
    summary: 'Remove a post with its likes and comments (its author, or timeline.manage)',
    params: postParams, status: 204, response: z.unknown(), errors: [403, 404, 422],
    async handle(c, { params }) {
      await ownPost(c, params.id);
      await deletePost(deps(c), params.id).catch((error: unknown) => timelineHttpError(c, error));
      return undefined;
    },
  }),

  ...([true, false] as const).map((on) => defineRoute({
    method: on ? 'post' : 'delete', path: '/timeline/posts/{id}/like', operationId: on ? 'likeTimelinePost' : 'unlikeTimelinePost', tag: 'timeline', permission: 'desk.use',
    summary: on ? 'Like a post (once per person; liking again changes nothing)' : 'Take back a like (idempotent)',
    params: postParams, status: 200, response: likeSchema, errors: [403, 404, 422],
    async handle(c, { params }) {
      const result = await setLike(deps(c), await staffViewer(c), params.id, on).catch((error: unknown) => timelineHttpError(c, error));
      return { data: { liked: result.liked, like_count: result.likes } };
    },
  })),

  defineRoute({
    method: 'get', path: '/timeline/posts/{id}/comments', operationId: 'listTimelineComments', tag: 'timeline', permission: 'desk.use',
    summary: 'A post’s comments, oldest first (at most 500)',
    params: postParams, status: 200, response: z.object({ data: z.array(commentSchema) }), errors: [403, 404, 422],
    async handle(c, { params }) {
      const comments = await listComments(deps(c), await staffViewer(c), params.id).catch((error: unknown) => timelineHttpError(c, error));
      return { data: comments };
    },
  }),

  defineRoute({
    method: 'post', path: '/timeline/posts/{id}/comments', operationId: 'addTimelineComment', tag: 'timeline', permission: 'desk.use',
    summary: 'Comment on a post; answers 201',
    params: postParams, body: newCommentBody, status: 201, response: one(commentSchema), errors: [403, 404, 415, 422],
    async handle(c, { params, body }) {
      const viewer = await staffViewer(c);
      const commentId = await addComment(deps(c), viewer, staff(c).name, params.id, body).catch((error: unknown) => timelineHttpError(c, error));
      const comment = await deps(c).scope.selectFrom('timeline_comments').select(['id', 'author_label', 'body', 'created_at']).where('id', '=', commentId).executeTakeFirstOrThrow();
      return { data: comment };
    },
  }),
];
