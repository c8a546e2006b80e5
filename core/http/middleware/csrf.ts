import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../app-env.js';
import { HttpError } from '../http-error.js';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Unsafe methods must come from our own pages: the Origin header (or, without it,
 * Sec-Fetch-Site) must say same origin. Bearer-token API calls carry no cookies and pass.
 */
export const csrfProtection = createMiddleware<AppEnv>(async (c, next) => {
  if (SAFE.has(c.req.method) || c.req.header('Authorization')?.startsWith('Bearer ')) return next();
  const expected = new Set([new URL(c.req.url).origin]);
  const baseUrl = c.var.services.config.baseUrl;
  if (baseUrl) expected.add(new URL(baseUrl).origin);
  const origin = c.req.header('Origin');
  if (origin && origin !== 'null') {
    if (!expected.has(origin)) throw new HttpError(403, c.var.t('error.csrf'));
    return next();
  }
  const site = c.req.header('Sec-Fetch-Site');
  if (site === 'same-origin' || site === 'none') return next();
  throw new HttpError(403, c.var.t('error.csrf'));
});
