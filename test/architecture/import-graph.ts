import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { findImports } from './find-imports.js';

/** One import from a project file: `to` is the file it resolves to (relative to the root), or undefined for a package. */
export interface ImportEdge {
  from: string;
  specifier: string;
  to: string | undefined;
  typeOnly: boolean;
  line: number;
}

export interface ImportGraph {
  /** Project-relative paths with forward slashes, sorted. */
  files: string[];
  /** Every file's imports, in source order. */
  imports: Map<string, ImportEdge[]>;
}

const SOURCE = /\.tsx?$/;

function listSources(root: string, dir: string): string[] {
  const absolute = path.join(root, dir);
  if (!existsSync(absolute)) return [];
  return readdirSync(absolute, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts'))
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'));
}

/**
 * The file a relative specifier names, as TypeScript's NodeNext resolution finds it: `./x.js`
 * is `./x.ts` or `./x.tsx`. Undefined for a package (`hono`, `node:fs`); the joined path as it
 * stands when no file matches (tsc reports those).
 */
export function resolveSpecifier(root: string, from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('./') && !specifier.startsWith('../')) return undefined;
  const joined = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  const stem = joined.replace(/\.(m|c)?jsx?$/, '');
  const candidates = stem === joined
    ? [joined, `${joined}.ts`, `${joined}.tsx`, `${joined}/index.ts`, `${joined}/index.tsx`]
    : [`${stem}.ts`, `${stem}.tsx`, joined];
  return candidates.find((candidate) => existsSync(path.join(root, candidate))) ?? joined;
}

/** Reads every .ts/.tsx file under the given top-level folders and resolves its imports. */
export function buildImportGraph(root: string, dirs: readonly string[]): ImportGraph {
  const files = dirs.flatMap((dir) => listSources(root, dir)).sort();
  const imports = new Map<string, ImportEdge[]>();
  for (const file of files) {
    const source = readFileSync(path.join(root, file), 'utf8');
    imports.set(file, findImports(source).map((reference) => ({
      from: file,
      specifier: reference.specifier,
      to: resolveSpecifier(root, file, reference.specifier),
      typeOnly: reference.typeOnly,
      line: reference.line,
    })));
  }
  return { files, imports };
}
