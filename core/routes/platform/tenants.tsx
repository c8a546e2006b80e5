import type { Context, Hono } from 'hono';
import { sql } from 'kysely';

import type { AppEnv } from '../../http/app-env.js';
import { clientIp, redirectTo, requirePermission, requireUser, staff } from '../../http/guards.js';
import { flash } from '../../http/flash.js';
import { parseForm } from '../../http/forms.js';
import { render } from '../../http/render.js';
import { formatDateTime } from '../../i18n/format.js';
import { createTenant, newTenantSchema, TenantConflictError } from '../../tenancy/tenant-service.js';
import { Page } from '../../../views/components/page.js';
import { FormError, SelectField, TextField } from '../../../views/components/form.js';
import { Pagination, pageParam } from '../../../views/components/pagination.js';
import { platformOnly } from './platform-guard.js';
import { DEFAULT_TIME_ZONE } from '../../i18n/time-zone.js';
import { TimeZoneField } from '../../../views/components/time-zone-field.js';

const PAGE_SIZE = 25;

function NewTenantForm(props: { c: Context<AppEnv>; values?: Record<string, string>; errors?: Record<string, string> }) {
  const t = props.c.var.t;
  return (
    <form method="post" action="/platform/tenants" class="stack" id="new-tenant">
      <FormError message={props.errors ? t('error.invalid') : undefined} />
      <div class="form-row">
        <TextField name="slug" label={t('platform.slug')} value={props.values?.slug} required maxlength={40} hint={t('platform.slugHint')} errors={props.errors} />
        <TextField name="name" label={t('common.name')} value={props.values?.name} required maxlength={120} errors={props.errors} />
        <SelectField name="locale" label={t('platform.locale')} value={props.values?.locale ?? 'de'} errors={props.errors}
          options={[{ value: 'de', label: t('lang.de') }, { value: 'en', label: t('lang.en') }]} />
        <TimeZoneField value={props.values?.time_zone ?? DEFAULT_TIME_ZONE} errors={props.errors} t={t} />
      </div>
      <button type="submit" class="button-primary">{t('common.create')}</button>
    </form>
  );
}

async function tenantList(c: Context<AppEnv>, form: { values?: Record<string, string>; errors?: Record<string, string> } = {}, status: 200 | 422 = 200) {
  const t = c.var.t;
  const { db } = c.var.services;
  const page = pageParam(c.req.query('page'));
  const [rows, total, hosts, plugins] = await Promise.all([
    db.selectFrom('tenants').select(['id', 'slug', 'name', 'locale', 'created_at']).orderBy('name').limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE).execute(),
    db.selectFrom('tenants').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    db.selectFrom('tenant_hosts').select(['tenant_id', 'host']).execute(),
    db.selectFrom('tenant_plugins').select(['tenant_id', sql<number>`count(*)`.as('n')]).where('enabled', '=', 1).groupBy('tenant_id').execute(),
  ]);
  const pluginCount = new Map(plugins.map((p) => [p.tenant_id, Number(p.n)]));
  return render(c, {
    title: t('platform.tenants'),
    status,
    page: (
      <Page title={t('platform.tenants')} actions={<><a class="button" href="/platform/seats" id="seats-link">{t('seats.overviewLink')}</a><a class="button" href="/platform/outbox">{t('platform.outbox')}</a><a class="button" href="/platform/audit">{t('platform.audit')}</a></>}>
        <section class="card">
          <div class="table-wrap">
            <table class="table" id="tenants">
              <thead><tr><th>{t('common.name')}</th><th>{t('platform.slug')}</th><th>{t('platform.hosts')}</th><th>{t('platform.plugins')}</th><th>{t('platform.created')}</th></tr></thead>
              <tbody>
                {rows.map((row) => (
                  <tr>
                    <td><a href={`/platform/tenants/${row.id}`}>{row.name}</a></td>
                    <td><a href={`/t/${row.slug}/login`}>/t/{row.slug}/</a></td>
                    <td>{hosts.filter((h) => h.tenant_id === row.id).map((h) => h.host).join(', ') || t('common.none')}</td>
                    <td>{pluginCount.get(row.id) ?? 0}</td>
                    <td>{formatDateTime(row.created_at, c.var.dates)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pagination page={page} pageSize={PAGE_SIZE} total={Number(total.n)} link={(p) => `/platform?page=${p}`} t={t} />
        </section>
        <section class="card">
          <h2>{t('platform.newTenant')}</h2>
          <NewTenantForm c={c} values={form.values} errors={form.errors} />
        </section>
      </Page>
    ),
  });
}

export function tenantListRoutes(app: Hono<AppEnv>): void {
  const guard = [platformOnly, requireUser, requirePermission('platform.tenants')] as const;
  app.get('/platform', ...guard, (c) => tenantList(c));

  app.post('/platform/tenants', ...guard, async (c) => {
    const t = c.var.t;
    const form = await parseForm(c, newTenantSchema);
    if (!form.ok) return tenantList(c, { values: form.values, errors: form.errors }, 422);
    try {
      const tenant = await createTenant(c.var.services.db, form.data);
      const user = staff(c);
      await c.var.services.audit.record({ tenantId: tenant.id, actor: { userId: user.id, label: user.email }, action: 'platform.tenant_created', target: tenant.slug, ip: clientIp(c) });
      flash(c, 'success', t('platform.tenantCreated', { name: tenant.name }));
      return redirectTo(c, `/platform/tenants/${tenant.id}`);
    } catch (error) {
      if (error instanceof TenantConflictError) return tenantList(c, { values: form.values, errors: { slug: t('tenant.slugTaken') } }, 422);
      throw error;
    }
  });
}
