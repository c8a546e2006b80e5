import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../core/project-root.js';
import { freePort } from './postgres-server.js';

/** The Deno release the suite runs on (from the npm registry's `deno` package when the machine has none). */
export const DENO_VERSION = '2.9.6';

/**
 * A Deno binary: DENO_BIN, else `deno` on the PATH, else the npm registry's `deno` package installed once into
 * .tmp/deno (the harness brings what it needs, as it does PostgreSQL and Dovecot).
 */
export function denoBinary(): string {
  if (process.env.DENO_BIN) return process.env.DENO_BIN;
  if (spawnSync('deno', ['--version'], { stdio: 'ignore' }).status === 0) return 'deno';
  const prefix = join(projectRoot(), '.tmp', 'deno');
  const binary = join(prefix, 'node_modules', 'deno', 'deno');
  if (!existsSync(binary)) {
    mkdirSync(prefix, { recursive: true });
    const installed = spawnSync('npm', ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', `deno@${DENO_VERSION}`], { stdio: ['ignore', 'ignore', 'inherit'] });
    if (installed.status !== 0 || !existsSync(binary)) {
      rmSync(prefix, { recursive: true, force: true });
      throw new Error(`could not install deno@${DENO_VERSION} from the npm registry into ${prefix}; set DENO_BIN to a Deno 2 binary`);
    }
  }
  return binary;
}

export interface DenoServer {
  url: string;
  process: ChildProcess;
  /** What the server printed (stdout and stderr), for a failing test's message. */
  output(): string;
  /** SIGTERM, and the exit code once it has ended. */
  stop(): Promise<number | null>;
}

/**
 * `deno task start`'s command with its permissions (deno.json), on a data directory of the test's: network, the
 * environment, the host name (job leases), read the project and the data directory, write only the data directory.
 */
export async function startDenoServer(dataDir: string, env: Record<string, string> = {}): Promise<DenoServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // Vitest puts Vite's BASE_URL ("/") into the environment; the server would read it as its public address.
  const inherited = { ...process.env };
  delete inherited.BASE_URL;
  const child = spawn(denoBinary(), [
    'run', '--allow-net', '--allow-env', '--allow-sys=hostname', `--allow-read=${projectRoot()},${dataDir}`, `--allow-write=${dataDir}`, 'core/main.ts',
  ], {
    cwd: projectRoot(),
    env: { ...inherited, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', TRESEN_DEMO: '0', NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  child.stderr!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // The first start compiles the TypeScript (cached afterwards): allow two minutes on a loaded CI machine.
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`deno exited with ${child.exitCode} before it was ready:\n${output}`);
    const ready = await fetch(`${url}/readyz`).then((r) => r.ok, () => false);
    if (ready) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`deno was not ready within 120 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url, process: child, output: () => output,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
