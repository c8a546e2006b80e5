import { z } from 'zod';
import type { Services, TenantScope } from '../../core/plugin-api.js';
import { DEFAULT_MAIL_PATTERN, mailPatternProblem } from './mail-pattern.js';

/** The hardware plugin's per-tenant settings: validated by the host on save, read with defaults. */
export const hardwareSettingsSchema = z.object({
  /** Portal users may pick one of their devices when they submit a request. */
  portalPick: z.boolean().default(false),
  /** The inventory number in a mail's subject: a regular expression whose first group is the number. */
  mailPattern: z.string().refine((pattern) => mailPatternProblem(pattern) === null, { message: 'hardware.settings.mailPatternInvalid' }).default(DEFAULT_MAIL_PATTERN),
});
export type HardwareSettings = z.infer<typeof hardwareSettingsSchema>;

export function hardwareSettings(raw: Record<string, unknown>): HardwareSettings {
  const parsed = hardwareSettingsSchema.safeParse(raw);
  return parsed.success ? parsed.data : hardwareSettingsSchema.parse({});
}

export async function loadSettings(services: Services, tenantId: number): Promise<HardwareSettings> {
  return hardwareSettings(await services.tenants.pluginSettings(tenantId, 'hardware'));
}

/** Through a tenant scope (slots and filters, which run inside a request or a transaction). */
export async function readSettings(scope: TenantScope): Promise<HardwareSettings> {
  const row = await scope.selectFrom('tenant_plugins').select('settings').where('plugin_id', '=', 'hardware').executeTakeFirst();
  return hardwareSettings(JSON.parse(row?.settings ?? '{}') as Record<string, unknown>);
}
