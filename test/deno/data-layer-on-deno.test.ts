import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../core/project-root.js';
import { denoBinary } from '../harness/deno-runtime.js';

/**
 * The core's data-layer suites (both dialects) and the REST API's tests, run by vitest under Deno: SQLite through
 * Deno's node:sqlite; and `deno check` of the server and the CLI.
 */
const SUITES = ['core/db', 'core/tickets', 'core/tenancy', 'core/people', 'core/statistics', 'core/jobs', 'core/events', 'core/timeline', 'core/auth', 'core/api'];

// A run with TRESEN_SQLITE_DRIVER set is a second pass over the suite: this ran in the first, once is enough.
describe.skipIf(Boolean(process.env.TRESEN_SQLITE_DRIVER))('the data-layer and API suites under Deno', () => {
  it('pass on node:sqlite and PostgreSQL', { timeout: 1_200_000 }, async () => {
    // The inner vitest is a fresh run: none of this run's variables (worker ids, Vite's BASE_URL) may leak into it.
    const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(VITEST|VITE_|BASE_URL$|MODE$|DEV$|PROD$|SSR$|TEST$|NODE_ENV$)/.test(key)));
    const child = spawn(denoBinary(), ['run', '-A', 'node_modules/vitest/vitest.mjs', 'run', '--maxWorkers=1', ...SUITES], { cwd: projectRoot(), env: { ...env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code, output.slice(-6000)).toBe(0);
    // It really ran them (not an empty selection), under Deno.
    expect(output).toMatch(/Test Files\s+\d+ passed/);
    expect(output).not.toMatch(/Test Files\s+0 passed/);
  });

  it('type-checks with deno check (deno task check)', { timeout: 300_000 }, async () => {
    const child = spawn(denoBinary(), ['check', 'core/main.ts', 'core/cli/main.ts'], { cwd: projectRoot(), env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    expect(await new Promise<number | null>((resolve) => child.once('exit', resolve)), output.slice(-6000)).toBe(0);
  });
});
