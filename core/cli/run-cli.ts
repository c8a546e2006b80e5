import { parseArgs, type ParseArgsConfig } from 'node:util';
import { z } from 'zod';
import { ConfigError, loadConfig, type AppConfig } from '../../config/env.js';
import { installedPlugins } from '../../config/plugins.js';
import { createAuditLog } from '../audit-log.js';
import { API_TOKEN_NAME_MAX, createApiToken } from '../auth/api-tokens.js';
import { BackupError } from '../backup/backup-manifest.js';
import { createBackup } from '../backup/create-backup.js';
import { blobStoreFor } from '../files/blob-store-for.js';
import { restoreBackup } from '../backup/restore-backup.js';
import { createDatabase, type Database } from '../db/create-database.js';
import { migrateAll } from '../db/migrate.js';
import { createUser, staffRoleSchema, UserConflictError } from '../people/user-service.js';
import type { PluginDefinition } from '../plugin-host/define-plugin.js';
import { disablePlugin, enablePlugin, PluginSwitchError } from '../plugin-host/plugin-switches.js';
import { createRegistry, type PluginRegistry } from '../plugin-host/registry.js';
import { createTenant, TenantConflictError } from '../tenancy/tenant-service.js';
import { isTimeZone } from '../i18n/time-zone.js';
import { PASSWORD_MAX, PASSWORD_MIN } from '../auth/password.js';
import { CliCommandError, CliUsageError, type CliIo } from './plugin-cli.js';

export type { CliIo } from './plugin-cli.js';

declare module './plugin-cli.js' {
  interface PluginCliResources {
    registry: PluginRegistry;
  }
}

/** A mistake in how the command was called: exit code 2. Plugins throw the same classes. */
const UsageError = CliUsageError;
/** The command was understood but cannot be done: exit code 1. */
const CommandError = CliCommandError;

interface CommandContext {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
  io: CliIo;
  open(migrate?: boolean): Promise<{ database: Database; registry: PluginRegistry; scryptLogN: number; config: AppConfig }>;
  plugins: readonly PluginDefinition[];
}

interface Command {
  summary: string;
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  positionals?: number;
  run(ctx: CommandContext): Promise<void>;
}

function required(ctx: CommandContext, name: string): string {
  const value = ctx.values[name];
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`--${name} is required`);
  return value.trim();
}

async function tenantBySlug(database: Database, slug: string) {
  const tenant = await database.db.selectFrom('tenants').selectAll().where('slug', '=', slug).executeTakeFirst();
  if (!tenant) throw new CommandError(`no tenant with slug "${slug}" (see tenant:list)`);
  return tenant;
}

const cliActor = { userId: null, label: 'cli' };

const commands: Record<string, Command> = {
  'tenant:create': {
    summary: 'create a tenant',
    usage: 'tenant:create --slug <slug> --name <name> [--locale de|en] [--time-zone <IANA zone, default Europe/Berlin>]',
    options: { slug: { type: 'string' }, name: { type: 'string' }, locale: { type: 'string' }, 'time-zone': { type: 'string' } },
    async run(ctx) {
      const slug = required(ctx, 'slug');
      const name = required(ctx, 'name');
      const locale = (ctx.values.locale as string | undefined) ?? 'de';
      if (locale !== 'de' && locale !== 'en') throw new UsageError('--locale must be de or en');
      if (!/^[a-z0-9][a-z0-9-]{1,39}$/.test(slug)) throw new UsageError('--slug must be 2 to 40 lower-case letters, digits or dashes');
      const timeZone = ctx.values['time-zone'] as string | undefined;
      if (timeZone !== undefined && !isTimeZone(timeZone)) throw new UsageError(`--time-zone: "${timeZone}" is no IANA time zone (e.g. Europe/Vienna, America/New_York, UTC)`);
      const { database } = await ctx.open();
      try {
        const tenant = await createTenant(database.db, { slug, name, locale, time_zone: timeZone });
        await createAuditLog(database.db).record({ tenantId: tenant.id, actor: cliActor, action: 'cli.tenant_created', target: slug });
        ctx.io.out(`created tenant ${tenant.id} "${tenant.name}" at /t/${tenant.slug}/`);
      } catch (error) {
        if (error instanceof TenantConflictError) throw new CommandError(error.message);
        if (error instanceof z.ZodError) throw new UsageError(`--slug: ${error.issues[0]?.message === 'tenant.slugReserved' ? 'this slug is reserved' : 'invalid'}`);
        throw error;
      }
    },
  },

  'tenant:list': {
    summary: 'list tenants',
    usage: 'tenant:list [--json]',
    options: { json: { type: 'boolean' } },
    async run(ctx) {
      const { database } = await ctx.open();
      const [tenants, hosts, plugins] = await Promise.all([
        database.db.selectFrom('tenants').select(['id', 'slug', 'name', 'locale']).orderBy('slug').execute(),
        database.db.selectFrom('tenant_hosts').selectAll().execute(),
        database.db.selectFrom('tenant_plugins').select(['tenant_id', 'plugin_id']).where('enabled', '=', 1).execute(),
      ]);
      const rows = tenants.map((t) => ({
        ...t,
        hosts: hosts.filter((h) => h.tenant_id === t.id).map((h) => h.host),
        plugins: plugins.filter((p) => p.tenant_id === t.id).map((p) => p.plugin_id),
      }));
      if (ctx.values.json) {
        ctx.io.out(JSON.stringify(rows));
        return;
      }
      ctx.io.out(['ID', 'SLUG', 'NAME', 'LOCALE', 'HOSTS', 'PLUGINS'].join('\t'));
      for (const row of rows) ctx.io.out([row.id, row.slug, row.name, row.locale, row.hosts.join(',') || '-', row.plugins.join(',') || '-'].join('\t'));
    },
  },

  'user:create': {
    summary: 'create a user of a tenant (or, with --role operator, a platform operator)',
    usage: 'user:create --tenant <slug> --email <e-mail> --name <name> --role <agent|supervisor|admin> --password <password>',
    options: { tenant: { type: 'string' }, email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' }, password: { type: 'string' } },
    async run(ctx) {
      const email = required(ctx, 'email');
      const name = required(ctx, 'name');
      const role = required(ctx, 'role');
      const password = required(ctx, 'password');
      if (!z.email().safeParse(email).success) throw new UsageError(`--email "${email}" is not an e-mail address`);
      if (role !== 'operator' && !staffRoleSchema.safeParse(role).success) throw new UsageError('--role must be agent, supervisor, admin or operator');
      if (password.length < PASSWORD_MIN || password.length > PASSWORD_MAX) throw new UsageError(`--password must have ${PASSWORD_MIN} to ${PASSWORD_MAX} characters`);
      if (role !== 'operator' && !ctx.values.tenant) throw new UsageError('--tenant is required (only --role operator goes without)');
      if (role === 'operator' && ctx.values.tenant) throw new UsageError('--role operator belongs to no tenant: leave out --tenant');
      const { database, scryptLogN } = await ctx.open();
      const tenant = role === 'operator' ? undefined : await tenantBySlug(database, required(ctx, 'tenant'));
      try {
        const id = await createUser(database.db, { tenantId: tenant?.id ?? null, email, name, role: role as 'agent', password }, scryptLogN);
        await createAuditLog(database.db).record({ tenantId: tenant?.id ?? null, actor: cliActor, action: 'cli.user_created', target: email.toLowerCase(), details: { role } });
        ctx.io.out(`created ${role} ${email.toLowerCase()} (id ${id})${tenant ? ` in tenant ${tenant.slug}` : ''}`);
      } catch (error) {
        if (error instanceof UserConflictError) throw new CommandError(error.message);
        throw error;
      }
    },
  },

  'plugin:list': {
    summary: 'list installed plugins (and their state for a tenant)',
    usage: 'plugin:list [--tenant <slug>]',
    options: { tenant: { type: 'string' } },
    async run(ctx) {
      const { database, registry } = await ctx.open();
      const tenant = typeof ctx.values.tenant === 'string' ? await tenantBySlug(database, ctx.values.tenant) : undefined;
      const enabled = tenant
        ? new Set((await database.db.selectFrom('tenant_plugins').select('plugin_id').where('tenant_id', '=', tenant.id).where('enabled', '=', 1).execute()).map((r) => r.plugin_id))
        : undefined;
      if (registry.plugins.length === 0) ctx.io.out('no plugins installed (config/plugins.ts)');
      for (const plugin of registry.plugins) {
        ctx.io.out([plugin.id, plugin.version, (plugin.dependsOn ?? []).join(',') || '-', enabled ? (enabled.has(plugin.id) ? 'on' : 'off') : ''].join('\t').trimEnd());
      }
    },
  },

  'plugin:enable': {
    summary: 'switch a plugin on for a tenant',
    usage: 'plugin:enable --tenant <slug> --plugin <id>',
    options: { tenant: { type: 'string' }, plugin: { type: 'string' } },
    run: (ctx) => switchPlugin(ctx, 'enable'),
  },

  'plugin:disable': {
    summary: 'switch a plugin off for a tenant (its data stays)',
    usage: 'plugin:disable --tenant <slug> --plugin <id>',
    options: { tenant: { type: 'string' }, plugin: { type: 'string' } },
    run: (ctx) => switchPlugin(ctx, 'disable'),
  },

  'token:create': {
    summary: 'create an API token for a user; the token is printed once, as the last line',
    usage: 'token:create --tenant <slug> --email <e-mail> [--name <label>]',
    options: { tenant: { type: 'string' }, email: { type: 'string' }, name: { type: 'string' } },
    async run(ctx) {
      const slug = required(ctx, 'tenant');
      const email = required(ctx, 'email').toLowerCase();
      const { database } = await ctx.open();
      const tenant = await tenantBySlug(database, slug);
      const user = await database.db.selectFrom('users').select(['id', 'active']).where('tenant_id', '=', tenant.id).where('email', '=', email).executeTakeFirst();
      if (!user) throw new CommandError(`no user ${email} in tenant ${slug}`);
      if (!user.active) throw new CommandError(`user ${email} is deactivated`);
      const label = typeof ctx.values.name === 'string' && ctx.values.name.trim() ? ctx.values.name.trim().slice(0, API_TOKEN_NAME_MAX) : 'cli';
      const { token } = await createApiToken(database.db, { tenantId: tenant.id, userId: user.id, name: label });
      await createAuditLog(database.db).record({ tenantId: tenant.id, actor: cliActor, action: 'cli.token_created', target: email, details: { name: label } });
      ctx.io.out(`API token "${label}" for ${email} in ${slug} (shown once; send it as "Authorization: Bearer <token>"):`);
      ctx.io.out(token);
    },
  },

  migrate: {
    summary: 'apply pending database migrations',
    usage: 'migrate',
    options: {},
    async run(ctx) {
      const { database, registry } = await ctx.open(false);
      const applied = await migrateAll(database.db, registry);
      ctx.io.out(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
    },
  },

  backup: {
    summary: 'write a verified backup: database (online), attachment files, instance secret, manifest with checksums',
    usage: 'backup <folder|file.tar> [--force] [--without-secret]',
    options: { force: { type: 'boolean' }, 'without-secret': { type: 'boolean' } },
    positionals: 1,
    async run(ctx) {
      const target = ctx.positionals[0];
      if (!target) throw new UsageError('backup needs a target folder or .tar file: backup <folder|file.tar>');
      const { database, registry, config } = await ctx.open();
      const withoutSecret = ctx.values['without-secret'] === true;
      const result = await guardBackup(() => createBackup({ database, registry, blobs: blobStoreFor(config), secret: withoutSecret ? undefined : config.secret, appVersion: config.version, target, force: ctx.values.force === true }));
      const { counts } = result.manifest;
      ctx.io.out(`backup written to ${result.path}: ${counts.tenants} tenants, ${counts.tickets} tickets, ${counts.files} files, ${result.manifest.entries.length} entries, ${result.bytes} bytes`);
      if (result.missingFiles.length) ctx.io.err(`warning: ${result.missingFiles.length} files the database names were already missing from the store (${blobStoreFor(config).description}; first: ${result.missingFiles[0]})`);
      if (withoutSecret) ctx.io.err('WARNING: the instance secret is NOT in this backup. A restore without it cannot decrypt stored mailbox passwords or SMTP addresses, and signed links stop working. Keep the secret (DATA_DIR/secret or SECRET) somewhere safe.');
    },
  },

  restore: {
    summary: 'restore a backup into an empty data directory and database (checks every checksum first)',
    usage: 'restore <folder|file.tar>',
    options: {},
    positionals: 1,
    async run(ctx) {
      const source = ctx.positionals[0];
      if (!source) throw new UsageError('restore needs the backup folder or .tar file: restore <folder|file.tar>');
      const config = loadConfig(ctx.io.env, { createSecret: false });
      const result = await guardBackup(() => restoreBackup({ source, dataDir: config.dataDir, blobs: blobStoreFor(config), databaseUrl: config.databaseUrl, environmentSecret: ctx.io.env.SECRET || undefined, registry: createRegistry(ctx.plugins) }));
      const { counts } = result.manifest;
      ctx.io.out(`restored the backup of ${result.manifest.createdAt} (Tresen ${result.manifest.appVersion}): ${counts.tenants} tenants, ${counts.tickets} tickets, ${counts.files} files into ${config.dataDir}`);
      for (const warning of result.warnings) ctx.io.err(`WARNING: ${warning}`);
    },
  },
};

/** Backup problems are the operator's to fix: exit code 1 with the message. */
async function guardBackup<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof BackupError) throw new CommandError(error.message);
    throw error;
  }
}

async function switchPlugin(ctx: CommandContext, action: 'enable' | 'disable'): Promise<void> {
  const slug = required(ctx, 'tenant');
  const pluginId = required(ctx, 'plugin');
  const { database, registry } = await ctx.open();
  const tenant = await tenantBySlug(database, slug);
  try {
    if (action === 'enable') await enablePlugin(database.db, registry, tenant.id, pluginId);
    else await disablePlugin(database.db, registry, tenant.id, pluginId);
  } catch (error) {
    if (error instanceof PluginSwitchError) throw new CommandError(error.message);
    throw error;
  }
  await createAuditLog(database.db).record({ tenantId: tenant.id, actor: cliActor, action: `cli.plugin_${action}d`, target: pluginId });
  ctx.io.out(`plugin ${pluginId} ${action === 'enable' ? 'switched on' : 'switched off'} for ${slug}`);
}

/** Core commands plus those the installed plugins add (api.cli); a name clash is a programming error. */
function allCommands(plugins: readonly PluginDefinition[]): Record<string, Command> {
  const all: Record<string, Command> = { ...commands };
  for (const plugin of createRegistry(plugins).plugins) {
    for (const command of plugin.contributions.cli) {
      if (all[command.name]) throw new Error(`plugin "${plugin.id}" adds the CLI command "${command.name}", which exists already`);
      all[command.name] = command;
    }
  }
  return all;
}

function helpText(commands: Record<string, Command>): string {
  const width = Math.max(...Object.keys(commands).map((n) => n.length));
  return ['usage: npm run tresen -- <command> [options]', '', 'commands:',
    ...Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '', 'Each command takes --help. Configuration comes from the environment (DATABASE_URL, DATA_DIR, …) as for the server.'].join('\n');
}

/** Runs one CLI command; returns the process exit code (0 done, 1 failed, 2 called wrongly). */
export async function runCli(argv: string[], io: CliIo, plugins: readonly PluginDefinition[] = installedPlugins): Promise<number> {
  const [name, ...rest] = argv;
  const known = allCommands(plugins);
  const help = () => helpText(known);
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(help());
    return name ? 0 : 2;
  }
  const command = known[name];
  if (!command) {
    io.err(`tresen: unknown command "${name}"\n${help()}`);
    return 2;
  }
  let database: Database | undefined;
  try {
    if (rest.includes('--help') || rest.includes('-h')) {
      io.out(`usage: npm run tresen -- ${command.usage}\n\n${command.summary}`);
      return 0;
    }
    let parsed;
    try {
      parsed = parseArgs({ args: rest, options: command.options, allowPositionals: (command.positionals ?? 0) > 0, strict: true });
    } catch (error) {
      throw new UsageError(error instanceof Error ? error.message.split('\n')[0]! : String(error));
    }
    if (parsed.positionals.length > (command.positionals ?? 0)) throw new UsageError(`unexpected argument "${parsed.positionals.at(-1)}"`);
    const open = async (migrate = true) => {
      const config = loadConfig(io.env);
      const registry = createRegistry(plugins);
      database = await createDatabase(config.databaseUrl);
      if (migrate) await migrateAll(database.db, registry);
      return { database, registry, scryptLogN: config.scryptLogN, config };
    };
    await command.run({ values: parsed.values as CommandContext['values'], positionals: parsed.positionals, io, open, plugins });
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`tresen ${name}: ${error.message}\nusage: npm run tresen -- ${command.usage}`);
      return 2;
    }
    if (error instanceof ConfigError) {
      io.err(`tresen: configuration error: ${error.message}`);
      return 2;
    }
    io.err(`tresen ${name}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await database?.close();
  }
}
