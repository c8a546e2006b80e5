import type { Context, Hono } from 'hono';
import { pluginScope, tenantOf, type AppEnv } from '../../core/plugin-api.js';
import { alertProcessor, type Settled } from './alert-store.js';
import { BODY_MAX, eventLog } from './event-log.js';
import { PayloadError, isSourceKind } from './parse/monitoring-event.js';
import { parsePayload } from './parse/parse-payload.js';
import { readSettings } from './settings.js';
import { sourceStore } from './source-store.js';

const fail = (c: Context<AppEnv>, status: 400 | 401 | 404 | 413 | 422 | 429, code: string, message: string, fields: Record<string, string> = {}) =>
  c.json({ error: { code, message, fields } }, status);

/**
 * `POST /t/<slug>/hooks/monitoring/<source>`: a monitoring system's event, authorised by the source's token
 * as `Authorization: Bearer <token>` (no cookie, no Origin: core's CSRF check lets a bearer request pass, and
 * nothing here acts without the token). Unknown source 404, no or a wrong token 401, more events a minute than the
 * tenant allows a source 429 (with Retry-After; not logged: a flood must not fill the log), an unreadable body
 * 400/422 with the field, logged raw; else 202 with what each event did.
 */
export function webhookRoutes(app: Hono<AppEnv>): void {
  app.post('/hooks/monitoring/:source', async (c) => {
    const t = c.var.t;
    const kind = c.req.param('source');
    if (!isSourceKind(kind)) return fail(c, 404, 'not_found', t('error.notFound'));
    const tenantId = tenantOf(c).id;
    const authorization = c.req.header('Authorization') ?? '';
    const token = authorization.startsWith('Bearer ') ? authorization.slice(7).trim() : '';
    if (!(await sourceStore(c.var.services, tenantId).verify(kind, token))) return fail(c, 401, 'unauthorized', t('connect.webhook.token'));
    // Per source (one token each): a fixed window of a minute, shared by every instance on PostgreSQL.
    const { eventsPerMinute } = await readSettings(pluginScope(c.var.services.db, tenantId));
    const decision = await c.var.services.apiLimiter.take(`connect-hook:${tenantId}:${kind}`, eventsPerMinute);
    if (!decision.allowed) {
      c.header('Retry-After', String(decision.resetSeconds));
      return fail(c, 429, 'rate_limited', t('connect.webhook.rate', { limit: eventsPerMinute }));
    }
    const length = Number(c.req.header('Content-Length') ?? 0);
    if (length > BODY_MAX) return fail(c, 413, 'too_large', t('error.tooLarge'));
    const body = await c.req.text();
    if (body.length > BODY_MAX) return fail(c, 413, 'too_large', t('error.tooLarge'));
    const now = c.var.services.clock();
    let events;
    try {
      events = parsePayload(kind, body, c.req.header('Content-Type') ?? '', now);
    } catch (error) {
      if (!(error instanceof PayloadError)) throw error;
      const message = t(error.key);
      await eventLog(c.var.services.db, tenantId).invalid(kind, body, `${error.field}: ${message}`, now);
      return fail(c, error.status, 'invalid', t('error.invalid'), { [error.field]: message });
    }
    const handle = await alertProcessor(c.var.services, tenantId);
    const settled: Settled[] = [];
    for (const event of events) settled.push(await handle(kind, event));
    return c.json({ data: settled }, 202);
  });
}
