import type { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../../http/app-env.js';
import { flash } from '../../http/flash.js';
import { parseForm } from '../../http/forms.js';
import { href, redirectTo, requirePermission, requireTenant, requireUser, scope, staff } from '../../http/guards.js';
import { HttpError } from '../../http/http-error.js';
import { ticketQueries } from '../../tickets/ticket-context.js';
import { filterQuery, parseFilterQuery, savedViewStore } from './saved-view-store.js';
import { renderList } from './ticket-list.js';
import { loadList } from './ticket-list-state.js';

const saveViewSchema = z.object({
  view_name: z.string().trim().min(1).max(80),
  view_group: z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number().int().positive().optional()),
  query: z.string().max(4000).default(''),
});

/** Saved views of ticket management: save the current filter under a name (personal or for one of my groups), delete own ones. */
export function savedViewRoutes(app: Hono<AppEnv>): void {
  const guard = [requireTenant, requireUser, requirePermission('tickets.view')] as const;

  app.post('/desk/views', ...guard, async (c) => {
    const t = c.var.t;
    const user = staff(c);
    const viewer = await ticketQueries(c).viewer(user.id);
    const form = await parseForm(c, saveViewSchema);
    const filter = parseFilterQuery(form.values.query ?? '') ?? {};
    const errors = form.ok ? {} : { ...form.errors };
    if (form.ok && form.data.view_group !== undefined && !viewer.groupIds.includes(form.data.view_group)) errors.view_group = t('views.notYourGroup');
    if (form.values.query && !parseFilterQuery(form.values.query)) errors.query = t('validation.format');
    if (!form.ok || Object.keys(errors).length) {
      // The filter stays as it was, with the save form's errors beside it.
      const state = await loadList(c, 'all', { ...filter, page: undefined });
      state.viewForm = { errors, values: form.values };
      return renderList(c, state, 422);
    }
    if (filter.deleted && !c.var.can('tickets.delete')) delete filter.deleted;
    const query = filterQuery(filter).toString();
    await savedViewStore(scope(c)).create(viewer, { name: form.data.view_name, groupId: form.data.view_group ?? null, query }, c.var.services.clock().toISOString());
    flash(c, 'success', t('views.saved', { name: form.data.view_name }));
    return redirectTo(c, href(c, `/desk/tickets?queue=all${query ? `&${query}` : ''}`));
  });

  app.post('/desk/views/:id/delete', ...guard, async (c) => {
    const t = c.var.t;
    const id = Number(c.req.param('id'));
    const viewer = await ticketQueries(c).viewer(staff(c).id);
    const name = Number.isSafeInteger(id) && id > 0 ? await savedViewStore(scope(c)).removeOwn(viewer, id) : undefined;
    if (name === undefined) throw new HttpError(404, t('error.notFound'));
    flash(c, 'success', t('views.deleted', { name }));
    return redirectTo(c, href(c, '/desk/tickets?queue=all'));
  });
}
