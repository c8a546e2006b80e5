import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../app-env.js';

/** The largest id any table hands out (PostgreSQL `integer`, and what SQLite rows get here). */
export const MAX_ID = 2_147_483_647;

/**
 * A path segment of digits beyond every id names nothing: 404 before a handler passes it to the
 * database (PostgreSQL refuses such a value for an integer column with an error, not an empty result).
 */
export const pathIdBounds = createMiddleware<AppEnv>(async (c, next) => {
  for (const segment of c.req.path.split('/')) {
    if (segment.length >= 10 && /^\d+$/.test(segment) && Number(segment) > MAX_ID) return c.notFound();
  }
  return next();
});
