import type { Context, Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import { z } from 'zod';
import {
  findOtherDoor,
  FormError, HttpError, LinkError, TextField, clearSessionCookie, clientIp, hashPassword, href, parseForm, redirectTo, safeNext, signInKeys,
  scope, sessionCookieName, tenantOf, verifyPassword, type AppEnv, type LinkClaims,
} from '../../core/plugin-api.js';
import { absoluteUrl, REQUEST_LINK_SECONDS, signPortalLink, SIGNIN_LINK_SECONDS } from './portal-links.js';
import { PortalHead, portalRender } from './portal-shell.js';
import { findPortalPerson, startPortalSession } from './portal-session.js';
import { portalSettings } from './settings.js';

const email = z.string().trim().toLowerCase().pipe(z.email());
const signInSchema = z.object({ email, password: z.string().min(1).max(200), next: z.string().optional() });
const linkSchema = z.object({ email, next: z.string().optional() });

/** Only a path inside this tenant's portal is followed after signing in. */
export function portalNext(c: Context<AppEnv>, next: string | undefined): string {
  const target = safeNext(c, next, '/portal/requests');
  const portal = href(c, '/portal');
  return target === portal || target.startsWith(`${portal}/`) || target.startsWith(`${portal}?`) ? target : href(c, '/portal/requests');
}

export function SignInCard(props: { c: Context<AppEnv>; email?: string | undefined; next?: string | undefined; error?: string | undefined; errors?: Record<string, string> | undefined; sent?: boolean; registration: boolean; staffDoor?: boolean | undefined }) {
  const { c } = props;
  const t = c.var.t;
  return (
    <div class="card portal-auth" id="portal-sign-in">
      <h2>{t('portal.signIn.title')}</h2>
      {props.staffDoor
        ? <div class="notice other-door" role="alert" id="portal-other-door"><p>{t('portal.signIn.otherDoor')}</p><p><a class="button" href={href(c, '/login')}>{t('portal.signIn.staff')}</a></p></div>
        : <FormError message={props.error} />}
      {props.sent ? <p class="notice" role="status" id="portal-link-sent">{t('portal.link.sent')}</p> : null}
      <form method="post" action={href(c, '/portal/login')} class="stack">
        <input type="hidden" name="next" value={props.next ?? ''} />
        <TextField name="email" type="email" label={t('login.email')} value={props.email} required autocomplete="username" errors={props.errors} />
        <TextField name="password" type="password" label={t('login.password')} required autocomplete="current-password" errors={props.errors} />
        <button type="submit" class="button-primary portal-wide" id="portal-sign-in-submit">{t('login.submit')}</button>
      </form>
      <details class="portal-magic">
        <summary>{t('portal.link.summary')}</summary>
        <form method="post" action={href(c, '/portal/login/link')} class="stack">
          <input type="hidden" name="next" value={props.next ?? ''} />
          <p class="muted">{t('portal.link.intro')}</p>
          <TextField name="email" type="email" label={t('login.email')} value={props.email} required autocomplete="username" />
          <button type="submit" class="button portal-wide" id="portal-send-link">{t('portal.link.send')}</button>
        </form>
      </details>
      <p class="portal-auth-links">
        <a href={href(c, '/portal/password/forgot')}>{t('login.forgot')}</a>
        {props.registration ? <a href={href(c, '/portal/register')} id="portal-register-link">{t('portal.register.link')}</a> : null}
      </p>
      <p class="portal-staff-link"><a href={href(c, '/login')}>{t('portal.signIn.staff')}</a></p>
    </div>
  );
}

function LinkPage(props: { c: Context<AppEnv>; token: string; name: string; action: string; label: string }) {
  const t = props.c.var.t;
  return (
    <div class="card portal-auth">
      <h1>{t('portal.link.confirmTitle')}</h1>
      <p>{t('portal.link.confirmText', { name: props.name })}</p>
      <form method="post" action={href(props.c, props.action)}>
        <input type="hidden" name="token" value={props.token} />
        <button type="submit" class="button-primary portal-wide" id="portal-link-continue">{props.label}</button>
      </form>
    </div>
  );
}

function linkRefused(c: Context<AppEnv>, error: unknown, next?: string) {
  // A refusal that is no link problem (every portal licence in use) keeps its own message.
  if (error instanceof HttpError) throw error;
  const t = c.var.t;
  const message = error instanceof LinkError && error.reason === 'expired' ? t('portal.link.expired') : t('portal.link.invalid');
  const login = href(c, `/portal/login${next ? `?next=${encodeURIComponent(href(c, next))}` : ''}`);
  return portalRender(c, {
    title: t('portal.signIn.title'), status: 400,
    page: <div class="portal-narrow"><div class="card portal-auth"><h1>{t('portal.signIn.title')}</h1><FormError message={message} /><p><a href={login} class="button">{t('portal.signIn.title')}</a></p></div></div>,
  });
}

/** The request number a notification link names in plain sight (`n`), for when its token is spent or expired. */
function requestNumberOf(value: string | undefined): string | undefined {
  return value && /^[0-9]+-[0-9]+$/.test(value) ? value : undefined;
}

/** Password sign-in, sign-in links by mail (15 minutes, single use), and sign-out for portal users. */
export function signInRoutes(app: Hono<AppEnv>): void {
  app.get('/login', async (c) => {
    if (c.var.person) return c.redirect(portalNext(c, c.req.query('next')), 303);
    const settings = await portalSettings(c.var.services, tenantOf(c).id);
    const t = c.var.t;
    return portalRender(c, { title: t('portal.signIn.title'), page: <div class="portal-narrow"><SignInCard c={c} next={c.req.query('next')} registration={settings.registration !== 'off'} /></div> });
  });

  app.post('/login', async (c) => {
    const t = c.var.t;
    const tenantId = tenantOf(c).id;
    const { throttle, config } = c.var.services;
    const settings = await portalSettings(c.var.services, tenantId);
    const registration = settings.registration !== 'off';
    const page = (props: { status: 401 | 409 | 422 | 429; email?: string | undefined; next?: string | undefined; error?: string; errors?: Record<string, string>; staffDoor?: boolean }) => portalRender(c, {
      title: t('portal.signIn.title'), status: props.status,
      page: <div class="portal-narrow"><SignInCard c={c} email={props.email} next={props.next} error={props.error} errors={props.errors} registration={registration} staffDoor={props.staffDoor} /></div>,
    });
    const form = await parseForm(c, signInSchema);
    if (!form.ok) return page({ status: 422, email: form.values.email, next: form.values.next, errors: form.errors });
    const { email: address, password, next } = form.data;
    const keys = signInKeys('portal', `${tenantId}:${address}`, clientIp(c));
    const wait = await throttle.retryAfter(keys);
    if (wait > 0) {
      c.header('Retry-After', String(Math.ceil(wait / 1000)));
      return page({ status: 429, email: address, next, error: t('login.throttled', { seconds: Math.ceil(wait / 1000) }) });
    }
    const found = await findPortalPerson(c, address);
    // The same scrypt work for unknown addresses and people without a password: timing tells nothing.
    const valid = found?.password_hash ? await verifyPassword(password, found.password_hash) : await hashPassword(password, config.scryptLogN).then(() => false);
    if (!found || !valid) {
      await throttle.recordFailure(keys);
      // A staff member's details on the customer portal: told where staff sign in, instead of "wrong password".
      const other = await findOtherDoor(c.var.services.db, { door: 'portal', tenantId, email: address, password, scryptLogN: config.scryptLogN });
      return page({ status: 401, email: address, next, error: t('login.failed'), staffDoor: other?.door === 'staff' });
    }
    await throttle.recordSuccess([keys[0]!]);
    try {
      await startPortalSession(c, found.id);
    } catch (error) {
      if (error instanceof HttpError && error.status === 409) return page({ status: 409, email: address, next, error: error.message });
      throw error;
    }
    return redirectTo(c, portalNext(c, next));
  });

  app.post('/login/link', async (c) => {
    const t = c.var.t;
    const tenant = tenantOf(c);
    const { throttle, mailer, catalog } = c.var.services;
    const settings = await portalSettings(c.var.services, tenant.id);
    const form = await parseForm(c, linkSchema);
    if (!form.ok) {
      return portalRender(c, { title: t('portal.signIn.title'), status: 422, page: <div class="portal-narrow"><SignInCard c={c} email={form.values.email} errors={form.errors} registration={settings.registration !== 'off'} /></div> });
    }
    const key = `portal-link:${tenant.id}:${form.data.email}`;
    // Limited per address and client so the form cannot flood an inbox; the answer is the same either way.
    if ((await throttle.retryAfter([key, `ip:${clientIp(c)}`])) === 0) {
      await throttle.recordFailure([key]);
      const found = await findPortalPerson(c, form.data.email);
      if (found?.email) {
        const token = await signPortalLink(c.var.services, { tenantId: tenant.id, subject: String(found.id), action: 'signin', ttlSeconds: SIGNIN_LINK_SECONDS, extra: { next: portalNext(c, form.data.next) } });
        const mt = catalog.translator(found.locale === 'de' || found.locale === 'en' ? found.locale : c.var.locale);
        await mailer.send({
          tenantId: tenant.id, to: found.email,
          subject: mt('portal.link.mailSubject', { tenant: tenant.name }),
          text: mt('portal.link.mailText', { name: found.name, tenant: tenant.name, link: absoluteUrl(c, `/portal/link?token=${encodeURIComponent(token)}`), minutes: SIGNIN_LINK_SECONDS / 60 }),
          headers: { 'Auto-Submitted': 'auto-generated' },
        });
      }
    }
    return portalRender(c, { title: t('portal.signIn.title'), page: <div class="portal-narrow"><SignInCard c={c} email={form.data.email} next={form.data.next} sent registration={settings.registration !== 'off'} /></div> });
  });

  // Following the link shows a button: mail scanners that fetch links must not spend the single use.
  app.get('/link', async (c) => {
    const token = c.req.query('token') ?? '';
    let claims: LinkClaims;
    try {
      claims = await verifyPortalLink(c, token, 'portal-magic-link', 'signin');
    } catch (error) {
      return linkRefused(c, error);
    }
    const found = await activePerson(c, claims.subject);
    if (!found) return linkRefused(c, new LinkError('invalid'));
    return portalRender(c, { title: c.var.t('portal.link.confirmTitle'), page: <div class="portal-narrow"><LinkPage c={c} token={token} name={found.name} action="/portal/link" label={c.var.t('login.submit')} /></div> });
  });

  app.post('/link', async (c) => {
    const body = await c.req.parseBody();
    const token = typeof body.token === 'string' ? body.token : '';
    let claims: LinkClaims;
    try {
      claims = await verifyPortalLink(c, token, 'portal-magic-link', 'signin');
      const found = await activePerson(c, claims.subject);
      if (!found || !(await c.var.services.links.spend(claims, new Date(c.var.services.clock().getTime() + SIGNIN_LINK_SECONDS * 1000)))) throw new LinkError('used');
      await startPortalSession(c, found.id);
    } catch (error) {
      return linkRefused(c, error);
    }
    return redirectTo(c, portalNext(c, typeof claims.extra.next === 'string' ? claims.extra.next : undefined));
  });

  // The link in a notification mail: straight to the request, signing in once on the way.
  app.get('/go', async (c) => {
    const token = c.req.query('token') ?? '';
    const named = requestNumberOf(c.req.query('n'));
    let claims: LinkClaims;
    try {
      claims = await verifyPortalLink(c, token, 'portal-request');
    } catch (error) {
      // A spent or old link still leads a signed-in user on; the request page checks who may see it.
      if (named && c.var.person) return c.redirect(href(c, `/portal/requests/${named}`), 303);
      return linkRefused(c, error, named ? `/portal/requests/${named}` : undefined);
    }
    const number = String(claims.extra.number ?? '');
    const target = href(c, `/portal/requests/${encodeURIComponent(number)}`);
    if (c.var.person && String(c.var.person.id) === claims.subject) return c.redirect(target, 303);
    const found = await activePerson(c, claims.subject);
    if (!found) return linkRefused(c, new LinkError('invalid'));
    return portalRender(c, { title: c.var.t('portal.link.confirmTitle'), page: <div class="portal-narrow"><LinkPage c={c} token={token} name={found.name} action="/portal/go" label={c.var.t('portal.link.openRequest', { number })} /></div> });
  });

  app.post('/go', async (c) => {
    const body = await c.req.parseBody();
    const token = typeof body.token === 'string' ? body.token : '';
    let claims: LinkClaims;
    try {
      claims = await verifyPortalLink(c, token, 'portal-request');
      const found = await activePerson(c, claims.subject);
      if (!found || !(await c.var.services.links.spend(claims, new Date(c.var.services.clock().getTime() + REQUEST_LINK_SECONDS * 1000)))) throw new LinkError('used');
      await startPortalSession(c, found.id);
    } catch (error) {
      return linkRefused(c, error);
    }
    return redirectTo(c, href(c, `/portal/requests/${encodeURIComponent(String(claims.extra.number ?? ''))}`));
  });

  app.post('/logout', async (c) => {
    const cookieName = sessionCookieName('portal', tenantOf(c).id);
    const token = getCookie(c, cookieName);
    if (token) await c.var.services.sessions.destroy(token);
    clearSessionCookie(c, cookieName);
    return redirectTo(c, href(c, '/portal/login'));
  });
}

/** Verifies a portal link of this tenant for one purpose (and, for magic links, one action). */
export async function verifyPortalLink(c: Context<AppEnv>, token: string, purpose: 'portal-magic-link' | 'portal-request', action?: string): Promise<LinkClaims> {
  const claims = await c.var.services.links.verify(token, purpose);
  if (claims.tenantId !== tenantOf(c).id) throw new LinkError('invalid');
  if (action !== undefined && claims.extra.action !== action) throw new LinkError('invalid');
  return claims;
}

/** The active person a link names by id, within this tenant. */
export function activePerson(c: Context<AppEnv>, subject: string) {
  const id = Number(subject);
  if (!Number.isSafeInteger(id)) return Promise.resolve(undefined);
  return scope(c).selectFrom('people').select(['id', 'name', 'email', 'locale'])
    .where('id', '=', id).where('active', '=', 1).executeTakeFirst();
}
