import { z } from 'zod';
import type { Kysely } from 'kysely';
import { DomainError, isLocale, pluginScope, type DB, type Services } from '../../core/plugin-api.js';
import type { IdeasDB } from './ideas-db.js';
import { deliver, notifyUsers } from './ideas-notify.js';
import { lockProposal } from './like-store.js';
import { checked } from './proposal-store.js';
import type { Viewer } from './viewer.js';

export const COMMENT_MAX = 5000;
/** A comment may be edited by its author this long after writing it. */
export const EDIT_WINDOW_MS = 15 * 60 * 1000;
const bodySchema = z.object({ body: z.string('ideas.error.required').trim().min(1, 'ideas.error.required').max(COMMENT_MAX, 'ideas.error.tooLong') });

export interface Comment { id: number; author_label: string; author_user_id: number | null; author_person_id: number | null; body: string; created_at: string; edited_at: string | null; deleted_at: string | null; deleted_by: string | null }

/** `@anna` (the part before the @ of a colleague's address) or `@anna@example.test`: the tenant's active staff users named. */
export async function mentionedUsers(services: Services, tenantId: number, body: string): Promise<number[]> {
  const handles = [...body.matchAll(/(?:^|[^\w@])@([\w.+-]+(?:@[\w-]+(?:\.[\w-]+)+)?)/g)].map((m) => m[1]!.toLowerCase().replace(/\.$/, ''));
  if (!handles.length) return [];
  const users = await services.db.selectFrom('users').select(['id', 'email']).where('tenant_id', '=', tenantId).where('active', '=', 1).execute();
  return users.filter((u) => handles.some((h) => u.email.toLowerCase() === h || u.email.toLowerCase().split('@')[0] === h)).map((u) => u.id);
}

/** Comments on a proposal: the counter moves with them in one transaction; a deleted one stays as a tombstone. */
export function commentStore(services: Services, tenantId: number) {
  const scope = pluginScope<IdeasDB>(services.db, tenantId);
  const one = async (id: number, proposalId: number) => {
    const row = await scope.selectFrom('ideas_comments').selectAll().where('id', '=', id).where('proposal_id', '=', proposalId).executeTakeFirst();
    if (!row) throw new DomainError('not_found', 'error.notFound');
    return row;
  };
  const isAuthor = (viewer: Viewer, c: { author_user_id: number | null; author_person_id: number | null }) =>
    (viewer.userId !== null && c.author_user_id === viewer.userId) || (viewer.personId !== null && c.author_person_id === viewer.personId);
  /** "Anonymous" in the tenant's language, read through the transaction (SQLite has one connection). */
  const anonymousLabel = async (trx: Kysely<DB>) => {
    const tenant = await trx.selectFrom('tenants').select('locale').where('id', '=', tenantId).executeTakeFirst();
    return services.catalog.translator(isLocale(tenant?.locale) ? tenant.locale : 'en')('ideas.anonymous');
  };

  return {
    async list(proposalId: number): Promise<Comment[]> {
      return scope.selectFrom('ideas_comments').select(['id', 'author_label', 'author_user_id', 'author_person_id', 'body', 'created_at', 'edited_at', 'deleted_at', 'deleted_by'])
        .where('proposal_id', '=', proposalId).orderBy('id').limit(500).execute();
    },

    /** Adds a comment; colleagues it mentions get a notification (`ideas.mention`); a staff author follows the proposal. */
    async add(viewer: Viewer, proposalId: number, input: { body?: unknown }): Promise<Comment> {
      const { body } = checked(bodySchema, input);
      const now = services.clock().toISOString();
      const mentioned = viewer.userId !== null ? await mentionedUsers(services, tenantId, body) : [];
      const { comment, pending } = await services.db.transaction().execute(async (trx) => {
        const tx = scope.withDb(trx);
        const proposal = await lockProposal(trx, services, tenantId, proposalId);
        const { title, ...row } = await tx.selectFrom('ideas_proposals').select(['title', 'anonymous', 'submitter_user_id', 'submitter_person_id']).where('id', '=', proposalId).executeTakeFirstOrThrow();
        // The anonymous submitter stays anonymous in their own proposal's comments (and in the mention they send).
        const label = row.anonymous && isAuthor(viewer, { author_user_id: row.submitter_user_id, author_person_id: row.submitter_person_id })
          ? await anonymousLabel(trx) : viewer.label;
        const comment = await tx.insertInto('ideas_comments', {
          proposal_id: proposalId, author_user_id: viewer.userId, author_person_id: viewer.personId, author_label: label, body, created_at: now,
        }).returning(['id', 'author_label', 'author_user_id', 'author_person_id', 'body', 'created_at', 'edited_at', 'deleted_at', 'deleted_by']).executeTakeFirstOrThrow();
        await tx.updateTable('ideas_proposals').set((eb) => ({ comments_count: eb('comments_count', '+', 1) })).where('id', '=', proposalId).execute();
        // A colleague who comments follows the proposal from then on (hears of its status changes).
        if (viewer.userId !== null) {
          await tx.insertInto('ideas_followers', { proposal_id: proposalId, user_id: viewer.userId }).onConflict((oc) => oc.columns(['tenant_id', 'proposal_id', 'user_id']).doNothing()).execute();
        }
        const pending = await notifyUsers(services, trx, tenantId, {
          userIds: mentioned, ticketId: proposal.ticket_id, kind: 'ideas.mention', actorLabel: label, except: viewer.userId,
          line: (t) => t('ideas.notify.mention', { name: label, title }), message: { key: 'ideas.notify.mention', params: { name: label, title } },
        });
        return { comment, pending };
      });
      await deliver(services, pending);
      return comment;
    },

    /** The author, within 15 minutes of writing it. */
    async edit(viewer: Viewer, proposalId: number, id: number, input: { body?: unknown }): Promise<Comment> {
      const { body } = checked(bodySchema, input);
      const comment = await one(id, proposalId);
      if (!isAuthor(viewer, comment) || comment.deleted_at) throw new DomainError('forbidden', 'error.forbidden');
      const now = services.clock();
      if (now.getTime() - Date.parse(comment.created_at) > EDIT_WINDOW_MS) throw new DomainError('conflict', 'ideas.comment.editClosed');
      await scope.updateTable('ideas_comments').set({ body, edited_at: now.toISOString() }).where('id', '=', id).execute();
      return one(id, proposalId);
    },

    /** The author or a moderator; the row stays (a tombstone says who deleted it), the counter goes down once. */
    async remove(viewer: Viewer, proposalId: number, id: number): Promise<void> {
      const comment = await one(id, proposalId);
      if (!isAuthor(viewer, comment) && !viewer.moderator) throw new DomainError('forbidden', 'error.forbidden');
      await services.db.transaction().execute(async (trx) => {
        const tx = scope.withDb(trx);
        await lockProposal(trx, services, tenantId, proposalId);
        const done = await tx.updateTable('ideas_comments').set({ body: '', deleted_at: services.clock().toISOString(), deleted_by: viewer.label })
          .where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
        if (Number(done.numUpdatedRows) > 0) await tx.updateTable('ideas_proposals').set((eb) => ({ comments_count: eb('comments_count', '-', 1) })).where('id', '=', proposalId).execute();
      });
    },
  };
}
