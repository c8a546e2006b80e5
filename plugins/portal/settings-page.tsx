import type { Context, Hono } from 'hono';
import {
  Checkbox, FormError, Page, PluginSwitchError, SelectField, TextArea, flash, href, publicOrigin, redirectTo, render, requirePermission,
  updatePluginSettings, tenantOf, type AppEnv,
} from '../../core/plugin-api.js';
import { portalSettings, type PortalSettings } from './settings.js';

type Values = Record<string, string>;

function valuesOf(settings: PortalSettings): Values {
  return {
    welcomeDe: settings.welcomeDe, welcomeEn: settings.welcomeEn, registration: settings.registration,
    registrationDomains: settings.registrationDomains.join('\n'), allowPriority: settings.allowPriority ? '1' : '', notifyRequester: settings.notifyRequester ? '1' : '',
    requesterMails: settings.requesterMails,
  };
}

function SettingsForm(props: { c: Context<AppEnv>; values: Values; errors?: Record<string, string> }) {
  const { c, values } = props;
  const t = c.var.t;
  const errors = props.errors ?? {};
  const portalUrl = `${publicOrigin(c)}${href(c, '/portal')}`;
  return (
    <Page title={t('portal.settings.title')} crumbs={[{ label: t('nav.admin'), href: href(c, '/admin') }, { label: t('portal.settings.title') }]}>
      <p class="muted">{t('portal.settings.address')} <a href={portalUrl} id="portal-url">{portalUrl}</a></p>
      <form method="post" action={href(c, '/p/portal/settings')} class="card stack" id="portal-settings-form">
        <FormError message={Object.keys(errors).length ? t('error.invalid') : undefined} />
        <div class="form-row">
          <TextArea name="welcomeDe" label={t('portal.settings.welcomeDe')} value={values.welcomeDe} rows={4} errors={errors} />
          <TextArea name="welcomeEn" label={t('portal.settings.welcomeEn')} value={values.welcomeEn} rows={4} errors={errors} />
        </div>
        <div class="form-row">
          <SelectField name="registration" label={t('portal.settings.registration')} value={values.registration} errors={errors}
            options={[{ value: 'off', label: t('portal.settings.registrationOff') }, { value: 'domains', label: t('portal.settings.registrationDomainsOnly') }]} />
          <TextArea name="registrationDomains" label={t('portal.settings.domains')} value={values.registrationDomains} rows={3} errors={errors} hint={t('portal.settings.domainsHint')} />
        </div>
        <Checkbox name="allowPriority" label={t('portal.settings.allowPriority')} checked={values.allowPriority === '1'} />
        <Checkbox name="notifyRequester" label={t('portal.settings.notifyRequester')} checked={values.notifyRequester === '1'} />
        <SelectField name="requesterMails" label={t('portal.settings.requesterMails')} hint={t('portal.settings.requesterMails.hint')} value={values.requesterMails} errors={errors}
          options={[{ value: 'essential', label: t('portal.settings.requesterMails.essential') }, { value: 'everyStatus', label: t('portal.settings.requesterMails.everyStatus') }]} />
        <div><button type="submit" class="button-primary" id="portal-settings-save">{t('common.save')}</button></div>
      </form>
    </Page>
  );
}

/** Tenant admins set the portal's welcome text, self-registration, priority choice and requester mails. */
export function settingsRoutes(app: Hono<AppEnv>): void {
  app.get('/', (c) => c.redirect(href(c, '/p/portal/settings'), 303));

  app.get('/settings', requirePermission('portal.settings'), async (c) => {
    const settings = await portalSettings(c.var.services, tenantOf(c).id);
    return render(c, { title: c.var.t('portal.settings.title'), page: <SettingsForm c={c} values={valuesOf(settings)} /> });
  });

  app.post('/settings', requirePermission('portal.settings'), async (c) => {
    const t = c.var.t;
    const tenant = tenantOf(c);
    const { db, registry, audit } = c.var.services;
    const body = await c.req.parseBody();
    const text = (key: string) => (typeof body[key] === 'string' ? (body[key] as string) : '');
    const values: Values = {
      welcomeDe: text('welcomeDe'), welcomeEn: text('welcomeEn'), registration: text('registration'), registrationDomains: text('registrationDomains'),
      allowPriority: text('allowPriority') ? '1' : '', notifyRequester: text('notifyRequester') ? '1' : '', requesterMails: text('requesterMails'),
    };
    const input = {
      welcomeDe: values.welcomeDe, welcomeEn: values.welcomeEn, registration: values.registration,
      registrationDomains: values.registrationDomains!.split(/[\s,;]+/).map((d) => d.replace(/^@/, '')).filter(Boolean),
      allowPriority: values.allowPriority === '1', notifyRequester: values.notifyRequester === '1', requesterMails: values.requesterMails || undefined,
    };
    try {
      await updatePluginSettings(db, registry, tenant.id, 'portal', input);
    } catch (error) {
      if (!(error instanceof PluginSwitchError)) throw error;
      const errors: Record<string, string> = {};
      for (const [path, message] of Object.entries(error.fields)) {
        const field = path.split('.')[0]!;
        // The schema names catalog keys for its own rules; zod's built-in texts are not translated.
        errors[field] ??= c.var.services.catalog.has(message) ? t(message) : t('validation.format');
      }
      return render(c, { title: t('portal.settings.title'), status: 422, page: <SettingsForm c={c} values={values} errors={errors} /> });
    }
    await audit.record({ tenantId: tenant.id, actor: { userId: c.var.user!.id, label: c.var.user!.email }, action: 'portal.settings', details: { registration: input.registration, domains: input.registrationDomains, allowPriority: input.allowPriority, notifyRequester: input.notifyRequester, requesterMails: input.requesterMails } });
    flash(c, 'success', t('portal.settings.saved'));
    return redirectTo(c, href(c, '/p/portal/settings'));
  });
}
