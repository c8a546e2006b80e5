import type { Context, Hono } from 'hono';
import { DomainError } from '../../domain-error.js';
import type { AppEnv } from '../../http/app-env.js';
import { flash } from '../../http/flash.js';
import { fieldErrors, idFrom } from '../../http/forms.js';
import { href, isHtmx, redirectTo, requirePermission, requireTenant, requireUser, scope, staff } from '../../http/guards.js';
import { HttpError } from '../../http/http-error.js';
import { render } from '../../http/render.js';
import { addComment, deletePost, findPost, listComments, listPosts, markSeen, postInputSchema, setLike, unreadCount, type TimelineViewer } from '../../timeline/timeline-posts.js';
import { deps, staffViewer, timelineHttpError } from '../../timeline/timeline-http.js';
import { createPost } from '../../timeline/timeline-posts.js';
import { Page } from '../../../views/components/page.js';
import { ComposeForm, PostCard } from './timeline-views.js';

/** A path id, or 404 (a bad id names no post). */
function postId(c: Context<AppEnv>): number {
  const id = idFrom(c.req.param('id'));
  if (id === null) throw new HttpError(404, c.var.t('timeline.notFound'));
  return id;
}

async function card(c: Context<AppEnv>, viewer: TimelineViewer, id: number) {
  const [post, comments] = await Promise.all([findPost(deps(c), viewer, id), listComments(deps(c), viewer, id)]);
  const user = staff(c);
  return (
    <PostCard post={post} t={c.var.t} dates={c.var.dates} url={(p) => href(c, p)} comments={comments}
      actions={{ base: '/desk/timeline', canDelete: c.var.can('timeline.manage') || post.author_user_id === user.id }} />
  );
}

async function feed(c: Context<AppEnv>, viewer: TimelineViewer) {
  const before = idFrom(c.req.query('before') ?? '') ?? undefined;
  const page = await listPosts(deps(c), viewer, { before });
  const user = staff(c);
  const t = c.var.t;
  return (
    <div id="timeline-feed" class="timeline-feed stack" hx-get={href(c, '/desk/timeline/feed')} hx-trigger="sse:timeline" hx-swap="outerHTML">
      {page.posts.length === 0 ? <p class="muted card">{t('timeline.none')}</p> : page.posts.map((post) => (
        <PostCard post={post} t={t} dates={c.var.dates} url={(p) => href(c, p)}
          actions={{ base: '/desk/timeline', canDelete: c.var.can('timeline.manage') || post.author_user_id === user.id }} />
      ))}
      {page.next ? <p><a href={href(c, `/desk/timeline?before=${page.next}`)} class="button" id="timeline-more">{t('timeline.more')}</a></p> : null}
    </div>
  );
}

async function timelinePage(c: Context<AppEnv>, form?: { values: Record<string, string | string[]>; errors: Record<string, string> }) {
  const t = c.var.t;
  const viewer = await staffViewer(c);
  const canPost = c.var.can('timeline.post');
  const [groups, organisations, list] = await Promise.all([
    canPost ? scope(c).selectFrom('support_groups').select(['id', 'name']).orderBy('name').execute() : [],
    canPost ? scope(c).selectFrom('organisations').select(['id', 'name']).orderBy('name').limit(200).execute() : [],
    feed(c, viewer),
  ]);
  await markSeen(deps(c), viewer);
  return render(c, {
    title: t('timeline.title'),
    status: form ? 422 : 200,
    page: (
      <Page title={t('timeline.title')}>
        <div class="timeline-layout">
          {canPost ? (
            <ComposeForm t={t} action={href(c, '/desk/timeline')} values={form?.values ?? {}} errors={form?.errors ?? {}}
              error={form ? t('timeline.invalid') : undefined} groups={groups} organisations={organisations} canPin={c.var.can('timeline.manage')} />
          ) : null}
          {list}
        </div>
      </Page>
    ),
  });
}

export function timelineRoutes(app: Hono<AppEnv>): void {
  const guard = [requireTenant, requireUser, requirePermission('desk.use')] as const;

  app.get('/desk/timeline', ...guard, (c) => timelinePage(c));
  app.get('/desk/timeline/feed', ...guard, async (c) => {
    c.header('Cache-Control', 'no-store');
    return c.html(await feed(c, await staffViewer(c)));
  });
  app.get('/desk/timeline/count', ...guard, async (c) => {
    const count = await unreadCount(deps(c), await staffViewer(c));
    c.header('Cache-Control', 'no-store');
    const label = c.var.t('timeline.unread', { count });
    return c.html(count > 0 ? <span class="nav-badge" title={label}>{count > 99 ? '99+' : String(count)}<span class="visually-hidden"> {label}</span></span> : <></>);
  });

  app.post('/desk/timeline', ...guard, requirePermission('timeline.post'), async (c) => {
    const body = await c.req.parseBody({ all: true });
    const values: Record<string, string | string[]> = {};
    for (const [key, value] of Object.entries(body)) {
      if (typeof value === 'string') values[key] = value;
      else if (Array.isArray(value)) values[key] = value.filter((v): v is string => typeof v === 'string');
    }
    if (!c.var.can('timeline.manage')) delete values.pinned;
    const parsed = postInputSchema.safeParse({ ...values, ticket_id: undefined });
    if (!parsed.success) return timelinePage(c, { values, errors: fieldErrors(parsed.error, c.var.t) });
    try {
      await createPost(deps(c), { userId: staff(c).id, label: staff(c).name }, { ...values, ticket_id: undefined });
    } catch (error) {
      if (error instanceof DomainError && error.kind === 'invalid') {
        return timelinePage(c, { values, errors: Object.fromEntries(Object.entries(error.fields).map(([k, v]) => [k, c.var.t(v)])) });
      }
      throw error;
    }
    flash(c, 'success', c.var.t('timeline.posted'));
    return redirectTo(c, href(c, '/desk/timeline'));
  });

  for (const on of [true, false]) {
    app.post(`/desk/timeline/:id/${on ? 'like' : 'unlike'}`, ...guard, async (c) => {
      const id = postId(c);
      const viewer = await staffViewer(c);
      await setLike(deps(c), viewer, id, on).catch((error: unknown) => timelineHttpError(c, error));
      if (isHtmx(c)) return c.html(await card(c, viewer, id));
      return redirectTo(c, href(c, '/desk/timeline'));
    });
  }

  app.post('/desk/timeline/:id/comments', ...guard, async (c) => {
    const id = postId(c);
    const viewer = await staffViewer(c);
    const body = await c.req.parseBody();
    await addComment(deps(c), viewer, staff(c).name, id, { body: typeof body.body === 'string' ? body.body : '' }).catch((error: unknown) => timelineHttpError(c, error));
    if (isHtmx(c)) return c.html(await card(c, viewer, id));
    return redirectTo(c, href(c, '/desk/timeline'));
  });

  app.post('/desk/timeline/:id/delete', ...guard, async (c) => {
    const id = postId(c);
    const post = await findPost(deps(c), await staffViewer(c), id).catch((error: unknown) => timelineHttpError(c, error));
    if (!c.var.can('timeline.manage') && post.author_user_id !== staff(c).id) throw new HttpError(403, c.var.t('error.forbidden'));
    await deletePost(deps(c), id).catch((error: unknown) => timelineHttpError(c, error));
    flash(c, 'success', c.var.t('timeline.deleted'));
    return redirectTo(c, href(c, '/desk/timeline'));
  });
}
