import { z } from 'zod';
import { DomainError, pluginScope, type PortalPerson, type Services } from '../../core/plugin-api.js';
import type { EntryKind, KnowledgeDB } from './knowledge-db.js';
import { ANONYMOUS, canSee, type Viewer } from './search/visibility.js';
import { checked } from './validate.js';

export const COMMENT_MAX = 1000;

/** The viewer of a portal page: a signed-in portal user is a customer of their organisation (or of none); anyone else anonymous. */
export function portalViewer(person: PortalPerson | null | undefined): Viewer {
  return person ? { kind: 'customer', organisationId: person.organisation_id } : ANONYMOUS;
}

/** What a customer reads of an entry: its texts and dates, never who wrote it, its state history or its origin ticket. */
export interface PortalEntry { id: number; kind: EntryKind; title: string; body: string; cause: string; steps: string; updated_at: string; topics: Array<{ id: number; name_de: string; name_en: string }> }

const voteSchema = z.object({
  helpful: z.enum(['1', '0'], 'knowledge.error.choice'),
  comment: z.string().trim().max(COMMENT_MAX, 'knowledge.error.commentTooLong').default(''),
});

/**
 * The customers' side of the knowledge base: only published entries the viewer may see (public ones;
 * for every signed-in customer; for named organisations only their customers), listed, read and rated.
 * An entry the viewer may not see answers exactly like one that does not exist.
 */
export function portalStore(services: Services, tenantId: number, viewer: Viewer) {
  const scope = pluginScope<KnowledgeDB>(services.db, tenantId);

  async function visible(id: number) {
    const entry = await scope.selectFrom('knowledge_entries').select(['id', 'kind', 'title', 'body', 'cause', 'steps', 'state', 'visibility', 'updated_at'])
      .where('id', '=', id).executeTakeFirst();
    if (!entry) throw new DomainError('not_found', 'error.notFound');
    const organisationIds = entry.visibility === 'organisations'
      ? (await scope.selectFrom('knowledge_entry_organisations').select('organisation_id').where('entry_id', '=', id).execute()).map((r) => r.organisation_id)
      : [];
    if (!canSee(viewer, { state: entry.state, visibility: entry.visibility, organisationIds })) throw new DomainError('not_found', 'error.notFound');
    return entry;
  }

  return {
    /** The entries the viewer may see, newest change first, optionally of one topic. */
    async list(options: { topicId?: number | undefined; limit?: number } = {}) {
      let query = scope.selectFrom('knowledge_entries').select(['id', 'kind', 'title', 'updated_at']).where('state', '=', 'published');
      query = query.where((eb) => {
        const allowed = [eb('visibility', '=', 'public')];
        if (viewer.kind === 'customer') {
          allowed.push(eb('visibility', '=', 'customers'));
          if (viewer.organisationId !== null) {
            allowed.push(eb.and([eb('visibility', '=', 'organisations'), eb('id', 'in',
              scope.selectFrom('knowledge_entry_organisations').select('entry_id').where('organisation_id', '=', viewer.organisationId))]));
          }
        }
        return eb.or(allowed);
      });
      if (options.topicId !== undefined) query = query.where('id', 'in', scope.selectFrom('knowledge_entry_topics').select('entry_id').where('topic_id', '=', options.topicId!));
      return query.orderBy('updated_at', 'desc').orderBy('id', 'desc').limit(options.limit ?? 100).execute();
    },

    /** The active topics (for browsing). */
    topics: () => scope.selectFrom('knowledge_topics').select(['id', 'parent_id', 'name_de', 'name_en']).where('archived', '=', 0).orderBy('position').orderBy('id').execute(),

    async entry(id: number): Promise<PortalEntry> {
      const entry = await visible(id);
      const topics = await scope.selectFrom('knowledge_entry_topics as et').innerJoin('knowledge_topics as t', 't.id', 'et.topic_id')
        .select(['t.id', 't.name_de', 't.name_en']).where('et.entry_id', '=', id).orderBy('t.position').execute();
      return { id: entry.id, kind: entry.kind, title: entry.title, body: entry.body, cause: entry.cause, steps: entry.steps, updated_at: entry.updated_at, topics };
    },

    /** The person's own vote on an entry, if any. */
    async voteOf(id: number, personId: number) {
      return scope.selectFrom('knowledge_votes').select(['helpful', 'comment']).where('entry_id', '=', id).where('person_id', '=', personId).executeTakeFirst();
    },

    /** One vote per person and entry: voting again replaces it. */
    async vote(id: number, person: PortalPerson, input: { helpful?: unknown; comment?: unknown }): Promise<void> {
      await visible(id);
      const data = checked(voteSchema, input);
      const values = { helpful: Number(data.helpful), comment: data.comment, voted_at: services.clock().toISOString() };
      await scope.insertInto('knowledge_votes', { entry_id: id, person_id: person.id, ...values })
        .onConflict((oc) => oc.columns(['entry_id', 'person_id']).doUpdateSet(values)).execute();
    },
  };
}
