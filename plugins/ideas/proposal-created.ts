import { invalidFields, isLocale, scopeFor, type FilterContext, type TicketChangePayload } from '../../core/plugin-api.js';
import { PROPOSAL_TOPIC } from './accept.js';
import type { IdeasDB } from './ideas-db.js';
import { ideasMessages } from './messages.js';
import { FIELD, TEXT_MAX } from './proposal-store.js';
import { readSettings } from './settings.js';

const on = (value: string | undefined) => value === '1' || value === 'on' || value === 'true';
/** The proposal topic chosen as the ticket's category (either language's name, any case). */
export const isProposalTopic = (category: unknown) => typeof category === 'string'
  && [PROPOSAL_TOPIC.name_de, PROPOSAL_TOPIC.name_en].some((name) => name.toLocaleLowerCase('de') === category.trim().toLocaleLowerCase('de'));

/**
 * The TICKET_CREATED filter: a ticket created with `p.ideas.kind` ticked (the plugin's forms, the desk's and the
 * portal's create forms) or with the proposal topic ("Verbesserungsvorschlag" / "Improvement proposal") as its
 * category gets its proposal row inside the create transaction; a refusal saves nothing. A customer's request
 * (no staff actor) becomes a proposal only while the tenant allows portal ideas; it is then shown in the portal.
 */
export async function proposalCreated(payload: TicketChangePayload, ctx: FilterContext): Promise<void> {
  if (!on(payload.pluginFields[FIELD.kind]) && !isProposalTopic(payload.diff.category?.new)) return;
  if (payload.actorUserId === null && !(await readSettings(ctx.scope)).portalIdeas) return;
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
    anonymous: submitter.user !== null && on(payload.pluginFields[FIELD.anonymous]) ? 1 : 0,
    portal_visible: submitter.user === null || on(payload.pluginFields[FIELD.portal]) ? 1 : 0,
    submitter_user_id: submitter.user, submitter_person_id: submitter.person, submitter_label: submitter.label,
    status_at: ticket.created_at, created_at: ticket.created_at,
  }).execute();
  // The ticket's history names no one but "Anonymous" (in the tenant's language), as the plugin's own forms do.
  if (submitter.user !== null && on(payload.pluginFields[FIELD.anonymous])) {
    const tenant = await ctx.trx.selectFrom('tenants').select('locale').where('id', '=', ctx.scope.tenantId).executeTakeFirst();
    const label = ideasMessages[isLocale(tenant?.locale) ? tenant.locale : 'en']['ideas.anonymous']!;
    await scope.updateTable('ticket_history').set({ actor_label: label }).where('ticket_id', '=', ticket.id).execute();
  }
  if (submitter.user !== null) await scope.insertInto('ideas_followers', { proposal_id: (await scope.selectFrom('ideas_proposals').select('id').where('ticket_id', '=', ticket.id).executeTakeFirstOrThrow()).id, user_id: submitter.user }).execute();
}
