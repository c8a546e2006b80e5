import type { Context, Hono } from 'hono';
import { DIRECTORY_FIELDS } from '../../directory/directory-fields.js';
import { directorySettings, directorySettingsSchema, saveDirectorySettings } from '../../directory/directory-settings.js';
import type { AppEnv } from '../../http/app-env.js';
import { flash } from '../../http/flash.js';
import { clientIp, href, redirectTo, requirePermission, requireTenant, requireUser, staff, tenantOf } from '../../http/guards.js';
import { render } from '../../http/render.js';
import { countryName } from '../../i18n/country-name.js';
import { phoneCountries } from '../../text/phone-number.js';
import { Checkbox, FormError, SelectField } from '../../../views/components/form.js';
import { Page } from '../../../views/components/page.js';

interface FormState { values: { phone_country: string; portal_visible: boolean; portal_fields: string[]; portal_callback: boolean }; errors: Record<string, string> }


async function settingsPage(c: Context<AppEnv>, state?: FormState) {
  const t = c.var.t;
  const saved = await directorySettings(c.var.services.db, tenantOf(c).id);
  const values = state?.values ?? { phone_country: saved.phoneCountry, portal_visible: saved.portalVisible, portal_fields: saved.portalFields, portal_callback: saved.portalCallback };
  const countries = phoneCountries().map((code) => ({ value: code, label: `${countryName(code, c.var.locale)} (${code})` }))
    .sort((a, b) => a.label.localeCompare(b.label, c.var.locale));
  return render(c, {
    title: t('directory.settings.title'),
    status: state ? 422 : 200,
    page: (
      <Page title={t('directory.settings.title')} crumbs={[{ label: t('nav.admin'), href: href(c, '/admin') }, { label: t('directory.settings.title') }]}>
        <section class="card">
          <FormError message={state ? t('directory.invalid') : undefined} />
          <form method="post" action={href(c, '/admin/directory')} class="stack" id="directory-settings">
            <SelectField name="phone_country" label={t('directory.settings.phoneCountry')} value={values.phone_country} options={countries} errors={state?.errors} />
            <Checkbox name="portal_visible" label={t('directory.settings.portalVisible')} checked={values.portal_visible} />
            <fieldset class="directory-languages">
              <legend>{t('directory.settings.portalFields')}</legend>
              {DIRECTORY_FIELDS.map((field) => (
                <label class="directory-language"><input type="checkbox" name="portal_fields" value={field} checked={values.portal_fields.includes(field)} /> {t(`directory.field.${field}`)}</label>
              ))}
            </fieldset>
            <Checkbox name="portal_callback" label={t('directory.settings.portalCallback')} checked={values.portal_callback} />
            <button type="submit" class="button-primary">{t('common.save')}</button>
          </form>
        </section>
      </Page>
    ),
  });
}

/** Administration › Support contacts: the phone country and what portal users see (permission admin.directory). */
export function directorySettingsRoutes(app: Hono<AppEnv>): void {
  const guard = [requireTenant, requireUser, requirePermission('admin.directory')] as const;
  app.get('/admin/directory', ...guard, (c) => settingsPage(c));

  app.post('/admin/directory', ...guard, async (c) => {
    const t = c.var.t;
    const body = await c.req.parseBody({ all: true });
    const one = (key: string) => [body[key]].flat().find((v): v is string => typeof v === 'string');
    const fields = [body.portal_fields].flat().filter((v): v is string => typeof v === 'string');
    const parsed = directorySettingsSchema.safeParse({ phone_country: one('phone_country') ?? '', portal_visible: one('portal_visible'), portal_fields: fields, portal_callback: one('portal_callback') });
    if (!parsed.success) {
      const errors = Object.fromEntries(parsed.error.issues.map((issue) => [String(issue.path[0]), t(issue.path[0] === 'phone_country' ? 'directory.settings.countryInvalid' : 'validation.choice')]));
      return settingsPage(c, { values: { phone_country: one('phone_country') ?? '', portal_visible: one('portal_visible') === '1', portal_fields: fields, portal_callback: one('portal_callback') === '1' }, errors });
    }
    const settings = { phoneCountry: parsed.data.phone_country, portalVisible: Boolean(parsed.data.portal_visible), portalFields: parsed.data.portal_fields, portalCallback: Boolean(parsed.data.portal_callback) };
    const tenant = tenantOf(c);
    const user = staff(c);
    await c.var.services.db.transaction().execute(async (trx) => {
      await saveDirectorySettings(trx, tenant.id, settings, c.var.services.clock());
      await c.var.services.audit.record({ tenantId: tenant.id, actor: { userId: user.id, label: user.email }, action: 'admin.directory_settings_updated', details: { ...settings }, ip: clientIp(c) }, trx);
    });
    flash(c, 'success', t('directory.settings.saved'));
    return redirectTo(c, href(c, '/admin/directory'));
  });
}
