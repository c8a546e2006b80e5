import type { Hono } from 'hono';
import type { AppEnv } from '../http/app-env.js';
import { requireTenant, tenantOf } from '../http/guards.js';

const HEX = /^#[0-9a-fA-F]{6}$/;

/** Tenant colours as CSS custom properties: a stylesheet, so the CSP needs no inline styles. */
export function brandCss(primary: string, accent: string): string {
  const safePrimary = HEX.test(primary) ? primary : '#1f6f8b';
  const safeAccent = HEX.test(accent) ? accent : '#e07a1f';
  return `:root{--brand:${safePrimary};--accent:${safeAccent};}\n`;
}

export function brandingAssetRoutes(app: Hono<AppEnv>): void {
  app.get('/brand.css', requireTenant, (c) => {
    const tenant = tenantOf(c);
    c.header('Content-Type', 'text/css; charset=utf-8');
    c.header('Cache-Control', 'public, max-age=300');
    return c.body(brandCss(tenant.primary_color, tenant.accent_color));
  });

  app.get('/logo', requireTenant, async (c) => {
    const tenant = tenantOf(c);
    if (!tenant.logo_file) return c.notFound();
    const file = await c.var.services.files.get(tenant.id, tenant.logo_file);
    if (!file) return c.notFound();
    c.header('Content-Type', file.mimeType);
    c.header('Cache-Control', 'public, max-age=86400');
    // SVG logos could carry script: never let the browser run it as a document.
    c.header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox");
    return c.body(new Uint8Array(file.bytes));
  });
}
