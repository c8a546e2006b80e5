import { invalidFields, scopeFor, type FilterContext, type TicketChangePayload } from '../../core/plugin-api.js';
import type { IdeasDB } from './ideas-db.js';
import { FIELD, TEXT_MAX } from './proposal-store.js';

/**
 * The TICKET_CREATED filter: a ticket created with `p.ideas.kind` (the plugin's forms, or the agent's create form
 * with "improvement proposal" ticked) gets its proposal row inside the create transaction; a refusal saves nothing.
 */
export async function proposalCreated(payload: TicketChangePayload, ctx: FilterContext): Promise<void> {
  if (!payload.pluginFields[FIELD.kind]) return;
  const benefit = (payload.pluginFields[FIELD.benefit] ?? '').trim();
  if (benefit.length > TEXT_MAX) throw invalidFields('error.invalid', { [FIELD.benefit]: 'ideas.error.tooLong' });
  const scope = scopeFor<IdeasDB>(ctx.scope);
  const ticket = await scope.selectFrom('tickets').select(['id', 'subject', 'description', 'requester_id', 'created_at']).where('id', '=', payload.ticketId).executeTakeFirstOrThrow();
  let submitter: { user: number | null; person: number | null; label: string };
  if (payload.actorUserId !== null) {
    const user = await ctx.trx.selectFrom('users').select('name').where('id', '=', payload.actorUserId).executeTakeFirstOrThrow();
    submitter = { user: payload.actorUserId, person: null, label: user.name };
  } else {
    const person = ticket.requester_id === null ? undefined : await scope.selectFrom('people').select('name').where('id', '=', ticket.requester_id).executeTakeFirst();
    submitter = { user: null, person: ticket.requester_id, label: person?.name ?? '' };
  }
  await scope.insertInto('ideas_proposals', {
    ticket_id: ticket.id, title: ticket.subject, search_text: `${ticket.subject}\n${ticket.description}`.toLowerCase(), benefit,
    anonymous: payload.pluginFields[FIELD.anonymous] ? 1 : 0, portal_visible: payload.pluginFields[FIELD.portal] ? 1 : 0,
    submitter_user_id: submitter.user, submitter_person_id: submitter.person, submitter_label: submitter.label,
    status_at: ticket.created_at, created_at: ticket.created_at,
  }).execute();
  if (submitter.user !== null) await scope.insertInto('ideas_followers', { proposal_id: (await scope.selectFrom('ideas_proposals').select('id').where('ticket_id', '=', ticket.id).executeTakeFirstOrThrow()).id, user_id: submitter.user }).execute();
}
