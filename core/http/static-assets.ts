import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { Hono } from 'hono';
import type { AppEnv } from './app-env.js';
import { projectRoot } from '../project-root.js';
import type { PluginStaticFile } from '../plugin-host/plugin-static.js';
import { STATIC_TYPES } from './static-types.js';

const ROOT = projectRoot();

/** Vendored browser libraries served from /static, never a CDN. */
const VENDOR: Record<string, string> = {
  'htmx.min.js': 'node_modules/htmx.org/dist/htmx.min.js',
  'htmx-ext-sse.js': 'node_modules/htmx-ext-sse/dist/sse.min.js',
};

interface Asset { bytes: Buffer; type: string; hash: string }

function listStatic(dir: string, prefix = ''): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) Object.assign(files, listStatic(path, `${prefix}${name}/`));
    else files[`${prefix}${name}`] = path;
  }
  return files;
}

/** What the assets need of an installed plugin: its id and the files its registry entry lists. */
export interface PluginStatic { id: string; staticFiles: readonly PluginStaticFile[] }

/**
 * Loads /static once at start (a few dozen KB) and serves it from memory with hash cache-busting;
 * each plugin's static files likewise under /static/p/<id>/ (the registry checked their names).
 */
export function loadStaticAssets(plugins: readonly PluginStatic[] = []) {
  const sources = { ...listStatic(join(ROOT, 'static')), ...Object.fromEntries(Object.entries(VENDOR).map(([k, v]) => [k, join(ROOT, v)])) };
  if (Object.keys(sources).some((name) => name.startsWith('p/'))) throw new Error('static/p/ is where plugins\' files are served');
  for (const plugin of plugins) for (const file of plugin.staticFiles) sources[`p/${plugin.id}/${file.name}`] = file.path;
  const assets = new Map<string, Asset>();
  for (const [name, path] of Object.entries(sources)) {
    const bytes = readFileSync(path);
    assets.set(name, { bytes, type: STATIC_TYPES[extname(name)] ?? 'application/octet-stream', hash: createHash('sha256').update(bytes).digest('hex').slice(0, 12) });
  }
  const url = (name: string): string => {
    const asset = assets.get(name);
    if (!asset) throw new Error(`unknown static asset "${name}"`);
    return `/static/${name}?v=${asset.hash}`;
  };
  // Each plugin's top-level CSS files in name order, the plugins in registry order (dependencies first).
  const pluginCss = plugins.map((plugin) => ({
    id: plugin.id,
    urls: plugin.staticFiles.filter((file) => !file.name.includes('/') && file.name.endsWith('.css')).map((file) => url(`p/${plugin.id}/${file.name}`)),
  })).filter((plugin) => plugin.urls.length > 0);
  return {
    url,
    /** The stylesheets of the plugins switched on for the request's tenant; none outside a tenant. */
    pluginStyles(enabledPlugins: ReadonlySet<string>): string[] {
      return pluginCss.flatMap((plugin) => (enabledPlugins.has(plugin.id) ? plugin.urls : []));
    },
    mount(app: Hono<AppEnv>): void {
      app.get('/static/*', (c) => {
        const asset = assets.get(c.req.path.slice('/static/'.length));
        if (!asset) return c.notFound();
        // Versioned URLs never change content; unversioned ones revalidate.
        c.header('Cache-Control', c.req.query('v') === asset.hash ? 'public, max-age=31536000, immutable' : 'no-cache');
        c.header('Content-Type', asset.type);
        c.header('ETag', `"${asset.hash}"`);
        if (c.req.header('If-None-Match') === `"${asset.hash}"`) return c.body(null, 304);
        return c.body(new Uint8Array(asset.bytes));
      });
    },
  };
}
export type StaticAssets = ReturnType<typeof loadStaticAssets>;
