import type { Child } from 'hono/jsx';
import type { DateContext } from '../../i18n/format.js';
import { formatDateTime } from '../../i18n/format.js';
import type { Translate } from '../../i18n/translate.js';
import type { TimelinePost } from '../../timeline/timeline-posts.js';
import { Checkbox, FormError, SelectField, TextArea, TextField, type FieldErrors } from '../../../views/components/form.js';

export interface PostCardProps {
  post: TimelinePost;
  t: Translate;
  dates: DateContext;
  /** Absolute path of a tenant path (`href(c, …)`). */
  url: (path: string) => string;
  /** Where like and comment forms post (`/desk/timeline`); none: read-only (the portal). */
  actions?: { base: string; canDelete: boolean } | undefined;
  comments?: Array<{ id: number; author_label: string; body: string; created_at: string }> | undefined;
}

/** A link the post carries: a tenant path gets the tenant's prefix, an http(s) URL stays as it is. */
const linkHref = (link: string, url: (path: string) => string) => (link.startsWith('/') ? url(link) : link);

/** One post: kind, title, text, link, likes and comments (htmx swaps the whole card after a like or a comment). */
export function PostCard(props: PostCardProps) {
  const { post, t } = props;
  const id = `timeline-post-${post.id}`;
  const base = props.actions ? `${props.actions.base}/${post.id}` : '';
  return (
    <article class={post.pinned ? 'card timeline-post timeline-pinned' : 'card timeline-post'} id={id} data-kind={post.kind}>
      <header class="timeline-post-head">
        <span class={`badge timeline-kind timeline-kind-${post.kind}`}>{t(`timeline.kind.${post.kind}`)}</span>
        {post.pinned ? <span class="badge badge-on">{t('timeline.pinnedBadge')}</span> : null}
        {props.actions && post.audience !== 'everyone' ? <span class="badge timeline-audience">{t(`timeline.audienceBadge.${post.audience}`)}</span> : null}
        <small class="muted">{post.author_label} · {formatDateTime(post.created_at, props.dates)}</small>
      </header>
      <h2 class="timeline-post-title">{post.title}</h2>
      <p class="timeline-post-body">{post.body}</p>
      {post.link ? <p><a href={linkHref(post.link, props.url)} class="timeline-link">{t('timeline.readMore')}</a></p> : null}
      <footer class="timeline-post-foot">
        {props.actions ? (
          <form method="post" action={props.url(`${base}/${post.liked ? 'unlike' : 'like'}`)} hx-post={props.url(`${base}/${post.liked ? 'unlike' : 'like'}`)} hx-target={`#${id}`} hx-swap="outerHTML">
            <button type="submit" class={post.liked ? 'button-small timeline-liked' : 'button-small'} aria-pressed={post.liked ? 'true' : 'false'}>
              {post.liked ? t('timeline.unlike') : t('timeline.like')} · {String(post.like_count)}
            </button>
          </form>
        ) : <span class="muted">{t('timeline.likes', { count: post.like_count })}</span>}
        <span class="muted">{t('timeline.comments', { count: post.comment_count })}</span>
        {props.actions?.canDelete ? (
          <form method="post" action={props.url(`${base}/delete`)}>
            <button type="submit" class="link-button">{t('timeline.delete')}</button>
          </form>
        ) : null}
      </footer>
      {props.comments?.length ? (
        <ul class="plain-list timeline-comments">
          {props.comments.map((comment) => <li><strong>{comment.author_label}</strong> <span>{comment.body}</span> <small class="muted">{formatDateTime(comment.created_at, props.dates)}</small></li>)}
        </ul>
      ) : null}
      {props.actions ? (
        <form method="post" action={props.url(`${base}/comments`)} hx-post={props.url(`${base}/comments`)} hx-target={`#${id}`} hx-swap="outerHTML" class="timeline-comment-form">
          <label for={`comment-${post.id}`} class="visually-hidden">{t('timeline.commentLabel')}</label>
          <input type="text" id={`comment-${post.id}`} name="body" maxlength={5000} required placeholder={t('timeline.commentLabel')} />
          <button type="submit" class="button-small">{t('timeline.comment')}</button>
        </form>
      ) : null}
    </article>
  );
}

export interface ComposeProps {
  t: Translate;
  action: string;
  values: Record<string, string | string[]>;
  errors: FieldErrors;
  error?: string | undefined;
  groups: Array<{ id: number; name: string }>;
  organisations: Array<{ id: number; name: string }>;
  canPin: boolean;
}

/** The compose form; on a refusal it comes back (422) with the values and one message per field. */
export function ComposeForm(props: ComposeProps) {
  const { t, values, errors } = props;
  const text = (key: string) => (typeof values[key] === 'string' ? values[key] as string : '');
  const chosenOrgs = new Set([values.organisation_ids ?? []].flat().map(String));
  const kinds = ['announcement', 'solution', 'system'].map((k) => ({ value: k, label: t(`timeline.kind.${k}`) }));
  const audiences = ['everyone', 'staff', 'group', 'organisations'].map((a) => ({ value: a, label: t(`timeline.audience.${a}`) }));
  return (
    <form method="post" action={props.action} class="card stack timeline-compose" id="timeline-compose">
      <h2>{t('timeline.compose')}</h2>
      <FormError message={props.error} />
      <div class="timeline-compose-row">
        <SelectField name="kind" label={t('timeline.kind')} value={text('kind') || 'announcement'} options={kinds} errors={errors} />
        <SelectField name="audience" label={t('timeline.audience')} value={text('audience') || 'everyone'} options={audiences} errors={errors} />
      </div>
      <TextField name="title" label={t('timeline.postTitle')} value={text('title')} maxlength={200} errors={errors} />
      <TextArea name="body" label={t('timeline.body')} value={text('body')} rows={3} errors={errors} />
      <details class="timeline-compose-more" open={Boolean(errors.group_id || errors.organisation_ids || errors.link || errors.expires_at)}>
        <summary>{t('timeline.moreOptions')}</summary>
        <SelectField name="group_id" label={t('timeline.group')} value={text('group_id')} options={props.groups.map((g) => ({ value: g.id, label: g.name }))} empty="—" errors={errors} />
        <MultiSelect name="organisation_ids" label={t('timeline.organisations')} options={props.organisations} chosen={chosenOrgs} error={errors.organisation_ids} />
        <TextField name="link" label={t('timeline.link')} value={text('link')} maxlength={500} errors={errors} />
        <TextField name="expires_at" type="date" label={t('timeline.expiresAt')} value={text('expires_at')} errors={errors} />
        {props.canPin ? <Checkbox name="pinned" label={t('timeline.pinned')} checked={text('pinned') !== ''} /> : null}
      </details>
      <div><button type="submit" class="button-primary" id="timeline-submit">{t('timeline.submit')}</button></div>
    </form>
  );
}

function MultiSelect(props: { name: string; label: string; options: Array<{ id: number; name: string }>; chosen: Set<string>; error?: string | undefined }): Child {
  return (
    <div class={props.error ? 'field field-invalid' : 'field'}>
      <label for={`f-${props.name}`}>{props.label}</label>
      <select id={`f-${props.name}`} name={props.name} multiple size={Math.min(6, Math.max(2, props.options.length))}
        aria-invalid={props.error ? 'true' : undefined} aria-describedby={props.error ? `${props.name}-error` : undefined}>
        {props.options.map((o) => <option value={String(o.id)} selected={props.chosen.has(String(o.id))}>{o.name}</option>)}
      </select>
      {props.error ? <small id={`${props.name}-error`} class="field-error">{props.error}</small> : null}
    </div>
  );
}
