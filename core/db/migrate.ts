import { Migrator, type Kysely, type Migration, type MigrationResultSet } from 'kysely';
import { coreMigrations } from '../../migrations/index.js';
import type { PluginRegistry } from '../plugin-host/registry.js';

async function runMigrations(db: Kysely<any>, migrations: Record<string, Migration>, suffix: string): Promise<MigrationResultSet> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: `kysely_migration${suffix}`,
    migrationLockTableName: `kysely_migration_lock${suffix}`,
    // Still run in name order; a database that already has a later one (work merged from parallel branches, a
    // developer's or a bench's database) takes an earlier-numbered new one instead of refusing to start.
    allowUnorderedMigrations: true,
  });
  const result = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    const cause = result.error instanceof Error ? result.error.message : String(result.error);
    throw new Error(`migration ${failed}${suffix ? ` (${suffix.slice(1)})` : ''} failed: ${cause}`);
  }
  return result;
}

/** Core first, then every installed plugin in dependency order, each with its own migration table. */
export async function migrateAll(db: Kysely<any>, registry: PluginRegistry): Promise<string[]> {
  const applied: string[] = [];
  const core = await runMigrations(db, coreMigrations, '');
  applied.push(...(core.results ?? []).map((r) => `core:${r.migrationName}`));
  for (const plugin of registry.plugins) {
    if (!plugin.migrations || Object.keys(plugin.migrations).length === 0) continue;
    const result = await runMigrations(db, plugin.migrations, `_${plugin.id.replace(/[^a-z0-9]/g, '_')}`);
    applied.push(...(result.results ?? []).map((r) => `${plugin.id}:${r.migrationName}`));
  }
  return applied;
}
