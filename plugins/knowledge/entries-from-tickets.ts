import { pluginScope, type Services } from '../../core/plugin-api.js';
import { entryStore } from './entry-store.js';
import type { EntryFromTicketInput, KnowledgeEntriesFromTickets } from './extension-points.js';
import type { KnowledgeDB } from './knowledge-db.js';
import type { KnowledgeSearch } from './search/knowledge-search.js';
import { topicStore } from './topic-store.js';

/**
 * The provider of KNOWLEDGE_ENTRIES, built on the entry and topic stores (their validation, versions, audit and
 * search index). Idempotence per origin ticket without a lock: look first; after creating, the lowest entry
 * taken from the ticket wins and a racing loser removes its own (the same for a topic created at the same time).
 */
export function knowledgeEntriesFromTickets(search: KnowledgeSearch): KnowledgeEntriesFromTickets {
  const firstEntry = async (services: Services, tenantId: number, ticketId: number) => (await pluginScope<KnowledgeDB>(services.db, tenantId)
    .selectFrom('knowledge_ticket_origins').select('entry_id').where('ticket_id', '=', ticketId).orderBy('entry_id').executeTakeFirst())?.entry_id ?? null;

  async function ensureTopic(services: Services, tenantId: number, input: EntryFromTicketInput): Promise<number> {
    const scope = pluginScope<KnowledgeDB>(services.db, tenantId);
    const find = () => scope.selectFrom('knowledge_topics').select('id')
      .where((eb) => eb.or([eb(eb.fn('lower', ['name_de']), '=', input.topic.name_de.toLowerCase()), eb(eb.fn('lower', ['name_en']), '=', input.topic.name_en.toLowerCase())]))
      .orderBy('id').executeTakeFirst();
    const found = await find();
    if (found) return found.id;
    const topics = topicStore(services, tenantId);
    const made = await topics.create({ name_de: input.topic.name_de, name_en: input.topic.name_en, position: 0 }, input.actor);
    const first = (await find())!.id;
    if (first !== made.id) await topics.remove(made.id, input.actor);
    return first;
  }

  return {
    entryOf: firstEntry,
    async fromTicket(services, tenantId, input) {
      const existing = await firstEntry(services, tenantId, input.ticketId);
      if (existing !== null) return { entryId: existing, created: false };
      const topicId = await ensureTopic(services, tenantId, input);
      const entries = entryStore(services, tenantId, search);
      const entry = await entries.create({
        kind: 'kb', language: input.language, title: input.title, body: input.body, cause: input.cause ?? '', visibility: 'internal', topic_ids: [topicId],
      }, input.actor, { originTicketId: input.ticketId });
      const first = (await firstEntry(services, tenantId, input.ticketId))!;
      if (first !== entry.id) {
        await entries.remove(entry.id, input.actor);
        return { entryId: first, created: false };
      }
      return { entryId: entry.id, created: true };
    },
  };
}
