import type { Context, Hono } from 'hono';
import type { AppEnv } from '../../http/app-env.js';
import type { Contract, Organisation } from '../../db/schema.js';
import { href, redirectTo, requirePermission, requireTenant, requireUser, scope } from '../../http/guards.js';
import { flash } from '../../http/flash.js';
import { parseForm } from '../../http/forms.js';
import { HttpError } from '../../http/http-error.js';
import { render } from '../../http/render.js';
import { contractSchema, findContract, saveContract } from '../../people/contract-service.js';
import { FieldConflictError } from '../../people/field-error.js';
import { findOrganisation } from '../../people/organisation-service.js';
import { Page } from '../../../views/components/page.js';
import { FormError, TextField } from '../../../views/components/form.js';
import { recordAdminAction } from './audit.js';
import { agentPageLink } from './agent-page-link.js';

type FormState = { errors?: Record<string, string> | undefined; values?: Record<string, string> | undefined };

async function loadOrganisation(c: Context<AppEnv>): Promise<Organisation> {
  const organisation = await findOrganisation(scope(c), Number(c.req.param('id')));
  if (!organisation) throw new HttpError(404, c.var.t('error.notFound'));
  return organisation;
}

async function loadContract(c: Context<AppEnv>, organisation: Organisation): Promise<Contract> {
  const contract = await findContract(scope(c), organisation.id, Number(c.req.param('contractId')));
  if (!contract) throw new HttpError(404, c.var.t('error.notFound'));
  return contract;
}

function contractPage(c: Context<AppEnv>, organisation: Organisation, contract: Contract | undefined, state: FormState = {}, status: 200 | 422 = 200) {
  const t = c.var.t;
  const base = `/admin/organisations/${organisation.id}`;
  const title = contract ? contract.name : t('contract.new');
  const values = state.values ?? (contract
    ? { name: contract.name, number: contract.number, valid_from: contract.valid_from ?? '', valid_to: contract.valid_to ?? '' }
    : {});
  const { errors } = state;
  return render(c, {
    title,
    status,
    page: (
      <Page title={title} crumbs={[
        ...(c.var.can('people.manage') ? [{ label: t('admin.organisations'), href: href(c, '/admin/organisations') }] : []),
        { label: organisation.name, href: href(c, base) },
        { label: title },
      ]} actions={contract ? agentPageLink(c, `/desk/contracts/${contract.id}`) : undefined}>
        <section class="card">
          <form method="post" action={href(c, contract ? `${base}/contracts/${contract.id}` : `${base}/contracts`)} class="stack" id="contract-form">
            <FormError message={errors ? t('error.invalid') : undefined} />
            <div class="form-row">
              <TextField name="name" label={t('common.name')} value={values.name} required maxlength={200} errors={errors} />
              <TextField name="number" label={t('contract.number')} value={values.number} required maxlength={60} errors={errors} />
            </div>
            <div class="form-row">
              <TextField name="valid_from" type="date" label={t('contract.validFrom')} value={values.valid_from} errors={errors} />
              <TextField name="valid_to" type="date" label={t('contract.validTo')} value={values.valid_to} errors={errors} />
            </div>
            <button type="submit" class="button-primary">{contract ? t('common.save') : t('common.create')}</button>
          </form>
        </section>
      </Page>
    ),
  });
}

/** Contracts of a customer: created and edited from the organisation's page. */
export function contractRoutes(app: Hono<AppEnv>): void {
  const guard = [requireTenant, requireUser, requirePermission('admin.contracts')] as const;

  app.get('/admin/organisations/:id/contracts/new', ...guard, async (c) => contractPage(c, await loadOrganisation(c), undefined));

  app.post('/admin/organisations/:id/contracts', ...guard, async (c) => {
    const t = c.var.t;
    const organisation = await loadOrganisation(c);
    const form = await parseForm(c, contractSchema);
    if (!form.ok) return contractPage(c, organisation, undefined, form, 422);
    try {
      await c.var.services.db.transaction().execute(async (trx) => {
        const id = await saveContract(scope(c).withDb(trx), organisation.id, form.data);
        await recordAdminAction(c, trx, 'admin.contract_created', form.data.number,
          { id, organisation: organisation.id, name: form.data.name, validFrom: form.data.valid_from, validTo: form.data.valid_to });
      });
    } catch (error) {
      if (error instanceof FieldConflictError) return contractPage(c, organisation, undefined, { errors: { [error.field]: t(error.messageKey) }, values: form.values }, 422);
      throw error;
    }
    flash(c, 'success', t('contract.created', { number: form.data.number }));
    return redirectTo(c, href(c, `/admin/organisations/${organisation.id}`));
  });

  app.get('/admin/organisations/:id/contracts/:contractId', ...guard, async (c) => {
    const organisation = await loadOrganisation(c);
    return contractPage(c, organisation, await loadContract(c, organisation));
  });

  app.post('/admin/organisations/:id/contracts/:contractId', ...guard, async (c) => {
    const t = c.var.t;
    const organisation = await loadOrganisation(c);
    const contract = await loadContract(c, organisation);
    const form = await parseForm(c, contractSchema);
    if (!form.ok) return contractPage(c, organisation, contract, form, 422);
    try {
      await c.var.services.db.transaction().execute(async (trx) => {
        await saveContract(scope(c).withDb(trx), organisation.id, form.data, contract.id);
        await recordAdminAction(c, trx, 'admin.contract_updated', form.data.number,
          { id: contract.id, organisation: organisation.id, name: form.data.name, validFrom: form.data.valid_from, validTo: form.data.valid_to });
      });
    } catch (error) {
      if (error instanceof FieldConflictError) return contractPage(c, organisation, contract, { errors: { [error.field]: t(error.messageKey) }, values: form.values }, 422);
      throw error;
    }
    flash(c, 'success', t('common.saved'));
    return redirectTo(c, href(c, `/admin/organisations/${organisation.id}`));
  });
}
