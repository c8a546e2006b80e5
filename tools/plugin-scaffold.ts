import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pluginTemplates } from './plugin-templates.js';

/** A plugin id: lower case, starting with a letter, letters, digits and single hyphens, 2 to 30 characters. */
export const PLUGIN_ID = /^[a-z](?:[a-z0-9]|-(?=[a-z0-9])){1,29}$/;

/** Names a plugin may not take: the core's own route and permission prefixes. */
const RESERVED = new Set(['core', 'admin', 'api', 'desk', 'static', 'platform', 'portal', 'p', 't', 'ticket', 'tickets', 'statistics', 'audit', 'notifications']);

export class ScaffoldError extends Error {}

/** Why `id` cannot name a new plugin, or null when it can. */
export function pluginIdProblem(id: string): string | null {
  if (!PLUGIN_ID.test(id)) return `"${id}" is not a plugin id: use 2 to 30 lower-case letters, digits and single hyphens, starting with a letter (e.g. "inventory" or "on-call")`;
  if (RESERVED.has(id)) return `"${id}" is reserved by the core or an installed plugin`;
  return null;
}

/**
 * Writes a new plugin folder `<pluginsDir>/<id>/` that passes the contract test as written: a definition with
 * a permission pair, an admin section, one table through the tenant scope, a list page and a form, messages in
 * both languages, its CSS, a README, the contract test and a behaviour test with a cross-tenant check.
 * Imports of the core are relative to `root` (the project), so the folder may sit anywhere inside it.
 * Returns the written files relative to `root`. Refuses a bad id and an existing folder (nothing is written).
 */
export function scaffoldPlugin(input: { id: string; pluginsDir: string; root: string }): string[] {
  const problem = pluginIdProblem(input.id);
  if (problem) throw new ScaffoldError(problem);
  const dir = join(input.pluginsDir, input.id);
  if (existsSync(dir)) throw new ScaffoldError(`${relative(input.root, dir) || dir} exists already; choose another id or remove it`);
  const up = relative(dir, input.root) || '.';
  const files = pluginTemplates({ id: input.id, up });
  mkdirSync(join(dir, 'static'), { recursive: true });
  const written: string[] = [];
  for (const [name, text] of Object.entries(files)) {
    writeFileSync(join(dir, name), text, { flag: 'wx' });
    written.push(relative(input.root, join(dir, name)));
  }
  return written;
}
