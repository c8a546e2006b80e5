import type { Context, Hono } from 'hono';
import type { AppEnv } from '../../http/app-env.js';
import type { Organisation } from '../../db/schema.js';
import { href, redirectTo, requirePermission, requireTenant, requireUser, scope } from '../../http/guards.js';
import { flash } from '../../http/flash.js';
import { parseForm } from '../../http/forms.js';
import { HttpError } from '../../http/http-error.js';
import { render } from '../../http/render.js';
import { formatDate } from '../../i18n/format.js';
import { organisationContracts } from '../../people/contract-service.js';
import { FieldConflictError } from '../../people/field-error.js';
import { findOrganisation, formatDomains, listOrganisations, organisationSchema, saveOrganisation } from '../../people/organisation-service.js';
import { listPeople } from '../../people/person-service.js';
import { Page } from '../../../views/components/page.js';
import { FormError, TextArea, TextField } from '../../../views/components/form.js';
import { Pagination, pageParam } from '../../../views/components/pagination.js';
import { recordAdminAction } from './audit.js';
import { agentPageLink } from './agent-page-link.js';

const PAGE_SIZE = 25;
const PEOPLE_ON_DETAIL = 50;

type FormState = { errors?: Record<string, string> | undefined; values?: Record<string, string> | undefined };

function valuesOf(organisation: Organisation): Record<string, string> {
  return {
    name: organisation.name, number: organisation.number ?? '', email_domains: formatDomains(organisation.email_domains),
    phone: organisation.phone ?? '', address: organisation.address ?? '', notes: organisation.notes ?? '',
  };
}

function OrganisationForm(props: { c: Context<AppEnv>; action: string; submit: string; state: FormState }) {
  const t = props.c.var.t;
  const { errors, values = {} } = props.state;
  return (
    <form method="post" action={props.action} class="stack" id="organisation-form">
      <FormError message={errors ? t('error.invalid') : undefined} />
      <div class="form-row">
        <TextField name="name" label={t('common.name')} value={values.name} required maxlength={200} errors={errors} />
        <TextField name="number" label={t('organisation.number')} value={values.number} maxlength={40} errors={errors} />
        <TextField name="phone" type="tel" label={t('admin.phone')} value={values.phone} maxlength={60} autocomplete="off" errors={errors} />
      </div>
      <TextField name="email_domains" label={t('organisation.domains')} value={values.email_domains} hint={t('organisation.domainsHint')} errors={errors} />
      <div class="form-row">
        <TextArea name="address" label={t('organisation.address')} value={values.address} rows={3} errors={errors} />
        <TextArea name="notes" label={t('organisation.notes')} value={values.notes} rows={3} errors={errors} />
      </div>
      <button type="submit" class="button-primary">{props.submit}</button>
    </form>
  );
}

async function listPage(c: Context<AppEnv>) {
  const t = c.var.t;
  const page = pageParam(c.req.query('page'));
  const q = (c.req.query('q') ?? '').slice(0, 100);
  const { rows, total } = await listOrganisations(scope(c), { q, page, pageSize: PAGE_SIZE });
  const link = (p: number) => href(c, `/admin/organisations?${new URLSearchParams({ ...(q ? { q } : {}), page: String(p) })}`);
  return render(c, {
    title: t('admin.organisations'),
    page: (
      <Page title={t('admin.organisations')} crumbs={[{ label: t('nav.admin'), href: href(c, '/admin') }, { label: t('admin.organisations') }]}
        actions={<a class="button-primary" href={href(c, '/admin/organisations/new')}>{t('organisation.new')}</a>}>
        <section class="card">
          <form method="get" action={href(c, '/admin/organisations')} class="search-bar" role="search">
            <TextField name="q" type="search" label={t('organisation.searchLabel')} value={q} maxlength={100} />
            <button type="submit" class="button">{t('admin.search')}</button>
          </form>
          <div class="table-wrap">
            <table class="table" id="organisations">
              <thead><tr><th>{t('common.name')}</th><th>{t('organisation.number')}</th><th>{t('organisation.domains')}</th><th>{t('admin.phone')}</th></tr></thead>
              <tbody>
                {rows.map((o) => (
                  <tr>
                    <td><a href={href(c, `/admin/organisations/${o.id}`)}>{o.name}</a></td>
                    <td>{o.number ?? t('common.none')}</td>
                    <td>{formatDomains(o.email_domains) || t('common.none')}</td>
                    <td class="nowrap">{o.phone ?? t('common.none')}</td>
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

function newPage(c: Context<AppEnv>, state: FormState = {}, status: 200 | 422 = 200) {
  const t = c.var.t;
  return render(c, {
    title: t('organisation.new'),
    status,
    page: (
      <Page title={t('organisation.new')} crumbs={[{ label: t('admin.organisations'), href: href(c, '/admin/organisations') }, { label: t('organisation.new') }]}>
        <section class="card">
          <OrganisationForm c={c} action={href(c, '/admin/organisations')} submit={t('common.create')} state={state} />
        </section>
      </Page>
    ),
  });
}

async function loadOrganisation(c: Context<AppEnv>): Promise<Organisation> {
  const organisation = await findOrganisation(scope(c), Number(c.req.param('id')));
  if (!organisation) throw new HttpError(404, c.var.t('error.notFound'));
  return organisation;
}

async function detailPage(c: Context<AppEnv>, organisation: Organisation, state: FormState = {}, status: 200 | 422 = 200) {
  const t = c.var.t;
  const tenantScope = scope(c);
  const [people, contracts] = await Promise.all([
    listPeople(tenantScope, { organisationId: organisation.id, page: 1, pageSize: PEOPLE_ON_DETAIL }),
    organisationContracts(tenantScope, organisation.id),
  ]);
  const canContracts = c.var.can('admin.contracts');
  const base = `/admin/organisations/${organisation.id}`;
  return render(c, {
    title: organisation.name,
    status,
    page: (
      <Page title={organisation.name} crumbs={[{ label: t('admin.organisations'), href: href(c, '/admin/organisations') }, { label: organisation.name }]}
        actions={agentPageLink(c, `/desk/organisations/${organisation.id}`)}>
        <section class="card">
          <h2>{t('organisation.details')}</h2>
          <OrganisationForm c={c} action={href(c, base)} submit={t('common.save')} state={{ errors: state.errors, values: state.values ?? valuesOf(organisation) }} />
        </section>
        <div class="grid-2">
          <section class="card" id="organisation-people">
            <div class="card-head">
              <h2>{t('admin.people')}</h2>
              <a class="button-small" href={href(c, `/admin/people/new?organisation=${organisation.id}`)}>{t('organisation.addPerson')}</a>
            </div>
            {people.rows.length ? (
              <div class="table-wrap">
                <table class="table">
                  <thead><tr><th>{t('common.name')}</th><th>{t('common.email')}</th><th>{t('person.portalRole')}</th></tr></thead>
                  <tbody>
                    {people.rows.map((p) => (
                      <tr>
                        <td>
                          <a href={href(c, `/admin/people/${p.id}`)}>{p.name}</a>
                          {p.is_org_manager ? <> <span class="badge">{t('person.manager')}</span></> : null}
                          {p.active ? null : <> <span class="badge badge-off">{t('admin.inactive')}</span></>}
                        </td>
                        <td>{p.email ?? t('common.none')}</td>
                        <td>{t(`portalRole.${p.portal_role}`)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : <p class="muted">{t('organisation.noPeople')}</p>}
            {people.total > PEOPLE_ON_DETAIL ? (
              <p><a href={href(c, `/admin/people?organisation=${organisation.id}`)}>{t('common.total', { count: people.total })}</a></p>
            ) : null}
          </section>
          <section class="card" id="organisation-contracts">
            <div class="card-head">
              <h2>{t('organisation.contracts')}</h2>
              {canContracts ? <a class="button-small" href={href(c, `${base}/contracts/new`)}>{t('contract.new')}</a> : null}
            </div>
            {contracts.length ? (
              <div class="table-wrap">
                <table class="table">
                  <thead><tr><th>{t('common.name')}</th><th>{t('contract.number')}</th><th>{t('contract.validFrom')}</th><th>{t('contract.validTo')}</th></tr></thead>
                  <tbody>
                    {contracts.map((contract) => (
                      <tr>
                        <td>{canContracts ? <a href={href(c, `${base}/contracts/${contract.id}`)}>{contract.name}</a> : contract.name}</td>
                        <td>{contract.number}</td>
                        <td class="nowrap">{formatDate(contract.valid_from, c.var.dates)}</td>
                        <td class="nowrap">{formatDate(contract.valid_to, c.var.dates)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : <p class="muted">{t('contract.none')}</p>}
          </section>
        </div>
      </Page>
    ),
  });
}

/** Customers (organisations): list with search, create, edit; the detail page shows their people and contracts. */
export function organisationRoutes(app: Hono<AppEnv>): void {
  const guard = [requireTenant, requireUser, requirePermission('people.manage')] as const;
  app.get('/admin/organisations', ...guard, (c) => listPage(c));
  app.get('/admin/organisations/new', ...guard, (c) => newPage(c));

  app.post('/admin/organisations', ...guard, async (c) => {
    const t = c.var.t;
    const form = await parseForm(c, organisationSchema);
    if (!form.ok) return newPage(c, form, 422);
    let id: number;
    try {
      id = await c.var.services.db.transaction().execute(async (trx) => {
        const created = await saveOrganisation(scope(c).withDb(trx), form.data);
        await recordAdminAction(c, trx, 'admin.organisation_created', form.data.name, { id: created, number: form.data.number });
        return created;
      });
    } catch (error) {
      if (error instanceof FieldConflictError) return newPage(c, { errors: { [error.field]: t(error.messageKey) }, values: form.values }, 422);
      throw error;
    }
    flash(c, 'success', t('organisation.created', { name: form.data.name }));
    return redirectTo(c, href(c, `/admin/organisations/${id}`));
  });

  app.get('/admin/organisations/:id', ...guard, async (c) => detailPage(c, await loadOrganisation(c)));

  app.post('/admin/organisations/:id', ...guard, async (c) => {
    const t = c.var.t;
    const organisation = await loadOrganisation(c);
    const form = await parseForm(c, organisationSchema);
    if (!form.ok) return detailPage(c, organisation, form, 422);
    try {
      await c.var.services.db.transaction().execute(async (trx) => {
        await saveOrganisation(scope(c).withDb(trx), form.data, organisation.id);
        await recordAdminAction(c, trx, 'admin.organisation_updated', form.data.name, { id: organisation.id, number: form.data.number });
      });
    } catch (error) {
      if (error instanceof FieldConflictError) return detailPage(c, organisation, { errors: { [error.field]: t(error.messageKey) }, values: form.values }, 422);
      throw error;
    }
    flash(c, 'success', t('common.saved'));
    return redirectTo(c, href(c, `/admin/organisations/${organisation.id}`));
  });
}
