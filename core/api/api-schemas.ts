import { z } from 'zod';
import type { TicketChannel, TicketStatus } from '../db/schema.js';
import { PORTAL_ROLES } from '../people/person-service.js';
import { CHANNELS } from '../tickets/ticket-service.js';
import { TICKET_STATUSES } from '../tickets/ticket-lifecycle.js';

/**
 * Request and response shapes of the REST API: snake_case fields, ISO-8601 UTC timestamps,
 * the ticket number as a ticket's identifier. They validate requests and generate openapi.json.
 */
const statusEnum = z.enum(TICKET_STATUSES as [TicketStatus, ...TicketStatus[]]);
const channelEnum = z.enum(CHANNELS as [TicketChannel, ...TicketChannel[]]);
const timestamp = z.iso.datetime();
const id = z.number().int().positive();
const reference = id.nullable();
const priority = z.number().int().min(1).max(4).meta({ description: '1 low, 2 normal, 3 high, 4 urgent (names may differ per tenant)' });
const customFields = z.record(z.string(), z.union([z.string().max(2000), z.number(), z.boolean(), z.null()]))
  .meta({ description: 'custom field values by key; null or "" clears a field' });

const queryInt = (max: number) => z.coerce.number().int().min(1).max(max);
const paging = {
  page: queryInt(100_000).default(1),
  per_page: queryInt(100).default(25),
};

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    data: z.array(item), page: z.number().int(), per_page: z.number().int(), total: z.number().int(),
    total_capped: z.boolean().optional().describe('true when a text search stopped counting at `total`: there are more'),
  });
}
export function one<T extends z.ZodType>(item: T) {
  return z.object({ data: item });
}

// --- tickets -------------------------------------------------------------

export const ticketNumberParams = z.object({ number: z.string().max(40).meta({ description: 'ticket number, e.g. 2026-000123' }) });

export const ticketListQuery = z.object({
  q: z.string().trim().max(200).optional().meta({ description: 'full-text search, or a ticket number' }),
  status: z.enum([...TICKET_STATUSES, 'active']).optional().meta({ description: '"active" means new, open or waiting' }),
  priority: z.coerce.number().int().min(1).max(4).optional(),
  assignee: z.union([z.literal('me'), z.literal('none'), z.coerce.number().int().positive()]).optional(),
  group_id: queryInt(Number.MAX_SAFE_INTEGER).optional(),
  organisation_id: queryInt(Number.MAX_SAFE_INTEGER).optional(),
  ...paging,
});

export const ticketListItem = z.object({
  number: z.string(),
  subject: z.string(),
  status: statusEnum,
  priority: z.number().int(),
  category: z.string().nullable(),
  channel: z.string(),
  assignee_name: z.string().nullable(),
  group_name: z.string().nullable(),
  organisation_name: z.string().nullable(),
  requester_name: z.string().nullable(),
  created_at: timestamp,
  updated_at: timestamp,
});

export const ticketSchema = z.object({
  number: z.string(),
  subject: z.string(),
  description: z.string(),
  status: statusEnum,
  priority: z.number().int(),
  category: z.string().nullable(),
  channel: channelEnum,
  organisation_id: reference,
  requester_id: reference,
  contract_id: reference,
  group_id: reference,
  assignee_id: reference,
  custom_fields: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  created_at: timestamp,
  updated_at: timestamp,
  version: z.number().int().meta({ description: 'raised by one with every change; send it back with PATCH to refuse overwriting what changed since' }),
  first_response_at: timestamp.nullable(),
  solved_at: timestamp.nullable(),
  closed_at: timestamp.nullable(),
  close_reason: z.enum(['merged', 'spam']).nullable().meta({ description: 'why a closed ticket was closed when not the normal way: merged into another ticket, or spam' }),
  merged_into: z.string().nullable().meta({ description: 'for close_reason "merged": the number of the ticket it was merged into' }),
  time_spent_minutes: z.number().int().meta({ description: 'minutes spent on the ticket: the sum of its articles\' time spent' }),
});

export const mergeTicketBody = z.object({
  into: z.string().trim().min(1).max(40).meta({ description: 'number of the ticket to merge into (the survivor), e.g. 2026-000123' }),
});

export const mergeResultSchema = z.object({ data: ticketSchema, into: ticketSchema });

export const articleSchema = z.object({
  id,
  kind: z.enum(['reply', 'note', 'customer']).meta({ description: 'reply: to the customer; note: internal; customer: from the customer' }),
  channel: channelEnum,
  author_label: z.string(),
  author_user_id: reference,
  author_person_id: reference,
  body: z.string(),
  time_spent_minutes: z.number().int().nullable().meta({ description: 'minutes the agent recorded for this reply or note' }),
  created_at: timestamp,
});

export const attachmentSchema = z.object({
  id,
  article_id: reference,
  filename: z.string(),
  mime_type: z.string().meta({ description: 'the type it is served as, from its extension' }),
  size: z.number().int().meta({ description: 'bytes' }),
  created_at: timestamp,
  download_url: z.string().meta({ description: 'GET it with the same token: the file as a download' }),
});

export const attachmentParams = ticketNumberParams.extend({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

export const historySchema = z.object({
  action: z.string(),
  field: z.string().nullable(),
  old_value: z.string().nullable(),
  new_value: z.string().nullable(),
  note: z.string().nullable(),
  actor_label: z.string(),
  created_at: timestamp,
});

export const ticketDetailSchema = ticketSchema.extend({
  articles: z.array(articleSchema),
  attachments: z.array(attachmentSchema),
  history: z.array(historySchema),
});

export const newTicketBody = z.strictObject({
  subject: z.string().trim().min(1).max(200),
  body: z.string().trim().min(1).max(100_000).meta({ description: 'the description of the request' }),
  requester_email: z.email().max(200).optional().meta({ description: 'finds the person by e-mail or creates one' }),
  requester_name: z.string().trim().max(120).optional(),
  requester_id: id.optional(),
  priority: priority.optional(),
  category: z.string().max(80).nullable().optional(),
  channel: channelEnum.optional(),
  group_id: reference.optional(),
  assignee_id: reference.optional(),
  organisation_id: reference.optional(),
  contract_id: reference.optional(),
  custom_fields: customFields.optional(),
});

export const ticketPatchBody = z.strictObject({
  subject: z.string().trim().min(1).max(200).optional(),
  priority: priority.optional(),
  category: z.string().max(80).nullable().optional(),
  organisation_id: reference.optional(),
  requester_id: reference.optional(),
  contract_id: reference.optional(),
  custom_fields: customFields.optional(),
  status: statusEnum.optional().meta({ description: 'follows the lifecycle: 409 for a forbidden move, 403 without the right to close' }),
  group_id: id.optional().meta({ description: 'forwards the ticket to this support group' }),
  assignee_id: id.optional().meta({ description: 'forwards the ticket to this agent' }),
  version: z.number().int().min(0).optional().meta({ description: 'the ticket version the change is based on: a field it sets that someone changed since is refused with 409 (its message says who changed it from what to what)' }),
}).refine((patch) => Object.keys(patch).filter((key) => key !== 'version').length > 0, { message: 'validation.required' });

export const newArticleBody = z.strictObject({
  kind: z.enum(['reply', 'note']),
  body: z.string().trim().min(1).max(100_000),
  status_after: statusEnum.optional().meta({ description: 'status to move to together with the article, e.g. waiting after asking back' }),
  waiting_until: z.iso.datetime({ offset: true }).optional().meta({ description: 'when the ticket is waiting after the article: the instant it comes back to its agent (in the future; 422 otherwise)' }),
  // A number in JSON; text in multipart/form-data (whole minutes 0 to 1440 either way).
  time_spent_minutes: z.union([z.number().int().min(0).max(1440), z.string().regex(/^(?:\d{1,3}|1[0-3]\d\d|14[0-3]\d|1440)$/)]).optional()
    .meta({ description: 'minutes spent (0 to 1440), added to the ticket\'s sum in the same transaction' }),
});

export const articleCreatedSchema = z.object({
  data: articleSchema.extend({ attachments: z.array(attachmentSchema) }),
  ticket: z.object({ number: z.string(), status: statusEnum }),
});

// --- people and organisations -------------------------------------------

export const idParams = z.object({ id: z.coerce.number().int().positive() });

export const peopleQuery = z.object({
  q: z.string().trim().max(200).optional().meta({ description: 'part of the name or e-mail' }),
  organisation_id: queryInt(Number.MAX_SAFE_INTEGER).optional(),
  ...paging,
});

export const personSummarySchema = z.object({
  id,
  name: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  organisation_id: reference,
  organisation_name: z.string().nullable(),
  portal_role: z.enum(PORTAL_ROLES),
  is_org_manager: z.boolean(),
  active: z.boolean(),
});

export const personSchema = personSummarySchema.extend({ locale: z.string().nullable(), created_at: timestamp });

export const organisationsQuery = z.object({
  q: z.string().trim().max(200).optional().meta({ description: 'part of the name or customer number' }),
  ...paging,
});

export const organisationSummarySchema = z.object({
  id,
  name: z.string(),
  number: z.string().nullable(),
  email_domains: z.array(z.string()),
  phone: z.string().nullable(),
});

export const organisationSchema = organisationSummarySchema.extend({ address: z.string().nullable(), notes: z.string().nullable(), created_at: timestamp });
