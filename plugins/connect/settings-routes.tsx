import type { Context, Hono } from 'hono';
import { Checkbox, DomainError, FormError, Page, TextArea, TextField, flash, href, pluginScope, redirectTo, render, requirePermission, staff, tenantOf, type AppEnv } from '../../core/plugin-api.js';
import { readSettings } from './settings.js';
import { rulesText, saveSettings, type SettingsForm } from './settings-store.js';

/** The tenant's monitoring settings: what opens tickets, whether a recovery solves, flapping, host rules. */
export function settingsRoutes(app: Hono<AppEnv>): void {
  app.get('/settings', requirePermission('connect.manage'), async (c) => {
    const tenantId = tenantOf(c).id;
    const settings = await readSettings(pluginScope(c.var.services.db, tenantId));
    return settingsPage(c, {
      openOnWarning: settings.openOnWarning, solveOnRecovery: settings.solveOnRecovery, flapChanges: String(settings.flapChanges),
      flapMinutes: String(settings.flapMinutes), eventsPerMinute: String(settings.eventsPerMinute), rules: await rulesText(c.var.services, tenantId, settings.rules),
    });
  });

  app.post('/settings', requirePermission('connect.manage'), async (c) => {
    const body = await c.req.parseBody();
    const form: SettingsForm = {
      openOnWarning: body.openOnWarning === '1', solveOnRecovery: body.solveOnRecovery === '1',
      flapChanges: String(body.flapChanges ?? ''), flapMinutes: String(body.flapMinutes ?? ''), eventsPerMinute: String(body.eventsPerMinute ?? ''), rules: String(body.rules ?? '').slice(0, 20_000),
    };
    const user = staff(c);
    try {
      await saveSettings(c.var.services, tenantOf(c).id, form, { id: user.id, label: user.email });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return settingsPage(c, form, error.fields, 422);
    }
    flash(c, 'success', c.var.t('connect.settings.saved'));
    return redirectTo(c, href(c, '/p/connect/settings'));
  });
}

function settingsPage(c: Context<AppEnv>, form: SettingsForm, fields?: Readonly<Record<string, string>>, status: 200 | 422 = 200) {
  const t = c.var.t;
  const errors = Object.fromEntries(Object.entries(fields ?? {}).map(([field, key]) => [field, t(key)]));
  return render(c, {
    title: t('connect.settings'),
    status,
    page: (
      <Page title={t('connect.settings')} crumbs={[{ label: t('nav.admin'), href: href(c, '/admin') }, { label: t('connect.settings') }]}>
        <form method="post" action={href(c, '/p/connect/settings')} class="card stack" id="connect-settings-form">
          <FormError message={fields ? t('error.invalid') : undefined} />
          <Checkbox name="openOnWarning" label={t('connect.settings.openOnWarning')} checked={form.openOnWarning} />
          <Checkbox name="solveOnRecovery" label={t('connect.settings.solveOnRecovery')} checked={form.solveOnRecovery} />
          <TextField name="flapChanges" type="number" label={t('connect.settings.flapChanges')} value={form.flapChanges} errors={errors} />
          <TextField name="flapMinutes" type="number" label={t('connect.settings.flapMinutes')} value={form.flapMinutes} errors={errors} />
          <TextField name="eventsPerMinute" type="number" label={t('connect.settings.eventsPerMinute')} hint={t('connect.settings.eventsPerMinute.hint')} value={form.eventsPerMinute} errors={errors} />
          <TextArea name="rules" label={t('connect.settings.rules')} hint={t('connect.settings.rulesHint')} value={form.rules} errors={errors} rows={6} />
          <div><button type="submit" class="button-primary" id="connect-settings-save">{t('connect.settings.save')}</button></div>
        </form>
      </Page>
    ),
  });
}
