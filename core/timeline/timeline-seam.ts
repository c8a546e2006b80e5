import type { Services } from '../http/app-env.js';
import { tenantScope } from '../tenancy/tenant-scope.js';
import { createPost, listPosts, type TimelineDeps, type TimelineViewer } from './timeline-posts.js';

/** What a plugin (or a core feature) posts: knowledge shares a solution from an entry, ideas an idea's new status. */
export interface TimelinePostInput {
  kind: 'announcement' | 'solution' | 'idea_status' | 'system';
  title: string;
  body: string;
  /** Where to read more: a path inside the tenant (`/desk/tickets/A-1`, `/p/knowledge/12`) or an http(s) URL. */
  link?: string | undefined;
  /** Default `everyone`; `group` needs groupId, `organisations` needs organisationIds (the tenant's own, else refused). */
  audience?: 'everyone' | 'staff' | 'group' | 'organisations' | undefined;
  groupId?: number | undefined;
  organisationIds?: number[] | undefined;
  pinned?: boolean | undefined;
  /** ISO-8601; the post disappears from every timeline afterwards. */
  expiresAt?: string | undefined;
  /** The ticket a shared solution comes from. */
  ticketId?: number | undefined;
  /** Who posts: a staff user (null for the system) and the name shown. */
  author: { userId: number | null; label: string };
}

export function timelineDeps(services: Pick<Services, 'db' | 'clock' | 'events'>, tenantId: number): TimelineDeps {
  return { scope: tenantScope(services.db, tenantId), now: services.clock, events: services.events };
}

/**
 * Posts to a tenant's timeline (the published seam, in core/plugin-api): validates like the form and
 * the API (a DomainError 'invalid' with field messages when it refuses), stores it, tells live pages.
 * Returns the new post's id.
 */
export function postToTimeline(services: Pick<Services, 'db' | 'clock' | 'events'>, tenantId: number, input: TimelinePostInput): Promise<number> {
  return createPost(timelineDeps(services, tenantId), input.author, {
    kind: input.kind, title: input.title, body: input.body, link: input.link, audience: input.audience ?? 'everyone',
    group_id: input.groupId, organisation_ids: input.organisationIds ?? [], pinned: input.pinned ?? false,
    expires_at: input.expiresAt, ticket_id: input.ticketId,
  });
}

/** A portal user as a timeline reader: they see posts for everyone and for their own organisation only. */
export const customerViewer = (person: { id: number; organisation_id: number | null }): TimelineViewer => ({ kind: 'customer', personId: person.id, organisationId: person.organisation_id });

/** The first page of a portal user's timeline (pinned first), for the portal home. */
export async function timelineForPerson(services: Pick<Services, 'db' | 'clock' | 'events'>, tenantId: number, person: { id: number; organisation_id: number | null }, limit = 10) {
  return (await listPosts(timelineDeps(services, tenantId), customerViewer(person), { limit })).posts;
}

/** The pinned announcements a portal user sees now: shown before the new-request form, so a known outage is read before it is reported again. */
export async function pinnedAnnouncements(services: Pick<Services, 'db' | 'clock' | 'events'>, tenantId: number, person: { id: number; organisation_id: number | null }) {
  const posts = await timelineForPerson(services, tenantId, person, 5);
  return posts.filter((post) => post.pinned && (post.kind === 'announcement' || post.kind === 'system'));
}
