import type { Context } from 'hono';
import { z } from 'zod';
import { DomainError, HttpError, apiOne, clientIp, defineApiRoute, scope, staff, tenantOf, type AppEnv } from '../../core/plugin-api.js';
import { REMOTE_TOOLS } from './remote-db.js';
import { REMOTE_ID_MAX, REMOTE_REVEAL, REMOTE_SECRET_MAX, REMOTE_USE, remoteStore } from './remote-store.js';

type Ctx = Context<AppEnv>;
const id = z.number().int();
const ticketParams = z.object({ number: z.string().max(40).meta({ description: 'ticket number, e.g. 2026-000123' }) });
const sessionParams = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });
const sessionSchema = z.object({
  id, tool: z.enum(REMOTE_TOOLS), remote_id: z.string(), valid_until: z.string(), created_at: z.string(), created_by: z.string(),
  active: z.boolean().meta({ description: 'the password is stored and its validity has not ended' }),
  wiped_at: z.string().nullable(), wipe_reason: z.enum(['expired', 'closed', 'removed']).nullable(),
});
const actor = (c: Ctx) => ({ id: staff(c).id, label: staff(c).name || staff(c).email });

async function ticketOf(c: Ctx, number: string) {
  const ticket = await scope(c).selectFrom('tickets').select(['id', 'number']).where('number', '=', number).where('deleted_at', 'is', null).executeTakeFirst();
  if (!ticket) throw new HttpError(404, c.var.t('error.notFound'));
  return ticket;
}

/** A store's refusal as the API answers it: translated, at the body's field names. */
async function attempt<T>(c: Ctx, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    if (error.kind === 'not_found') throw new HttpError(404, c.var.t('error.notFound'));
    const fields = Object.fromEntries(Object.entries(error.fields).map(([field, key]) => [field, c.var.t(key)]));
    throw new HttpError(error.kind === 'invalid' ? 422 : 409, c.var.t(error.message), fields);
  }
}

const out = ({ created_by_label, ticket_id: _ticket, ...session }: { created_by_label: string; ticket_id: number } & Omit<z.infer<typeof sessionSchema>, 'created_by'>) =>
  ({ ...session, created_by: created_by_label });

/** Remote sessions on tickets: listed and stored without ever answering the password; revealed one at a time, audited. */
export const remoteApiRoutes = [
  defineApiRoute({
    method: 'get', path: '/tickets/{number}/remote-sessions', operationId: 'listRemoteSessions', tag: 'connect', permission: REMOTE_USE,
    summary: 'A ticket\'s remote-support sessions, newest first, without their passwords (plugin connect)',
    params: ticketParams, status: 200, response: z.object({ data: z.array(sessionSchema) }), errors: [401, 403, 404],
    async handle(c, { params }) {
      const ticket = await ticketOf(c, params.number);
      return { data: (await remoteStore(c.var.services, tenantOf(c).id).list(ticket.id)).map(out) };
    },
  }),
  defineApiRoute({
    method: 'post', path: '/tickets/{number}/remote-sessions', operationId: 'createRemoteSession', tag: 'connect', permission: REMOTE_USE,
    summary: 'Store a remote-support session on a ticket; the password is kept encrypted and is not in the answer (plugin connect)',
    params: ticketParams,
    body: z.strictObject({
      tool: z.enum(REMOTE_TOOLS), remote_id: z.string().max(REMOTE_ID_MAX), secret: z.string().max(REMOTE_SECRET_MAX).meta({ description: 'the password or one-time code' }),
      valid_until: z.string().max(40).meta({ description: 'ISO 8601 instant, in the future, at most 30 days ahead' }),
    }),
    status: 201, response: apiOne(sessionSchema), errors: [401, 403, 404, 409, 415, 422],
    async handle(c, { params, body }) {
      const ticket = await ticketOf(c, params.number);
      const session = await attempt(c, () => remoteStore(c.var.services, tenantOf(c).id).create(ticket.id, { tool: body.tool, remoteId: body.remote_id, secret: body.secret, validUntil: body.valid_until }, actor(c)));
      return { data: out(session) };
    },
  }),
  defineApiRoute({
    method: 'post', path: '/remote-sessions/{id}/reveal', operationId: 'revealRemoteSession', tag: 'connect', permission: REMOTE_REVEAL,
    summary: 'The password of an active remote session: recorded in the audit log with who asked and when; 409 once wiped (plugin connect)',
    params: sessionParams, status: 200, response: apiOne(z.object({ id, ticket_number: z.string(), secret: z.string(), valid_until: z.string() })), errors: [401, 403, 404, 409],
    async handle(c, { params }) {
      const revealed = await attempt(c, () => remoteStore(c.var.services, tenantOf(c).id).reveal(params.id, actor(c), clientIp(c)));
      c.header('Cache-Control', 'no-store');
      return { data: { id: revealed.session.id, ticket_number: revealed.ticketNumber, secret: revealed.secret, valid_until: revealed.session.valid_until } };
    },
  }),
];
