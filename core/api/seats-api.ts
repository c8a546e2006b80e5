import { z } from 'zod';
import { lastDays, PORTAL_SEAT_POLICIES, seatLevel, seatPeaks, seatUsage } from '../auth/licence-seats.js';
import { scope } from '../http/guards.js';
import { DEFAULT_TIME_ZONE } from '../i18n/time-zone.js';
import { one } from './api-schemas.js';
import { defineRoute } from './openapi.js';

const count = z.number().int().min(0);
const limit = z.number().int().min(0).nullable().meta({ description: 'the platform operator’s limit; null = unlimited' });
const level = z.enum(['none', 'ok', 'warn', 'full']).meta({ description: 'none without a limit, warn from 90 %, full at or above the limit' });

const seatsQuery = z.object({
  days: z.coerce.number().int().min(1).max(366).default(30).meta({ description: 'how many tenant days of daily peaks, ending today' }),
});

const seatsSchema = z.object({
  signed_in: z.object({ agents: count, portal_users: count }).meta({ description: 'distinct people with a request within window_minutes' }),
  seats: z.object({ agents: limit, portal_users: limit }),
  level: z.object({ agents: level, portal_users: level }),
  portal_policy: z.enum(PORTAL_SEAT_POLICIES as ['refuse', 'warn']).meta({ description: 'refuse: portal sign-ins beyond the limit are refused; warn: let in and counted above it' }),
  window_minutes: z.number().int(),
  time_zone: z.string().meta({ description: 'the tenant’s zone, in which the peak days are counted' }),
  peaks: z.array(z.object({ day: z.iso.date(), agents: count, portal_users: count })).meta({ description: 'every day of the range, oldest first; 0 where nobody signed in' }),
});

/** Licence seats of the token's tenant: who is signed in now against the seats, and the daily peaks. */
export const seatsApiRoutes = [
  defineRoute({
    method: 'get', path: '/statistics/seats', operationId: 'getSeatUsage', tag: 'statistics', permission: 'statistics.view',
    summary: 'Licences in use: signed-in agents and portal users against the seats, with daily peaks',
    query: seatsQuery, status: 200, response: one(seatsSchema), errors: [403, 422],
    async handle(c, { query }) {
      const tenant = scope(c);
      const now = c.var.services.clock();
      const zone = c.var.tenant?.time_zone || DEFAULT_TIME_ZONE;
      const usage = await seatUsage(tenant.db, tenant.tenantId, now);
      const days = lastDays(now, zone, query.days);
      const byDay = new Map((await seatPeaks(tenant.db, tenant.tenantId, days[0]!, days[days.length - 1]!)).map((p) => [p.day, p]));
      return {
        data: {
          signed_in: { agents: usage.agents, portal_users: usage.portal },
          seats: { agents: usage.agentSeats, portal_users: usage.portalSeats },
          level: { agents: seatLevel(usage.agents, usage.agentSeats), portal_users: seatLevel(usage.portal, usage.portalSeats) },
          portal_policy: usage.portalPolicy, window_minutes: usage.windowMinutes, time_zone: zone,
          peaks: days.map((day) => ({ day, agents: byDay.get(day)?.agents ?? 0, portal_users: byDay.get(day)?.portal ?? 0 })),
        },
      };
    },
  }),
];
