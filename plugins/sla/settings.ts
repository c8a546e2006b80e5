import { z } from 'zod';
import type { TenantScope } from '../../core/plugin-api.js';

/** Statuses an admin may choose to pause the clocks in (solved and closed always stop them). */
export const PAUSABLE_STATUSES = ['new', 'open', 'waiting'] as const;

/** The bounds of the lock's idle length (minutes). */
export const LOCK_IDLE_MIN = 1;
export const LOCK_IDLE_MAX = 120;

/** The plugin's per-tenant settings: validated by the host on save, read with defaults. */
export const slaSettingsSchema = z.object({
  /** The tenant's default service level (the last in the precedence), or null for none. */
  defaultLevelId: z.number().int().positive().nullable().default(null),
  /** While a ticket has one of these statuses its clocks stand still (rebuilt from the history). */
  pausingStatuses: z.array(z.enum(PAUSABLE_STATUSES)).max(3).default(['waiting']),
  /** An edit lock lasts this many minutes after its holder's last activity on the page (typing, clicking, scrolling). */
  lockIdleMinutes: z.number().int().min(LOCK_IDLE_MIN).max(LOCK_IDLE_MAX).default(5),
});
export type SlaSettings = z.infer<typeof slaSettingsSchema>;

/** The stored settings with defaults; a stored value that no longer fits falls back to the default. */
export function slaSettings(raw: Record<string, unknown>): SlaSettings {
  const parsed = slaSettingsSchema.safeParse(raw);
  return parsed.success ? parsed.data : slaSettingsSchema.parse({});
}

/** The tenant's stored settings through a tenant scope (slots, jobs and event handlers). */
export async function readSlaSettings(scope: TenantScope): Promise<SlaSettings> {
  const row = await scope.selectFrom('tenant_plugins').select('settings').where('plugin_id', '=', 'sla').executeTakeFirst();
  return slaSettings(JSON.parse(row?.settings ?? '{}') as Record<string, unknown>);
}
