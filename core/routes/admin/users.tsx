import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { PASSWORD_MAX, PASSWORD_MIN } from '../../auth/password.js';
import type { AppEnv } from '../../http/app-env.js';
import { clientIp, href, redirectTo, requirePermission, requireTenant, requireUser, scope, staff, tenantOf } from '../../http/guards.js';
import { flash } from '../../http/flash.js';
import { parseForm } from '../../http/forms.js';
import { HttpError } from '../../http/http-error.js';
import { render } from '../../http/render.js';
import { createUser, staffRoleSchema, UserConflictError } from '../../people/user-service.js';
import { Page } from '../../../views/components/page.js';
import { Checkbox, FormError, SelectField, TextField } from '../../../views/components/form.js';
import { RolePermissions } from './role-permissions.js';

const newUserFormSchema = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email()),
  name: z.string().trim().min(1).max(120),
  role: staffRoleSchema,
  password: z.string().min(PASSWORD_MIN).max(PASSWORD_MAX),
  locale: z.enum(['de', 'en']),
});

const editUserSchema = z.object({
  name: z.string().trim().min(1).max(120),
  role: staffRoleSchema,
  active: z.literal('1').optional(),
  groups: z.union([z.string(), z.array(z.string())]).optional().transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]).map(Number)),
});

/** Staff users of this tenant (users.tenant_id may be null for operators, so it is not a scoped table). */
function tenantUsers(c: Context<AppEnv>) {
  return scope(c).selectFrom('users');
}

async function usersPage(c: Context<AppEnv>, state: { errors?: Record<string, string>; values?: Record<string, string> } = {}, status: 200 | 422 = 200) {
  const t = c.var.t;
  const users = await tenantUsers(c).select(['id', 'name', 'email', 'role', 'active']).orderBy('name').execute();
  const roles = ['agent', 'supervisor', 'admin'].map((r) => ({ value: r, label: t(`role.${r}`) }));
  return render(c, {
    title: t('admin.users'),
    status,
    page: (
      <Page title={t('admin.users')} crumbs={[{ label: t('nav.admin'), href: href(c, '/admin') }, { label: t('admin.users') }]}>
        <section class="card">
          <div class="table-wrap">
            <table class="table" id="users">
              <thead><tr><th>{t('common.name')}</th><th>{t('common.email')}</th><th>{t('admin.role')}</th><th>{t('admin.active')}</th></tr></thead>
              <tbody>
                {users.map((u) => (
                  <tr>
                    <td><a href={href(c, `/admin/users/${u.id}`)}>{u.name}</a></td>
                    <td>{u.email}</td>
                    <td>{t(`role.${u.role}`)}</td>
                    <td>{u.active ? <span class="badge badge-on">{t('common.yes')}</span> : <span class="badge badge-off">{t('admin.inactive')}</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
        <RolePermissions c={c} />
        <section class="card">
          <h2>{t('admin.newUser')}</h2>
          <FormError message={state.errors ? t('error.invalid') : undefined} />
          <form method="post" action={href(c, '/admin/users')} class="stack">
            <div class="form-row">
              <TextField name="email" type="email" label={t('common.email')} value={state.values?.email} required errors={state.errors} />
              <TextField name="name" label={t('common.name')} value={state.values?.name} required maxlength={120} errors={state.errors} />
            </div>
            <div class="form-row">
              <SelectField name="role" label={t('admin.role')} value={state.values?.role ?? 'agent'} options={roles} errors={state.errors} />
              <SelectField name="locale" label={t('account.language')} value={state.values?.locale ?? tenantOf(c).locale} errors={state.errors}
                options={[{ value: 'de', label: t('lang.de') }, { value: 'en', label: t('lang.en') }]} />
              <TextField name="password" type="password" label={t('platform.initialPassword')} required autocomplete="new-password" errors={state.errors}
                hint={t('validation.tooShort', { min: PASSWORD_MIN })} />
            </div>
            <button type="submit" class="button-primary">{t('common.create')}</button>
          </form>
        </section>
      </Page>
    ),
  });
}

async function loadUser(c: Context<AppEnv>) {
  const id = Number(c.req.param('id'));
  const user = Number.isInteger(id) ? await tenantUsers(c).select(['id', 'name', 'email', 'role', 'active']).where('id', '=', id).executeTakeFirst() : undefined;
  if (!user) throw new HttpError(404, c.var.t('error.notFound'));
  return user;
}

async function userPage(c: Context<AppEnv>, state: { errors?: Record<string, string>; error?: string } = {}, status: 200 | 422 = 200) {
  const t = c.var.t;
  const user = await loadUser(c);
  const tenantScope = scope(c);
  const [groups, memberships] = await Promise.all([
    tenantScope.selectFrom('support_groups').select(['id', 'name', 'level']).orderBy('name').execute(),
    tenantScope.selectFrom('group_members').select('group_id').where('user_id', '=', user.id).execute(),
  ]);
  const memberOf = new Set(memberships.map((m) => m.group_id));
  return render(c, {
    title: user.name,
    status,
    page: (
      <Page title={user.name} crumbs={[{ label: t('admin.users'), href: href(c, '/admin/users') }, { label: user.name }]}>
        <section class="card">
          <p class="muted">{user.email}</p>
          <FormError message={state.error ?? (state.errors ? t('error.invalid') : undefined)} />
          <form method="post" action={href(c, `/admin/users/${user.id}`)} class="stack">
            <TextField name="name" label={t('common.name')} value={user.name} required maxlength={120} errors={state.errors} />
            <SelectField name="role" label={t('admin.role')} value={user.role} errors={state.errors}
              options={['agent', 'supervisor', 'admin'].map((r) => ({ value: r, label: t(`role.${r}`) }))} />
            <Checkbox name="active" label={t('admin.active')} checked={Boolean(user.active)} />
            {groups.length ? (
              <fieldset>
                <legend>{t('admin.groups')}</legend>
                {groups.map((g) => (
                  <div class="field field-check">
                    <input type="checkbox" id={`g-${g.id}`} name="groups" value={String(g.id)} checked={memberOf.has(g.id)} />
                    <label for={`g-${g.id}`}>{g.name} <span class="badge">{t(`level.${g.level}`)}</span></label>
                  </div>
                ))}
              </fieldset>
            ) : null}
            <button type="submit" class="button-primary">{t('common.save')}</button>
          </form>
        </section>
      </Page>
    ),
  });
}

export function userAdminRoutes(app: Hono<AppEnv>): void {
  const guard = [requireTenant, requireUser, requirePermission('admin.users')] as const;
  app.get('/admin/users', ...guard, (c) => usersPage(c));

  app.post('/admin/users', ...guard, async (c) => {
    const t = c.var.t;
    const tenant = tenantOf(c);
    const form = await parseForm(c, newUserFormSchema);
    if (!form.ok) return usersPage(c, form, 422);
    try {
      await createUser(c.var.services.db, { tenantId: tenant.id, ...form.data }, c.var.services.config.scryptLogN);
    } catch (error) {
      if (error instanceof UserConflictError) return usersPage(c, { errors: { email: t('admin.emailTaken') }, values: form.values }, 422);
      throw error;
    }
    const actor = staff(c);
    await c.var.services.audit.record({ tenantId: tenant.id, actor: { userId: actor.id, label: actor.email }, action: 'admin.user_created', target: form.data.email, details: { role: form.data.role }, ip: clientIp(c) });
    flash(c, 'success', t('admin.userCreated', { email: form.data.email }));
    return redirectTo(c, href(c, '/admin/users'));
  });

  app.get('/admin/users/:id', ...guard, (c) => userPage(c));

  app.post('/admin/users/:id', ...guard, async (c) => {
    const t = c.var.t;
    const user = await loadUser(c);
    const actor = staff(c);
    const form = await parseForm(c, editUserSchema);
    if (!form.ok) return userPage(c, { errors: form.errors }, 422);
    const active = form.data.active === '1' ? 1 : 0;
    if (user.id === actor.id && (form.data.role !== 'admin' || !active)) return userPage(c, { error: t('admin.notYourself') }, 422);
    const tenantScope = scope(c);
    const validGroups = form.data.groups.length
      ? (await tenantScope.selectFrom('support_groups').select('id').where('id', 'in', form.data.groups).execute()).map((g) => g.id)
      : [];
    await c.var.services.db.transaction().execute(async (trx) => {
      const inTrx = tenantScope.withDb(trx);
      await scope(c).withDb(trx).updateTable('users').set({ name: form.data.name, role: form.data.role, active }).where('id', '=', user.id).execute();
      await inTrx.deleteFrom('group_members').where('user_id', '=', user.id).execute();
      if (validGroups.length) await inTrx.insertInto('group_members', validGroups.map((groupId) => ({ group_id: groupId, user_id: user.id }))).execute();
      if (!active) await trx.deleteFrom('sessions').where('user_id', '=', user.id).execute();
      await c.var.services.audit.record({ tenantId: tenantOf(c).id, actor: { userId: actor.id, label: actor.email }, action: 'admin.user_updated', target: user.email, details: { role: form.data.role, active, groups: validGroups }, ip: clientIp(c) }, trx);
    });
    flash(c, 'success', t('common.saved'));
    return redirectTo(c, href(c, `/admin/users/${user.id}`));
  });
}
