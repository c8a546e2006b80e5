import type { Context, Hono } from 'hono';
import { hashPassword, PASSWORD_MIN } from '../../auth/password.js';
import type { AppEnv } from '../../http/app-env.js';
import type { Person } from '../../db/schema.js';
import { href, redirectTo, requirePermission, requireTenant, requireUser, scope } from '../../http/guards.js';
import { flash } from '../../http/flash.js';
import { parseForm } from '../../http/forms.js';
import { HttpError } from '../../http/http-error.js';
import { render } from '../../http/render.js';
import { FieldConflictError } from '../../people/field-error.js';
import { findOrganisation } from '../../people/organisation-service.js';
import { findPerson, listPeople, PORTAL_ROLES, personSchema, savePerson, type PersonInput } from '../../people/person-service.js';
import { Page } from '../../../views/components/page.js';
import { Checkbox, FormError, SelectField, TextField } from '../../../views/components/form.js';
import { Pagination, pageParam } from '../../../views/components/pagination.js';
import { OrganisationPicker, organisationDisplay, pickedDisplay, resolvePicked } from '../desk/organisation-picker.js';
import { recordAdminAction } from './audit.js';
import { agentPageLink } from './agent-page-link.js';

const PAGE_SIZE = 25;

type FormState = { errors?: Record<string, string> | undefined; values?: Record<string, string> | undefined };

function valuesOf(person: Person): Record<string, string> {
  return {
    organisation_id: person.organisation_id === null ? '' : String(person.organisation_id), name: person.name, email: person.email ?? '',
    phone: person.phone ?? '', portal_role: person.portal_role, is_org_manager: person.is_org_manager ? '1' : '', locale: person.locale ?? '',
    active: person.active ? '1' : '',
  };
}

function PersonForm(props: { c: Context<AppEnv>; action: string; submit: string; state: FormState; organisationName: string | undefined; person?: Person }) {
  const { c, person } = props;
  const t = c.var.t;
  const { errors, values = {} } = props.state;
  return (
    <form method="post" action={props.action} class="stack" id="person-form">
      <FormError message={errors ? t('error.invalid') : undefined} />
      <div class="form-row">
        <TextField name="name" label={t('common.name')} value={values.name} required maxlength={120} errors={errors} />
        <OrganisationPicker c={c} name="organisation_id" label={t('admin.organisation')} value={values.organisation_id} display={props.organisationName} errors={errors} />
      </div>
      <div class="form-row">
        <TextField name="email" type="email" label={t('common.email')} value={values.email} autocomplete="off" errors={errors} />
        <TextField name="phone" type="tel" label={t('admin.phone')} value={values.phone} maxlength={60} autocomplete="off" errors={errors} />
      </div>
      <div class="form-row">
        <SelectField name="portal_role" label={t('person.portalRole')} value={values.portal_role ?? 'customer'} errors={errors}
          options={PORTAL_ROLES.map((role) => ({ value: role, label: t(`portalRole.${role}`) }))} />
        <SelectField name="locale" label={t('person.language')} value={values.locale} empty={t('person.languageDefault')} errors={errors}
          options={[{ value: 'de', label: t('lang.de') }, { value: 'en', label: t('lang.en') }]} />
        <TextField name="password" type="password" label={t('person.password')} autocomplete="new-password" errors={errors}
          hint={person ? `${t(person.password_hash ? 'person.passwordSet' : 'person.passwordNone')} ${t('person.passwordHintEdit')}` : t('person.passwordHintNew', { min: PASSWORD_MIN })} />
      </div>
      <div class="field field-check field-check-hint">
        <input type="checkbox" id="f-is_org_manager" name="is_org_manager" value="1" checked={values.is_org_manager === '1'} aria-describedby="is_org_manager-hint" />
        <label for="f-is_org_manager">{t('person.orgManager')}</label>
        <small id="is_org_manager-hint" class="hint">{t('person.orgManagerHint')}</small>
      </div>
      <Checkbox name="active" label={t('admin.active')} checked={values.active === '1'} />
      <button type="submit" class="button-primary">{props.submit}</button>
    </form>
  );
}

async function listPage(c: Context<AppEnv>) {
  const t = c.var.t;
  const tenantScope = scope(c);
  const page = pageParam(c.req.query('page'));
  const q = (c.req.query('q') ?? '').slice(0, 100);
  // Without JavaScript the organisation picker sends a typed name; it becomes the id here (or a field message).
  const query: Record<string, string | undefined> = c.req.query();
  const pickError = await resolvePicked(c, query, 'organisation');
  const organisationParam = Number(query.organisation);
  const organisationId = Number.isInteger(organisationParam) && organisationParam > 0 ? organisationParam : undefined;
  const [{ rows, total }, organisationName] = await Promise.all([
    listPeople(tenantScope, { q, organisationId, page, pageSize: PAGE_SIZE }),
    organisationId ? organisationDisplay(c, organisationId) : Promise.resolve(query.organisation_text),
  ]);
  const link = (p: number) => href(c, `/admin/people?${new URLSearchParams({ ...(q ? { q } : {}), ...(organisationId ? { organisation: String(organisationId) } : {}), page: String(p) })}`);
  return render(c, {
    title: t('admin.people'),
    status: pickError ? 422 : 200,
    page: (
      <Page title={t('admin.people')} crumbs={[{ label: t('nav.admin'), href: href(c, '/admin') }, { label: t('admin.people') }]}
        actions={<a class="button-primary" href={href(c, `/admin/people/new${organisationId ? `?organisation=${organisationId}` : ''}`)}>{t('person.new')}</a>}>
        <section class="card">
          <form method="get" action={href(c, '/admin/people')} class="search-bar" role="search">
            <TextField name="q" type="search" label={t('person.searchLabel')} value={q} maxlength={100} />
            <OrganisationPicker c={c} name="organisation" label={t('admin.organisation')} value={organisationId} display={organisationName}
              errors={pickError ? { organisation: pickError } : undefined} />
            <button type="submit" class="button">{t('admin.filter')}</button>
          </form>
          <div class="table-wrap">
            <table class="table" id="people">
              <thead><tr><th>{t('common.name')}</th><th>{t('common.email')}</th><th>{t('admin.organisation')}</th><th>{t('person.portalRole')}</th><th>{t('admin.active')}</th></tr></thead>
              <tbody>
                {rows.map((p) => (
                  <tr>
                    <td><a href={href(c, `/admin/people/${p.id}`)}>{p.name}</a>{p.is_org_manager ? <> <span class="badge">{t('person.manager')}</span></> : null}</td>
                    <td>{p.email ?? t('common.none')}</td>
                    <td>{p.organisation_id !== null ? <a href={href(c, `/admin/organisations/${p.organisation_id}`)}>{p.organisation_name}</a> : t('common.none')}</td>
                    <td>{t(`portalRole.${p.portal_role}`)}</td>
                    <td>{p.active ? <span class="badge badge-on">{t('common.yes')}</span> : <span class="badge badge-off">{t('admin.inactive')}</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {rows.length === 0 ? <p class="muted">{t('common.empty')}</p> : null}
          <Pagination page={page} pageSize={PAGE_SIZE} total={total} link={link} t={t} />
        </section>
      </Page>
    ),
  });
}

async function newPage(c: Context<AppEnv>, state: FormState = {}, status: 200 | 422 = 200) {
  const t = c.var.t;
  const values = state.values ?? { organisation_id: c.req.query('organisation') ?? '', portal_role: 'customer', active: '1' };
  const organisationName = await pickedDisplay(c, values, 'organisation_id');
  return render(c, {
    title: t('person.new'),
    status,
    page: (
      <Page title={t('person.new')} crumbs={[{ label: t('admin.people'), href: href(c, '/admin/people') }, { label: t('person.new') }]}>
        <section class="card">
          <PersonForm c={c} action={href(c, '/admin/people')} submit={t('common.create')} organisationName={organisationName} state={{ errors: state.errors, values }} />
        </section>
      </Page>
    ),
  });
}

async function loadPerson(c: Context<AppEnv>): Promise<Person> {
  const person = await findPerson(scope(c), Number(c.req.param('id')));
  if (!person) throw new HttpError(404, c.var.t('error.notFound'));
  return person;
}

async function editPage(c: Context<AppEnv>, person: Person, state: FormState = {}, status: 200 | 422 = 200) {
  const t = c.var.t;
  const tenantScope = scope(c);
  const values = state.values ?? valuesOf(person);
  const [organisation, organisationName] = await Promise.all([
    person.organisation_id === null ? undefined : findOrganisation(tenantScope, person.organisation_id),
    pickedDisplay(c, values, 'organisation_id'),
  ]);
  return render(c, {
    title: person.name,
    status,
    page: (
      <Page title={person.name} crumbs={[
        { label: t('admin.people'), href: href(c, '/admin/people') },
        ...(organisation ? [{ label: organisation.name, href: href(c, `/admin/organisations/${organisation.id}`) }] : []),
        { label: person.name },
      ]} actions={agentPageLink(c, `/desk/people/${person.id}`)}>
        <section class="card">
          <PersonForm c={c} action={href(c, `/admin/people/${person.id}`)} submit={t('common.save')} person={person} organisationName={organisationName}
            state={{ errors: state.errors, values }} />
        </section>
      </Page>
    ),
  });
}

/** The form as it is stored: the password hashed outside the transaction (scrypt takes its time). */
async function withPasswordHash(c: Context<AppEnv>, data: PersonInput) {
  const { password, ...rest } = data;
  return { ...rest, passwordHash: password ? await hashPassword(password, c.var.services.config.scryptLogN) : null };
}

/** Without JavaScript the organisation picker posts a typed name: resolved into the parsed form, or a field message. */
async function pickOrganisation(c: Context<AppEnv>, form: { data: PersonInput; values: Record<string, string> }): Promise<string | undefined> {
  const values: Record<string, string | undefined> = form.values;
  if (!('organisation_id_text' in values)) return undefined;
  const error = await resolvePicked(c, values, 'organisation_id');
  if (error) return error;
  form.data.organisation_id = values.organisation_id ? Number(values.organisation_id) : null;
  return undefined;
}

/** Contact persons: list with search and organisation filter, create, edit, portal password, deactivation. */
export function peopleRoutes(app: Hono<AppEnv>): void {
  const guard = [requireTenant, requireUser, requirePermission('people.manage')] as const;
  app.get('/admin/people', ...guard, (c) => listPage(c));
  app.get('/admin/people/new', ...guard, (c) => newPage(c));

  app.post('/admin/people', ...guard, async (c) => {
    const t = c.var.t;
    const form = await parseForm(c, personSchema);
    if (!form.ok) return newPage(c, form, 422);
    const pickError = await pickOrganisation(c, form);
    if (pickError) return newPage(c, { errors: { organisation_id: pickError }, values: form.values }, 422);
    const input = await withPasswordHash(c, form.data);
    let id: number;
    try {
      id = await c.var.services.db.transaction().execute(async (trx) => {
        const saved = await savePerson(scope(c).withDb(trx), input);
        await recordAdminAction(c, trx, 'admin.person_created', input.email ?? input.name,
          { id: saved.id, organisation: input.organisation_id, portalRole: input.portal_role, password: input.passwordHash !== null });
        return saved.id;
      });
    } catch (error) {
      if (error instanceof FieldConflictError) return newPage(c, { errors: { [error.field]: t(error.messageKey) }, values: form.values }, 422);
      throw error;
    }
    flash(c, 'success', t('person.created', { name: input.name }));
    return redirectTo(c, href(c, `/admin/people/${id}`));
  });

  app.get('/admin/people/:id', ...guard, async (c) => editPage(c, await loadPerson(c)));

  app.post('/admin/people/:id', ...guard, async (c) => {
    const t = c.var.t;
    const person = await loadPerson(c);
    const form = await parseForm(c, personSchema);
    if (!form.ok) return editPage(c, person, form, 422);
    const pickError = await pickOrganisation(c, form);
    if (pickError) return editPage(c, person, { errors: { organisation_id: pickError }, values: form.values }, 422);
    const input = await withPasswordHash(c, form.data);
    let sessionsEnded: boolean;
    try {
      sessionsEnded = await c.var.services.db.transaction().execute(async (trx) => {
        const saved = await savePerson(scope(c).withDb(trx), input, person.id);
        await recordAdminAction(c, trx, 'admin.person_updated', input.email ?? input.name, {
          id: person.id, organisation: input.organisation_id, portalRole: input.portal_role, active: input.active,
          ...(input.passwordHash ? { passwordChanged: true } : {}),
        });
        return saved.sessionsEnded;
      });
    } catch (error) {
      if (error instanceof FieldConflictError) return editPage(c, person, { errors: { [error.field]: t(error.messageKey) }, values: form.values }, 422);
      throw error;
    }
    flash(c, 'success', t(sessionsEnded ? 'person.sessionsEnded' : 'common.saved'));
    return redirectTo(c, href(c, `/admin/people/${person.id}`));
  });
}
