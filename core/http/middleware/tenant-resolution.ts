import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../app-env.js';

const PREFIX = /^\/t\/([a-z0-9][a-z0-9-]*)(?=\/|$)/;

/** The routing path: the `/t/<slug>` prefix is stripped so tenant routes are written once. */
export function routingPath(request: Request): string {
  const url = new URL(request.url);
  const stripped = url.pathname.replace(PREFIX, '');
  return stripped === '' ? '/' : stripped;
}

/** A mapped host name wins; otherwise the `/t/<slug>` prefix names the tenant. */
export const tenantResolution = createMiddleware<AppEnv>(async (c, next) => {
  const url = new URL(c.req.url);
  const match = PREFIX.exec(url.pathname);
  const { tenant, byHost, enabledPlugins } = await c.var.services.tenants.resolve(url.hostname, match?.[1]);
  if (!tenant && match) return c.notFound();
  c.set('tenant', tenant);
  c.set('base', !byHost && match ? `/t/${match[1]}` : '');
  c.set('enabledPlugins', enabledPlugins);
  return next();
});
