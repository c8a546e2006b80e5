import type { Context } from 'hono';
import { z } from 'zod';
import { HttpError, apiOne, apiPageOf, defineApiRoute, href, tenantOf, ticketActor, ticketService, type AppEnv } from '../../../core/plugin-api.js';
import { MAX_MINUTES, SERVICE_ORDER_STATUSES, SERVICE_ORDER_TYPES, serviceOrderTransitions } from './service-order-rules.js';
import { announce } from './service-order-routes.js';
import { SORTS, createServiceOrderStore, type ServiceOrderInput, type ServiceOrderRow } from './service-order-store.js';

/**
 * Service orders over the REST API (/api/v1/service-orders): the same store, rules, history and
 * permissions as the agent screens. Times are ISO 8601 instants in UTC, never the tenant's wall clock.
 */
const VIEW = 'helpdesk.service_orders.view';
const EDIT = 'helpdesk.service_orders.edit';

/** An instant in, the stored form (`toISOString`) out, so comparisons in SQL see one format. */
const instant = z.iso.datetime({ offset: true }).transform((value) => new Date(value).toISOString())
  .meta({ description: 'ISO 8601 instant, e.g. 2026-12-01T08:30:00Z (an offset is allowed; answers are always UTC)' });
const id = z.number().int().positive();
const statusEnum = z.enum(SERVICE_ORDER_STATUSES);
const typeEnum = z.enum(SERVICE_ORDER_TYPES);
const queryId = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

const serviceOrderSchema = z.object({
  id,
  ticket_number: z.string(),
  ticket_subject: z.string(),
  type: typeEnum,
  status: statusEnum,
  next_statuses: z.array(statusEnum).meta({ description: 'the statuses the lifecycle allows from here (planned → in_progress → done; cancelled from either open state)' }),
  technician_id: id.nullable(),
  technician_name: z.string().nullable(),
  planned_at: z.iso.datetime(),
  planned_end: z.iso.datetime().nullable(),
  report: z.string(),
  minutes_spent: z.number().int().nullable(),
  created_by_label: z.string(),
  updated_by_label: z.string(),
  created_at: z.iso.datetime(),
  updated_at: z.iso.datetime(),
});

const listQuery = z.object({
  status: z.enum(['open', ...SERVICE_ORDER_STATUSES]).optional().meta({ description: '"open" means planned or in_progress' }),
  technician_id: queryId.optional(),
  type: typeEnum.optional(),
  ticket: z.string().max(40).optional().meta({ description: 'the orders of one ticket, by its number' }),
  planned_from: instant.optional().meta({ description: 'planned at or after this instant (ISO 8601, UTC)' }),
  planned_before: instant.optional().meta({ description: 'planned before this instant (ISO 8601, UTC)' }),
  q: z.string().trim().max(200).optional().meta({ description: 'text in the report, the ticket’s subject or number, or the technician’s name' }),
  sort: z.enum(SORTS).default('planned_at'),
  dir: z.enum(['asc', 'desc']).optional().meta({ description: 'default ascending (descending for updated_at)' }),
  page: z.coerce.number().int().min(1).max(100_000).default(1).meta({ description: 'past the last page, the last page is served (`page` in the answer says which)' }),
  per_page: z.coerce.number().int().min(1).max(100).default(25),
});

const fields = {
  technician_id: id.nullable().optional().meta({ description: 'a staff member of the tenant; null: nobody yet' }),
  planned_end: instant.nullable().optional(),
  report: z.string().max(20_000).optional(),
  minutes_spent: z.number().int().min(0).max(MAX_MINUTES).nullable().optional().meta({ description: 'time spent in minutes' }),
};

const newOrderBody = z.strictObject({ type: typeEnum, planned_at: instant, ...fields });

const orderPatchBody = z.strictObject({
  type: typeEnum.optional(),
  planned_at: instant.optional(),
  ...fields,
  status: statusEnum.optional().meta({ description: 'follows the lifecycle: 409 for a forbidden move; fields and status change together or not at all' }),
}).refine((patch) => Object.keys(patch).length > 0, { message: 'validation.required' });

const numberParams = z.object({ number: z.string().max(40).meta({ description: 'ticket number, e.g. 2026-000123' }) });
const idParams = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

function store(c: Context<AppEnv>) {
  return createServiceOrderStore({ db: c.var.services.db, clock: c.var.services.clock, t: c.var.t, timeZone: c.var.dates.timeZone }, tenantOf(c).id);
}

function toOrder(row: ServiceOrderRow): z.input<typeof serviceOrderSchema> {
  return {
    id: row.id, ticket_number: row.ticket_number, ticket_subject: row.ticket_subject, type: row.type, status: row.status,
    next_statuses: [...serviceOrderTransitions(row.status)], technician_id: row.technician_id, technician_name: row.technician_name,
    planned_at: row.planned_at, planned_end: row.planned_end, report: row.report, minutes_spent: row.minutes_spent,
    created_by_label: row.created_by_label, updated_by_label: row.updated_by_label, created_at: row.created_at, updated_at: row.updated_at,
  };
}

/** The API's typed fields as the store's input; what is not sent stays as it is. */
function storeInput(body: { type?: string | undefined; planned_at?: string | undefined } & { [K in keyof typeof fields]?: z.output<(typeof fields)[K]> }): ServiceOrderInput {
  const text = (value: number | null | undefined) => (value === undefined ? undefined : value === null ? '' : String(value));
  return {
    type: body.type, technician_id: text(body.technician_id), report: body.report, time_spent: text(body.minutes_spent),
    planned_at_utc: body.planned_at, planned_end_utc: body.planned_end,
  };
}

async function findOrder(c: Context<AppEnv>, orderId: number): Promise<ServiceOrderRow> {
  const order = await store(c).get(orderId);
  if (!order) throw new HttpError(404, c.var.t('helpdesk.so.notFound'));
  return order;
}

export const serviceOrderApiRoutes = [
  defineApiRoute({
    method: 'get', path: '/service-orders', operationId: 'listServiceOrders', tag: 'service orders', permission: VIEW,
    summary: 'List service orders, filtered like the agents’ list (plugin helpdesk)',
    query: listQuery, status: 200, response: apiPageOf(serviceOrderSchema), errors: [403, 404, 422],
    async handle(c, { query }) {
      const result = await store(c).list({
        status: query.status, technician: query.technician_id, type: query.type, ticket: query.ticket, plannedFrom: query.planned_from,
        plannedBefore: query.planned_before, q: query.q, sort: query.sort, dir: query.dir, page: query.page, pageSize: query.per_page,
      });
      return { data: result.rows.map(toOrder), page: result.page, per_page: result.pageSize, total: result.total };
    },
  }),

  defineApiRoute({
    method: 'get', path: '/service-orders/{id}', operationId: 'getServiceOrder', tag: 'service orders', permission: VIEW,
    summary: 'One service order (plugin helpdesk)',
    params: idParams, status: 200, response: apiOne(serviceOrderSchema), errors: [403, 404, 422],
    async handle(c, { params }) {
      return { data: toOrder(await findOrder(c, params.id)) };
    },
  }),

  defineApiRoute({
    method: 'post', path: '/tickets/{number}/service-orders', operationId: 'createServiceOrder', tag: 'service orders', permission: EDIT,
    summary: 'Create a service order for a ticket; answers 201 with its Location (plugin helpdesk)',
    params: numberParams, body: newOrderBody, status: 201, response: apiOne(serviceOrderSchema), errors: [403, 404, 409, 415, 422],
    async handle(c, { params, body }) {
      const ticket = await ticketService(c).get(params.number);
      const created = await store(c).create(ticket.id, storeInput(body), ticketActor(c));
      // Live refresh and the technician's calendar mail, as after the screens' changes.
      announce(c, created.ticket, created.calendar);
      c.header('Location', href(c, `/api/v1/service-orders/${created.order.id}`));
      return { data: toOrder(created.order) };
    },
  }),

  defineApiRoute({
    method: 'patch', path: '/service-orders/{id}', operationId: 'updateServiceOrder', tag: 'service orders', permission: EDIT,
    summary: 'Change a service order’s fields and/or move its status along the lifecycle (plugin helpdesk)',
    params: idParams, body: orderPatchBody, status: 200, response: apiOne(serviceOrderSchema), errors: [403, 404, 409, 415, 422],
    async handle(c, { params, body }) {
      const { status, ...changes } = body;
      // One transaction: the move is checked against the row as read there, so a refused move (409) or a
      // bad field (422) leaves the order as it was. Unsent fields, times too, stay exactly as stored.
      const applied = await store(c).apply(params.id, {
        input: Object.keys(changes).length ? storeInput(changes) : undefined,
        status: status === undefined ? undefined : { to: status, sameIsNoMove: true },
      }, ticketActor(c));
      announce(c, applied.ticket, applied.calendar);
      return { data: toOrder(applied.order) };
    },
  }),
];
