import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { Hono } from 'hono';
import type { AppEnv } from './app-env.js';
import { projectRoot } from '../project-root.js';

const ROOT = projectRoot();

/** Vendored browser libraries served from /static, never a CDN. */
const VENDOR: Record<string, string> = {
  'htmx.min.js': 'node_modules/htmx.org/dist/htmx.min.js',
  'htmx-ext-sse.js': 'node_modules/htmx-ext-sse/dist/sse.min.js',
};

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
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

/** Loads /static once at start (a few dozen KB) and serves it from memory with hash cache-busting. */
export function loadStaticAssets() {
  const sources = { ...listStatic(join(ROOT, 'static')), ...Object.fromEntries(Object.entries(VENDOR).map(([k, v]) => [k, join(ROOT, v)])) };
  const assets = new Map<string, Asset>();
  for (const [name, path] of Object.entries(sources)) {
    const bytes = readFileSync(path);
    assets.set(name, { bytes, type: TYPES[extname(name)] ?? 'application/octet-stream', hash: createHash('sha256').update(bytes).digest('hex').slice(0, 12) });
  }
  return {
    url(name: string): string {
      const asset = assets.get(name);
      if (!asset) throw new Error(`unknown static asset "${name}"`);
      return `/static/${name}?v=${asset.hash}`;
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
