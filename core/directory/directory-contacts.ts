import type { StaffRole } from '../db/schema.js';
import type { Services } from '../http/app-env.js';
import { tenantScope } from '../tenancy/tenant-scope.js';
import { AVAILABILITIES, type Availability, type DirectoryField } from './directory-fields.js';
import { directorySettings } from './directory-settings.js';
import { ON_CALL_POINT, type OnCallShift } from './on-call.js';

/** The most cards one page or API answer lists (a tenant's opted-in staff; a filter narrows it). */
export const DIRECTORY_LIMIT = 500;

/**
 * One card as a viewer may see it: a field the viewer may not see is null (or empty), never filled.
 * `availability` is the effective one: the member's own setting, and "available" during an on-call
 * shift (sla on) unless they set busy or away.
 */
export interface DirectoryContact {
  userId: number;
  name: string;
  role: StaffRole | null;
  jobTitle: string | null;
  groups: string[];
  languages: string[];
  email: string | null;
  phone: string | null;
  mobile: string | null;
  sip: string | null;
  availability: Availability | null;
  /** The rotas whose shift the member covers now (sla on), with the shift's end. */
  onCall: Array<{ rota: string; until: string | null }>;
  /** The photo's file id when the viewer sees photos and there is one (for a cache-busting URL). */
  photo: string | null;
}

/** Who looks: staff see every field; a portal user only the tenant's portal fields, and nothing while the portal directory is off. */
export type DirectoryViewer = { kind: 'staff' } | { kind: 'portal' };

export interface DirectoryQuery {
  /** Name, job title, group or language contains this (case-insensitive). */
  q?: string | undefined;
  /** Only these availabilities. */
  availability?: Availability | undefined;
  /** One card. */
  userId?: number | undefined;
}

type Deps = Pick<Services, 'db' | 'clock' | 'hooks' | 'log'>;

/** The fields this viewer sees (null: none at all, the directory is closed to them). */
export async function visibleFields(services: Pick<Services, 'db'>, tenantId: number, viewer: DirectoryViewer): Promise<ReadonlySet<DirectoryField> | null> {
  if (viewer.kind === 'staff') return new Set(['photo', 'role', 'groups', 'languages', 'email', 'phone', 'mobile', 'sip', 'availability']);
  const settings = await directorySettings(services.db, tenantId);
  return settings.portalVisible ? new Set(settings.portalFields) : null;
}

/** Who is on call now by the enabled plugins' rotas (sla); a failing provider is logged and counts as nobody. */
async function onCallNow(services: Deps, tenantId: number, enabledPlugins: ReadonlySet<string> | undefined): Promise<Map<number, OnCallShift[]>> {
  const byUser = new Map<number, OnCallShift[]>();
  for (const provider of await services.hooks.extensions(ON_CALL_POINT, tenantId, enabledPlugins)) {
    try {
      for (const shift of await provider.onCallAt({ tenantId, scope: tenantScope(services.db, tenantId), at: services.clock() })) {
        byUser.set(shift.userId, [...(byUser.get(shift.userId) ?? []), shift]);
      }
    } catch (error) {
      services.log.warn('on-call provider failed', { tenantId, error: String(error) });
    }
  }
  return byUser;
}

/** Own setting and rota together: a shift makes "available" (or "off duty") available; busy and away stay. */
export function effectiveAvailability(own: string, onCall: boolean): Availability {
  const setting = (AVAILABILITIES as readonly string[]).includes(own) ? (own as Availability) : 'available';
  if (onCall && (setting === 'available' || setting === 'off')) return 'available';
  return setting;
}

const ORDER: Record<Availability, number> = { available: 0, busy: 1, away: 2, off: 3 };

/**
 * The directory's cards for a viewer: active staff of the tenant who opted in, available first, then by name.
 * Returns null when the viewer may not see the directory at all (a portal user while the tenant keeps it closed).
 */
export async function listContacts(
  services: Deps, tenantId: number, viewer: DirectoryViewer, query: DirectoryQuery = {}, enabledPlugins?: ReadonlySet<string>,
): Promise<DirectoryContact[] | null> {
  const fields = await visibleFields(services, tenantId, viewer);
  if (!fields) return null;
  const scope = tenantScope(services.db, tenantId);
  let rows = scope.selectFrom('directory_profiles as d')
    .innerJoin('users as u', 'u.id', 'd.user_id')
    .select(['u.id', 'u.name', 'u.email', 'u.role', 'd.job_title', 'd.phone', 'd.mobile', 'd.sip', 'd.languages', 'd.availability', 'd.photo_file'])
    .where('d.listed', '=', 1).where('u.tenant_id', '=', tenantId).where('u.active', '=', 1).where('u.role', 'in', ['agent', 'supervisor', 'admin']);
  if (query.userId !== undefined) rows = rows.where('u.id', '=', query.userId);
  const people = await rows.orderBy('u.name').orderBy('u.id').limit(DIRECTORY_LIMIT * 2).execute();
  const ids = people.map((p) => p.id);
  const [memberships, onCall] = await Promise.all([
    ids.length && fields.has('groups')
      ? scope.selectFrom('support_groups as g').innerJoin('group_members as m', 'm.group_id', 'g.id').select(['m.user_id', 'g.name'])
        .where('m.user_id', 'in', ids).orderBy('g.name').execute()
      : Promise.resolve([]),
    fields.has('availability') ? onCallNow(services, tenantId, enabledPlugins) : Promise.resolve(new Map<number, OnCallShift[]>()),
  ]);
  const groupsOf = new Map<number, string[]>();
  for (const m of memberships) groupsOf.set(m.user_id, [...(groupsOf.get(m.user_id) ?? []), m.name]);
  const has = (field: DirectoryField) => fields.has(field);
  let contacts: DirectoryContact[] = people.map((p) => {
    const shifts = onCall.get(p.id) ?? [];
    return {
      userId: p.id, name: p.name, role: has('role') ? p.role : null, jobTitle: has('role') ? p.job_title : null,
      groups: has('groups') ? groupsOf.get(p.id) ?? [] : [], languages: has('languages') && p.languages ? p.languages.split(',') : [],
      email: has('email') ? p.email : null, phone: has('phone') ? p.phone : null, mobile: has('mobile') ? p.mobile : null, sip: has('sip') ? p.sip : null,
      availability: has('availability') ? effectiveAvailability(p.availability, shifts.length > 0) : null,
      onCall: has('availability') ? shifts.map((s) => ({ rota: s.rota, until: s.until })) : [],
      photo: has('photo') ? p.photo_file : null,
    };
  });
  const q = query.q?.trim().toLowerCase();
  // Only what this viewer sees is searched: a hidden group or language must not be guessable by filtering.
  if (q) contacts = contacts.filter((c) => [c.name, c.jobTitle ?? '', ...c.groups, ...c.languages].some((text) => text.toLowerCase().includes(q)));
  if (query.availability) contacts = contacts.filter((c) => c.availability === query.availability);
  return contacts.sort((a, b) => ORDER[a.availability ?? 'available'] - ORDER[b.availability ?? 'available'] || a.name.localeCompare(b.name) || a.userId - b.userId)
    .slice(0, DIRECTORY_LIMIT);
}

/** One card a viewer may see, or null (not listed, another tenant's, or the directory closed to them). */
export async function findContact(services: Deps, tenantId: number, viewer: DirectoryViewer, userId: number, enabledPlugins?: ReadonlySet<string>): Promise<DirectoryContact | null> {
  return (await listContacts(services, tenantId, viewer, { userId }, enabledPlugins))?.[0] ?? null;
}
