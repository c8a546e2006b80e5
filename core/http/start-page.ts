import type { Context } from 'hono';
import type { AppEnv } from './app-env.js';
import { href } from './guards.js';

/** Where "back to the start" leads the current visitor: desk for staff, portal home for portal users, platform for the operator, the site root otherwise. */
export function startPage(c: Context<AppEnv>): string {
  if (c.var.person) return href(c, '/portal');
  if (c.var.user && !c.var.tenant) return '/platform';
  if (c.var.user && c.var.can('desk.use')) return href(c, '/desk');
  // The tenant's root (`/t/<slug>`, or `/` on its own host) leads on to its sign-in.
  return c.var.base || '/';
}
