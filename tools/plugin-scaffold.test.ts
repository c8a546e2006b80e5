import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../core/project-root.js';
import { pluginIdProblem, scaffoldPlugin } from './plugin-scaffold.js';

const root = projectRoot();
// Inside the project (so the scaffold's relative imports of the core resolve), in the ignored .tmp folder.
mkdirSync(join(root, '.tmp'), { recursive: true });
const parent = mkdtempSync(join(root, '.tmp', 'scaffold-'));
const written = scaffoldPlugin({ id: 'scaffold-probe', pluginsDir: parent, root });
afterAll(() => rmSync(parent, { recursive: true, force: true }));

describe('npm run new:plugin', () => {
  it('writes a whole plugin folder', () => {
    const dir = join(parent, 'scaffold-probe');
    expect(readdirSync(dir).sort()).toEqual([
      'README.md', 'index.tsx', 'item-routes.tsx', 'item-store.ts', 'messages.ts', 'migrations.ts',
      'scaffold-probe-db.ts', 'scaffold-probe.contract.test.ts', 'scaffold-probe.test.ts', 'static',
    ]);
    expect(readdirSync(join(dir, 'static'))).toEqual(['scaffold-probe.css']);
    expect(written).toHaveLength(10);
  });

  it('refuses a bad id and an existing folder, writing nothing', () => {
    for (const bad of ['Inventory', '1st', 'a', 'on--call', 'on-call-', 'x'.repeat(31), 'desk', 'portal']) expect(pluginIdProblem(bad), bad).not.toBeNull();
    for (const good of ['inventory', 'on-call', 'sla2']) expect(pluginIdProblem(good), good).toBeNull();
    expect(() => scaffoldPlugin({ id: 'scaffold-probe', pluginsDir: parent, root })).toThrow(/exists already/);
    expect(() => scaffoldPlugin({ id: 'Bad', pluginsDir: parent, root })).toThrow(/not a plugin id/);
    expect(existsSync(join(parent, 'Bad'))).toBe(false);
  });

  it('answers a wrong call of the command with its usage and a readable refusal (exit code 2)', () => {
    const tsx = join(root, 'node_modules', '.bin', 'tsx');
    const none = spawnSync(tsx, ['tools/new-plugin.ts'], { cwd: root, encoding: 'utf8' });
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('usage: npm run new:plugin -- <id>');
    const taken = spawnSync(tsx, ['tools/new-plugin.ts', 'portal'], { cwd: root, encoding: 'utf8' });
    expect(taken.status).toBe(2);
    expect(taken.stderr).toContain('new:plugin: "portal" is reserved');
  });
});

// The scaffold's own tests, unchanged, run here: its contract test (both dialects) and its behaviour test.
await import(pathToFileURL(join(parent, 'scaffold-probe', 'scaffold-probe.contract.test.ts')).href);
await import(pathToFileURL(join(parent, 'scaffold-probe', 'scaffold-probe.test.ts')).href);
