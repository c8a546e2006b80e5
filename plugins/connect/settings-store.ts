import { PluginSwitchError, invalidFields, pluginScope, updatePluginSettings, type Services } from '../../core/plugin-api.js';
import { RULES_MAX, readSettings, type ConnectSettings, type HostRule } from './settings.js';

export interface SettingsForm { openOnWarning: boolean; solveOnRecovery: boolean; flapChanges: string; flapMinutes: string; eventsPerMinute: string; rules: string }

/** The rules as the form shows them: `pattern; group; priority; organisation` a line, by name. */
export async function rulesText(services: Services, tenantId: number, rules: readonly HostRule[]): Promise<string> {
  const scope = pluginScope(services.db, tenantId);
  const groups = new Map((await scope.selectFrom('support_groups').select(['id', 'name']).execute()).map((g) => [g.id, g.name]));
  const orgIds = rules.map((r) => r.organisationId).filter((id): id is number => id !== null);
  const orgs = new Map(orgIds.length ? (await scope.selectFrom('organisations').select(['id', 'name']).where('id', 'in', orgIds).execute()).map((o) => [o.id, o.name]) : []);
  return rules.map((r) => [r.pattern, r.groupId ? groups.get(r.groupId) ?? '' : '', r.priority ?? '', r.organisationId ? orgs.get(r.organisationId) ?? '' : ''].join('; ').replace(/(; )+$/, '')).join('\n');
}

/**
 * Reads the form (rules by group and organisation name, resolved in the tenant), lets the host validate the
 * result with the schema and saves it; every refusal names its field, nothing is saved then.
 */
export async function saveSettings(services: Services, tenantId: number, form: SettingsForm, actor: { id: number; label: string }): Promise<ConnectSettings> {
  const scope = pluginScope(services.db, tenantId);
  const lines = form.rules.split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
  if (lines.length > RULES_MAX) throw invalidFields('error.invalid', { rules: 'connect.settings.tooManyRules' });
  const rules: HostRule[] = [];
  for (const line of lines) {
    const [pattern = '', group = '', priority = '', organisation = ''] = line.split(';').map((part) => part.trim());
    if (!pattern || pattern.length > 255) throw invalidFields('error.invalid', { rules: 'connect.settings.rulePattern' });
    const groupRow = group ? await scope.selectFrom('support_groups').select('id').where('name', '=', group).executeTakeFirst() : null;
    if (group && !groupRow) throw invalidFields('error.invalid', { rules: 'connect.settings.ruleGroup' });
    const orgRow = organisation ? await scope.selectFrom('organisations').select('id').where('name', '=', organisation).executeTakeFirst() : null;
    if (organisation && !orgRow) throw invalidFields('error.invalid', { rules: 'connect.settings.ruleOrganisation' });
    const prio = priority ? Number(priority) : null;
    if (prio !== null && !(Number.isInteger(prio) && prio >= 1 && prio <= 4)) throw invalidFields('error.invalid', { rules: 'connect.settings.rulePriority' });
    rules.push({ pattern, groupId: groupRow?.id ?? null, priority: prio, organisationId: orgRow?.id ?? null });
  }
  const whole = (value: string) => (/^\d{1,6}$/.test(value.trim()) ? Number(value) : Number.NaN);
  const next = { openOnWarning: form.openOnWarning, solveOnRecovery: form.solveOnRecovery, flapChanges: whole(form.flapChanges), flapMinutes: whole(form.flapMinutes), eventsPerMinute: whole(form.eventsPerMinute), rules };
  try {
    await updatePluginSettings(services.db, services.registry, tenantId, 'connect', next);
  } catch (error) {
    if (!(error instanceof PluginSwitchError)) throw error;
    const fields: Record<string, string> = {};
    for (const path of Object.keys(error.fields)) fields[path.split('.')[0]!] ??= 'connect.settings.outOfRange';
    throw invalidFields('error.invalid', Object.keys(fields).length ? fields : { flapChanges: 'connect.settings.outOfRange' });
  }
  await services.audit.record({ tenantId, actor: { userId: actor.id, label: actor.label }, action: 'connect.settings_changed', details: { ...next, rules: rules.length } });
  return readSettings(scope);
}
