import type { Hono } from 'hono';
import type { AppEnv } from '../../../core/plugin-api.js';
import type { SettlementContext } from './mail-apply.js';
import { mailBodyRoutes } from './mail-body-route.js';
import { mailboxRoutes } from './mailbox-routes.js';
import { openMailRoutes } from './open-mail-routes.js';

/** Everything the mail channel serves under /p/helpdesk. */
export function mailRoutes(app: Hono<AppEnv>, settlement: SettlementContext): void {
  mailboxRoutes(app);
  mailBodyRoutes(app);
  openMailRoutes(app, settlement);
}
