import type { Hono } from 'hono';
import type { AppEnv } from '../../http/app-env.js';
import { platformAuditRoutes } from './audit.js';
import { outboxRoutes } from './outbox.js';
import { seatRoutes } from './seats.js';
import { tenantDetailRoutes } from './tenant-detail.js';
import { tenantListRoutes } from './tenants.js';

/** The platform operator's screens: tenants, plugin switches, licence seats, outbox, audit log. */
export function platformRoutes(app: Hono<AppEnv>): void {
  tenantListRoutes(app);
  tenantDetailRoutes(app);
  seatRoutes(app);
  outboxRoutes(app);
  platformAuditRoutes(app);
}
