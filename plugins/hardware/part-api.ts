import type { Context } from 'hono';
import { z } from 'zod';
import { DomainError, HttpError, defineApiRoute, pluginScope, staff, tenantOf, ticketService, type AppEnv } from '../../core/plugin-api.js';
import { VIEW } from './device-routes.js';
import type { HardwareDB } from './hardware-db.js';
import { chosenParts, partStore } from './part-links.js';
import { LINK } from './ticket-panel.js';

/**
 * Named parts of installations on a ticket over the REST API (issue 12 points 3 and 7): the parts chosen on a ticket,
 * choosing one (a part of the ticket customer's installations: another customer's or another tenant's is refused at
 * `component_id`, 422) and removing one. The same store, history line, audit entry and sla event as the ticket panel.
 */
type Ctx = Context<AppEnv>;
const TAG = 'hardware';
const id = z.number().int().positive();
const ticketParams = z.object({ number: z.string().max(40).meta({ description: 'ticket number, e.g. 2026-000123' }) });
const partSchema = z.object({
  component_id: id, name: z.string(), installation: z.string(),
  sla_level_id: id.nullable().meta({ description: 'the part’s service level (sla plugin), null for none' }),
});
const partsAnswer = z.object({ data: z.array(partSchema) });
const partBody = z.strictObject({ component_id: id.meta({ description: 'a named part’s component id, from GET /installations' }) });
const actor = (c: Ctx) => ({ id: staff(c).id, label: staff(c).email });

async function partsOf(c: Ctx, ticketId: number) {
  const rows = await chosenParts(pluginScope<HardwareDB>(c.var.services.db, tenantOf(c).id), ticketId);
  return { data: rows.map((row) => ({ component_id: row.id, name: row.name, installation: row.installation, sla_level_id: row.sla_level_id })) };
}

function refused(c: Ctx, error: unknown): never {
  if (!(error instanceof DomainError)) throw error;
  if (error.kind === 'not_found') throw new HttpError(404, c.var.t('error.notFound'));
  throw new HttpError(422, c.var.t(error.message), Object.fromEntries(Object.entries(error.fields).map(([field, key]) => [field, c.var.t(key)])));
}

export const partApiRoutes = [
  defineApiRoute({
    method: 'get', path: '/tickets/{number}/parts', operationId: 'listTicketParts', tag: TAG, permission: VIEW,
    summary: 'The named parts of installations chosen on a ticket (plugin hardware)',
    params: ticketParams, status: 200, response: partsAnswer, errors: [403, 404, 422],
    async handle(c, { params }) {
      return partsOf(c, (await ticketService(c).get(params.number)).id);
    },
  }),
  defineApiRoute({
    method: 'post', path: '/tickets/{number}/parts', operationId: 'linkTicketPart', tag: TAG, permission: LINK,
    summary: 'Choose a named part of one of the ticket customer’s installations for a ticket; answers the ticket’s parts (plugin hardware)',
    params: ticketParams, body: partBody, status: 201, response: partsAnswer, errors: [403, 404, 415, 422],
    async handle(c, { params, body }) {
      const ticket = await ticketService(c).get(params.number);
      try { await partStore(c.var.services, tenantOf(c).id).choose(ticket.id, String(body.component_id), actor(c)); } catch (error) { refused(c, error); }
      return partsOf(c, ticket.id);
    },
  }),
  defineApiRoute({
    method: 'delete', path: '/tickets/{number}/parts/{componentId}', operationId: 'unlinkTicketPart', tag: TAG, permission: LINK,
    summary: 'Remove a named part from a ticket (plugin hardware)',
    params: ticketParams.extend({ componentId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) }), status: 204, response: z.null(), errors: [403, 404, 422],
    async handle(c, { params }) {
      const ticket = await ticketService(c).get(params.number);
      try { await partStore(c.var.services, tenantOf(c).id).remove(ticket.id, params.componentId, actor(c)); } catch (error) { refused(c, error); }
      return null;
    },
  }),
];
