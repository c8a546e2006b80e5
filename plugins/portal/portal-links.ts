import type { Context } from 'hono';
import { href, publicOrigin, tenantScope, type AppEnv, type Services } from '../../core/plugin-api.js';

/** What a portal mail link does once followed; the token says it, so one kind can never act as another. */
export type PortalLinkAction = 'signin' | 'register' | 'reset';

/** Sign-in links live 15 minutes; links that set a password 30 (like the staff reset). */
export const SIGNIN_LINK_SECONDS = 15 * 60;
export const PASSWORD_LINK_SECONDS = 30 * 60;
/** A link in a notification mail leads to one request; it signs in once and then the address is known. */
export const REQUEST_LINK_SECONDS = 3 * 24 * 60 * 60;

/** The absolute URL of a path inside the request's tenant, for mails. */
export function absoluteUrl(c: Context<AppEnv>, path: string): string {
  return `${publicOrigin(c)}${href(c, path)}`;
}

/**
 * The absolute URL of a tenant path outside any request (mails sent from event handlers): the
 * tenant's own host name when it has one, else BASE_URL (or the server's address) with /t/<slug>.
 */
export async function tenantUrl(services: Pick<Services, 'db' | 'config'>, tenant: { id: number; slug: string }, path: string): Promise<string> {
  const { config, db } = services;
  const base = config.baseUrl ?? `http://${config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host}:${config.port}`;
  const host = await tenantScope(db, tenant.id).selectFrom('tenant_hosts').select('host').orderBy('host').executeTakeFirst();
  if (host) return `${new URL(base).protocol}//${host.host}${path}`;
  return `${base}/t/${tenant.slug}${path}`;
}

export function signPortalLink(services: Pick<Services, 'links'>, claims: { tenantId: number; subject: string; action: PortalLinkAction; ttlSeconds: number; extra?: Record<string, unknown> }): Promise<string> {
  return services.links.sign({ purpose: 'portal-magic-link', subject: claims.subject, tenantId: claims.tenantId, ttlSeconds: claims.ttlSeconds, extra: { ...claims.extra, action: claims.action } });
}

export function signRequestLink(services: Pick<Services, 'links'>, claims: { tenantId: number; personId: number; number: string }): Promise<string> {
  return services.links.sign({ purpose: 'portal-request', subject: String(claims.personId), tenantId: claims.tenantId, ttlSeconds: REQUEST_LINK_SECONDS, extra: { number: claims.number } });
}
