import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { installedPlugins } from '../config/plugins.js';
import { auditActionRegistry } from '../core/audit/audit-actions.js';
import { createRegistry } from '../core/plugin-host/registry.js';

const root = fileURLToPath(new URL('../', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** Action codes written by the audit writers' call sites (record({... action ...}), recordAdminAction, the admin `audit(c, ...)` helper). */
function writtenActions(): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of [...sourceFiles(join(root, 'core')), ...sourceFiles(join(root, 'plugins'))]) {
    const where = file.slice(root.length);
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (!/\.record\(\{|recordAdminAction\(c|\baudit\(c, '/.test(line)) continue;
      for (const m of line.matchAll(/'([a-z]+\.[a-z_]+)'/g)) found.set(m[1]!, where);
      // `${area}.plugin_${action}d` with action 'enable' | 'disable'
      for (const m of line.matchAll(/`([a-z]+)\.plugin_\$\{action\}d`/g)) { found.set(`${m[1]}.plugin_enabled`, where); found.set(`${m[1]}.plugin_disabled`, where); }
    }
  }
  return found;
}

describe('audit actions written in the source', () => {
  it('are each declared, with labels, by the core or the installed plugin that writes them', () => {
    const registry = createRegistry(installedPlugins);
    const actions = auditActionRegistry(registry);
    const written = writtenActions();
    expect(written.size).toBeGreaterThan(30);
    for (const action of ['admin.contract_created', 'helpdesk.mail_attached', 'platform.plugin_enabled', 'portal.registered']) expect([...written.keys()]).toContain(action);
    expect([...written].filter(([action]) => !actions.get(action)).map(([action, file]) => `${action} (${file})`)).toEqual([]);
    // A plugin's actions are written inside its own folder.
    for (const [action, file] of written) {
      const owner = actions.get(action)!.owner;
      if (owner !== 'core') expect(file, action).toMatch(new RegExp(`^plugins/${owner}/`));
    }
  });
});
