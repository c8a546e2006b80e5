import type { Context, Hono } from 'hono';
import { Page, SelectField, TextArea, TextField, flash, href, pluginScope, redirectTo, render, requirePermission, tenantOf, type AppEnv } from '../../core/plugin-api.js';
import { acceptProposal } from './accept.js';
import { EDIT_WINDOW_MS, commentStore, type Comment } from './comment-store.js';
import { IDEA_STATUSES, type IdeasDB } from './ideas-db.js';
import { formValues, idParam, translated, viewerOf } from './ideas-http.js';
import { Comments, ProposalHead } from './ideas-views.js';
import { likeStore } from './like-store.js';
import { proposalStore } from './proposal-store.js';
import { setFollowing, statusStore } from './status-store.js';
import { VIEW, type Viewer } from './viewer.js';
import { staffView } from './ideas-http.js';

type Ctx = Context<AppEnv>;
const ID = '/:id{[0-9]{1,9}}';

/** The proposal page (/p/ideas/:id) and its actions: like, comment, status, accept, follow. */
export function proposalRoutes(app: Hono<AppEnv>): void {
  app.get(ID, requirePermission(VIEW), (c) => proposalPage(c, {}));

  const back = (c: Ctx, id: number) => redirectTo(c, href(c, `/p/ideas/${id}`));
  /** Runs an action; a refusal shows the page again with the message (at the field where there is one). */
  const action = (run: (c: Ctx, viewer: Viewer, id: number, values: Record<string, string>) => Promise<string | void>) => async (c: Ctx) => {
    const id = idParam(c);
    const values = await formValues(c);
    try {
      const message = await run(c, await viewerOf(c), id, values);
      if (message) flash(c, 'success', message);
      return back(c, id);
    } catch (error) {
      const refusal = translated(c, error);
      if (refusal.status === 404) return proposalPage(c, {}, 404);
      return proposalPage(c, { ...refusal.fields, form: refusal.message, body: values.body ?? '' }, refusal.status);
    }
  };
  const services = (c: Ctx) => c.var.services;

  app.post(`${ID}/like`, requirePermission(VIEW), action(async (c, viewer, id) => { await likeStore(services(c), tenantOf(c).id).like(viewer, id); }));
  app.post(`${ID}/unlike`, requirePermission(VIEW), action(async (c, viewer, id) => { await likeStore(services(c), tenantOf(c).id).unlike(viewer, id); }));
  app.post(`${ID}/comments`, requirePermission(VIEW), action(async (c, viewer, id, values) => { await commentStore(services(c), tenantOf(c).id).add(viewer, id, values); }));
  app.post(`${ID}/comments/:cid{[0-9]{1,9}}/edit`, requirePermission(VIEW), action(async (c, viewer, id, values) => {
    await commentStore(services(c), tenantOf(c).id).edit(viewer, id, idParam(c, 'cid'), values);
  }));
  app.post(`${ID}/comments/:cid{[0-9]{1,9}}/delete`, requirePermission(VIEW), action(async (c, viewer, id) => {
    await commentStore(services(c), tenantOf(c).id).remove(viewer, id, idParam(c, 'cid'));
  }));
  app.post(`${ID}/status`, requirePermission(VIEW), action(async (c, viewer, id, values) => {
    await statusStore(services(c), tenantOf(c).id).change(viewer, id, { status: values.status as never, reason: values.reason ?? '', duplicateOf: values.duplicateOf ?? '' });
    return c.var.t('ideas.saved');
  }));
  app.post(`${ID}/accept`, requirePermission(VIEW), action(async (c, viewer, id, values) => {
    const solution = Number(values.solutionCommentId);
    const result = await acceptProposal(services(c), tenantOf(c).id, viewer, id, { solutionCommentId: Number.isSafeInteger(solution) && solution > 0 ? solution : null });
    return c.var.t('ideas.accept.done', { id: result.entryId });
  }));
  app.post(`${ID}/follow`, requirePermission(VIEW), action(async (c, viewer, id) => { await setFollowing(services(c), tenantOf(c).id, viewer.userId!, id, true); }));
  app.post(`${ID}/unfollow`, requirePermission(VIEW), action(async (c, viewer, id) => { await setFollowing(services(c), tenantOf(c).id, viewer.userId!, id, false); }));
}

async function proposalPage(c: Ctx, errors: Record<string, string>, status: 200 | 403 | 404 | 409 | 422 = 200) {
  const t = c.var.t;
  const tenantId = tenantOf(c).id;
  const viewer = await viewerOf(c);
  const id = idParam(c);
  const store = proposalStore(c.var.services, tenantId);
  let proposal;
  try {
    proposal = await store.get(viewer, id);
  } catch {
    return render(c, { title: t('error.notFound'), status: 404, page: <Page title={t('error.notFound')}><p>{t('error.notFound')}</p></Page> });
  }
  const comments = await commentStore(c.var.services, tenantId).list(id);
  const following = !!(await pluginScope<IdeasDB>(c.var.services.db, tenantId).selectFrom('ideas_followers').select('user_id').where('proposal_id', '=', id).where('user_id', '=', viewer.userId!).executeTakeFirst());
  const v = staffView(c);
  const now = c.var.services.clock().getTime();
  const own = (cm: Comment) => cm.author_user_id === viewer.userId;
  const { form, body, ...fieldErrors } = errors;
  return render(c, {
    title: proposal.title, status,
    page: (
      <Page title={proposal.title} crumbs={[{ label: t('ideas.board'), href: v.base }, { label: proposal.title }]}>
        <div class="ideas-page stack">
          {form ? <p class="form-error" role="alert" id="ideas-refusal">{form}</p> : null}
          <p class="muted"><a href={href(c, `/desk/tickets/${proposal.number}`)} id="ideas-ticket">{t('ideas.ticket', { number: proposal.number })}</a>
            {proposal.kb_entry_id ? <> · <a href={href(c, `/p/knowledge/entries/${proposal.kb_entry_id}`)} id="ideas-kb-entry">{t('ideas.accept.entry', { id: proposal.kb_entry_id })}</a></> : null}</p>
          <ProposalHead v={v} p={proposal} canLike />
          <form method="post" action={`${v.base}/${id}/${following ? 'unfollow' : 'follow'}`} class="ideas-inline">
            <button type="submit" class="button" id="ideas-follow">{t(following ? 'ideas.unfollow' : 'ideas.follow')}</button>
          </form>
          <Comments v={v} proposalId={id} comments={comments} errors={fieldErrors} body={body ?? ''}
            mayEdit={(cm) => own(cm) && !cm.deleted_at && now - Date.parse(cm.created_at) <= EDIT_WINDOW_MS}
            mayDelete={(cm) => !cm.deleted_at && (own(cm) || viewer.moderator)} />
          {viewer.manager ? (
            <section class="card stack" id="ideas-manage">
              <form method="post" action={`${v.base}/${id}/status`} class="stack" id="ideas-status-form">
                <h2 class="ideas-h">{t('ideas.status.change')}</h2>
                <SelectField name="status" label={t('ideas.status')} value={proposal.status} options={IDEA_STATUSES.map((s) => ({ value: s, label: t(`ideas.status.${s}`) }))} errors={fieldErrors} />
                <TextArea name="reason" label={t('ideas.status.reason')} value={proposal.decline_reason ?? ''} errors={fieldErrors} rows={2} />
                <TextField name="duplicateOf" type="number" label={t('ideas.status.duplicateOf')} value={proposal.duplicate_of ?? ''} errors={fieldErrors} />
                <div><button type="submit" class="button" id="ideas-status-save">{t('ideas.status.change')}</button></div>
              </form>
              {proposal.kb_entry_id ? null : (
                <form method="post" action={`${v.base}/${id}/accept`} class="stack" id="ideas-accept-form">
                  <SelectField name="solutionCommentId" label={t('ideas.accept.solutionComment')} value="" empty={t('ideas.accept.noSolution')}
                    options={comments.filter((cm) => !cm.deleted_at).map((cm) => ({ value: String(cm.id), label: `${cm.author_label}: ${cm.body.slice(0, 60)}` }))} />
                  <div><button type="submit" class="button-primary" id="ideas-accept">{t('ideas.accept')}</button></div>
                </form>
              )}
            </section>
          ) : null}
        </div>
      </Page>
    ),
  });
}
