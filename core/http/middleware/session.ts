import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { hashToken, SESSION_ABSOLUTE_MS } from '../../auth/session-store.js';
import { isLocale, negotiateLocale, type Locale } from '../../i18n/translate.js';
import { dateContext } from '../../i18n/format.js';
import type { AppEnv, PortalPerson, StaffUser } from '../app-env.js';

export const LOCALE_COOKIE = 'tresen_lang';

/** Staff of a tenant, operators and portal users each have their own cookie, so one browser can hold all three. */
export function sessionCookieName(kind: 'staff' | 'portal', tenantId: number | null): string {
  if (tenantId === null) return 'tresen_op';
  return kind === 'staff' ? `tresen_s${tenantId}` : `tresen_p${tenantId}`;
}

function secureCookies(c: Context<AppEnv>): boolean {
  return new URL(c.req.url).protocol === 'https:' || (c.var.services.config.baseUrl?.startsWith('https://') ?? false);
}

export function setSessionCookie(c: Context<AppEnv>, name: string, token: string): void {
  setCookie(c, name, token, {
    path: '/', httpOnly: true, sameSite: 'Lax', secure: secureCookies(c), maxAge: Math.floor(SESSION_ABSOLUTE_MS / 1000),
  });
}

export function clearSessionCookie(c: Context<AppEnv>, name: string): void {
  deleteCookie(c, name, { path: '/', secure: secureCookies(c) });
}

export function setLocaleCookie(c: Context<AppEnv>, locale: Locale): void {
  setCookie(c, LOCALE_COOKIE, locale, { path: '/', sameSite: 'Lax', maxAge: 365 * 24 * 3600, secure: secureCookies(c) });
}

async function staffFromBearer(c: Context<AppEnv>, token: string): Promise<StaffUser | undefined> {
  const { db, clock } = c.var.services;
  const row = await db.selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select(['api_tokens.id as token_id', 'api_tokens.last_used_at', 'users.id', 'users.tenant_id', 'users.email', 'users.name', 'users.role', 'users.locale'])
    .where('api_tokens.token_hash', '=', hashToken(token))
    .where('users.active', '=', 1)
    .executeTakeFirst();
  if (!row || row.tenant_id !== (c.var.tenant?.id ?? null)) return undefined;
  const now = clock();
  if (!row.last_used_at || now.getTime() - new Date(row.last_used_at).getTime() > 60_000) {
    await db.updateTable('api_tokens').set({ last_used_at: now.toISOString() }).where('id', '=', row.token_id).execute();
  }
  return { id: row.id, tenant_id: row.tenant_id, email: row.email, name: row.name, role: row.role, locale: row.locale };
}

/** Loads the signed-in staff user or portal person, the language and the permission check. */
export const sessionLoader = createMiddleware<AppEnv>(async (c, next) => {
  const { sessions, db, permissions, catalog } = c.var.services;
  const tenant = c.var.tenant;
  const tenantId = tenant?.id ?? null;
  let user: StaffUser | undefined;
  let person: PortalPerson | undefined;
  let sessionId: string | undefined;

  const bearer = c.req.header('Authorization');
  if (bearer?.startsWith('Bearer ')) {
    user = await staffFromBearer(c, bearer.slice(7).trim());
  } else {
    const staffToken = getCookie(c, sessionCookieName('staff', tenantId));
    const staffSession = staffToken ? await sessions.find(staffToken) : undefined;
    if (staffSession?.user_id && staffSession.tenant_id === tenantId) {
      user = await db.selectFrom('users').select(['id', 'tenant_id', 'email', 'name', 'role', 'locale'])
        .where('id', '=', staffSession.user_id).where('active', '=', 1).executeTakeFirst();
      if (user && user.tenant_id !== tenantId) user = undefined;
      if (user) sessionId = hashToken(staffToken!);
    }
    if (tenantId !== null) {
      const portalToken = getCookie(c, sessionCookieName('portal', tenantId));
      const portalSession = portalToken ? await sessions.find(portalToken) : undefined;
      if (portalSession?.person_id && portalSession.tenant_id === tenantId) {
        person = await db.selectFrom('people')
          .select(['id', 'tenant_id', 'organisation_id', 'email', 'name', 'portal_role', 'is_org_manager', 'locale'])
          .where('id', '=', portalSession.person_id).where('tenant_id', '=', tenantId).where('active', '=', 1).executeTakeFirst();
      }
    }
  }

  const chosen = user?.locale ?? person?.locale ?? getCookie(c, LOCALE_COOKIE);
  const fallback: Locale = tenant && isLocale(tenant.locale) ? tenant.locale : 'en';
  const locale: Locale = isLocale(chosen) ? chosen : negotiateLocale(c.req.header('Accept-Language'), fallback);

  c.set('user', user);
  c.set('person', person);
  c.set('sessionId', sessionId);
  c.set('locale', locale);
  c.set('t', catalog.translator(locale));
  c.set('dates', dateContext(c.var.services.dateFormats, locale, tenant?.time_zone));
  c.set('can', (key) => {
    if (!user) return false;
    const pluginId = key.split('.')[0]!;
    if (c.var.services.registry.get(pluginId) && !c.var.enabledPlugins.has(pluginId)) return false;
    return permissions.has(user.role, key);
  });
  return next();
});
