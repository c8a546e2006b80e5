import type { Context, Hono } from 'hono';
import { scheduleHotlineRebuild } from '../../statistics/hotline-aggregate.js';
import { z } from 'zod';
import type { Tenant } from '../../db/schema.js';
import type { AppEnv } from '../../http/app-env.js';
import { clientIp, redirectTo, requirePermission, requireUser, staff } from '../../http/guards.js';
import { flash } from '../../http/flash.js';
import { parseForm } from '../../http/forms.js';
import { HttpError } from '../../http/http-error.js';
import { render } from '../../http/render.js';
import { createUser, UserConflictError } from '../../people/user-service.js';
import { PASSWORD_MAX, PASSWORD_MIN } from '../../auth/password.js';
import { disablePlugin, enablePlugin, PluginSwitchError, updatePluginSettings } from '../../plugin-host/plugin-switches.js';
import { settingsFormFields, settingsFromForm, settingsWithDefaults } from '../../plugin-host/settings-form.js';
import { PluginSettingsFields } from './plugin-settings-card.js';
import { hostNameSchema, setTenantHosts, TenantConflictError, timeZoneSchema, updateTenantBranding } from '../../tenancy/tenant-service.js';
import { Page } from '../../../views/components/page.js';
import { Checkbox, FormError, TextArea, TextField } from '../../../views/components/form.js';
import { TimeZoneField } from '../../../views/components/time-zone-field.js';
import { platformOnly } from './platform-guard.js';

const tenantSchema = z.object({
  name: z.string().trim().min(1).max(120),
  hosts: z.string().max(2000).transform((v) => v.split(/\s+/).map((h) => h.trim().toLowerCase()).filter(Boolean)).pipe(z.array(hostNameSchema).max(20)),
  // Validated like the branding page's; a form without it (older pages, scripts) keeps the tenant's.
  time_zone: timeZoneSchema.optional(),
});

const adminSchema = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email()),
  name: z.string().trim().min(1).max(120),
  password: z.string().min(PASSWORD_MIN).max(PASSWORD_MAX),
});

interface DetailState {
  tenantErrors?: Record<string, string>;
  tenantValues?: Record<string, string>;
  adminErrors?: Record<string, string>;
  adminValues?: Record<string, string>;
  settingsErrors?: { pluginId: string; errors: Record<string, string>; values: Record<string, string | string[]> };
  pluginError?: string;
}

async function loadTenant(c: Context<AppEnv>): Promise<Tenant> {
  const id = Number(c.req.param('id'));
  const tenant = Number.isInteger(id) ? await c.var.services.db.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst() : undefined;
  if (!tenant) throw new HttpError(404, c.var.t('error.notFound'));
  return tenant;
}

async function detailPage(c: Context<AppEnv>, tenant: Tenant, state: DetailState = {}, status: 200 | 409 | 422 = 200) {
  const t = c.var.t;
  const { db, registry, tenants } = c.var.services;
  const [hosts, enabled] = await Promise.all([
    db.selectFrom('tenant_hosts').select('host').where('tenant_id', '=', tenant.id).orderBy('host').execute(),
    tenants.enabledPlugins(tenant.id),
  ]);
  const base = `/platform/tenants/${tenant.id}`;
  return render(c, {
    title: tenant.name,
    status,
    page: (
      <Page title={tenant.name} crumbs={[{ label: t('platform.tenants'), href: '/platform' }, { label: tenant.name }]}
        actions={<><a class="button" href={`${base}/seats`} id="tenant-seats-link">{t('seats.settings')}</a><a class="button" href={`/t/${tenant.slug}/login`}>{t('platform.open')}</a></>}>
        <p class="muted" id="tenant-time-zone">{t('timeZone.label')}: <strong>{tenant.time_zone}</strong></p>
        <div class="grid-2">
          <section class="card">
            <h2>{t('common.edit')}</h2>
            <FormError message={state.tenantErrors ? t('error.invalid') : undefined} />
            <form method="post" action={base} class="stack">
              <TextField name="name" label={t('common.name')} value={state.tenantValues?.name ?? tenant.name} required maxlength={120} errors={state.tenantErrors} />
              <TextArea name="hosts" label={t('platform.hosts')} rows={3} hint={t('platform.hostsHint')} errors={state.tenantErrors}
                value={state.tenantValues?.hosts ?? hosts.map((h) => h.host).join('\n')} />
              <TimeZoneField value={state.tenantValues?.time_zone ?? tenant.time_zone} errors={state.tenantErrors} t={t} />
              <button type="submit" class="button-primary">{t('common.save')}</button>
            </form>
          </section>
          <section class="card">
            <h2>{t('platform.addAdmin')}</h2>
            <form method="post" action={`${base}/admins`} class="stack">
              <TextField name="email" type="email" label={t('common.email')} value={state.adminValues?.email} required errors={state.adminErrors} />
              <TextField name="name" label={t('common.name')} value={state.adminValues?.name} required maxlength={120} errors={state.adminErrors} />
              <TextField name="password" type="password" label={t('platform.initialPassword')} required autocomplete="new-password" errors={state.adminErrors}
                hint={t('validation.tooShort', { min: PASSWORD_MIN })} />
              <button type="submit" class="button-primary">{t('common.create')}</button>
            </form>
          </section>
        </div>
        <section class="card" id="plugins">
          <h2>{t('platform.plugins')}</h2>
          <FormError message={state.pluginError} />
          {registry.plugins.length === 0 ? <p class="muted">{t('platform.pluginsNone')}</p> : (
            <div class="table-wrap">
              <table class="table">
                <thead><tr><th>{t('platform.plugin')}</th><th>{t('platform.version')}</th><th>{t('platform.needs')}</th><th>{t('platform.state')}</th><th><span class="visually-hidden">{t('common.actions')}</span></th></tr></thead>
                <tbody>
                  {registry.plugins.map((plugin) => {
                    const on = enabled.has(plugin.id);
                    return (
                      <tr id={`plugin-${plugin.id}`}>
                        <td>{t(plugin.name)} <span class="muted">({plugin.id})</span></td>
                        <td>{plugin.version}</td>
                        <td>{(plugin.dependsOn ?? []).join(', ') || t('common.none')}</td>
                        <td><span class={on ? 'badge badge-on' : 'badge badge-off'}>{on ? t('platform.on') : t('platform.off')}</span></td>
                        <td>
                          {on ? (
                            // Asks first and says what the tenant's agents and customers lose (no JavaScript needed).
                            <details class="ticket-disclosure" id={`plugin-off-${plugin.id}`}>
                              <summary class="button-small">{t('platform.disable')}</summary>
                              <form method="post" action={`${base}/plugins/${plugin.id}/disable`} class="stack disclosure-panel">
                                <p class="plugin-off-effect">{switchOffEffect(c, plugin)}</p>
                                <p class="muted">{t('platform.switchOffKeeps')}</p>
                                <input type="hidden" name="confirm" value="1" />
                                <button type="submit" class="button-danger">{t('platform.switchOffConfirm', { plugin: t(plugin.name) })}</button>
                              </form>
                            </details>
                          ) : (
                            <form method="post" action={`${base}/plugins/${plugin.id}/enable`}>
                              <button type="submit" class="button-small">{t('platform.enable')}</button>
                            </form>
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
        </section>
        {await Promise.all(registry.plugins.filter((p) => settingsFormFields(p.settings).length > 0).map(async (plugin) => {
          const current = await tenants.pluginSettings(tenant.id, plugin.id);
          const failed = state.settingsErrors?.pluginId === plugin.id ? state.settingsErrors : undefined;
          return (
            <section class="card" id={`settings-${plugin.id}`}>
              <h2>{t('platform.settings', { plugin: t(plugin.name) })}</h2>
              <form method="post" action={`${base}/plugins/${plugin.id}/settings`} class="stack">
                <FormError message={failed ? t('error.invalid') : undefined} />
                <PluginSettingsFields c={c} pluginId={plugin.id} fields={settingsFormFields(plugin.settings)} values={settingsWithDefaults(plugin.settings, current)} posted={failed?.values} errors={failed?.errors} />
                <button type="submit" class="button-primary">{t('common.save')}</button>
              </form>
            </section>
          );
        }))}
      </Page>
    ),
  });
}

export function tenantDetailRoutes(app: Hono<AppEnv>): void {
  const guard = [platformOnly, requireUser, requirePermission('platform.tenants')] as const;
  const pluginGuard = [platformOnly, requireUser, requirePermission('platform.plugins')] as const;
  const actor = (c: Context<AppEnv>) => ({ userId: staff(c).id, label: staff(c).email });

  app.get('/platform/tenants/:id', ...guard, async (c) => detailPage(c, await loadTenant(c)));

  app.post('/platform/tenants/:id', ...guard, async (c) => {
    const tenant = await loadTenant(c);
    const t = c.var.t;
    const form = await parseForm(c, tenantSchema);
    if (!form.ok) {
      const errors = Object.fromEntries(Object.entries(form.errors).map(([k, v]) => [k.split('.')[0]!, k.startsWith('hosts') ? t('tenant.hostFormat') : v]));
      return detailPage(c, tenant, { tenantErrors: errors, tenantValues: form.values }, 422);
    }
    try {
      await setTenantHosts(c.var.services.db, tenant.id, form.data.hosts);
    } catch (error) {
      if (error instanceof TenantConflictError) return detailPage(c, tenant, { tenantErrors: { hosts: t('tenant.hostTaken') }, tenantValues: form.values }, 422);
      throw error;
    }
    const timeZone = form.data.time_zone ?? tenant.time_zone;
    await updateTenantBranding(c.var.services.db, tenant.id, { name: form.data.name, time_zone: timeZone });
    const { audit } = c.var.services;
    await audit.record({ tenantId: tenant.id, actor: actor(c), action: 'platform.tenant_updated', target: tenant.slug, details: { name: form.data.name, hosts: form.data.hosts, time_zone: timeZone }, ip: clientIp(c) });
    // A new zone moves every date the tenant's people read, so it gets its own line in the log.
    if (timeZone !== tenant.time_zone) {
      await scheduleHotlineRebuild(c.var.services.db, c.var.services.clock, tenant.id);
      await audit.record({ tenantId: tenant.id, actor: actor(c), action: 'platform.time_zone_changed', target: `${tenant.slug}: ${tenant.time_zone} → ${timeZone}`, details: { from: tenant.time_zone, to: timeZone }, ip: clientIp(c) });
    }
    flash(c, 'success', t('common.saved'));
    return redirectTo(c, `/platform/tenants/${tenant.id}`);
  });

  app.post('/platform/tenants/:id/admins', ...guard, async (c) => {
    const tenant = await loadTenant(c);
    const t = c.var.t;
    const form = await parseForm(c, adminSchema);
    if (!form.ok) return detailPage(c, tenant, { adminErrors: form.errors, adminValues: form.values }, 422);
    try {
      await createUser(c.var.services.db, { tenantId: tenant.id, ...form.data, role: 'admin', locale: tenant.locale === 'en' ? 'en' : 'de' }, c.var.services.config.scryptLogN);
    } catch (error) {
      if (error instanceof UserConflictError) return detailPage(c, tenant, { adminErrors: { email: t('user.emailTaken') }, adminValues: form.values }, 422);
      throw error;
    }
    await c.var.services.audit.record({ tenantId: tenant.id, actor: actor(c), action: 'platform.admin_created', target: form.data.email, ip: clientIp(c) });
    flash(c, 'success', t('platform.adminAdded', { email: form.data.email }));
    return redirectTo(c, `/platform/tenants/${tenant.id}`);
  });

  app.post('/platform/tenants/:id/plugins/:pluginId/:action{enable|disable}', ...pluginGuard, async (c) => {
    const tenant = await loadTenant(c);
    const t = c.var.t;
    const { db, registry } = c.var.services;
    const pluginId = c.req.param('pluginId');
    const action = c.req.param('action');
    const plugin = registry.get(pluginId);
    if (!plugin) throw new HttpError(404, t('error.notFound'));
    if (action === 'disable' && (await c.req.parseBody()).confirm !== '1') {
      // Only from the confirmation that says what the tenant loses; a bare post switches nothing off.
      flash(c, 'error', t('platform.switchOffUnconfirmed', { plugin: t(plugin.name) }));
      return redirectTo(c, `/platform/tenants/${tenant.id}#plugins`);
    }
    try {
      if (action === 'enable') await enablePlugin(db, registry, tenant.id, pluginId);
      else await disablePlugin(db, registry, tenant.id, pluginId);
    } catch (error) {
      if (error instanceof PluginSwitchError) return detailPage(c, tenant, { pluginError: error.message }, 409);
      throw error;
    }
    await c.var.services.audit.record({ tenantId: tenant.id, actor: actor(c), action: `platform.plugin_${action}d`, target: pluginId, ip: clientIp(c) });
    flash(c, 'success', t(action === 'enable' ? 'platform.enabled' : 'platform.disabled', { plugin: t(plugin.name) }));
    return redirectTo(c, `/platform/tenants/${tenant.id}#plugins`);
  });

  app.post('/platform/tenants/:id/plugins/:pluginId/settings', ...pluginGuard, async (c) => {
    const tenant = await loadTenant(c);
    const t = c.var.t;
    const { db, registry } = c.var.services;
    const plugin = registry.get(c.req.param('pluginId'));
    if (!plugin || !plugin.settings) throw new HttpError(404, t('error.notFound'));
    const body = await c.req.parseBody({ all: true });
    const fields = settingsFormFields(plugin.settings);
    const posted: Record<string, string | string[]> = {};
    for (const field of fields) {
      const raw = body[field.key];
      posted[field.key] = Array.isArray(raw) ? raw.filter((v): v is string => typeof v === 'string') : typeof raw === 'string' ? raw : '';
    }
    // Fields the form does not offer (records of the tenant, lists of objects) keep their values.
    const input = settingsFromForm(fields, posted, await c.var.services.tenants.pluginSettings(tenant.id, plugin.id));
    try {
      await updatePluginSettings(db, registry, tenant.id, plugin.id, input);
    } catch (error) {
      if (!(error instanceof PluginSwitchError)) throw error;
      // The schema names catalog keys for its own rules; zod's built-in texts are not translated.
      const errors: Record<string, string> = {};
      for (const [path, message] of Object.entries(error.fields)) errors[path.split('.')[0]!] ??= c.var.services.catalog.has(message) ? t(message) : t('validation.format');
      return detailPage(c, tenant, { settingsErrors: { pluginId: plugin.id, errors, values: posted } }, 422);
    }
    await c.var.services.audit.record({ tenantId: tenant.id, actor: actor(c), action: 'platform.plugin_settings', target: plugin.id, details: input, ip: clientIp(c) });
    flash(c, 'success', t('platform.settingsSaved'));
    return redirectTo(c, `/platform/tenants/${tenant.id}#settings-${plugin.id}`);
  });
}

/**
 * What a tenant's agents and customers lose when the plugin is switched off: the plugin's own words
 * (`<id>.switchOff` in its messages) or, for a plugin that has none, the general rule.
 */
function switchOffEffect(c: Context<AppEnv>, plugin: { id: string; name: string }): string {
  const key = `${plugin.id}.switchOff`;
  return c.var.services.catalog.has(key) ? c.var.t(key) : c.var.t('platform.switchOffGeneric', { plugin: c.var.t(plugin.name) });
}
