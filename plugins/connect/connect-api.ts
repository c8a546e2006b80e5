import { z } from 'zod';
import { apiOne, defineApiRoute, staff, tenantOf } from '../../core/plugin-api.js';
import { listAlerts } from './alert-list.js';
import { SOURCE_KINDS } from './parse/monitoring-event.js';
import { sourceStore } from './source-store.js';
import { TELEPHONY_KIND } from './telephony-kind.js';

const alertSchema = z.object({
  id: z.number().int(), host: z.string(), service: z.string(), state: z.string(), open: z.boolean(), ticket_number: z.string(),
  events_count: z.number().int(), opened_at: z.string(), last_at: z.string(), closed_at: z.string().nullable(),
});
const sourceSchema = z.object({ id: z.number().int(), kind: z.string(), token_hint: z.string(), created_at: z.string() });

/** Alerts for everyone who sees them; the sources (and their tokens) for admins only. */
export const connectApiRoutes = [
  defineApiRoute({
    method: 'get', path: '/alerts', operationId: 'listMonitoringAlerts', tag: 'connect', permission: 'connect.view',
    summary: 'Monitoring alerts, newest first (at most 100): open or closed, of one host',
    query: z.object({ state: z.enum(['open', 'closed']).optional(), host: z.string().max(255).optional() }),
    status: 200, response: z.object({ data: z.array(alertSchema) }), errors: [401, 403, 404, 422],
    async handle(c, { query }) {
      return { data: await listAlerts(c.var.services, tenantOf(c).id, query) };
    },
  }),
  defineApiRoute({
    method: 'get', path: '/connect/sources', operationId: 'listMonitoringSources', tag: 'connect', permission: 'connect.manage',
    summary: 'The monitoring sources that may post to the webhook (their tokens are never shown again)',
    status: 200, response: z.object({ data: z.array(sourceSchema) }), errors: [401, 403, 404],
    async handle(c) {
      return { data: await sourceStore(c.var.services, tenantOf(c).id).list() };
    },
  }),
  defineApiRoute({
    method: 'post', path: '/connect/sources', operationId: 'createMonitoringSource', tag: 'connect', permission: 'connect.manage',
    summary: 'Add a monitoring source (or, with replace, give it a new token); the answer holds the token, once',
    body: z.strictObject({ kind: z.enum([...SOURCE_KINDS, TELEPHONY_KIND]), replace: z.boolean().optional() }),
    status: 201, response: apiOne(sourceSchema.extend({ token: z.string() })), errors: [401, 403, 404, 409, 415, 422],
    async handle(c, { body }) {
      const user = staff(c);
      const { source, token } = await sourceStore(c.var.services, tenantOf(c).id).create(body.kind, { id: user.id, label: user.email }, body.replace ?? false);
      c.header('Cache-Control', 'no-store');
      return { data: { ...source, token } };
    },
  }),
];
