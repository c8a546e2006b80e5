import { Hono, type Context } from 'hono';
import { hashToken } from '../auth/session-store.js';
import type { AppEnv } from '../http/app-env.js';
import { clientIp, href, requirePermission, requirePlugin, requireTenant, requireUser } from '../http/guards.js';
import { HttpError } from '../http/http-error.js';
import type { PluginRegistry } from '../plugin-host/registry.js';
import type { RateDecision } from './api-rate-limit.js';
import { invalid, parseBody, parseQuery } from './api-errors.js';
import { buildOpenApi, honoPath, type AnyApiRoute } from './openapi.js';
import { peopleApiRoutes } from './people-api.js';
import { seatsApiRoutes } from './seats-api.js';
import { directoryApiRoutes } from './directory-api.js';
import { ticketApiRoutes } from './tickets-api.js';
import { ticketFollowupApiRoutes } from './ticket-followup-api.js';
import { timelineApiRoutes } from './timeline-api.js';
import { statisticsApiRoutes } from './statistics-api.js';
import { kpiApiRoutes } from './kpi-api.js';

/** Every core API operation, in the order the OpenAPI document lists them. */
export const apiRouteList: readonly AnyApiRoute[] = [...ticketApiRoutes, ...ticketFollowupApiRoutes, ...peopleApiRoutes, ...timelineApiRoutes, ...statisticsApiRoutes, ...kpiApiRoutes, ...seatsApiRoutes, ...directoryApiRoutes];

/** An operation and the plugin that contributed it (none for the core's). */
export interface ApiOperation {
  route: AnyApiRoute;
  pluginId?: string | undefined;
}

/** The core's operations, then each installed plugin's; a clash of method and path, or of operationId, stops the start. */
export function apiOperations(registry: PluginRegistry): ApiOperation[] {
  const operations: ApiOperation[] = [
    ...apiRouteList.map((route) => ({ route })),
    ...registry.plugins.flatMap((plugin) => plugin.contributions.apiRoutes.map((route) => ({ route, pluginId: plugin.id }))),
  ];
  const owners = new Map<string, string>();
  for (const { route, pluginId } of operations) {
    const owner = pluginId ? `plugin "${pluginId}"` : 'the core';
    for (const key of [`${route.method.toUpperCase()} ${route.path.replace(/\{\w+\}/g, '{}')}`, `operationId ${route.operationId}`]) {
      const taken = owners.get(key);
      if (taken) throw new Error(`API operation ${route.method.toUpperCase()} ${route.path} (${route.operationId}) of ${owner} clashes with one of ${taken}`);
      owners.set(key, owner);
    }
  }
  return operations;
}

function rateHeaders(c: Context<AppEnv>, decision: RateDecision, windowMs: number): void {
  c.header('RateLimit-Limit', String(decision.limit));
  c.header('RateLimit-Remaining', String(decision.remaining));
  c.header('RateLimit-Reset', String(decision.resetSeconds));
  c.header('RateLimit-Policy', `${decision.limit};w=${Math.round(windowMs / 1000)}`);
  if (!decision.allowed) c.header('Retry-After', String(decision.resetSeconds));
}

/**
 * Per-token budget (a browser session using the API has its own), and per-address budget of failed
 * bearer sign-ins; a valid token is never held back by failures from its address. Counted in the
 * database, so several instances share each budget.
 */
async function rateLimit(c: Context<AppEnv>, next: () => Promise<void>) {
  const limiter = c.var.services.apiLimiter;
  const { limits } = limiter;
  const authorization = c.req.header('Authorization');
  const bearer = authorization?.startsWith('Bearer ') ? authorization.slice(7).trim() : undefined;
  let decision: RateDecision | undefined;
  if (bearer !== undefined) {
    decision = c.var.user ? await limiter.take(`token:${hashToken(bearer)}`, limits.perToken) : await limiter.take(`auth-failure:${clientIp(c)}`, limits.authFailuresPerIp);
  } else if (c.var.user && c.var.sessionId) {
    decision = await limiter.take(`session:${c.var.sessionId}`, limits.perToken);
  }
  if (decision) rateHeaders(c, decision, limits.windowMs);
  if (decision && !decision.allowed) throw new HttpError(429, c.var.t('api.tooManyRequests', { seconds: decision.resetSeconds }));
  await next();
}

/**
 * The REST API under /api/v1 of a tenant. Bearer tokens (or a staff session with a same-origin
 * request) authenticate; errors are JSON because the app's error handler sees the /api/ path.
 * Plugins' operations answer only while the tenant has the plugin on (404 otherwise, as its pages).
 */
export function apiRoutes(app: Hono<AppEnv>, registry: PluginRegistry): void {
  const operations = apiOperations(registry);
  const api = new Hono<AppEnv>();
  api.use(requireTenant, rateLimit, async (c, next) => {
    await next();
    c.header('Cache-Control', 'no-store');
  });

  api.get('/openapi.json', (c) => {
    const routes = operations.filter((o) => !o.pluginId || c.var.enabledPlugins.has(o.pluginId)).map((o) => o.route);
    return c.json(buildOpenApi(routes, { serverUrl: href(c, '/api/v1'), version: c.var.services.config.version }));
  });

  for (const { route, pluginId } of operations) {
    const pluginGate = pluginId ? requirePlugin(pluginId) : (_c: Context<AppEnv>, next: () => Promise<void>) => next();
    api.on(route.method.toUpperCase(), honoPath(route.path), pluginGate, requireUser, requirePermission(route.permission), async (c) => {
      let params: unknown;
      if (route.params) {
        const parsed = route.params.safeParse(c.req.param());
        if (!parsed.success) throw invalid(c, parsed.error);
        params = parsed.data;
      }
      const query = route.query ? parseQuery(c, route.query) : undefined;
      const { body, files } = route.body ? await parseBody(c, route.body, route.multipart?.files) : { body: undefined, files: [] };
      const result = await route.handle(c, { params, query, body, files });
      if (result instanceof Response) return result;
      if (route.status === 204) return c.body(null, 204);
      return c.json(result as object, route.status);
    });
  }

  app.route('/api/v1', api);
}
