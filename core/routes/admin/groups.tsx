import type { Context, Hono } from 'hono';
import type { AppEnv } from '../../http/app-env.js';
import type { SupportGroup } from '../../db/schema.js';
import { href, redirectTo, requirePermission, requireTenant, requireUser, scope } from '../../http/guards.js';
import { flash } from '../../http/flash.js';
import { parseForm } from '../../http/forms.js';
import { HttpError } from '../../http/http-error.js';
import { render } from '../../http/render.js';
import { FieldConflictError } from '../../people/field-error.js';
import { activeStaff, deleteGroup, findGroup, GROUP_LEVELS, GroupInUseError, groupSchema, listGroups, saveGroup } from '../../people/group-service.js';
import { Page } from '../../../views/components/page.js';
import { FormError, SelectField, TextField } from '../../../views/components/form.js';
import { recordAdminAction } from './audit.js';
import { GroupSignatureCard } from '../signature-settings.js';

type FormState = { errors?: Record<string, string> | undefined; values?: Record<string, string> | undefined };

function GroupFields(props: { c: Context<AppEnv>; state: FormState }) {
  const t = props.c.var.t;
  const { errors, values = {} } = props.state;
  return (
    <div class="form-row">
      <TextField name="name" label={t('common.name')} value={values.name} required maxlength={120} errors={errors} />
      <SelectField name="level" label={t('group.level')} value={values.level ?? 'first'} errors={errors}
        options={GROUP_LEVELS.map((level) => ({ value: level, label: t(`level.${level}`) }))} />
      <TextField name="email" type="email" label={t('group.email')} value={values.email} autocomplete="off" errors={errors} />
    </div>
  );
}

async function listPage(c: Context<AppEnv>, state: FormState = {}, status: 200 | 422 = 200) {
  const t = c.var.t;
  const groups = await listGroups(scope(c));
  return render(c, {
    title: t('admin.groups'),
    status,
    page: (
      <Page title={t('admin.groups')} crumbs={[{ label: t('nav.admin'), href: href(c, '/admin') }, { label: t('admin.groups') }]}>
        <section class="card">
          <div class="table-wrap">
            <table class="table" id="groups">
              <thead><tr><th>{t('common.name')}</th><th>{t('group.level')}</th><th>{t('group.email')}</th><th>{t('group.members')}</th></tr></thead>
              <tbody>
                {groups.map((g) => (
                  <tr>
                    <td><a href={href(c, `/admin/groups/${g.id}`)}>{g.name}</a></td>
                    <td><span class="badge">{t(`level.${g.level}`)}</span></td>
                    <td>{g.email ?? t('common.none')}</td>
                    <td>{Number(g.members)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {groups.length === 0 ? <p class="muted">{t('common.empty')}</p> : null}
        </section>
        <section class="card">
          <h2>{t('group.new')}</h2>
          <form method="post" action={href(c, '/admin/groups')} class="stack" id="new-group">
            <FormError message={state.errors ? t('error.invalid') : undefined} />
            <GroupFields c={c} state={state} />
            <button type="submit" class="button-primary">{t('common.create')}</button>
          </form>
        </section>
      </Page>
    ),
  });
}

async function loadGroup(c: Context<AppEnv>): Promise<SupportGroup> {
  const group = await findGroup(scope(c), Number(c.req.param('id')));
  if (!group) throw new HttpError(404, c.var.t('error.notFound'));
  return group;
}

async function groupPage(c: Context<AppEnv>, group: SupportGroup, state: FormState & { members?: number[] } = {}, status: 200 | 422 = 200) {
  const t = c.var.t;
  const tenantScope = scope(c);
  const [staffUsers, memberships] = await Promise.all([
    activeStaff(tenantScope),
    tenantScope.selectFrom('group_members').select('user_id').where('group_id', '=', group.id).execute(),
  ]);
  const members = new Set(state.members ?? memberships.map((m) => m.user_id));
  const values = state.values ?? { name: group.name, level: group.level, email: group.email ?? '' };
  return render(c, {
    title: group.name,
    status,
    page: (
      <Page title={group.name} crumbs={[{ label: t('admin.groups'), href: href(c, '/admin/groups') }, { label: group.name }]}>
        <section class="card">
          <form method="post" action={href(c, `/admin/groups/${group.id}`)} class="stack" id="group-form">
            <FormError message={state.errors ? t('error.invalid') : undefined} />
            <GroupFields c={c} state={{ errors: state.errors, values }} />
            <fieldset>
              <legend>{t('group.members')}</legend>
              {staffUsers.length ? (
                <div class="check-grid">
                  {staffUsers.map((u) => (
                    <div class="field field-check">
                      <input type="checkbox" id={`m-${u.id}`} name="members" value={String(u.id)} checked={members.has(u.id)} />
                      <label for={`m-${u.id}`}>{u.name} <span class="muted">{t(`role.${u.role}`)}</span></label>
                    </div>
                  ))}
                </div>
              ) : <p class="muted">{t('group.noStaff')}</p>}
            </fieldset>
            <button type="submit" class="button-primary">{t('common.save')}</button>
          </form>
        </section>
        <GroupSignatureCard c={c} group={group} />
        <section class="card">
          <form method="post" action={href(c, `/admin/groups/${group.id}/delete`)} hx-post={href(c, `/admin/groups/${group.id}/delete`)}
            hx-confirm={t('group.deleteConfirm')} class="stack" id="delete-group">
            <p class="muted">{t('group.deleteHint')}</p>
            <button type="submit" class="button-danger">{t('group.delete')}</button>
          </form>
        </section>
      </Page>
    ),
  });
}

/** Support groups (1st/2nd/3rd level, expert groups): list, create, edit with members, delete while unused. */
export function groupRoutes(app: Hono<AppEnv>): void {
  const guard = [requireTenant, requireUser, requirePermission('admin.groups')] as const;
  app.get('/admin/groups', ...guard, (c) => listPage(c));

  app.post('/admin/groups', ...guard, async (c) => {
    const t = c.var.t;
    const form = await parseForm(c, groupSchema);
    if (!form.ok) return listPage(c, form, 422);
    let id: number;
    try {
      id = await c.var.services.db.transaction().execute(async (trx) => {
        const saved = await saveGroup(scope(c).withDb(trx), form.data);
        await recordAdminAction(c, trx, 'admin.group_created', form.data.name, { id: saved.id, level: form.data.level, email: form.data.email, members: saved.members });
        return saved.id;
      });
    } catch (error) {
      if (error instanceof FieldConflictError) return listPage(c, { errors: { [error.field]: t(error.messageKey) }, values: form.values }, 422);
      throw error;
    }
    flash(c, 'success', t('group.created', { name: form.data.name }));
    return redirectTo(c, href(c, `/admin/groups/${id}`));
  });

  app.get('/admin/groups/:id', ...guard, async (c) => groupPage(c, await loadGroup(c)));

  app.post('/admin/groups/:id', ...guard, async (c) => {
    const t = c.var.t;
    const group = await loadGroup(c);
    const form = await parseForm(c, groupSchema);
    if (!form.ok) return groupPage(c, group, { errors: form.errors, values: form.values, members: await submittedMembers(c) }, 422);
    try {
      await c.var.services.db.transaction().execute(async (trx) => {
        const saved = await saveGroup(scope(c).withDb(trx), form.data, group.id);
        await recordAdminAction(c, trx, 'admin.group_updated', form.data.name, { id: group.id, level: form.data.level, email: form.data.email, members: saved.members });
      });
    } catch (error) {
      if (error instanceof FieldConflictError) {
        return groupPage(c, group, { errors: { [error.field]: t(error.messageKey) }, values: form.values, members: form.data.members }, 422);
      }
      throw error;
    }
    flash(c, 'success', t('common.saved'));
    return redirectTo(c, href(c, `/admin/groups/${group.id}`));
  });

  app.post('/admin/groups/:id/delete', ...guard, async (c) => {
    const t = c.var.t;
    const group = await loadGroup(c);
    try {
      await c.var.services.db.transaction().execute(async (trx) => {
        await deleteGroup(scope(c).withDb(trx), group.id);
        await recordAdminAction(c, trx, 'admin.group_deleted', group.name, { id: group.id, level: group.level });
      });
    } catch (error) {
      if (error instanceof GroupInUseError) throw new HttpError(409, t('group.inUse', { name: group.name, count: error.tickets }));
      throw error;
    }
    flash(c, 'success', t('group.deleted', { name: group.name }));
    return redirectTo(c, href(c, '/admin/groups'));
  });
}

/** The member checkboxes as submitted, so a refused form shows them as the user left them. */
async function submittedMembers(c: Context<AppEnv>): Promise<number[]> {
  const body = await c.req.parseBody({ all: true });
  const raw = body.members;
  return (raw === undefined ? [] : Array.isArray(raw) ? raw : [raw]).map(Number).filter(Number.isInteger);
}
