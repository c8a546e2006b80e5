import { z } from 'zod';
import type { Services, TenantScope } from '../../core/plugin-api.js';

/** The idea plugin's settings per tenant, validated by the host (updatePluginSettings). */
export const ideasSettingsSchema = z.object({
  /** Signed-in portal users may submit proposals and see the ones marked visible in the portal. */
  portalIdeas: z.boolean().default(false),
  /** The support group of the idea managers: new proposals are assigned to it; null: no group. */
  managerGroupId: z.number().int().positive().nullable().default(null),
});
export type IdeasSettings = z.infer<typeof ideasSettingsSchema>;

export function ideasSettingsFrom(raw: Record<string, unknown>): IdeasSettings {
  const parsed = ideasSettingsSchema.safeParse(raw);
  return parsed.success ? parsed.data : ideasSettingsSchema.parse({});
}

export async function ideasSettings(services: Pick<Services, 'tenants'>, tenantId: number): Promise<IdeasSettings> {
  return ideasSettingsFrom(await services.tenants.pluginSettings(tenantId, 'ideas'));
}

export async function readSettings(scope: TenantScope): Promise<IdeasSettings> {
  const row = await scope.selectFrom('tenant_plugins').select('settings').where('plugin_id', '=', 'ideas').executeTakeFirst();
  return ideasSettingsFrom(JSON.parse(row?.settings ?? '{}') as Record<string, unknown>);
}
