import { z } from 'zod';
import { DomainError, invalidFields, isLocale, pluginScope, postToTimeline, recordTicketHistory, type NotificationMessage, type PendingNotification, type Services } from '../../core/plugin-api.js';
import { IDEA_STATUSES, type IdeaStatus, type IdeasDB } from './ideas-db.js';
import { deliver, mailPerson, notifyUsers } from './ideas-notify.js';
import { likeWeight, lockProposal } from './like-store.js';
import { checked } from './proposal-store.js';
import type { Viewer } from './viewer.js';

export const REASON_MAX = 2000;
const statusSchema = z.object({
  status: z.enum(IDEA_STATUSES, 'ideas.error.choice'),
  reason: z.string().trim().max(REASON_MAX, 'ideas.error.tooLong').default(''),
  duplicateOf: z.union([z.literal('').transform(() => null), z.null(), z.coerce.number('ideas.error.invalid').int('ideas.error.invalid').positive('ideas.error.invalid')]).default(null),
}).superRefine((value, ctx) => {
  if (value.status === 'declined' && !value.reason) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'ideas.status.reasonRequired' });
  if (value.status === 'duplicate' && value.duplicateOf === null) ctx.addIssue({ code: 'custom', path: ['duplicateOf'], message: 'ideas.status.duplicateRequired' });
});
export type StatusInput = z.input<typeof statusSchema>;

/**
 * Status changes by idea managers: in one transaction the proposal moves, the ticket's history records it, a
 * duplicate's likes move to the original (a person who liked both counts once), its followers move too; after
 * commit the submitter and the followers hear of it (in-app and mail, each in their language), and the staff
 * timeline gets an "idea status" post in the tenant's language, naming the idea manager, never the submitter.
 */
export function statusStore(services: Services, tenantId: number) {
  const scope = pluginScope<IdeasDB>(services.db, tenantId);

  return {
    async change(viewer: Viewer, id: number, input: StatusInput, options: { kbEntryId?: number } = {}): Promise<{ status: IdeaStatus }> {
      if (!viewer.manager || viewer.userId === null) throw new DomainError('forbidden', 'error.forbidden');
      const data = checked(statusSchema, input);
      const now = services.clock().toISOString();
      let person: number | null = null;
      let title = '';
      const pending: PendingNotification[] = await services.db.transaction().execute(async (trx) => {
        const tx = scope.withDb(trx);
        // The lower id first: two merges in opposite directions cannot wait for each other.
        const ids = data.status === 'duplicate' ? [id, data.duplicateOf!].sort((a, b) => a - b) : [id];
        for (const lock of ids) {
          try {
            await lockProposal(trx, services, tenantId, lock);
          } catch (error) {
            if (lock !== id && error instanceof DomainError) throw invalidFields('error.invalid', { duplicateOf: 'ideas.error.invalid' });
            throw error;
          }
        }
        const current = await tx.selectFrom('ideas_proposals').select(['status', 'ticket_id', 'title', 'submitter_user_id', 'submitter_person_id']).where('id', '=', id).executeTakeFirstOrThrow();
        if (current.status === 'duplicate') throw new DomainError('conflict', 'ideas.status.isDuplicate');
        title = current.title;
        person = current.submitter_person_id;
        // The duplicate's followers hear of the merge: read them before they move to the original.
        const followers = (await tx.selectFrom('ideas_followers').select('user_id').where('proposal_id', '=', id).execute()).map((r) => r.user_id);
        if (data.status === 'duplicate') await merge(tx, id, data.duplicateOf!);
        await tx.updateTable('ideas_proposals').set({
          status: data.status, status_at: now, decline_reason: data.status === 'declined' ? data.reason : null,
          duplicate_of: data.status === 'duplicate' ? data.duplicateOf : null,
          ...(options.kbEntryId !== undefined ? { kb_entry_id: options.kbEntryId, accepted_at: now, accepted_by: viewer.userId } : {}),
        }).where('id', '=', id).execute();
        await recordTicketHistory(trx, tenantId, current.ticket_id, { kind: 'user', id: viewer.userId!, label: viewer.label, can: () => true },
          [{ action: 'ideas.status', field: 'ideas.status', old: current.status, new: data.status }], now);
        return notifyUsers(services, trx, tenantId, {
          userIds: [...followers, ...(current.submitter_user_id ? [current.submitter_user_id] : [])], ticketId: current.ticket_id, kind: 'ideas.status',
          actorLabel: viewer.label, except: viewer.userId, line: (t) => statusLine(t, title, data.status, data.reason), message: statusMessage(title, data.status, data.reason),
        });
      });
      await deliver(services, pending);
      await postStatus(viewer, id, title, data.status, data.reason);
      if (person !== null) {
        await mailPerson(services, tenantId, person, (t) => t('ideas.mail.subject', { title }), (t) => statusLine(t, title, data.status, data.reason));
      }
      return { status: data.status };
    },
  };

  /** The staff timeline hears of the new status (staff only: a customer's proposal is the customer's business). */
  async function postStatus(viewer: Viewer, id: number, title: string, status: IdeaStatus, reason: string): Promise<void> {
    const tenant = await services.db.selectFrom('tenants').select('locale').where('id', '=', tenantId).executeTakeFirst();
    const t = services.catalog.translator(isLocale(tenant?.locale) ? tenant.locale : 'en');
    await postToTimeline(services, tenantId, {
      kind: 'idea_status', audience: 'staff', title: clip(t('ideas.timeline.title', { status: t(`ideas.status.${status}`), title }), 200),
      body: clip(statusLine(t, title, status, reason), 10_000), link: `/p/ideas/${id}`, author: { userId: viewer.userId, label: viewer.label },
    });
  }

  /** Likes and followers of the duplicate move to the original; voters who liked both count once. */
  async function merge(tx: typeof scope, duplicate: number, original: number): Promise<void> {
    if (duplicate === original) throw invalidFields('error.invalid', { duplicateOf: 'ideas.error.invalid' });
    const target = await tx.selectFrom('ideas_proposals').select(['status']).where('id', '=', original).executeTakeFirstOrThrow();
    if (target.status === 'duplicate') throw invalidFields('error.invalid', { duplicateOf: 'ideas.status.targetDuplicate' });
    const likes = await tx.selectFrom('ideas_likes').select(['voter', 'liked_at']).where('proposal_id', '=', duplicate).execute();
    const already = new Set((await tx.selectFrom('ideas_likes').select('voter').where('proposal_id', '=', original).execute()).map((r) => r.voter));
    const moving = likes.filter((like) => !already.has(like.voter));
    for (let i = 0; i < moving.length; i += 500) {
      await tx.insertInto('ideas_likes', moving.slice(i, i + 500).map((like) => ({ proposal_id: original, voter: like.voter, liked_at: like.liked_at }))).execute();
    }
    await tx.deleteFrom('ideas_likes').where('proposal_id', '=', duplicate).execute();
    const weight = moving.reduce((sum, like) => sum + likeWeight(like.liked_at), 0);
    await tx.updateTable('ideas_proposals').set((eb) => ({ likes_count: eb('likes_count', '+', moving.length), trend_score: eb('trend_score', '+', weight) })).where('id', '=', original).execute();
    await tx.updateTable('ideas_proposals').set({ likes_count: 0, trend_score: 0 }).where('id', '=', duplicate).execute();
    const followers = await tx.selectFrom('ideas_followers').select('user_id').where('proposal_id', '=', duplicate).execute();
    if (followers.length) {
      await tx.insertInto('ideas_followers', followers.map((f) => ({ proposal_id: original, user_id: f.user_id })))
        .onConflict((oc) => oc.columns(['tenant_id', 'proposal_id', 'user_id']).doNothing()).execute();
    }
    await tx.deleteFrom('ideas_followers').where('proposal_id', '=', duplicate).execute();
  }
}

/** Cut by code points, so that no half of a surrogate pair is left over. */
const clip = (text: string, max: number) => [...text].slice(0, max).join('');

export function statusLine(t: (key: string, params?: Record<string, string | number>) => string, title: string, status: IdeaStatus, reason: string): string {
  const line = t('ideas.notify.status', { title, status: t(`ideas.status.${status}`) });
  return status === 'declined' && reason ? `${line} ${t('ideas.notify.reason', { reason })}` : line;
}

/** The status line as key and parameters (rendered in each reader's language); none for a declined one with its reason (two sentences). */
function statusMessage(title: string, status: IdeaStatus, reason: string): NotificationMessage | undefined {
  return status === 'declined' && reason ? undefined : { key: 'ideas.notify.status', params: { title, status: { key: `ideas.status.${status}` } } };
}

/** Follow or stop following (staff users). */
export async function setFollowing(services: Services, tenantId: number, userId: number, proposalId: number, follow: boolean): Promise<void> {
  const scope = pluginScope<IdeasDB>(services.db, tenantId);
  if (!(await scope.selectFrom('ideas_proposals').select('id').where('id', '=', proposalId).executeTakeFirst())) throw new DomainError('not_found', 'error.notFound');
  if (follow) await scope.insertInto('ideas_followers', { proposal_id: proposalId, user_id: userId }).onConflict((oc) => oc.columns(['tenant_id', 'proposal_id', 'user_id']).doNothing()).execute();
  else await scope.deleteFrom('ideas_followers').where('proposal_id', '=', proposalId).where('user_id', '=', userId).execute();
}
