import { z } from 'zod';
import { DomainError, invalidFields, pluginScope, type Locale, type Services } from '../../core/plugin-api.js';
import type { KnowledgeDB, KnowledgeTopicsTable } from './knowledge-db.js';
import { checked } from './validate.js';

export const TOPIC_NAME_MAX = 80;

export interface Topic { id: number; parent_id: number | null; name_de: string; name_en: string; position: number; archived: number }
export interface Actor { id: number; label: string }

/** A topic's name in the reader's language (the other one when it has none). */
export function topicName(topic: Pick<KnowledgeTopicsTable, 'name_de' | 'name_en'>, locale: Locale): string {
  return (locale === 'de' ? topic.name_de : topic.name_en) || topic.name_de || topic.name_en;
}

/** A topic still used by entries cannot be deleted: the refusal says how often it is used. */
export class TopicInUseError extends DomainError {
  constructor(readonly uses: number) {
    super('conflict', 'knowledge.topic.inUse');
  }
}

const name = z.string().trim().min(1, 'knowledge.error.required').max(TOPIC_NAME_MAX, 'knowledge.error.nameTooLong');
const topicSchema = z.object({
  name_de: name,
  name_en: name,
  position: z.coerce.number('knowledge.error.number').int('knowledge.error.number').min(0, 'knowledge.error.number').max(9999, 'knowledge.error.number'),
  parent_id: z.union([z.literal('').transform(() => null), z.null(), z.coerce.number('knowledge.error.invalid').int().positive()]).default(null),
  archived: z.union([z.boolean(), z.literal('1').transform(() => true), z.literal('').transform(() => false)]).default(false),
});
export type TopicInput = z.input<typeof topicSchema>;

const COLUMNS = ['id', 'parent_id', 'name_de', 'name_en', 'position', 'archived'] as const;

/** The tenant's topics: FAQ, documentation and KB entries share them. Admins and supervisors manage them. */
export function topicStore(services: Services, tenantId: number) {
  const scope = pluginScope<KnowledgeDB>(services.db, tenantId);

  async function get(id: number, db = scope): Promise<Topic> {
    const topic = await db.selectFrom('knowledge_topics').select(COLUMNS).where('id', '=', id).executeTakeFirst();
    if (!topic) throw new DomainError('not_found', 'error.notFound');
    return topic;
  }

  /** One level of nesting: the parent exists here, is not the topic itself and has no parent; a topic with children gets none. */
  async function checkParent(db: typeof scope, parentId: number | null, selfId?: number): Promise<void> {
    if (parentId === null) return;
    const parent = await db.selectFrom('knowledge_topics').select(['id', 'parent_id']).where('id', '=', parentId).executeTakeFirst();
    if (!parent || parent.id === selfId) throw invalidFields('error.invalid', { parent_id: 'knowledge.error.invalid' });
    if (parent.parent_id !== null) throw invalidFields('error.invalid', { parent_id: 'knowledge.topic.tooDeep' });
    if (selfId !== undefined) {
      const child = await db.selectFrom('knowledge_topics').select('id').where('parent_id', '=', selfId).executeTakeFirst();
      if (child) throw invalidFields('error.invalid', { parent_id: 'knowledge.topic.hasChildren' });
    }
  }

  return {
    get: (id: number) => get(id),

    /** Every topic, parents before their children, in their order. */
    async list(): Promise<Topic[]> {
      const rows = await scope.selectFrom('knowledge_topics').select(COLUMNS).orderBy('position').orderBy('name_en').orderBy('id').execute();
      const children = (parent: number) => rows.filter((row) => row.parent_id === parent);
      return rows.filter((row) => row.parent_id === null || !rows.some((p) => p.id === row.parent_id))
        .flatMap((row) => [row, ...children(row.id)]);
    },

    /** How many entries use each topic. */
    async uses(): Promise<Map<number, number>> {
      const rows = await scope.selectFrom('knowledge_entry_topics').select((eb) => ['topic_id', eb.fn.countAll<number>().as('n')]).groupBy('topic_id').execute();
      return new Map(rows.map((row) => [row.topic_id, Number(row.n)]));
    },

    async create(input: TopicInput, actor: Actor): Promise<Topic> {
      const data = checked(topicSchema, input);
      const now = services.clock().toISOString();
      return services.db.transaction().execute(async (trx) => {
        const tx = scope.withDb(trx);
        await checkParent(tx, data.parent_id);
        const topic = await tx.insertInto('knowledge_topics', {
          parent_id: data.parent_id, name_de: data.name_de, name_en: data.name_en, position: data.position,
          archived: data.archived ? 1 : 0, created_at: now, updated_at: now,
        }).returning(COLUMNS).executeTakeFirstOrThrow();
        await services.audit.record({ tenantId, actor: { userId: actor.id, label: actor.label }, action: 'knowledge.topic_created', target: data.name_en }, trx);
        return topic;
      });
    },

    /** Renaming or archiving keeps every assignment: entries show the topic's current name. */
    async update(id: number, input: TopicInput, actor: Actor): Promise<Topic> {
      const data = checked(topicSchema, input);
      return services.db.transaction().execute(async (trx) => {
        const tx = scope.withDb(trx);
        await get(id, tx);
        await checkParent(tx, data.parent_id, id);
        await tx.updateTable('knowledge_topics').set({
          parent_id: data.parent_id, name_de: data.name_de, name_en: data.name_en, position: data.position,
          archived: data.archived ? 1 : 0, updated_at: services.clock().toISOString(),
        }).where('id', '=', id).execute();
        await services.audit.record({ tenantId, actor: { userId: actor.id, label: actor.label }, action: 'knowledge.topic_updated', target: data.name_en }, trx);
        return get(id, tx);
      });
    },

    /** Refused while entries use the topic (with their count) or while it has sub-topics. */
    async remove(id: number, actor: Actor): Promise<void> {
      await services.db.transaction().execute(async (trx) => {
        const tx = scope.withDb(trx);
        const topic = await get(id, tx);
        const used = await tx.selectFrom('knowledge_entry_topics').select((eb) => eb.fn.countAll<number>().as('n')).where('topic_id', '=', id).executeTakeFirstOrThrow();
        if (Number(used.n) > 0) throw new TopicInUseError(Number(used.n));
        const child = await tx.selectFrom('knowledge_topics').select('id').where('parent_id', '=', id).executeTakeFirst();
        if (child) throw new DomainError('conflict', 'knowledge.topic.hasChildren');
        await tx.deleteFrom('knowledge_topics').where('id', '=', id).execute();
        await services.audit.record({ tenantId, actor: { userId: actor.id, label: actor.label }, action: 'knowledge.topic_deleted', target: topic.name_en }, trx);
      });
    },
  };
}
