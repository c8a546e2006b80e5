import type { Ticket } from '../db/schema.js';
import type { TenantScope } from '../tenancy/tenant-scope.js';

/** The signature a reply gets, and where it comes from (the form names it: "Signature: Support team"). */
export type Signature = { source: 'group'; groupName: string; template: string } | { source: 'personal'; template: string };

/**
 * The rule: a reply to the customer is signed by the ticket's support group when that group has a signature
 * (the customer writes to the team), else by the agent's personal one; none when neither is set.
 */
export async function signatureFor(s: TenantScope, ticket: Pick<Ticket, 'group_id'>, userId: number): Promise<Signature | undefined> {
  const [group, user] = await Promise.all([
    ticket.group_id ? s.selectFrom('support_groups').select(['name', 'signature']).where('id', '=', ticket.group_id).executeTakeFirst() : undefined,
    s.db.selectFrom('users').select('signature').where('tenant_id', '=', s.tenantId).where('id', '=', userId).executeTakeFirst(),
  ]);
  if (group?.signature?.trim()) return { source: 'group', groupName: group.name, template: group.signature.trim() };
  if (user?.signature?.trim()) return { source: 'personal', template: user.signature.trim() };
  return undefined;
}

/** The reply's text with its signature below the conventional separator line. */
export function withSignature(body: string, signature: string): string {
  return signature.trim() ? `${body.trimEnd()}\n\n-- \n${signature.trim()}` : body;
}
