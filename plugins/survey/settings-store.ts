import { PluginSwitchError, invalidFields, pluginScope, updatePluginSettings, type Services } from '../../core/plugin-api.js';
import { surveySettings, type SurveySettings } from './settings.js';

export const MANAGE = 'survey.manage';

/**
 * Saves the tenant's settings (merged over the stored ones): the host validates them with the schema, the
 * quality group must be one of the tenant's; refusals are DomainErrors with catalog keys at the fields.
 */
export async function saveSurveySettings(services: Services, tenantId: number, patch: Partial<SurveySettings>, actor: { id: number; label: string }): Promise<SurveySettings> {
  const next = { ...(await surveySettings(services, tenantId)), ...patch };
  if (next.qualityGroupId !== null) {
    const group = await pluginScope(services.db, tenantId).selectFrom('support_groups').select('id').where('id', '=', next.qualityGroupId).executeTakeFirst();
    if (!group) throw invalidFields('error.invalid', { qualityGroupId: 'validation.choice' });
  }
  try {
    await updatePluginSettings(services.db, services.registry, tenantId, 'survey', next);
  } catch (error) {
    if (!(error instanceof PluginSwitchError)) throw error;
    const fields: Record<string, string> = {};
    for (const [path, message] of Object.entries(error.fields)) {
      // questions.2 → the row's fields; the schema names catalog keys for its own rules, zod's texts become one message.
      const key = services.catalog.has(message) ? message : 'survey.settings.outOfRange';
      fields[path] ??= key;
    }
    throw invalidFields('error.invalid', fields);
  }
  await services.audit.record({ tenantId, actor: { userId: actor.id, label: actor.label }, action: 'survey.settings_changed', details: { ...patch } });
  return surveySettings(services, tenantId);
}
