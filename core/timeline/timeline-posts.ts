import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import { z } from 'zod';
import type { DB, TimelineAudience, TimelineKind } from '../db/schema.js';
import { DomainError } from '../domain-error.js';
import type { EventBus } from '../events/event-bus.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';

export const TIMELINE_KINDS = ['announcement', 'solution', 'idea_status', 'system'] as const satisfies readonly TimelineKind[];
export const TIMELINE_AUDIENCES = ['everyone', 'staff', 'group', 'organisations'] as const satisfies readonly TimelineAudience[];
export const TIMELINE_PAGE_SIZE = 20;
/** The live channel's event: it names no post and carries no text, so a reader who may not see a post learns nothing from it. */
export const TIMELINE_EVENT = 'timeline';

/** Who reads: staff (their groups decide group posts) or a portal user (their organisation decides customer posts). */
export type TimelineViewer =
  | { kind: 'staff'; userId: number; groupIds: readonly number[] }
  | { kind: 'customer'; personId: number; organisationId: number | null };

/** The like and seen key of a reader: one per person, staff and portal users apart. */
export const readerKey = (viewer: TimelineViewer) => (viewer.kind === 'staff' ? `u${viewer.userId}` : `p${viewer.personId}`);

const optionalText = (max: number) => z.preprocess((v) => (v === '' || v === null ? undefined : v), z.string().trim().max(max).optional());
const link = z.preprocess((v) => (v === '' || v === null ? undefined : v), z.string().trim().max(500)
  .refine((v) => v.startsWith('/') ? !v.startsWith('//') : /^https?:\/\//i.test(v), 'validation.format').optional());

/** A new post as a form, the API or a plugin sends it. */
export const postInputSchema = z.object({
  kind: z.enum(TIMELINE_KINDS).default('announcement'),
  title: z.string().trim().min(1).max(200),
  body: z.string().trim().min(1).max(10_000),
  link,
  audience: z.enum(TIMELINE_AUDIENCES).default('everyone'),
  group_id: z.preprocess((v) => (v === '' || v === null ? undefined : v), z.coerce.number().int().positive().max(2_147_483_647).optional()),
  organisation_ids: z.preprocess((v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]),
    z.array(z.coerce.number().int().positive().max(2_147_483_647)).max(200)),
  pinned: z.preprocess((v) => v === 'on' || v === '1' || v === 'true' || v === true, z.boolean()).default(false),
  expires_at: optionalText(40).refine((v) => v === undefined || !Number.isNaN(Date.parse(v)), 'validation.format'),
  ticket_id: z.number().int().positive().optional(),
}).superRefine((value, ctx) => {
  if (value.audience === 'group' && value.group_id === undefined) ctx.addIssue({ code: 'custom', path: ['group_id'], message: 'validation.required' });
  if (value.audience === 'organisations' && value.organisation_ids.length === 0) ctx.addIssue({ code: 'custom', path: ['organisation_ids'], message: 'validation.required' });
});
export type PostInput = z.input<typeof postInputSchema>;
export type ParsedPost = z.output<typeof postInputSchema>;

export const postPatchSchema = z.object({
  title: z.string().trim().min(1).max(200).optional(),
  body: z.string().trim().min(1).max(10_000).optional(),
  pinned: z.boolean().optional(),
  expires_at: z.string().trim().max(40).refine((v) => !Number.isNaN(Date.parse(v)), 'validation.format').nullable().optional(),
}).strict();
export type PostPatch = z.infer<typeof postPatchSchema>;

export const commentSchema = z.object({ body: z.string().trim().min(1).max(5_000) });

export interface TimelineDeps {
  scope: TenantScope;
  now: () => Date;
  events: Pick<EventBus, 'publish'>;
}

export interface Author { userId: number | null; label: string }

const POST_COLUMNS = ['timeline_posts.id', 'kind', 'audience', 'group_id', 'title', 'body', 'link', 'ticket_id', 'author_user_id', 'author_label', 'pinned', 'expires_at', 'like_count', 'comment_count', 'created_at', 'updated_at'] as const;

/** The posts a viewer may see: tenant (the scope), audience, not expired. */
export function visible(deps: TimelineDeps, viewer: TimelineViewer) {
  const now = deps.now().toISOString();
  const orgs = deps.scope.selectFrom('timeline_post_organisations');
  return deps.scope.selectFrom('timeline_posts')
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
    .where((eb: ExpressionBuilder<DB, 'timeline_posts'>) => {
      if (viewer.kind === 'staff') {
        const open = eb('audience', 'in', ['everyone', 'staff', 'organisations']);
        return viewer.groupIds.length
          ? eb.or([open, eb.and([eb('audience', '=', 'group'), eb('group_id', 'in', [...viewer.groupIds])]), eb('author_user_id', '=', viewer.userId)])
          : eb.or([open, eb('author_user_id', '=', viewer.userId)]);
      }
      if (viewer.organisationId === null) return eb('audience', '=', 'everyone');
      return eb.or([
        eb('audience', '=', 'everyone'),
        eb.and([eb('audience', '=', 'organisations'), eb.exists(orgs.select('timeline_post_organisations.post_id')
          .where('timeline_post_organisations.post_id', '=', sql.ref<number>('timeline_posts.id')).where('timeline_post_organisations.organisation_id', '=', viewer.organisationId))]),
      ]);
    });
}

export type TimelinePost = Awaited<ReturnType<typeof listPosts>>['posts'][number];

/** A page of the viewer's timeline: pinned first, then newest first; `before` continues after a post id (unpinned only). */
export async function listPosts(deps: TimelineDeps, viewer: TimelineViewer, options: { before?: number | undefined; limit?: number | undefined } = {}) {
  const limit = Math.min(Math.max(options.limit ?? TIMELINE_PAGE_SIZE, 1), 100);
  let query = visible(deps, viewer).select([...POST_COLUMNS]);
  if (options.before !== undefined) query = query.where('pinned', '=', 0).where('timeline_posts.id', '<', options.before);
  const rows = await query.orderBy('pinned', 'desc').orderBy('timeline_posts.id', 'desc').limit(limit + 1).execute();
  const posts = rows.slice(0, limit);
  const liked = posts.length
    ? new Set((await deps.scope.selectFrom('timeline_likes').select('post_id').where('liker', '=', readerKey(viewer)).where('post_id', 'in', posts.map((p) => p.id)).execute()).map((r) => r.post_id))
    : new Set<number>();
  const last = posts.at(-1);
  return {
    posts: posts.map((p) => ({ ...p, liked: liked.has(p.id) })),
    next: rows.length > limit && last && !last.pinned ? last.id : undefined,
  };
}

/** One post the viewer may see, or a not-found refusal (another tenant's or another audience's post does not exist). */
export async function findPost(deps: TimelineDeps, viewer: TimelineViewer, id: number) {
  const row = await visible(deps, viewer).select([...POST_COLUMNS]).where('timeline_posts.id', '=', id).executeTakeFirst();
  if (!row) throw new DomainError('not_found', 'timeline.notFound');
  const liked = await deps.scope.selectFrom('timeline_likes').select('post_id').where('post_id', '=', id).where('liker', '=', readerKey(viewer)).executeTakeFirst();
  return { ...row, liked: Boolean(liked) };
}

async function checkReferences(scope: TenantScope, input: ParsedPost): Promise<void> {
  if (input.audience === 'group') {
    const group = await scope.selectFrom('support_groups').select('id').where('id', '=', input.group_id!).executeTakeFirst();
    if (!group) throw new DomainError('invalid', 'validation.choice', { group_id: 'validation.choice' });
  }
  if (input.audience === 'organisations') {
    const ids = [...new Set(input.organisation_ids)];
    const found = await scope.selectFrom('organisations').select('id').where('id', 'in', ids).execute();
    if (found.length !== ids.length) throw new DomainError('invalid', 'validation.choice', { organisation_ids: 'validation.choice' });
  }
  if (input.ticket_id !== undefined) {
    const ticket = await scope.selectFrom('tickets').select('id').where('id', '=', input.ticket_id).executeTakeFirst();
    if (!ticket) throw new DomainError('invalid', 'validation.choice', { ticket_id: 'validation.choice' });
  }
}

/** Writes a post (validated input; its references must be the tenant's) and tells live pages. */
export async function createPost(deps: TimelineDeps, author: Author, raw: unknown): Promise<number> {
  const parsed = postInputSchema.safeParse(raw);
  if (!parsed.success) {
    const fields: Record<string, string> = {};
    for (const issue of parsed.error.issues) fields[issue.path.join('.') || '_form'] ??= issue.code === 'custom' ? issue.message : issue.code === 'too_small' ? 'validation.required' : issue.code === 'too_big' ? 'validation.tooLong' : 'validation.format';
    throw new DomainError('invalid', 'validation.invalid', fields);
  }
  const input = parsed.data;
  await checkReferences(deps.scope, input);
  const now = deps.now().toISOString();
  const id = await deps.scope.db.transaction().execute(async (trx) => {
    const scope = deps.scope.withDb(trx as Kysely<DB>);
    const row = await scope.insertInto('timeline_posts', {
      kind: input.kind, audience: input.audience, group_id: input.audience === 'group' ? input.group_id! : null,
      title: input.title, body: input.body, link: input.link ?? null, ticket_id: input.ticket_id ?? null,
      author_user_id: author.userId, author_label: author.label, pinned: input.pinned ? 1 : 0,
      expires_at: input.expires_at ? new Date(input.expires_at).toISOString() : null, created_at: now, updated_at: now,
    }).returning('id').executeTakeFirstOrThrow();
    if (input.audience === 'organisations') {
      await scope.insertInto('timeline_post_organisations', [...new Set(input.organisation_ids)].map((organisation_id) => ({ post_id: row.id, organisation_id }))).execute();
    }
    return row.id;
  });
  deps.events.publish({ tenantId: deps.scope.tenantId, type: TIMELINE_EVENT, data: {} });
  return id;
}

export async function updatePost(deps: TimelineDeps, id: number, patch: PostPatch): Promise<void> {
  const values: Record<string, unknown> = { updated_at: deps.now().toISOString() };
  if (patch.title !== undefined) values.title = patch.title;
  if (patch.body !== undefined) values.body = patch.body;
  if (patch.pinned !== undefined) values.pinned = patch.pinned ? 1 : 0;
  if (patch.expires_at !== undefined) values.expires_at = patch.expires_at === null ? null : new Date(patch.expires_at).toISOString();
  const result = await deps.scope.updateTable('timeline_posts').set(values).where('id', '=', id).executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw new DomainError('not_found', 'timeline.notFound');
  deps.events.publish({ tenantId: deps.scope.tenantId, type: TIMELINE_EVENT, data: {} });
}

export async function deletePost(deps: TimelineDeps, id: number): Promise<void> {
  const result = await deps.scope.deleteFrom('timeline_posts').where('id', '=', id).executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) throw new DomainError('not_found', 'timeline.notFound');
  deps.events.publish({ tenantId: deps.scope.tenantId, type: TIMELINE_EVENT, data: {} });
}

/**
 * Likes (`on`) or unlikes a post the viewer sees; idempotent. The like row and the counter change
 * in one transaction, and the counter moves only when the row did, so it always equals the rows.
 */
export async function setLike(deps: TimelineDeps, viewer: TimelineViewer, id: number, on: boolean): Promise<{ liked: boolean; likes: number }> {
  await findPost(deps, viewer, id);
  const liker = readerKey(viewer);
  const likes = await deps.scope.db.transaction().execute(async (trx) => {
    const scope = deps.scope.withDb(trx as Kysely<DB>);
    let changed: number;
    if (on) {
      const inserted = await scope.insertInto('timeline_likes', { post_id: id, liker, created_at: deps.now().toISOString() })
        .onConflict((oc) => oc.columns(['post_id', 'liker']).doNothing()).executeTakeFirst();
      changed = Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0 ? 1 : 0;
    } else {
      const deleted = await scope.deleteFrom('timeline_likes').where('post_id', '=', id).where('liker', '=', liker).executeTakeFirst();
      changed = Number(deleted.numDeletedRows) > 0 ? -1 : 0;
    }
    if (changed !== 0) await scope.updateTable('timeline_posts').set({ like_count: sql`like_count + ${changed}` }).where('id', '=', id).execute();
    const row = await scope.selectFrom('timeline_posts').select('like_count').where('id', '=', id).executeTakeFirstOrThrow();
    return row.like_count;
  });
  deps.events.publish({ tenantId: deps.scope.tenantId, type: TIMELINE_EVENT, data: {} });
  return { liked: on, likes };
}

export async function listComments(deps: TimelineDeps, viewer: TimelineViewer, id: number) {
  await findPost(deps, viewer, id);
  return deps.scope.selectFrom('timeline_comments').select(['id', 'author_label', 'body', 'created_at']).where('post_id', '=', id).orderBy('id').limit(500).execute();
}

export async function addComment(deps: TimelineDeps, viewer: TimelineViewer, label: string, id: number, raw: unknown): Promise<number> {
  await findPost(deps, viewer, id);
  const parsed = commentSchema.safeParse(raw);
  if (!parsed.success) throw new DomainError('invalid', 'validation.invalid', { body: parsed.error.issues[0]?.code === 'too_big' ? 'validation.tooLong' : 'validation.required' });
  const commentId = await deps.scope.db.transaction().execute(async (trx) => {
    const scope = deps.scope.withDb(trx as Kysely<DB>);
    const row = await scope.insertInto('timeline_comments', { post_id: id, author: readerKey(viewer), author_label: label, body: parsed.data.body, created_at: deps.now().toISOString() })
      .returning('id').executeTakeFirstOrThrow();
    await scope.updateTable('timeline_posts').set({ comment_count: sql`comment_count + 1` }).where('id', '=', id).execute();
    return row.id;
  });
  deps.events.publish({ tenantId: deps.scope.tenantId, type: TIMELINE_EVENT, data: {} });
  return commentId;
}

/** The unread badge: visible posts newer than the reader's last-seen marker, counted up to 100 (shown as 99+). */
export async function unreadCount(deps: TimelineDeps, viewer: TimelineViewer): Promise<number> {
  const seen = await deps.scope.selectFrom('timeline_seen').select('last_seen_post_id').where('reader', '=', readerKey(viewer)).executeTakeFirst();
  const rows = await visible(deps, viewer).select('timeline_posts.id').where('timeline_posts.id', '>', seen?.last_seen_post_id ?? 0).limit(100).execute();
  return rows.length;
}

/** Moves the reader's marker to the newest post they see now. */
export async function markSeen(deps: TimelineDeps, viewer: TimelineViewer): Promise<void> {
  const newest = await visible(deps, viewer).select('timeline_posts.id').orderBy('timeline_posts.id', 'desc').limit(1).executeTakeFirst();
  if (!newest) return;
  await deps.scope.insertInto('timeline_seen', { reader: readerKey(viewer), last_seen_post_id: newest.id })
    .onConflict((oc) => oc.columns(['tenant_id', 'reader']).doUpdateSet({ last_seen_post_id: newest.id })).execute();
}

/** The organisations each of these posts is for (posts for another audience have none). */
export async function postOrganisations(deps: TimelineDeps, postIds: readonly number[]): Promise<Map<number, number[]>> {
  const byPost = new Map<number, number[]>();
  if (postIds.length === 0) return byPost;
  const rows = await deps.scope.selectFrom('timeline_post_organisations').select(['post_id', 'organisation_id'])
    .where('post_id', 'in', [...postIds]).orderBy('organisation_id').execute();
  for (const row of rows) byPost.set(row.post_id, [...(byPost.get(row.post_id) ?? []), row.organisation_id]);
  return byPost;
}
