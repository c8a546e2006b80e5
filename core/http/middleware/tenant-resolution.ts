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
  const { tenants } = c.var.services;
  const url = new URL(c.req.url);
  const byHost = await tenants.byHost(url.hostname);
  const match = PREFIX.exec(url.pathname);
  let tenant = byHost;
  let base = '';
  if (!tenant && match) {
    tenant = await tenants.bySlug(match[1]!);
    base = `/t/${match[1]}`;
    if (!tenant) return c.notFound();
  }
  c.set('tenant', tenant);
  c.set('base', base);
  c.set('enabledPlugins', tenant ? await tenants.enabledPlugins(tenant.id) : new Set());
  return next();
});
