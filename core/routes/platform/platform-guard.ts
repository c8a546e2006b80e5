import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../../http/app-env.js';

/** Platform screens exist only outside tenants, for signed-in operators. */
export const platformOnly = createMiddleware<AppEnv>(async (c, next) => {
  if (c.var.tenant) return c.notFound();
  return next();
});
