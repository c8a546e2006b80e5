import type { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { AppEnv } from '../http/app-env.js';
import type { AppEvent } from '../events/event-bus.js';
import { requireTenant, requireUser, tenantOf } from '../http/guards.js';
import { PRESENCE_BEAT, PRESENCE_CHANGED } from '../presence/presence-registry.js';

const HEARTBEAT_MS = 25_000;

/**
 * Server-Sent Events for live pages: every event of the signed-in user's tenant, named by
 * its type, so htmx elements can listen with `sse-swap` / `hx-trigger="sse:<type>"`.
 * Presence beats stay on the server; a presence change goes only to the streams of a page of
 * that ticket (`?ticket=<number>`), so 50 agents on one ticket cost no traffic on the lists.
 */
export function liveEventRoutes(app: Hono<AppEnv>): void {
  app.get('/events', requireTenant, requireUser, (c) => {
    const tenantId = tenantOf(c).id;
    const { events } = c.var.services;
    const ticket = c.req.query('ticket');
    c.header('Cache-Control', 'no-store');
    c.header('X-Accel-Buffering', 'no');
    return streamSSE(c, async (stream) => {
      const queue: AppEvent[] = [];
      let wake: (() => void) | undefined;
      const unsubscribe = events.subscribe(tenantId, (event) => {
        if (event.type === PRESENCE_BEAT || (event.type === PRESENCE_CHANGED && event.data?.number !== ticket)) return;
        queue.push(event);
        wake?.();
      });
      stream.onAbort(() => {
        unsubscribe();
        wake?.();
      });
      try {
        await stream.writeSSE({ event: 'ready', data: '{}', retry: 3000 });
        while (!stream.aborted) {
          const event = queue.shift();
          if (event) {
            await stream.writeSSE({ event: event.type, data: JSON.stringify(event.data ?? {}) });
            continue;
          }
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, HEARTBEAT_MS);
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          wake = undefined;
          if (!stream.aborted && queue.length === 0) await stream.write(': heartbeat\n\n');
        }
      } finally {
        unsubscribe();
      }
    });
  });
}
