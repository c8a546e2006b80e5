import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../app-env.js';

// No inline scripts or styles anywhere: tenant colours come from /brand.css, behaviour from /static.
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "frame-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export const securityHeaders = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  // A response that brings its own policy keeps it: the helpdesk's framed mail HTML has a stricter
  // one (no script at all) that allows being framed by our own pages only.
  const own = c.res.headers.get('Content-Security-Policy');
  c.header('Content-Security-Policy', own ?? CSP);
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('Referrer-Policy', 'same-origin');
  c.header('X-Frame-Options', own?.includes("frame-ancestors 'self'") ? 'SAMEORIGIN' : 'DENY');
  c.header('Cross-Origin-Opener-Policy', 'same-origin');
  c.header('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
  if (new URL(c.req.url).protocol === 'https:') c.header('Strict-Transport-Security', 'max-age=31536000');
});
