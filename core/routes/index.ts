import type { Hono } from 'hono';
import type { AppEnv } from '../http/app-env.js';
import type { PluginRegistry } from '../plugin-host/registry.js';
import { apiRoutes } from '../api/api-routes.js';
import { accountRoutes } from './account.js';
import { signatureRoutes } from './signature-settings.js';
import { adminRoutes } from './admin/index.js';
import { brandingAssetRoutes } from './branding-assets.js';
import { dashboardRoutes } from './dashboard.js';
import { deskRoutes } from './desk/index.js';
import { liveEventRoutes } from './live-events.js';
import { localeRoutes } from './locale.js';
import { passwordResetRoutes } from './password-reset.js';
import { platformRoutes } from './platform/index.js';
import { signInRoutes } from './sign-in.js';

/** The core's routes; the registry adds the plugins' API operations to /api/v1. */
export function coreRoutes(app: Hono<AppEnv>, registry: PluginRegistry): void {
  brandingAssetRoutes(app);
  localeRoutes(app);
  signInRoutes(app);
  passwordResetRoutes(app);
  accountRoutes(app);
  signatureRoutes(app);
  dashboardRoutes(app);
  deskRoutes(app);
  liveEventRoutes(app);
  adminRoutes(app);
  platformRoutes(app);
  apiRoutes(app, registry);
}
