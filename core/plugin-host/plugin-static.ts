import { existsSync, lstatSync, readdirSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { projectRoot } from '../project-root.js';
import { STATIC_TYPES } from '../http/static-types.js';

/** One file of a plugin's static folder: its name under `/static/p/<id>/` and where it lies. */
export interface PluginStaticFile { name: string; path: string }

/** A folder or file name: letters, digits, dot, dash, underscore; no leading dot (so no `..`, no hidden files). */
const SAFE_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

/**
 * The folder a plugin declared. The compiled server runs from dist/, where tsc puts no CSS: a folder
 * declared next to a compiled file is looked up at the same place in the sources, as core's static/ is.
 * Code bundled elsewhere (a test's child process) finds an installed plugin's folder at plugins/<id>/static.
 */
export function pluginStaticDir(folder: URL, pluginId: string): string {
  const declared = fileURLToPath(folder);
  if (existsSync(declared)) return declared;
  const root = projectRoot();
  const inProject = relative(root, declared);
  if (inProject.startsWith(`dist${sep}`)) return join(root, inProject.slice('dist'.length + 1));
  const installed = join(root, 'plugins', pluginId, 'static');
  return existsSync(installed) ? installed : declared;
}

function list(dir: string, prefix: string, files: PluginStaticFile[]): string | undefined {
  for (const entry of readdirSync(dir).sort()) {
    if (!SAFE_NAME.test(entry)) return `"${prefix}${entry}" is not a safe file name (letters, digits, . _ -, no leading dot)`;
    const path = join(dir, entry);
    // lstat: a link could point anywhere on the disk, so only plain files and folders count.
    const stat = lstatSync(path);
    if (stat.isDirectory()) {
      const problem = list(path, `${prefix}${entry}/`, files);
      if (problem) return problem;
    } else if (!stat.isFile()) {
      return `"${prefix}${entry}" is neither a file nor a folder (links are not served)`;
    } else if (!(extname(entry) in STATIC_TYPES)) {
      return `"${prefix}${entry}" is not a type /static serves (${Object.keys(STATIC_TYPES).join(' ')})`;
    } else {
      files.push({ name: `${prefix}${entry}`, path });
    }
  }
  return undefined;
}

/** The files of a plugin's declared static folder, or the problem that makes the declaration wrong. */
export function listPluginStatic(pluginId: string, folder: URL | undefined): { files: PluginStaticFile[] } | { problem: string } {
  if (!folder) return { files: [] };
  if (folder.protocol !== 'file:') return { problem: `plugin "${pluginId}" declares static files at ${folder.href}, which is not a folder` };
  const dir = pluginStaticDir(folder, pluginId);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return { problem: `plugin "${pluginId}" declares static files in ${dir}, which is not a folder` };
  const files: PluginStaticFile[] = [];
  const problem = list(dir, '', files);
  return problem ? { problem: `plugin "${pluginId}" static file ${problem}` } : { files };
}
