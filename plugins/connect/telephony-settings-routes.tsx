import type { Context, Hono } from 'hono';
import { DomainError, FormError, Page, callingCode, countryName, tenantPhoneCountry, SelectField, TextArea, flash, href, pluginScope, redirectTo, render, requirePermission, staff, tenantOf, type AppEnv } from '../../core/plugin-api.js';
import { extensionsText, saveTelephonySettings, telephonySettings, type TelephonyForm } from './telephony-settings.js';

/**
 * The tenant's telephony settings: the group missed calls go to, who has which extension. The phone country of
 * national numbers is core's (Administration › Support contacts); the page names it and links there.
 */
export function telephonySettingsRoutes(app: Hono<AppEnv>): void {
  app.get('/telephony', requirePermission('connect.manage'), async (c) => {
    const tenantId = tenantOf(c).id;
    const settings = await telephonySettings(pluginScope(c.var.services.db, tenantId));
    return telephonyPage(c, { missedGroup: settings.missedGroupId ? String(settings.missedGroupId) : '', extensions: await extensionsText(c.var.services, tenantId) });
  });

  app.post('/telephony', requirePermission('connect.manage'), async (c) => {
    const body = await c.req.parseBody();
    const form: TelephonyForm = { missedGroup: String(body.missedGroup ?? '').slice(0, 12), extensions: String(body.extensions ?? '').slice(0, 40_000) };
    const user = staff(c);
    try {
      await saveTelephonySettings(c.var.services, tenantOf(c).id, form, { id: user.id, label: user.email });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return telephonyPage(c, form, error.fields, 422);
    }
    flash(c, 'success', c.var.t('connect.phone.saved'));
    return redirectTo(c, href(c, '/p/connect/telephony'));
  });
}

async function telephonyPage(c: Context<AppEnv>, form: TelephonyForm, fields?: Readonly<Record<string, string>>, status: 200 | 422 = 200) {
  const t = c.var.t;
  const errors = Object.fromEntries(Object.entries(fields ?? {}).map(([field, key]) => [field, t(key)]));
  const country = await tenantPhoneCountry(c.var.services.db, tenantOf(c).id);
  const groups = await pluginScope(c.var.services.db, tenantOf(c).id).selectFrom('support_groups').select(['id', 'name']).orderBy('name').execute();
  return render(c, {
    title: t('connect.phone.settings'),
    status,
    page: (
      <Page title={t('connect.phone.settings')} crumbs={[{ label: t('nav.admin'), href: href(c, '/admin') }, { label: t('connect.phone.settings') }]}>
        <p class="muted">{t('connect.phone.how')} <a href={href(c, '/p/connect/sources')}>{t('connect.sources')}</a></p>
        <p id="connect-phone-country">{t('connect.phone.country', { country: countryName(country, c.var.locale), code: callingCode(country) ?? country })}{' '}
          <a href={href(c, '/admin/directory')}>{t('directory.settings.title')}</a>.</p>
        <form method="post" action={href(c, '/p/connect/telephony')} class="card stack" id="connect-phone-form">
          <FormError message={fields ? t('error.invalid') : undefined} />
          <SelectField name="missedGroup" label={t('connect.phone.groupLabel')} value={form.missedGroup} empty={t('connect.phone.noGroup')} errors={errors}
            options={groups.map((group) => ({ value: String(group.id), label: group.name }))} />
          <TextArea name="extensions" label={t('connect.phone.extensions')} hint={t('connect.phone.extensionsHint')} value={form.extensions} errors={errors} rows={6} />
          <div><button type="submit" class="button-primary" id="connect-phone-save">{t('connect.settings.save')}</button></div>
        </form>
      </Page>
    ),
  });
}
