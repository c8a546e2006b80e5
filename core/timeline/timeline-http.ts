import type { Context } from 'hono';
import { DomainError } from '../domain-error.js';
import type { AppEnv } from '../http/app-env.js';
import { scope, staff, tenantOf } from '../http/guards.js';
import { HttpError } from '../http/http-error.js';
import type { TimelineViewer } from './timeline-posts.js';
import { timelineDeps } from './timeline-seam.js';

/** The signed-in staff member as a timeline reader: their groups decide which group posts they see. */
export async function staffViewer(c: Context<AppEnv>): Promise<TimelineViewer> {
  const user = staff(c);
  const groups = await scope(c).selectFrom('group_members').select('group_id').where('user_id', '=', user.id).execute();
  return { kind: 'staff', userId: user.id, groupIds: groups.map((g) => g.group_id) };
}

/** The timeline service of the request's tenant (staff page and REST API alike). */
export const deps = (c: Context<AppEnv>) => timelineDeps(c.var.services, tenantOf(c).id);

/** A refusal of the service as the HTTP layer shows it: 404 for a post the reader cannot see, 422 with messages otherwise. */
export function timelineHttpError(c: Context<AppEnv>, error: unknown): never {
  if (error instanceof DomainError) {
    if (error.kind === 'not_found') throw new HttpError(404, c.var.t('timeline.notFound'));
    const fields = Object.fromEntries(Object.entries(error.fields).map(([k, v]) => [k, c.var.t(v)]));
    throw new HttpError(422, c.var.t('timeline.invalid'), fields);
  }
  throw error;
}
