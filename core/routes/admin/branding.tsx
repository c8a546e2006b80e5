import type { Context, Hono } from 'hono';
import { scheduleHotlineRebuild } from '../../statistics/hotline-aggregate.js';
import { z } from 'zod';
import type { AppEnv } from '../../http/app-env.js';
import { clientIp, href, redirectTo, requirePermission, requireTenant, requireUser, staff, tenantOf } from '../../http/guards.js';
import { flash } from '../../http/flash.js';
import { fieldErrors } from '../../http/forms.js';
import { render } from '../../http/render.js';
import { sniffImageType } from '../../files/image-type.js';
import { timeZoneSchema, updateTenantBranding } from '../../tenancy/tenant-service.js';
import { TimeZoneField } from '../../../views/components/time-zone-field.js';
import { Page } from '../../../views/components/page.js';
import { FormError, SelectField, TextField } from '../../../views/components/form.js';

const MAX_LOGO_BYTES = 1024 * 1024;
const color = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'admin.colorFormat');

const brandingSchema = z.object({
  name: z.string().trim().min(1).max(120),
  locale: z.enum(['de', 'en']),
  primary_color: color,
  accent_color: color,
  mail_from_name: z.string().trim().max(120).transform((v) => v || null),
  mail_from_address: z.union([z.literal(''), z.string().trim().toLowerCase().pipe(z.email())]).transform((v) => v || null),
  time_zone: timeZoneSchema,
});

async function brandingPage(c: Context<AppEnv>, state: { errors?: Record<string, string>; values?: Record<string, string> } = {}, status: 200 | 422 = 200) {
  const t = c.var.t;
  const tenant = tenantOf(c);
  const value = (key: keyof typeof tenant) => state.values?.[key] ?? (tenant[key] === null ? '' : String(tenant[key]));
  return render(c, {
    title: t('admin.branding'),
    status,
    page: (
      <Page title={t('admin.branding')} crumbs={[{ label: t('nav.admin'), href: href(c, '/admin') }, { label: t('admin.branding') }]}>
        <section class="card">
          <FormError message={state.errors ? t('error.invalid') : undefined} />
          <form method="post" action={href(c, '/admin/branding')} enctype="multipart/form-data" class="stack">
            <div class="form-row">
              <TextField name="name" label={t('common.name')} value={value('name')} required maxlength={120} errors={state.errors} />
              <SelectField name="locale" label={t('admin.locale')} value={value('locale')} errors={state.errors}
                options={[{ value: 'de', label: t('lang.de') }, { value: 'en', label: t('lang.en') }]} />
              <TimeZoneField value={value('time_zone')} errors={state.errors} t={t} />
            </div>
            <div class="form-row">
              <TextField name="primary_color" type="color" label={t('admin.primaryColor')} value={value('primary_color')} errors={state.errors} />
              <TextField name="accent_color" type="color" label={t('admin.accentColor')} value={value('accent_color')} errors={state.errors} />
            </div>
            <div class="form-row">
              <TextField name="mail_from_name" label={t('admin.mailFromName')} value={value('mail_from_name')} maxlength={120} errors={state.errors} />
              <TextField name="mail_from_address" type="email" label={t('admin.mailFromAddress')} value={value('mail_from_address')} errors={state.errors} />
            </div>
            <div class={`field${state.errors?.logo ? ' field-invalid' : ''}`}>
              <label for="f-logo">{t('admin.logo')}</label>
              {tenant.logo_file ? <img src={href(c, `/logo?v=${tenant.logo_file.slice(0, 12)}`)} alt="" class="logo-preview" /> : null}
              <input id="f-logo" name="logo" type="file" accept="image/png,image/jpeg,image/webp,image/svg+xml" aria-describedby="logo-hint" />
              <small id="logo-hint" class="hint">{t('admin.logoHint')}</small>
              {state.errors?.logo ? <small class="field-error">{state.errors.logo}</small> : null}
            </div>
            <button type="submit" class="button-primary">{t('common.save')}</button>
          </form>
          {tenant.logo_file ? (
            <form method="post" action={href(c, '/admin/branding/logo/remove')}>
              <button type="submit" class="button">{t('admin.logoRemove')}</button>
            </form>
          ) : null}
        </section>
      </Page>
    ),
  });
}

export function brandingRoutes(app: Hono<AppEnv>): void {
  const guard = [requireTenant, requireUser, requirePermission('admin.branding')] as const;
  app.get('/admin/branding', ...guard, (c) => brandingPage(c));

  app.post('/admin/branding', ...guard, async (c) => {
    const t = c.var.t;
    const tenant = tenantOf(c);
    const body = await c.req.parseBody();
    const values = Object.fromEntries(Object.entries(body).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
    // A form without the zone (older pages, scripts) keeps the tenant's.
    values.time_zone ??= tenant.time_zone;
    const parsed = brandingSchema.safeParse(values);
    const errors = parsed.success ? {} : fieldErrors(parsed.error, t);
    let logo: { bytes: Uint8Array; type: string } | undefined;
    if (body.logo instanceof File && body.logo.size > 0) {
      const bytes = new Uint8Array(await body.logo.arrayBuffer());
      const type = sniffImageType(bytes);
      if (bytes.byteLength > MAX_LOGO_BYTES) errors.logo = t('admin.logoSize');
      else if (!type) errors.logo = t('admin.logoType');
      else logo = { bytes, type };
    }
    if (!parsed.success || Object.keys(errors).length) return brandingPage(c, { errors, values }, 422);
    const { db, files, audit } = c.var.services;
    const logoFile = logo ? await files.put(tenant.id, logo.bytes, logo.type) : undefined;
    await updateTenantBranding(db, tenant.id, { ...parsed.data, ...(logoFile ? { logo_file: logoFile } : {}) });
    if (parsed.data.time_zone !== tenant.time_zone) await scheduleHotlineRebuild(db, c.var.services.clock, tenant.id);
    const user = staff(c);
    await audit.record({ tenantId: tenant.id, actor: { userId: user.id, label: user.email }, action: 'admin.branding_updated', details: { ...parsed.data, logo: Boolean(logoFile) }, ip: clientIp(c) });
    flash(c, 'success', t('common.saved'));
    return redirectTo(c, href(c, '/admin/branding'));
  });

  app.post('/admin/branding/logo/remove', ...guard, async (c) => {
    const tenant = tenantOf(c);
    const user = staff(c);
    await updateTenantBranding(c.var.services.db, tenant.id, { logo_file: null });
    await c.var.services.audit.record({ tenantId: tenant.id, actor: { userId: user.id, label: user.email }, action: 'admin.logo_removed', ip: clientIp(c) });
    flash(c, 'success', c.var.t('common.saved'));
    return redirectTo(c, href(c, '/admin/branding'));
  });
}
