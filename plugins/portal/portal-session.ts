import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { clientIp, HttpError, scope, SeatsFullError, sessionCookieName, setSessionCookie, tenantOf, type AppEnv } from '../../core/plugin-api.js';

/**
 * Starts a fresh portal session for the person (any previous portal session id of this browser is dropped).
 * When the tenant's portal licences are all in use (and its policy refuses) no session is made: a 409
 * with the reason in the reader's language.
 */
export async function startPortalSession(c: Context<AppEnv>, personId: number): Promise<void> {
  const tenantId = tenantOf(c).id;
  const { sessions } = c.var.services;
  const cookieName = sessionCookieName('portal', tenantId);
  const previous = getCookie(c, cookieName);
  if (previous) await sessions.destroy(previous);
  let token: string;
  try {
    token = await sessions.create({ tenantId, personId }, { userAgent: c.req.header('User-Agent'), ip: clientIp(c) });
  } catch (error) {
    if (error instanceof SeatsFullError) throw new HttpError(409, c.var.t('seats.portalFull', { seats: error.seats }));
    throw error;
  }
  setSessionCookie(c, cookieName, token);
}

/** An active portal user of this tenant by address (the oldest, if an address was entered twice). */
export function findPortalPerson(c: Context<AppEnv>, email: string) {
  return scope(c).selectFrom('people')
    .select(['id', 'name', 'email', 'locale', 'password_hash', 'organisation_id'])
    .where('email', '=', email.trim().toLowerCase()).where('active', '=', 1)
    .orderBy('id').executeTakeFirst();
}
