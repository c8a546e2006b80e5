import type { ParseArgsConfig } from 'node:util';
import type { AppConfig } from '../../config/env.js';
import type { Database } from '../db/create-database.js';

/** Where a CLI command writes, and the environment it reads its configuration from. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  env: Record<string, string | undefined>;
}

/** A mistake in how the command was called: exit code 2 with the usage line. */
export class CliUsageError extends Error {}
/** The command was understood but cannot be done: exit code 1. */
export class CliCommandError extends Error {}

/**
 * What `open()` hands a command. run-cli adds the plugin registry to it (declaration merging):
 * the registry names PluginCliCommand, so this module does not import it back.
 */
export interface PluginCliResources {
  database: Database;
  config: AppConfig;
}

export interface PluginCliContext {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
  io: CliIo;
  /** Opens (and by default migrates) the configured database; run-cli closes it afterwards. */
  open(migrate?: boolean): Promise<PluginCliResources>;
}

/** An operator command a plugin adds to `npm run tresen -- <name>` (run-cli dispatches it like a core command). */
export interface PluginCliCommand {
  name: string;
  summary: string;
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  positionals?: number;
  run(ctx: PluginCliContext): Promise<void>;
}
