import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { threadId } from 'node:worker_threads';

/**
 * What differs between the runtimes Tresen runs on, in one place: Node.js and Deno 2. The SQLite driver has its own
 * module (core/db/sqlite-driver.ts); everything else is Web standards and `node:` built-ins that both support.
 */
export type RuntimeName = 'node' | 'deno';

export function runtimeName(): RuntimeName {
  return 'Deno' in globalThis ? 'deno' : 'node';
}

/**
 * The module a worker thread starts from, given its TypeScript source (`new URL('./x.ts', import.meta.url)`):
 * - the compiled JavaScript beside it in production (`dist/`);
 * - under Deno the TypeScript itself (Deno's workers load TypeScript);
 * - on Node in development and tests a bundle made once with esbuild (npm packages stay external) into
 *   node_modules/.cache, named by its content: loading TypeScript through tsx in every worker costs about a
 *   second per start.
 */
export function workerEntry(source: URL): URL {
  const compiled = new URL(source.href.replace(/\.ts$/, '.js'));
  if (existsSync(fileURLToPath(compiled))) return compiled;
  if (runtimeName() === 'deno') return source;
  const require = createRequire(import.meta.url);
  const esbuild = require('esbuild') as typeof import('esbuild');
  const built = esbuild.buildSync({
    entryPoints: [fileURLToPath(source)], bundle: true, packages: 'external', platform: 'node', format: 'esm', target: 'node20', write: false, logLevel: 'silent',
  });
  const code = built.outputFiles[0]!.contents;
  const cache = join(dirname(require.resolve('esbuild/package.json')), '..', '.cache', 'tresen');
  const name = source.pathname.split('/').pop()!.replace(/\.ts$/, '');
  const file = join(cache, `${name}-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`);
  if (!existsSync(file)) {
    mkdirSync(cache, { recursive: true });
    // Another process may write the same file at once: write aside, then rename over.
    const temporary = `${file}.${process.pid}.${threadId}.tmp`;
    writeFileSync(temporary, code);
    renameSync(temporary, file);
  }
  return pathToFileURL(file);
}
