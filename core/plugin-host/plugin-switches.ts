import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { bumpConfigRevision } from '../tenancy/tenant-directory.js';
import type { PluginRegistry } from './registry.js';

export class PluginSwitchError extends Error {
  constructor(readonly code: 'unknown' | 'missing_dependency' | 'has_dependents' | 'invalid_settings', message: string, readonly fields: Record<string, string> = {}) {
    super(message);
  }
}

async function enabledSet(db: Kysely<DB>, tenantId: number): Promise<Set<string>> {
  const rows = await db.selectFrom('tenant_plugins').select('plugin_id').where('tenant_id', '=', tenantId).where('enabled', '=', 1).execute();
  return new Set(rows.map((r) => r.plugin_id));
}

/** Switches a plugin on for a tenant; its dependencies must be on already. Takes effect on the next request. */
export async function enablePlugin(db: Kysely<DB>, registry: PluginRegistry, tenantId: number, pluginId: string): Promise<void> {
  const plugin = registry.get(pluginId);
  if (!plugin) throw new PluginSwitchError('unknown', `plugin "${pluginId}" is not installed`);
  await db.transaction().execute(async (trx) => {
    const enabled = await enabledSet(trx, tenantId);
    const missing = (plugin.dependsOn ?? []).filter((id) => !enabled.has(id));
    if (missing.length) throw new PluginSwitchError('missing_dependency', `plugin "${pluginId}" needs ${missing.map((m) => `"${m}"`).join(', ')} switched on first`);
    const settings = await trx.selectFrom('tenant_plugins').select('settings').where('tenant_id', '=', tenantId).where('plugin_id', '=', pluginId).executeTakeFirst();
    const parsed = plugin.settings ? plugin.settings.safeParse(settings ? JSON.parse(settings.settings) : {}) : undefined;
    if (parsed && !parsed.success) throw new PluginSwitchError('invalid_settings', `plugin "${pluginId}" has invalid settings: ${parsed.error.issues[0]?.message}`);
    await trx.insertInto('tenant_plugins')
      .values({ tenant_id: tenantId, plugin_id: pluginId, enabled: 1, settings: JSON.stringify(parsed?.data ?? {}), updated_at: new Date().toISOString() })
      .onConflict((oc) => oc.columns(['tenant_id', 'plugin_id']).doUpdateSet({ enabled: 1, updated_at: new Date().toISOString() }))
      .execute();
    await bumpConfigRevision(trx);
  });
}

/** Switches a plugin off; refused while a plugin that depends on it is on. Its data stays. */
export async function disablePlugin(db: Kysely<DB>, registry: PluginRegistry, tenantId: number, pluginId: string): Promise<void> {
  if (!registry.get(pluginId)) throw new PluginSwitchError('unknown', `plugin "${pluginId}" is not installed`);
  await db.transaction().execute(async (trx) => {
    const enabled = await enabledSet(trx, tenantId);
    const dependents = registry.plugins.filter((p) => enabled.has(p.id) && (p.dependsOn ?? []).includes(pluginId)).map((p) => p.id);
    if (dependents.length) throw new PluginSwitchError('has_dependents', `plugin "${pluginId}" is needed by ${dependents.map((d) => `"${d}"`).join(', ')}; switch those off first`);
    await trx.updateTable('tenant_plugins').set({ enabled: 0, updated_at: new Date().toISOString() })
      .where('tenant_id', '=', tenantId).where('plugin_id', '=', pluginId).execute();
    await bumpConfigRevision(trx);
  });
}

/** Validates settings with the plugin's zod schema and stores them; field messages come back on failure. */
export async function updatePluginSettings(db: Kysely<DB>, registry: PluginRegistry, tenantId: number, pluginId: string, input: unknown): Promise<Record<string, unknown>> {
  const plugin = registry.get(pluginId);
  if (!plugin) throw new PluginSwitchError('unknown', `plugin "${pluginId}" is not installed`);
  if (!plugin.settings) throw new PluginSwitchError('invalid_settings', `plugin "${pluginId}" has no settings`);
  const parsed = plugin.settings.safeParse(input);
  if (!parsed.success) {
    const fields = Object.fromEntries(parsed.error.issues.map((issue) => [issue.path.join('.') || '_form', issue.message]));
    throw new PluginSwitchError('invalid_settings', 'invalid settings', fields);
  }
  const settings = JSON.stringify(parsed.data);
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('tenant_plugins').values({ tenant_id: tenantId, plugin_id: pluginId, enabled: 0, settings, updated_at: new Date().toISOString() })
      .onConflict((oc) => oc.columns(['tenant_id', 'plugin_id']).doUpdateSet({ settings, updated_at: new Date().toISOString() }))
      .execute();
    await bumpConfigRevision(trx);
  });
  return parsed.data;
}
