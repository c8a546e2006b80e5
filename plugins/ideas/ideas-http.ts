import type { Context } from 'hono';
import { DomainError, HttpError, href, staff, tenantOf, type AppEnv } from '../../core/plugin-api.js';
import { isStatus, SORTS, type BoardQuery, type Sort } from './proposal-store.js';
import { ideasSettings } from './settings.js';
import { personViewer, staffViewer, type Viewer } from './viewer.js';
import type { ViewContext } from './ideas-views.js';

type Ctx = Context<AppEnv>;

/** The signed-in staff user as a viewer of proposals. */
export async function viewerOf(c: Ctx): Promise<Viewer> {
  const user = staff(c);
  const settings = await ideasSettings(c.var.services, tenantOf(c).id);
  return staffViewer(c.var.services, tenantOf(c).id, user, (key) => c.var.can(key as never), settings.managerGroupId);
}

export function portalViewerOf(c: Ctx): Viewer | null {
  const person = c.var.person;
  return person ? personViewer(person) : null;
}

export const staffView = (c: Ctx): ViewContext => ({ t: c.var.t, dates: c.var.dates, base: href(c, '/p/ideas') });
export const portalView = (c: Ctx): ViewContext => ({ t: c.var.t, dates: c.var.dates, base: href(c, '/portal/ideas') });

/** The board's query from the URL: anything unknown is left out (a bad link shows the unfiltered board). */
export function boardQuery(raw: Record<string, string | undefined>): BoardQuery {
  const page = Number(raw.page);
  return {
    status: isStatus(raw.status) ? raw.status : undefined,
    topic: raw.topic ? raw.topic.slice(0, 120) : undefined,
    q: raw.q ? raw.q.slice(0, 200) : undefined,
    sort: (SORTS as readonly string[]).includes(raw.sort ?? '') ? (raw.sort as Sort) : undefined,
    page: Number.isInteger(page) && page >= 1 && page <= 10_000 ? page : 1,
  };
}

export function queryString(query: BoardQuery, page?: number): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...query, page: page ?? query.page })) if (value !== undefined && value !== '' && !(key === 'page' && value === 1)) params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** A proposal id from the path: digits only (the route pattern), at most 9 of them. */
export function idParam(c: Ctx, name = 'id'): number {
  const id = Number(c.req.param(name));
  if (!Number.isSafeInteger(id) || id <= 0) throw new HttpError(404, c.var.t('error.notFound'));
  return id;
}

/** A DomainError as the status its kind means, with translated messages (forms show them at the fields). */
export function translated(c: Ctx, error: unknown): { status: 403 | 404 | 409 | 422; message: string; fields: Record<string, string> } {
  if (!(error instanceof DomainError)) throw error;
  const status = ({ invalid: 422, conflict: 409, forbidden: 403, not_found: 404, too_large: 422 } as const)[error.kind];
  const t = (key: string) => (c.var.services.catalog.has(key) ? c.var.t(key) : key);
  return { status, message: t(error.message), fields: Object.fromEntries(Object.entries(error.fields).map(([field, key]) => [field, t(key)])) };
}

export function refusedAsHttp(c: Ctx, error: unknown): never {
  const refusal = translated(c, error);
  throw new HttpError(refusal.status, refusal.message, refusal.fields);
}

export async function formValues(c: Ctx): Promise<Record<string, string>> {
  const body = await c.req.parseBody();
  return Object.fromEntries(Object.entries(body).filter(([, value]) => typeof value === 'string')) as Record<string, string>;
}
