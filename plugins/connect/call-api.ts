import { z } from 'zod';
import { defineApiRoute, scope } from '../../core/plugin-api.js';
import { CALLS_PAGE, listCalls } from './call-list.js';
import { CALLS } from './call-popup.js';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine((value) => !Number.isNaN(Date.parse(value)), 'not a day');
const callSchema = z.object({
  id: z.number().int(), call_id: z.string(), direction: z.enum(['in', 'out']), number: z.string(), from: z.string(), to: z.string(), extension: z.string(),
  agent: z.string().nullable(), match: z.enum(['known', 'maybe', 'none']), caller: z.string().nullable(), organisation: z.string().nullable(),
  state: z.enum(['ringing', 'answered', 'ended']), missed: z.boolean(), cause: z.string(), started_at: z.string(), answered_at: z.string().nullable(),
  ended_at: z.string().nullable(), duration_s: z.number().int().nullable(), ticket_number: z.string().nullable(), todo_open: z.boolean(),
});

/** The call log over REST (the agents who see calls): newest first, a page at a time. */
export const callApiRoutes = [
  defineApiRoute({
    method: 'get', path: '/calls', operationId: 'listCalls', tag: 'connect', permission: CALLS,
    summary: `Phone calls, newest first (${CALLS_PAGE} a page): started from a day to a day (UTC, both included), one direction, missed or not`,
    query: z.object({
      from: day.optional(), to: day.optional(), direction: z.enum(['in', 'out']).optional(), missed: z.enum(['true', 'false']).optional(),
      page: z.coerce.number().int().min(1).max(10_000).optional(),
    }),
    status: 200, response: z.object({ data: z.array(callSchema), more: z.boolean() }), errors: [401, 403, 404, 422],
    async handle(c, { query }) {
      const { rows, more } = await listCalls(scope(c), {
        from: query.from ? `${query.from}T00:00:00.000Z` : undefined,
        to: query.to ? new Date(Date.parse(`${query.to}T00:00:00.000Z`) + 86_400_000).toISOString() : undefined,
        direction: query.direction, missed: query.missed === undefined ? undefined : query.missed === 'true',
      }, query.page ?? 1);
      return {
        data: rows.map((row) => ({
          id: row.id, call_id: row.call_id, direction: row.direction as 'in' | 'out', number: row.number, from: row.from_number, to: row.to_number, extension: row.extension,
          agent: row.agent, match: row.match as 'known' | 'maybe' | 'none', caller: row.person, organisation: row.organisation, state: row.state as 'ringing' | 'answered' | 'ended',
          missed: row.missed, cause: row.cause, started_at: row.started_at, answered_at: row.answered_at, ended_at: row.ended_at, duration_s: row.duration_s,
          ticket_number: row.ticket_number, todo_open: row.todo_open,
        })),
        more,
      };
    },
  }),
];
