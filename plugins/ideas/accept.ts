import { DomainError, isLocale, pluginScope, type Services } from '../../core/plugin-api.js';
import { KNOWLEDGE_ENTRIES, type KnowledgeEntriesFromTickets } from '../knowledge/extension-points.js';
import type { IdeasDB } from './ideas-db.js';
import { statusStore } from './status-store.js';
import type { Viewer } from './viewer.js';

/** A claim older than this is taken over (the accept that held it died); the knowledge side is idempotent anyway. */
const CLAIM_STALE_MS = 2 * 60 * 1000;

/** The tenant's proposal topic in the knowledge base, by either name (created there when missing). */
export const PROPOSAL_TOPIC = { name_de: 'Verbesserungsvorschlag', name_en: 'Improvement proposal' };

/**
 * "Accept": a knowledge base entry under the proposal topic, prefilled from the proposal and the accepted solution
 * comment, with the ticket as its origin; the proposal becomes accepted. Exactly one entry even when two managers
 * click at once: an atomic claim on the proposal lets one caller through; the other gets the entry (when done)
 * or a conflict while it is being made.
 */
export async function acceptProposal(services: Services, tenantId: number, viewer: Viewer, id: number, input: { solutionCommentId?: number | null | undefined }): Promise<{ entryId: number; created: boolean }> {
  if (!viewer.manager || viewer.userId === null) throw new DomainError('forbidden', 'error.forbidden');
  const scope = pluginScope<IdeasDB>(services.db, tenantId);
  const proposal = await scope.selectFrom('ideas_proposals as p').innerJoin('tickets as t', 't.id', 'p.ticket_id')
    .select(['p.id', 'p.ticket_id', 'p.title', 'p.benefit', 'p.status', 'p.kb_entry_id', 't.description']).where('p.id', '=', id).where('t.deleted_at', 'is', null).executeTakeFirst();
  if (!proposal) throw new DomainError('not_found', 'error.notFound');
  if (proposal.kb_entry_id !== null) return { entryId: proposal.kb_entry_id, created: false };
  if (proposal.status === 'duplicate' || proposal.status === 'declined') throw new DomainError('conflict', 'ideas.accept.notOpen');
  const [knowledge] = await services.hooks.extensions<KnowledgeEntriesFromTickets>(KNOWLEDGE_ENTRIES, tenantId);
  if (!knowledge) throw new DomainError('conflict', 'ideas.accept.noKnowledge');

  let solution = '';
  if (input.solutionCommentId) {
    const comment = await scope.selectFrom('ideas_comments').select('body').where('id', '=', input.solutionCommentId).where('proposal_id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
    if (!comment) throw new DomainError('invalid', 'error.invalid', { solutionCommentId: 'ideas.error.invalid' });
    solution = comment.body;
  }

  const now = services.clock();
  const claim = `${now.toISOString()} ${viewer.userId}`;
  const stale = new Date(now.getTime() - CLAIM_STALE_MS).toISOString();
  const won = await scope.updateTable('ideas_proposals').set({ accept_claim: claim }).where('id', '=', id).where('kb_entry_id', 'is', null)
    .where((eb) => eb.or([eb('accept_claim', 'is', null), eb('accept_claim', '<', stale)])).executeTakeFirst();
  if (Number(won.numUpdatedRows) === 0) {
    const again = await scope.selectFrom('ideas_proposals').select('kb_entry_id').where('id', '=', id).executeTakeFirstOrThrow();
    if (again.kb_entry_id !== null) return { entryId: again.kb_entry_id, created: false };
    throw new DomainError('conflict', 'ideas.accept.busy');
  }
  try {
    const tenant = await services.tenants.byId(tenantId);
    const language = isLocale(tenant?.locale) ? tenant.locale : 'en';
    const t = services.catalog.translator(language);
    const body = [proposal.description, proposal.benefit && `${t('ideas.field.benefit')}: ${proposal.benefit}`, solution && `${t('ideas.accept.solution')}: ${solution}`].filter(Boolean).join('\n\n');
    const result = await knowledge.fromTicket(services, tenantId, {
      ticketId: proposal.ticket_id, topic: PROPOSAL_TOPIC, language, title: proposal.title, body, actor: { id: viewer.userId, label: viewer.label },
    });
    await statusStore(services, tenantId).change(viewer, id, { status: 'accepted' }, { kbEntryId: result.entryId });
    return result;
  } catch (error) {
    await scope.updateTable('ideas_proposals').set({ accept_claim: null }).where('id', '=', id).where('accept_claim', '=', claim).execute();
    throw error;
  }
}
