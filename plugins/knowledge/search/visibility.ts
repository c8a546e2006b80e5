import type { EntryState, Visibility } from '../knowledge-db.js';

/** Who is looking: staff of the tenant, a signed-in customer of an organisation (or of none), or anyone. */
export type Viewer =
  | { kind: 'staff' }
  | { kind: 'customer'; organisationId: number | null }
  | { kind: 'anonymous' };

export const STAFF: Viewer = { kind: 'staff' };
export const ANONYMOUS: Viewer = { kind: 'anonymous' };

/** What decides whether a viewer may see an entry, even its title. */
export interface VisibilityFacts { state: EntryState; visibility: Visibility; organisationIds: readonly number[] }

/**
 * Staff see every entry. Everyone else sees only published ones: public entries; every signed-in
 * customer those for customers; a customer those for named organisations only when theirs is named.
 */
export function canSee(viewer: Viewer, entry: VisibilityFacts): boolean {
  if (viewer.kind === 'staff') return true;
  if (entry.state !== 'published') return false;
  switch (entry.visibility) {
    case 'public': return true;
    case 'customers': return viewer.kind === 'customer';
    case 'organisations': return viewer.kind === 'customer' && viewer.organisationId !== null && entry.organisationIds.includes(viewer.organisationId);
    default: return false;
  }
}
