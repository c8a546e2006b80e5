import type { Hono } from 'hono';
import {
  DomainError, FormError, PluginSwitchError, SelectField, TextField, flash, href, redirectTo, requirePermission, scope, tenantOf, updatePluginSettings, type AppEnv,
} from '../../core/plugin-api.js';
import { MANAGE, actorOf, adminPage, fieldMessages, type Ctx } from './admin-page.js';
import { levelStore } from './level-store.js';
import { ASSIGN } from './record-views.js';
import { enqueueTickets, ticketsAffectedBy } from './recompute-queue.js';
import { LOCK_IDLE_MAX, LOCK_IDLE_MIN, PAUSABLE_STATUSES, slaSettings } from './settings.js';
import type { SlaDB } from './sla-db.js';

/** The plugin's settings page (tenant default level, pausing statuses) and the level pickers of the record pages. */
export function settingsRoutes(app: Hono<AppEnv>): void {
  app.get('/settings', requirePermission(MANAGE), async (c) => {
    const settings = slaSettings(await c.var.services.tenants.pluginSettings(tenantOf(c).id, 'sla'));
    return settingsPage(c, { defaultLevelId: settings.defaultLevelId === null ? '' : String(settings.defaultLevelId), pausing: settings.pausingStatuses, lockIdleMinutes: String(settings.lockIdleMinutes) });
  });

  app.post('/settings', requirePermission(MANAGE), async (c) => {
    const form = await c.req.parseBody({ all: true });
    const pausing = ([] as unknown[]).concat(form.pausing ?? []).map(String);
    const values = { defaultLevelId: String(form.defaultLevelId ?? ''), pausing, lockIdleMinutes: String(form.lockIdleMinutes ?? '').trim() };
    const idle = values.lockIdleMinutes === '' ? 5 : Number(values.lockIdleMinutes);
    if (!/^\d*$/.test(values.lockIdleMinutes) || idle < LOCK_IDLE_MIN || idle > LOCK_IDLE_MAX) return settingsPage(c, values, { lockIdleMinutes: c.var.t('sla.settings.lockIdleInvalid') });
    const tenantId = tenantOf(c).id;
    const levelId = values.defaultLevelId === '' ? null : Number(values.defaultLevelId);
    const exists = levelId === null || (await scope<SlaDB>(c).selectFrom('sla_levels').select('id').where('id', '=', levelId).executeTakeFirst()) !== undefined;
    if (!exists) return settingsPage(c, values, { defaultLevelId: c.var.t('sla.assign.levelInvalid') });
    try {
      await updatePluginSettings(c.var.services.db, c.var.services.registry, tenantId, 'sla', { defaultLevelId: levelId, pausingStatuses: pausing, lockIdleMinutes: idle });
    } catch (error) {
      if (!(error instanceof PluginSwitchError)) throw error;
      const errors = Object.fromEntries(Object.keys(error.fields ?? {}).map((field) => [field.startsWith('pausing') ? 'pausing' : 'defaultLevelId', c.var.t('sla.settings.invalid')]));
      return settingsPage(c, values, errors);
    }
    await c.var.services.audit.record({ tenantId, actor: { userId: actorOf(c).id, label: actorOf(c).label }, action: 'sla.settings_changed', details: values });
    await enqueueTickets(scope<SlaDB>(c), await ticketsAffectedBy(scope<SlaDB>(c), { kind: 'tenant' }));
    flash(c, 'success', c.var.t('sla.settings.saved'));
    return redirectTo(c, href(c, '/p/sla/settings'));
  });

  for (const [path, kind, back] of [['contracts', 'contract', '/desk/contracts'], ['organisations', 'organisation', '/desk/organisations']] as const) {
    app.post(`/${path}/:id{[0-9]+}/level`, requirePermission(ASSIGN), async (c) => {
      const sent = String((await c.req.parseBody()).levelId ?? '');
      const levelId = sent === '' ? null : Number(sent);
      if (levelId !== null && !Number.isInteger(levelId)) throw new DomainError('invalid', c.var.t('sla.assign.levelInvalid'), { levelId: c.var.t('sla.assign.levelInvalid') });
      try {
        await levelStore(c.var.services, tenantOf(c).id).assign(kind, Number(c.req.param('id')), levelId, actorOf(c));
      } catch (error) {
        // The app maps a refusal to its status (404 for another tenant's record, 422 for a level the tenant lacks).
        if (error instanceof DomainError && error.kind === 'invalid') throw new DomainError('invalid', c.var.t('sla.assign.levelInvalid'), fieldMessages(c, error.fields));
        throw error;
      }
      flash(c, 'success', c.var.t('sla.assign.saved'));
      return redirectTo(c, href(c, `${back}/${c.req.param('id')}`));
    });
  }
}

async function settingsPage(c: Ctx, values: { defaultLevelId: string; pausing: string[]; lockIdleMinutes: string }, errors: Record<string, string> = {}) {
  const t = c.var.t;
  const levels = await levelStore(c.var.services, tenantOf(c).id).list();
  return adminPage(c, t('sla.settings'), (
    <form method="post" action={href(c, '/p/sla/settings')} class="card stack sla-admin" id="sla-settings-form">
      <FormError message={Object.keys(errors).length ? t('error.invalid') : undefined} />
      <SelectField name="defaultLevelId" label={t('sla.settings.defaultLevel')} hint={t('sla.settings.defaultLevel.hint')} value={values.defaultLevelId} errors={errors}
        empty={t('sla.level.none')} options={levels.map((level) => ({ value: level.id, label: level.name }))} />
      <fieldset class="sla-pausing">
        <legend>{t('sla.settings.pausing')}</legend>
        {PAUSABLE_STATUSES.map((status) => (
          <div class="field field-check">
            <input type="checkbox" id={`f-pausing-${status}`} name="pausing" value={status} checked={values.pausing.includes(status)} />
            <label for={`f-pausing-${status}`}>{t(`status.${status}`)}</label>
          </div>
        ))}
        {errors.pausing ? <small class="field-error">{errors.pausing}</small> : null}
      </fieldset>
      <TextField name="lockIdleMinutes" label={t('sla.settings.lockIdle')} hint={t('sla.settings.lockIdle.hint')} value={values.lockIdleMinutes} errors={errors} maxlength={3} />
      <div><button type="submit" class="button-primary" id="sla-settings-save">{t('common.save')}</button></div>
    </form>
  ), Object.keys(errors).length ? { status: 422 } : {});
}
