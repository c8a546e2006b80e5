import type { Context } from 'hono';
import { z } from 'zod';
import type { Ticket, TicketArticle, TicketAttachment } from '../db/schema.js';
import { ticketAttachmentResponse } from '../files/attachment-response.js';
import type { AppEnv } from '../http/app-env.js';
import { href, scope, staff } from '../http/guards.js';
import { HttpError } from '../http/http-error.js';
import { MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS } from '../tickets/attachment-rules.js';
import { ticketActor, ticketQueries, ticketService } from '../tickets/ticket-context.js';
import {
  articleCreatedSchema, attachmentParams, mergeResultSchema, mergeTicketBody, newArticleBody, newTicketBody, one, pageOf, ticketDetailSchema, ticketListItem, ticketListQuery,
  ticketNumberParams, ticketPatchBody, ticketSchema,
} from './api-schemas.js';
import { defineRoute } from './openapi.js';

function toTicket(row: Ticket, mergedInto: string | null = null) {
  return {
    number: row.number, subject: row.subject, description: row.description, status: row.status, priority: row.priority,
    category: row.category, channel: row.channel, organisation_id: row.organisation_id, requester_id: row.requester_id,
    contract_id: row.contract_id, group_id: row.group_id, assignee_id: row.assignee_id,
    custom_fields: JSON.parse(row.custom_fields) as Record<string, string | number | boolean>,
    created_at: row.created_at, updated_at: row.updated_at, version: row.version, first_response_at: row.first_response_at, solved_at: row.solved_at, closed_at: row.closed_at,
    close_reason: row.close_reason, merged_into: mergedInto, time_spent_minutes: row.time_spent_minutes,
  };
}

/** The number of the ticket a merged ticket was merged into (null for others). */
async function mergedIntoNumber(c: Context<AppEnv>, row: Ticket): Promise<string | null> {
  if (row.merged_into_id === null) return null;
  const target = await scope(c).selectFrom('tickets').select('number').where('id', '=', row.merged_into_id).executeTakeFirst();
  return target?.number ?? null;
}

function toArticle(row: Pick<TicketArticle, 'id' | 'kind' | 'channel' | 'author_label' | 'author_user_id' | 'author_person_id' | 'body_text' | 'created_at' | 'time_spent_minutes'>) {
  return {
    id: row.id, kind: row.kind, channel: row.channel, author_label: row.author_label, author_user_id: row.author_user_id,
    author_person_id: row.author_person_id, body: row.body_text, time_spent_minutes: row.time_spent_minutes, created_at: row.created_at,
  };
}

const articleColumns = ['id', 'kind', 'channel', 'author_label', 'author_user_id', 'author_person_id', 'body_text', 'created_at', 'time_spent_minutes'] as const;
const attachmentColumns = ['id', 'article_id', 'filename', 'mime_type', 'size', 'created_at'] as const;

function toAttachment(c: Context<AppEnv>, number: string, row: Pick<TicketAttachment, (typeof attachmentColumns)[number]>) {
  return { ...row, download_url: href(c, `/api/v1/tickets/${number}/attachments/${row.id}`) };
}

export const ticketApiRoutes = [
  defineRoute({
    method: 'get', path: '/tickets', operationId: 'listTickets', tag: 'tickets', permission: 'tickets.view',
    summary: 'List and search tickets (newest change first)',
    query: ticketListQuery, status: 200, response: pageOf(ticketListItem), errors: [403, 422],
    async handle(c, { query }) {
      const queries = ticketQueries(c);
      const viewer = await queries.viewer(staff(c).id);
      const result = await queries.search({
        q: query.q, status: query.status, priority: query.priority, assignee: query.assignee, group: query.group_id,
        organisation: query.organisation_id, page: query.page,
      }, viewer, query.per_page);
      return {
        data: result.rows.map((row) => ({
          number: row.number, subject: row.subject, status: row.status, priority: row.priority, category: row.category, channel: row.channel,
          assignee_name: row.assignee_name, group_name: row.group_name, organisation_name: row.organisation_name, requester_name: row.requester_name,
          created_at: row.created_at, updated_at: row.updated_at,
        })),
        page: result.page, per_page: result.pageSize, total: result.total, total_capped: result.totalCapped,
      };
    },
  }),

  defineRoute({
    method: 'post', path: '/tickets', operationId: 'createTicket', tag: 'tickets', permission: 'tickets.edit',
    summary: 'Open a ticket; answers 201 with its Location',
    body: newTicketBody, status: 201, response: one(ticketSchema), errors: [403, 415, 422],
    async handle(c, { body }) {
      const ticket = await ticketService(c).create({
        subject: body.subject, description: body.body, priority: body.priority, category: body.category, channel: body.channel,
        organisationId: body.organisation_id, requesterId: body.requester_id, requesterEmail: body.requester_email, requesterName: body.requester_name,
        contractId: body.contract_id, groupId: body.group_id, assigneeId: body.assignee_id, customFields: body.custom_fields,
      }, ticketActor(c));
      c.header('Location', href(c, `/api/v1/tickets/${ticket.number}`));
      return { data: toTicket(ticket) };
    },
  }),

  defineRoute({
    method: 'get', path: '/tickets/{number}', operationId: 'getTicket', tag: 'tickets', permission: 'tickets.view',
    summary: 'A ticket with all its articles (replies, notes, customer messages), attachment metadata and history',
    params: ticketNumberParams, status: 200, response: one(ticketDetailSchema), errors: [403, 404],
    async handle(c, { params }) {
      const ticket = await ticketService(c).get(params.number);
      const tenant = scope(c);
      const [articles, attachments, history] = await Promise.all([
        tenant.selectFrom('ticket_articles').select([...articleColumns]).where('ticket_id', '=', ticket.id).orderBy('created_at').orderBy('id').execute(),
        tenant.selectFrom('ticket_attachments').select([...attachmentColumns]).where('ticket_id', '=', ticket.id).orderBy('id').execute(),
        tenant.selectFrom('ticket_history').select(['action', 'field', 'old_value', 'new_value', 'note', 'actor_label', 'created_at'])
          .where('ticket_id', '=', ticket.id).orderBy('created_at').orderBy('id').execute(),
      ]);
      return { data: { ...toTicket(ticket, await mergedIntoNumber(c, ticket)), articles: articles.map(toArticle), attachments: attachments.map((a) => toAttachment(c, ticket.number, a)), history } };
    },
  }),

  defineRoute({
    method: 'post', path: '/tickets/{number}/articles', operationId: 'addArticle', tag: 'tickets', permission: 'tickets.edit',
    summary: 'Add a public reply or an internal note, optionally moving the status; as multipart/form-data with files attached',
    params: ticketNumberParams, body: newArticleBody, status: 201, response: articleCreatedSchema, errors: [403, 404, 409, 413, 415, 422],
    multipart: {
      files: 'attachments',
      description: `up to ${MAX_ATTACHMENTS} files of ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB each, of the types the desk accepts (office, PDF, images, text, archives); 422 on "attachments" otherwise`,
    },
    async handle(c, { params, body, files }) {
      const input = { kind: body.kind, body: body.body, statusAfter: body.status_after, waitingUntil: body.waiting_until === undefined ? undefined : new Date(body.waiting_until).toISOString(), timeSpentMinutes: body.time_spent_minutes === undefined ? undefined : Number(body.time_spent_minutes), attachments: files };
      const { ticket, articleId } = await ticketService(c).addArticle(params.number, input, ticketActor(c));
      const tenant = scope(c);
      const [article, attachments] = await Promise.all([
        tenant.selectFrom('ticket_articles').select([...articleColumns]).where('id', '=', articleId).executeTakeFirstOrThrow(),
        tenant.selectFrom('ticket_attachments').select([...attachmentColumns]).where('article_id', '=', articleId).orderBy('id').execute(),
      ]);
      c.header('Location', href(c, `/api/v1/tickets/${ticket.number}`));
      return { data: { ...toArticle(article), attachments: attachments.map((a) => toAttachment(c, ticket.number, a)) }, ticket: { number: ticket.number, status: ticket.status } };
    },
  }),

  defineRoute({
    method: 'get', path: '/tickets/{number}/attachments/{id}', operationId: 'downloadAttachment', tag: 'tickets', permission: 'tickets.view',
    summary: 'An attachment’s bytes, as a download (Content-Disposition: attachment, X-Content-Type-Options: nosniff)',
    params: attachmentParams, status: 200, response: z.unknown(), download: true, errors: [403, 404, 422],
    async handle(c, { params }) {
      const ticket = await ticketService(c).get(params.number);
      const response = await ticketAttachmentResponse(c, ticket, params.id);
      if (!response) throw new HttpError(404, c.var.t('api.attachmentNotFound'));
      return response;
    },
  }),

  defineRoute({
    method: 'patch', path: '/tickets/{number}', operationId: 'updateTicket', tag: 'tickets', permission: 'tickets.edit',
    summary: 'Change fields; status follows the lifecycle, group_id/assignee_id forward the ticket',
    params: ticketNumberParams, body: ticketPatchBody, status: 200, response: one(ticketSchema), errors: [403, 404, 409, 415, 422],
    async handle(c, { params, body }) {
      const service = ticketService(c);
      const actor = ticketActor(c);
      const current = await service.get(params.number);
      const { status, group_id: groupId, assignee_id: assigneeId, version, ...fields } = body;
      const forward = (groupId !== undefined && groupId !== current.group_id) || (assigneeId !== undefined && assigneeId !== current.assignee_id);
      // One transaction: a refused status move leaves the fields and the forwarding undone too.
      await service.apply(current.number, {
        fields: Object.keys(fields).length ? {
          subject: fields.subject, priority: fields.priority, category: fields.category, organisationId: fields.organisation_id,
          requesterId: fields.requester_id, contractId: fields.contract_id, customFields: fields.custom_fields,
        } : undefined,
        forward: forward ? { groupId, assigneeId } : undefined,
        status: status !== undefined && status !== current.status ? status : undefined,
        version,
      }, actor);
      return { data: toTicket(await service.get(current.number)) };
    },
  }),

  defineRoute({
    method: 'post', path: '/tickets/{number}/merge', operationId: 'mergeTicket', tag: 'tickets', permission: 'tickets.edit',
    summary: 'Merge the ticket into another one: its articles, attachments and description move there, it closes with close_reason "merged"',
    params: ticketNumberParams, body: mergeTicketBody, status: 200, response: mergeResultSchema, errors: [403, 404, 409, 415, 422],
    async handle(c, { params, body }) {
      const { source, target } = await ticketService(c).merge(params.number, body.into, ticketActor(c));
      return { data: toTicket(source, target.number), into: toTicket(target) };
    },
  }),

  defineRoute({
    method: 'post', path: '/tickets/{number}/spam', operationId: 'closeTicketAsSpam', tag: 'tickets', permission: 'tickets.edit',
    summary: 'Close the ticket as spam in one step, from any status but closed (close_reason "spam")',
    params: ticketNumberParams, status: 200, response: one(ticketSchema), errors: [403, 404, 409],
    async handle(c, { params }) {
      return { data: toTicket(await ticketService(c).spam(params.number, ticketActor(c))) };
    },
  }),
];
