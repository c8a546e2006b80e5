import { Checkbox, FormError, SelectField, TextArea, TextField, formatDateTime, type DateContext, type Translate } from '../../core/plugin-api.js';
import type { Comment } from './comment-store.js';
import { IDEA_STATUSES } from './ideas-db.js';
import { SORTS, type BoardQuery, type Proposal } from './proposal-store.js';

/** Links the views need, so staff pages and the portal share them (`base`: /t/x/p/ideas or /t/x/portal/ideas). */
export interface ViewContext { t: Translate; dates: DateContext; base: string; csrf?: string | undefined }

export function StatusBadge(props: { t: Translate; status: string }) {
  return <span class={`ideas-status ideas-status-${props.status}`}>{props.t(`ideas.status.${props.status}`)}</span>;
}

/** One line of the board: title, status, likes, comments and the submitter (or "anonymous"). */
export function ProposalCard(props: { v: ViewContext; p: Proposal }) {
  const { v, p } = props;
  return (
    <li class="card ideas-card" id={`ideas-card-${p.id}`}>
      <div class="ideas-card-head">
        <a href={`${v.base}/${p.id}`} class="ideas-card-title">{p.title}</a>
        <StatusBadge t={v.t} status={p.status} />
      </div>
      <p class="muted ideas-card-meta">
        <span class="ideas-submitter">{v.t('ideas.by', { name: p.submitter ?? v.t('ideas.anonymous') })}</span>
        {' · '}<time datetime={p.created_at}>{formatDateTime(p.created_at, v.dates)}</time>
        {p.category ? <> · <span class="ideas-topic">{p.category}</span></> : null}
      </p>
      <p class="ideas-card-counts"><span class="ideas-likes">{v.t('ideas.likes', { count: p.likes_count })}</span> · <span class="ideas-comments">{v.t('ideas.comments', { count: p.comments_count })}</span></p>
    </li>
  );
}

export function BoardFilters(props: { v: ViewContext; query: BoardQuery; topics: string[] }) {
  const { v, query } = props;
  return (
    <form method="get" action={v.base} class="card ideas-filters" id="ideas-filters">
      <SelectField name="status" label={v.t('ideas.filter.status')} value={query.status ?? ''} empty={v.t('ideas.filter.any')}
        options={IDEA_STATUSES.map((s) => ({ value: s, label: v.t(`ideas.status.${s}`) }))} />
      <SelectField name="topic" label={v.t('ideas.filter.topic')} value={query.topic ?? ''} empty={v.t('ideas.filter.any')}
        options={props.topics.map((name) => ({ value: name, label: name }))} />
      <TextField name="q" type="search" label={v.t('ideas.filter.q')} value={query.q ?? ''} maxlength={200} />
      <SelectField name="sort" label={v.t('ideas.filter.sort')} value={query.sort ?? 'newest'} options={SORTS.map((s) => ({ value: s, label: v.t(`ideas.sort.${s}`) }))} />
      <div><button type="submit" class="button" id="ideas-filter-apply">{v.t('ideas.filter.apply')}</button></div>
    </form>
  );
}

export function Board(props: { v: ViewContext; rows: Proposal[]; more: boolean; nextHref: string }) {
  const { v, rows } = props;
  return (
    <>
      {rows.length === 0 ? <p class="muted" id="ideas-empty">{v.t('ideas.empty')}</p> : (
        <ul class="ideas-board" id="ideas-board">{rows.map((p) => <ProposalCard v={v} p={p} />)}</ul>
      )}
      {props.more ? <p><a class="button" href={props.nextHref} id="ideas-more">{v.t('ideas.more')}</a></p> : null}
    </>
  );
}

export type Values = Record<string, string>;

export function ProposalForm(props: { v: ViewContext; action: string; values: Values; errors: Record<string, string>; topics: string[]; portal: boolean }) {
  const { v, values, errors } = props;
  return (
    <form method="post" action={props.action} class="card stack" id="ideas-form">
      {props.v.csrf ? <input type="hidden" name="_csrf" value={props.v.csrf} /> : null}
      <FormError message={Object.keys(errors).length ? v.t('error.invalid') : undefined} />
      <TextField name="title" label={v.t('ideas.field.title')} value={values.title} errors={errors} required maxlength={200} />
      <TextArea name="description" label={v.t('ideas.field.description')} value={values.description} errors={errors} rows={6} required />
      <TextArea name="benefit" label={v.t('ideas.field.benefit')} value={values.benefit} errors={errors} rows={3} />
      {props.topics.length ? <SelectField name="category" label={v.t('ideas.field.topic')} value={values.category ?? ''} empty={v.t('ideas.filter.any')}
        options={props.topics.map((name) => ({ value: name, label: name }))} errors={errors} /> : null}
      {props.portal ? null : <Checkbox name="anonymous" label={v.t('ideas.field.anonymous')} checked={values.anonymous === '1'} />}
      {props.portal ? null : <Checkbox name="portal" label={v.t('ideas.field.portal')} checked={values.portal === '1'} />}
      <div><button type="submit" class="button-primary" id="ideas-submit">{v.t('ideas.new')}</button></div>
    </form>
  );
}

/** The proposal itself: status (reason, original), counters, like button, text, benefit. */
export function ProposalHead(props: { v: ViewContext; p: Proposal; canLike: boolean }) {
  const { v, p } = props;
  return (
    <section class="card stack ideas-proposal" id="ideas-proposal">
      <div class="ideas-card-head"><StatusBadge t={v.t} status={p.status} />
        <span class="muted ideas-submitter" id="ideas-submitter">{v.t('ideas.by', { name: p.submitter ?? v.t('ideas.anonymous') })}</span></div>
      {p.status === 'declined' && p.decline_reason ? <p class="ideas-reason" id="ideas-reason">{v.t('ideas.status.declinedBecause', { reason: p.decline_reason })}</p> : null}
      {p.status === 'duplicate' && p.duplicate_of ? <p id="ideas-duplicate-of">{v.t('ideas.status.duplicateLink', { link: `#${p.duplicate_of}` })} <a href={`${v.base}/${p.duplicate_of}`}>→</a></p> : null}
      <p class="ideas-text">{p.description}</p>
      {p.benefit ? <div><h2 class="ideas-h">{v.t('ideas.field.benefit')}</h2><p class="ideas-text" id="ideas-benefit">{p.benefit}</p></div> : null}
      <div class="ideas-like-row">
        <span class="ideas-likes" id="ideas-likes">{v.t('ideas.likes', { count: p.likes_count })}</span>
        {props.canLike && p.status !== 'duplicate' ? (
          <form method="post" action={`${v.base}/${p.id}/${p.liked ? 'unlike' : 'like'}`} class="ideas-inline">
            {v.csrf ? <input type="hidden" name="_csrf" value={v.csrf} /> : null}
            <button type="submit" class={p.liked ? 'button' : 'button-primary'} id="ideas-like">{v.t(p.liked ? 'ideas.unlike' : 'ideas.like')}</button>
          </form>
        ) : null}
      </div>
    </section>
  );
}

/** Comments, tombstones included; edit within the window for the author, delete for author and moderators. */
export function Comments(props: { v: ViewContext; proposalId: number; comments: Comment[]; mayEdit: (c: Comment) => boolean; mayDelete: (c: Comment) => boolean; errors: Record<string, string>; body: string }) {
  const { v, comments } = props;
  const hidden = v.csrf ? <input type="hidden" name="_csrf" value={v.csrf} /> : null;
  return (
    <section class="card stack ideas-comments-box" id="ideas-comments">
      <h2 class="ideas-h">{v.t('ideas.comments', { count: comments.filter((c) => !c.deleted_at).length })}</h2>
      {comments.length === 0 ? <p class="muted">{v.t('ideas.comment.none')}</p> : (
        <ol class="ideas-comment-list">
          {comments.map((c) => (
            <li class={c.deleted_at ? 'ideas-comment ideas-tombstone' : 'ideas-comment'} id={`ideas-comment-${c.id}`}>
              {c.deleted_at ? <p class="muted">{v.t('ideas.comment.deleted', { name: c.deleted_by ?? '' })}</p> : (
                <>
                  <p class="muted"><strong>{c.author_label}</strong> · <time datetime={c.created_at}>{formatDateTime(c.created_at, v.dates)}</time>{c.edited_at ? ` · ${v.t('ideas.comment.edited')}` : ''}</p>
                  <p class="ideas-text">{c.body}</p>
                  {props.mayEdit(c) ? (
                    <details><summary>{v.t('ideas.comment.edit')}</summary>
                      <form method="post" action={`${v.base}/${props.proposalId}/comments/${c.id}/edit`} class="stack">{hidden}
                        <TextArea name="body" label={v.t('ideas.comment.body')} value={c.body} rows={3} />
                        <div><button type="submit" class="button">{v.t('ideas.comment.save')}</button></div>
                      </form>
                    </details>
                  ) : null}
                  {props.mayDelete(c) ? (
                    <form method="post" action={`${v.base}/${props.proposalId}/comments/${c.id}/delete`} class="ideas-inline">{hidden}
                      <button type="submit" class="button" id={`ideas-comment-delete-${c.id}`}>{v.t('ideas.comment.delete')}</button>
                    </form>
                  ) : null}
                </>
              )}
            </li>
          ))}
        </ol>
      )}
      <form method="post" action={`${v.base}/${props.proposalId}/comments`} class="stack" id="ideas-comment-form">{hidden}
        <TextArea name="body" label={v.t('ideas.comment.body')} value={props.body} errors={props.errors} rows={3} required />
        <div><button type="submit" class="button-primary" id="ideas-comment-add">{v.t('ideas.comment.add')}</button></div>
      </form>
    </section>
  );
}
