import { LinkError, pluginScope, type Services } from '../../core/plugin-api.js';

const DAY = 86_400_000;

/**
 * The survey link: a short link of core's (purpose 'survey'), for one survey (subject) of one
 * tenant and its ticket, expiring with the survey's validity. Not single-use: a second submit within the
 * validity updates the answer. The jti of the mailed link is kept on the survey (token_id).
 */
export async function signSurveyLink(services: Pick<Services, 'links' | 'clock'>, survey: { tenantId: number; surveyId: number; ticketId: number; expiresAt: string }): Promise<{ token: string; jti: string }> {
  const ttlSeconds = Math.max(60, Math.floor((Date.parse(survey.expiresAt) - services.clock().getTime()) / 1000));
  const token = await services.links.sign({ purpose: 'survey', subject: String(survey.surveyId), tenantId: survey.tenantId, ttlSeconds, extra: { ticket: survey.ticketId } });
  // Read back through the same verification the page uses: its jti is kept on the survey.
  const claims = await services.links.verify(token, 'survey');
  return { token, jti: claims.jti };
}

/** The survey a link names, if it is this tenant's and for this ticket; LinkError('expired' | 'invalid') otherwise. */
export async function verifySurveyLink(services: Pick<Services, 'links'>, tenantId: number, token: string): Promise<{ surveyId: number; ticketId: number }> {
  if (token.length > 2000) throw new LinkError('invalid');
  const claims = await services.links.verify(token, 'survey');
  const surveyId = Number(claims.subject);
  const ticketId = Number(claims.extra.ticket);
  if (claims.tenantId !== tenantId || !Number.isSafeInteger(surveyId) || !Number.isSafeInteger(ticketId)) throw new LinkError('invalid');
  return { surveyId, ticketId };
}

/** When a survey sent now stops taking answers. */
export const expiryFrom = (now: Date, validityDays: number) => new Date(now.getTime() + validityDays * DAY).toISOString();

/**
 * The absolute URL of a tenant path outside any request (the send job): the tenant's own host name when it
 * has one, else BASE_URL (or the server's address) with /t/<slug>.
 */
export async function tenantUrl(services: Pick<Services, 'db' | 'config'>, tenant: { id: number; slug: string }, path: string): Promise<string> {
  const { config, db } = services;
  const base = config.baseUrl ?? `http://${config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host}:${config.port}`;
  const host = await pluginScope(db, tenant.id).selectFrom('tenant_hosts').select('host').orderBy('host').executeTakeFirst();
  if (host) return `${new URL(base).protocol}//${host.host}${path}`;
  return `${base.replace(/\/$/, '')}/t/${tenant.slug}${path}`;
}
