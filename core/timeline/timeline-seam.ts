import type { Services } from '../http/app-env.js';
import { tenantScope } from '../tenancy/tenant-scope.js';
import { createPost, type TimelineDeps } from './timeline-posts.js';

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
