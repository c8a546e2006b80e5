import { Hono } from 'hono';
import type { AppEnv } from '../http/app-env.js';
import { href, requirePermission, requireTenant, requireUser } from '../http/guards.js';
import { invalid, parseJsonBody, parseQuery } from './api-errors.js';
import { buildOpenApi, honoPath, type AnyApiRoute } from './openapi.js';
import { peopleApiRoutes } from './people-api.js';
import { ticketApiRoutes } from './tickets-api.js';

/** Every API operation, in the order the OpenAPI document lists them. */
export const apiRouteList: readonly AnyApiRoute[] = [...ticketApiRoutes, ...peopleApiRoutes];

/**
 * The REST API under /api/v1 of a tenant. Bearer tokens (or a staff session with a same-origin
 * request) authenticate; errors are JSON because the app's error handler sees the /api/ path.
 */
export function apiRoutes(app: Hono<AppEnv>): void {
  const api = new Hono<AppEnv>();
  api.use(requireTenant, async (c, next) => {
    await next();
    c.header('Cache-Control', 'no-store');
  });

  api.get('/openapi.json', (c) => c.json(buildOpenApi(apiRouteList, { serverUrl: href(c, '/api/v1'), version: c.var.services.config.version })));

  for (const route of apiRouteList) {
    api.on(route.method.toUpperCase(), honoPath(route.path), requireUser, requirePermission(route.permission), async (c) => {
      let params: unknown;
      if (route.params) {
        const parsed = route.params.safeParse(c.req.param());
        if (!parsed.success) throw invalid(c, parsed.error);
        params = parsed.data;
      }
      const query = route.query ? parseQuery(c, route.query) : undefined;
      const body = route.body ? await parseJsonBody(c, route.body) : undefined;
      const result = await route.handle(c, { params, query, body });
      return c.json(result as object, route.status);
    });
  }

  app.route('/api/v1', api);
}
