import type { ColumnType, Generated, Kysely } from 'kysely';
import { pluginScope, type DB, type TenantScope } from '../../core/plugin-api.js';

type Defaulted<T> = ColumnType<T, T | undefined, T>;

export const IDEA_STATUSES = ['new', 'review', 'planned', 'progress', 'accepted', 'declined', 'duplicate'] as const;
export type IdeaStatus = (typeof IDEA_STATUSES)[number];

/**
 * One proposal per core ticket (unique per tenant and ticket): the ticket keeps number, history, attachments and
 * assignment; this row keeps what only a proposal has. The counters and the trending score are maintained in the
 * transaction of each like, unlike, comment and merge (never counted per row on the board).
 */
export interface IdeasProposalsTable {
  id: Generated<number>;
  tenant_id: number;
  ticket_id: number;
  title: string;
  /** Lower-cased title and description for the board's search. */
  search_text: string;
  benefit: Defaulted<string>;
  /** 0/1: the submitter's name is hidden from colleagues (never from idea managers or the submitter). */
  anonymous: Defaulted<number>;
  /** 0/1: signed-in portal users of the tenant see it. */
  portal_visible: Defaulted<number>;
  submitter_user_id: number | null;
  submitter_person_id: number | null;
  submitter_label: string;
  status: Defaulted<IdeaStatus>;
  decline_reason: string | null;
  duplicate_of: number | null;
  likes_count: Defaulted<number>;
  comments_count: Defaulted<number>;
  /** Σ 2^((liked_at − epoch) / half-life) over the likes: ordered like a decayed sum at any moment, exact on unlike. */
  trend_score: Defaulted<number>;
  /** Set by the one "accept" that wins (the claim), then the knowledge entry's id. */
  accept_claim: string | null;
  kb_entry_id: number | null;
  accepted_at: string | null;
  accepted_by: number | null;
  status_at: string;
  created_at: string;
}

/** One like per proposal and voter (`u:<user id>` or `p:<person id>`): a unique index. */
export interface IdeasLikesTable {
  tenant_id: number;
  proposal_id: number;
  voter: string;
  liked_at: string;
}

/** A comment; a deleted one keeps its row as a tombstone (body emptied, `deleted_at` set). */
export interface IdeasCommentsTable {
  id: Generated<number>;
  tenant_id: number;
  proposal_id: number;
  author_user_id: number | null;
  author_person_id: number | null;
  author_label: string;
  body: string;
  created_at: string;
  edited_at: string | null;
  deleted_at: string | null;
  deleted_by: string | null;
}

/** Who hears of status changes (staff users; the submitter always does). */
export interface IdeasFollowersTable {
  tenant_id: number;
  proposal_id: number;
  user_id: number;
}

export interface IdeasDB extends DB {
  ideas_proposals: IdeasProposalsTable;
  ideas_likes: IdeasLikesTable;
  ideas_comments: IdeasCommentsTable;
  ideas_followers: IdeasFollowersTable;
}

export function ideasScope(db: Kysely<DB>, tenantId: number): TenantScope<IdeasDB> {
  return pluginScope<IdeasDB>(db, tenantId);
}
