import { spawn } from 'node:child_process';
import { projectRoot } from '../../core/project-root.js';

/** The core's data-layer suites (both dialects) and the REST API's tests: what runs again on another SQLite driver or runtime. */
export const DATA_LAYER_SUITES = ['core/db', 'core/tickets', 'core/tenancy', 'core/people', 'core/statistics', 'core/jobs', 'core/events', 'core/timeline', 'core/auth', 'core/api'];

/**
 * Runs a fresh vitest (`command` starts it, e.g. Deno or this Node) over `suites`, one worker, and hands back its
 * exit code and output (verbose: every test's name, so a caller can see what ran). None of the outer run's variables (worker ids, Vite's BASE_URL) may leak into it.
 */
export async function runInnerVitest(command: string[], suites: string[], extraEnv: Record<string, string> = {}): Promise<{ code: number | null; output: string }> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(VITEST|VITE_|BASE_URL$|MODE$|DEV$|PROD$|SSR$|TEST$|NODE_ENV$)/.test(key)));
  const child = spawn(command[0]!, [...command.slice(1), 'node_modules/vitest/vitest.mjs', 'run', '--maxWorkers=1', '--reporter=verbose', ...suites], {
    cwd: projectRoot(), env: { ...env, ...extraEnv, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, output };
}
