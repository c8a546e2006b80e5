import { pluginScope, type Services } from '../../core/plugin-api.js';

export const VIEW = 'ideas.view';
export const MANAGE = 'ideas.manage';
export const MODERATE = 'ideas.moderate';

/** Who looks: a staff user (with what they may) or a signed-in portal person. */
export interface Viewer {
  userId: number | null;
  personId: number | null;
  label: string;
  /** Idea managers (ideas.manage or members of the manager group) see anonymous submitters and decide. */
  manager: boolean;
  /** Moderators delete others' comments. */
  moderator: boolean;
}

/** The voter key of the unique like: one per staff user or portal person. */
export const voterOf = (viewer: Viewer) => (viewer.userId !== null ? `u:${viewer.userId}` : `p:${viewer.personId}`);

/** A staff viewer: permission, or membership of the tenant's manager group, makes an idea manager. */
export async function staffViewer(services: Services, tenantId: number, user: { id: number; name: string }, can: (key: string) => boolean, managerGroupId: number | null): Promise<Viewer> {
  let manager = can(MANAGE);
  if (!manager && managerGroupId !== null) {
    manager = !!(await pluginScope(services.db, tenantId).selectFrom('group_members').select('user_id')
      .where('group_id', '=', managerGroupId).where('user_id', '=', user.id).executeTakeFirst());
  }
  return { userId: user.id, personId: null, label: user.name, manager, moderator: manager || can(MODERATE) };
}

export function personViewer(person: { id: number; name: string }): Viewer {
  return { userId: null, personId: person.id, label: person.name, manager: false, moderator: false };
}

/** The submitter's name as this viewer may see it: null means "anonymous". */
export function submitterShown(viewer: Viewer, row: { anonymous: number; submitter_label: string; submitter_user_id: number | null; submitter_person_id: number | null }): string | null {
  if (!row.anonymous || viewer.manager) return row.submitter_label;
  const own = (viewer.userId !== null && viewer.userId === row.submitter_user_id) || (viewer.personId !== null && viewer.personId === row.submitter_person_id);
  return own ? row.submitter_label : null;
}
