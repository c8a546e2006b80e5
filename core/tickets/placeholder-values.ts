import type { Tenant, Ticket } from '../db/schema.js';
import type { Translate } from '../i18n/translate.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';
import { renderMacro, type MacroValues } from './macro-template.js';
import { signatureFor, type Signature } from './signatures.js';
import { priorityName, ticketSettings } from './ticket-settings.js';

export interface PlaceholderAgent { id: number; name: string }

/**
 * What the placeholders of macros, text modules and signatures stand for on this ticket, for this agent;
 * `{{agent.signature}}` is the signature this ticket's reply gets (signatures.ts), itself rendered with the others.
 */
export async function ticketPlaceholders(s: TenantScope, tenant: Pick<Tenant, 'name' | 'settings'>, ticket: Ticket, agent: PlaceholderAgent, t: Translate): Promise<{ values: MacroValues; signature: Signature | undefined }> {
  const [requester, organisation, signature] = await Promise.all([
    ticket.requester_id ? s.selectFrom('people').select(['name', 'email']).where('id', '=', ticket.requester_id).executeTakeFirst() : undefined,
    ticket.organisation_id ? s.selectFrom('organisations').select('name').where('id', '=', ticket.organisation_id).executeTakeFirst() : undefined,
    signatureFor(s, ticket, agent.id),
  ]);
  const values: MacroValues = {
    'ticket.number': ticket.number,
    'ticket.subject': ticket.subject,
    'ticket.status': t(`status.${ticket.status}`),
    'ticket.priority': priorityName(ticketSettings(tenant), ticket.priority, t),
    'requester.name': requester?.name,
    'requester.email': requester?.email,
    'organisation.name': organisation?.name,
    'agent.name': agent.name,
    'tenant.name': tenant.name,
  };
  // A signature naming {{agent.signature}} gets it empty (the renderer never re-expands values).
  values['agent.signature'] = signature ? renderMacro(signature.template, values) : '';
  return { values, signature };
}
