import type { Context, Hono } from 'hono';
import type { AppEnv } from '../../http/app-env.js';
import { flash } from '../../http/flash.js';
import { href, redirectTo, requirePermission, requireTenant, requireUser, scope, tenantOf } from '../../http/guards.js';
import { HttpError, toHttpError } from '../../http/http-error.js';
import { render } from '../../http/render.js';
import { allTags, deleteTag, mergeTags, renameTag, TAG_MAX, type TagDeps } from '../../tickets/ticket-tags.js';
import { ticketActor } from '../../tickets/ticket-context.js';
import { FormError } from '../../../views/components/form.js';
import { Page } from '../../../views/components/page.js';
import { lastValues } from '../desk/ticket-page.js';
import { auditTicketConfig as audit } from './ticket-config-data.js';

// The tenant's tags for admins (issue 18 point 7): each with how many tickets carry it, to rename (a name another
// tag has merges the two), merge into another, or delete (it goes from every ticket). Every change is audited.

type TagErrors = { id: number; errors: Record<string, string>; values: Record<string, string> } | undefined;

function deps(c: Context<AppEnv>): TagDeps {
  const { db, events, clock } = c.var.services;
  return { db, events, clock, tenantId: tenantOf(c).id, t: c.var.t };
}

async function tagsPage(c: Context<AppEnv>, refused: TagErrors = undefined, status: 200 | 422 = 200) {
  const t = c.var.t;
  const tags = await allTags(scope(c));
  return render(c, {
    title: t('tag.title'), status,
    page: (
      <Page title={t('tag.title')} crumbs={[{ label: t('nav.admin'), href: href(c, '/admin') }, { label: t('tag.title') }]}>
        <p class="muted">{t('tagAdmin.lead')}</p>
        {tags.length === 0 ? <p class="muted">{t('tagAdmin.none')}</p> : (
          <ul class="plain-list tag-admin-list" id="tag-admin">
            {tags.map((tag) => {
              const mine = refused?.id === tag.id ? refused : undefined;
              const base = href(c, `/admin/tags/${tag.id}`);
              return (
                <li class="card stack" id={`tag-admin-${tag.id}`}>
                  <h2>{tag.name} <span class="badge">{t('tagAdmin.tickets', { count: tag.tickets })}</span></h2>
                  <FormError message={mine?.errors._form} />
                  <form method="post" action={`${base}/rename`} class="tag-form">
                    <label for={`rename-${tag.id}`}>{t('tagAdmin.rename')}</label>
                    <input id={`rename-${tag.id}`} name="name" value={mine?.values.name ?? tag.name} maxlength={TAG_MAX} required aria-invalid={mine?.errors.name ? 'true' : undefined} />
                    <button type="submit" class="button">{t('common.save')}</button>
                    {mine?.errors.name ? <small class="field-error">{mine.errors.name}</small> : null}
                  </form>
                  {tags.length > 1 ? (
                    <form method="post" action={`${base}/merge`} class="tag-form">
                      <label for={`merge-${tag.id}`}>{t('tagAdmin.mergeInto')}</label>
                      <select id={`merge-${tag.id}`} name="into">
                        {tags.filter((other) => other.id !== tag.id).map((other) => <option value={String(other.id)}>{other.name}</option>)}
                      </select>
                      <button type="submit" class="button">{t('tagAdmin.merge')}</button>
                    </form>
                  ) : null}
                  <details>
                    <summary class="button-small">{t('common.delete')}</summary>
                    <form method="post" action={`${base}/delete`} class="stack">
                      <p>{t('tagAdmin.deleteConfirm', { name: tag.name, count: tag.tickets })}</p>
                      <input type="hidden" name="confirm" value="1" />
                      <button type="submit" class="button-danger" id={`tag-delete-${tag.id}`}>{t('tagAdmin.delete')}</button>
                    </form>
                  </details>
                </li>
              );
            })}
          </ul>
        )}
      </Page>
    ),
  });
}

export function tagAdminRoutes(app: Hono<AppEnv>): void {
  const guard = [requireTenant, requireUser, requirePermission('admin.tickets')] as const;
  const idOf = (c: Context<AppEnv>) => {
    const id = Number(c.req.param('id'));
    if (!Number.isInteger(id) || id <= 0) throw new HttpError(404, c.var.t('tag.notFound'));
    return id;
  };

  app.get('/admin/tags', ...guard, (c) => tagsPage(c));

  app.post('/admin/tags/:id/rename', ...guard, async (c) => {
    const id = idOf(c);
    const values = lastValues(await c.req.parseBody());
    try {
      const kept = await renameTag(deps(c), id, values.name ?? '', ticketActor(c));
      await audit(c, kept.id === id ? 'admin.tag_renamed' : 'admin.tag_merged', kept.name, { tag: id });
    } catch (error) {
      const refusal = toHttpError(error);
      if (refusal?.status !== 422) throw error;
      return tagsPage(c, { id, values, errors: Object.keys(refusal.fields).length ? refusal.fields : { _form: refusal.message } }, 422);
    }
    flash(c, 'success', c.var.t('common.saved'));
    return redirectTo(c, href(c, '/admin/tags'));
  });

  app.post('/admin/tags/:id/merge', ...guard, async (c) => {
    const id = idOf(c);
    const into = Number(lastValues(await c.req.parseBody()).into);
    if (!Number.isInteger(into) || into <= 0) throw new HttpError(422, c.var.t('error.invalid'), { into: c.var.t('validation.choice') });
    await mergeTags(deps(c), id, into, ticketActor(c));
    await audit(c, 'admin.tag_merged', String(into), { tag: id });
    flash(c, 'success', c.var.t('tagAdmin.merged'));
    return redirectTo(c, href(c, '/admin/tags'));
  });

  app.post('/admin/tags/:id/delete', ...guard, async (c) => {
    const id = idOf(c);
    if (lastValues(await c.req.parseBody()).confirm !== '1') {
      flash(c, 'error', c.var.t('tagAdmin.unconfirmed'));
      return redirectTo(c, href(c, '/admin/tags'));
    }
    await deleteTag(deps(c), id, ticketActor(c));
    await audit(c, 'admin.tag_deleted', String(id));
    flash(c, 'success', c.var.t('tagAdmin.deleted'));
    return redirectTo(c, href(c, '/admin/tags'));
  });
}
