import { describe, expect, it } from 'vitest';
import { DATA_LAYER_SUITES, runInnerVitest } from '../harness/inner-vitest.js';

/**
 * The same data-layer and API suites on this Node with its built-in `node:sqlite` instead of better-sqlite3 (Node
 * 22.13 and later have it without a flag: CI's Node 24 pass runs this; on Node 20 it is skipped, and Deno's run of
 * the same suites covers the driver there).
 */
const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
const hasNodeSqlite = major > 22 || (major === 22 && minor >= 13);

describe.skipIf(!hasNodeSqlite || Boolean(process.env.TRESEN_SQLITE_DRIVER))(`the data-layer and API suites on Node ${process.versions.node} with node:sqlite`, () => {
  it('pass on node:sqlite and PostgreSQL', { timeout: 1_200_000 }, async () => {
    const { code, output } = await runInnerVitest([process.execPath], DATA_LAYER_SUITES, { TRESEN_SQLITE_DRIVER: 'node:sqlite' });
    expect(code, output.slice(-6000)).toBe(0);
    expect(output).toMatch(/Test Files\s+\d+ passed/);
    expect(output).not.toMatch(/Test Files\s+0 passed/);
    // The driver really was node:sqlite: core/db's test names the driver the process opened.
    expect(output).toContain('is SQLite through node:sqlite in this process');
  });
});
