import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../core/project-root.js';
import { denoBinary } from '../harness/deno-runtime.js';
import { DATA_LAYER_SUITES, runInnerVitest } from '../harness/inner-vitest.js';

/**
 * The core's data-layer suites (both dialects) and the REST API's tests, run by vitest under Deno: SQLite through
 * Deno's node:sqlite; and `deno check` of the server and the CLI.
 */

// A run with TRESEN_SQLITE_DRIVER set is a second pass over the suite: this ran in the first, once is enough.
describe.skipIf(Boolean(process.env.TRESEN_SQLITE_DRIVER))('the data-layer and API suites under Deno', () => {
  it('pass on node:sqlite and PostgreSQL', { timeout: 1_200_000 }, async () => {
    const { code, output } = await runInnerVitest([denoBinary(), 'run', '-A'], DATA_LAYER_SUITES);
    expect(code, output.slice(-6000)).toBe(0);
    // It really ran them (not an empty selection), under Deno.
    expect(output).toMatch(/Test Files\s+\d+ passed/);
    expect(output).not.toMatch(/Test Files\s+0 passed/);
    expect(output).toContain('is SQLite through node:sqlite in this process');
  });

  it('type-checks with deno check (deno task check)', { timeout: 300_000 }, async () => {
    const child = spawn(denoBinary(), ['check', 'core/main.ts', 'core/cli/main.ts'], { cwd: projectRoot(), env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    expect(await new Promise<number | null>((resolve) => child.once('exit', resolve)), output.slice(-6000)).toBe(0);
  });
});
