import { z } from 'zod';
import { scope } from '../http/guards.js';
import { ticketService } from '../tickets/ticket-context.js';
import { ticketLinks } from '../tickets/ticket-links.js';
import { ticketTagList } from '../tickets/ticket-tags.js';
import { one, ticketNumberParams } from './api-schemas.js';
import { defineRoute } from './openapi.js';

// A ticket's links and tags in the REST API (issue 18 point 7). Both read through the tenant scope after
// finding the ticket in the token's tenant, so another tenant's number is 404.

const linkSchema = z.object({
  role: z.enum(['related', 'parent_of', 'child_of', 'duplicate_of', 'duplicated_by']).meta({ description: 'what this ticket is to the other: parent_of means this ticket is the parent' }),
  number: z.string(),
  subject: z.string(),
  status: z.enum(['new', 'open', 'waiting', 'solved', 'closed']),
});
const tagSchema = z.object({ id: z.number().int(), name: z.string() });

export const ticketFollowupApiRoutes = [
  defineRoute({
    method: 'get', path: '/tickets/{number}/links', operationId: 'listTicketLinks', tag: 'tickets', permission: 'tickets.view',
    summary: 'The tickets linked with a ticket (related, parent/child, duplicate of), seen from this ticket',
    params: ticketNumberParams, status: 200, response: one(z.array(linkSchema)), errors: [403, 404],
    async handle(c, { params }) {
      const ticket = await ticketService(c).get(params.number);
      const links = await ticketLinks(scope(c), ticket.id);
      return { data: links.map(({ role, number, subject, status }) => ({ role, number, subject, status })) };
    },
  }),
  defineRoute({
    method: 'get', path: '/tickets/{number}/tags', operationId: 'listTicketTags', tag: 'tickets', permission: 'tickets.view',
    summary: 'The tags of a ticket, by name',
    params: ticketNumberParams, status: 200, response: one(z.array(tagSchema)), errors: [403, 404],
    async handle(c, { params }) {
      const ticket = await ticketService(c).get(params.number);
      return { data: await ticketTagList(scope(c), ticket.id) };
    },
  }),
];
