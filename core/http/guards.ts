import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { DB, Tenant } from '../db/schema.js';
import type { PermissionKey } from '../permissions.js';
import { pluginScope, type TenantScope } from '../tenancy/tenant-scope.js';
import type { AppEnv, StaffUser } from './app-env.js';
import { HttpError } from './http-error.js';
import { clientAddress } from './client-address.js';

export function isHtmx(c: Context<AppEnv>): boolean {
  return c.req.header('HX-Request') === 'true' && c.req.header('HX-History-Restore-Request') !== 'true';
}

/** Path inside the current tenant (or the platform) as a URL the browser can follow. */
export function href(c: Context<AppEnv>, path: string): string {
  return `${c.var.base}${path}`;
}

/** A redirect that also works for htmx requests (which would otherwise swap the target page into a fragment). */
export function redirectTo(c: Context<AppEnv>, location: string): Response {
  if (isHtmx(c)) {
    c.header('HX-Redirect', location);
    return c.body(null, 204);
  }
  return c.redirect(location, 303);
}

export const requireTenant = createMiddleware<AppEnv>(async (c, next) => {
  if (!c.var.tenant) return c.notFound();
  return next();
});

/** Signed-in staff of this tenant (or operators outside any tenant); others go to the sign-in page. */
export const requireUser = createMiddleware<AppEnv>(async (c, next) => {
  if (!c.var.user) {
    if (c.req.path.startsWith('/api/')) throw new HttpError(401, c.var.t('api.unauthorized'));
    const target = new URL(c.req.url);
    const nextPath = c.req.method === 'GET' ? `${target.pathname}${target.search}` : '';
    return redirectTo(c, href(c, `/login${nextPath ? `?next=${encodeURIComponent(nextPath)}` : ''}`));
  }
  return next();
});

export function requirePermission(permission: PermissionKey) {
  return createMiddleware<AppEnv>(async (c, next) => {
    if (!c.var.can(permission)) throw new HttpError(403, c.var.t('error.forbidden'));
    return next();
  });
}

/** A plugin the tenant has switched off does not exist for it: 404, not 403. */
export function requirePlugin(pluginId: string) {
  return createMiddleware<AppEnv>(async (c, next) => {
    if (!c.var.tenant || !c.var.enabledPlugins.has(pluginId)) return c.notFound();
    return next();
  });
}

export function staff(c: Context<AppEnv>): StaffUser {
  const user = c.var.user;
  if (!user) throw new HttpError(401, 'not signed in');
  return user;
}

/** The request's tenant; a route that runs outside any tenant answers 404 (as requireTenant does). */
export function tenantOf(c: Context<AppEnv>): Tenant {
  const tenant = c.var.tenant;
  if (!tenant) throw new HttpError(404, c.var.t('error.notFound'));
  return tenant;
}

/**
 * The request tenant's scope; a plugin names its database interface to reach its own tables
 * the same way (`scope<HelpdeskDB>(c)`).
 */
export function scope<D extends DB = DB>(c: Context<AppEnv>): TenantScope<D> {
  return pluginScope<D>(c.var.services.db, tenantOf(c).id);
}

/** The client's address for throttling and the audit log: the socket's peer, or what a trusted proxy forwarded (TRUSTED_PROXIES). */
export function clientIp(c: Context<AppEnv>): string {
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return clientAddress(incoming?.socket?.remoteAddress, c.req.raw.headers, c.var.services.trustedProxies);
}
