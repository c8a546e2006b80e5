import type { Context, Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import { z } from 'zod';
import { hashPassword, verifyPassword } from '../auth/password.js';
import type { AppEnv } from '../http/app-env.js';
import { FormError, TextField } from '../../views/components/form.js';
import { clientIp, href, redirectTo } from '../http/guards.js';
import { parseForm } from '../http/forms.js';
import { clearSessionCookie, sessionCookieName, setSessionCookie } from '../http/middleware/session.js';
import { render } from '../http/render.js';
import { safeLocalPath } from '../http/safe-redirect.js';
import { signInKeys } from '../auth/login-throttle.js';
import { findOtherDoor, type OtherDoor } from '../auth/other-door.js';
import { SeatsFullError } from '../auth/licence-seats.js';

const signInSchema = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email()),
  password: z.string().min(1).max(200),
  next: z.string().optional(),
});

/** Only same-site paths are followed after sign-in, never another host. */
export function safeNext(c: Context<AppEnv>, next: string | undefined, fallback: string): string {
  return safeLocalPath(next) ?? href(c, fallback);
}

/** Credentials typed on the wrong sign-in page: where they do sign in, instead of "wrong password". */
function OtherDoorNotice(props: { c: Context<AppEnv>; other: OtherDoor }) {
  const { c, other } = props;
  const t = c.var.t;
  if (other.door === 'portal') {
    return <div class="notice other-door" role="alert" id="sign-in-other-door"><p>{t('login.otherDoor.portal')}</p><p><a class="button" href={href(c, '/portal/login')}>{t('login.otherDoor.portalLink')}</a></p></div>;
  }
  if (other.door === 'tenants') {
    return (
      <div class="notice other-door" role="alert" id="sign-in-other-door">
        <p>{t('login.otherDoor.tenant')}</p>
        <ul>{other.tenants.map((tenant) => <li><a href={`/t/${tenant.slug}/login`}>{tenant.name}</a></li>)}</ul>
      </div>
    );
  }
  return null;
}

function SignInForm(props: { c: Context<AppEnv>; email?: string; next?: string; error?: string; errors?: Record<string, string>; other?: OtherDoor | undefined }) {
  const { c } = props;
  const t = c.var.t;
  return (
    <div class="auth-card">
      <h1>{c.var.tenant ? t('login.title') : t('login.platformTitle')}</h1>
      {props.other ? <OtherDoorNotice c={c} other={props.other} /> : <FormError message={props.error} />}
      <form method="post" action={href(c, '/login')} class="stack">
        <input type="hidden" name="next" value={props.next ?? ''} />
        <TextField name="email" type="email" label={t('login.email')} value={props.email} required autocomplete="username" autofocus errors={props.errors} />
        <TextField name="password" type="password" label={t('login.password')} required autocomplete="current-password" errors={props.errors} />
        <button type="submit" class="button-primary" id="sign-in">{t('login.submit')}</button>
      </form>
      <p><a href={href(c, '/password/forgot')}>{t('login.forgot')}</a></p>
    </div>
  );
}

export function signInRoutes(app: Hono<AppEnv>): void {
  app.get('/login', (c) => {
    if (c.var.user) return c.redirect(href(c, c.var.tenant ? '/desk' : '/platform'), 303);
    return render(c, { title: c.var.t('login.title'), page: <SignInForm c={c} next={c.req.query('next')} /> });
  });

  app.post('/login', async (c) => {
    const t = c.var.t;
    const { db, throttle, sessions, audit } = c.var.services;
    const tenantId = c.var.tenant?.id ?? null;
    const form = await parseForm(c, signInSchema);
    if (!form.ok) {
      return render(c, { title: t('login.title'), status: 422, page: <SignInForm c={c} email={form.values.email} next={form.values.next} errors={form.errors} /> });
    }
    const { email, password, next } = form.data;
    const ip = clientIp(c);
    const keys = signInKeys('account', `${tenantId ?? 'platform'}:${email}`, ip);
    const wait = await throttle.retryAfter(keys);
    if (wait > 0) {
      c.header('Retry-After', String(Math.ceil(wait / 1000)));
      return render(c, { title: t('login.title'), status: 429, page: <SignInForm c={c} email={email} next={next} error={t('login.throttled', { seconds: Math.ceil(wait / 1000) })} /> });
    }
    let query = db.selectFrom('users').select(['id', 'password_hash', 'role', 'tenant_id', 'name']).where('email', '=', email).where('active', '=', 1);
    query = tenantId === null ? query.where('tenant_id', 'is', null) : query.where('tenant_id', '=', tenantId);
    const user = await query.executeTakeFirst();
    // Spend the same scrypt work for unknown accounts so timing does not tell which addresses exist.
    const valid = user ? await verifyPassword(password, user.password_hash) : await hashPassword(password, c.var.services.config.scryptLogN).then(() => false);
    if (!user || !valid) {
      await throttle.recordFailure(keys);
      // A customer on the staff page, or a tenant's staff member on the operator's: told where to go instead.
      const other = await findOtherDoor(db, {
        door: tenantId === null ? 'operator' : 'staff', tenantId, email, password, scryptLogN: c.var.services.config.scryptLogN, customers: c.var.enabledPlugins.has('portal'),
      });
      return render(c, { title: t('login.title'), status: 401, page: <SignInForm c={c} email={email} next={next} error={t('login.failed')} other={other} /> });
    }
    await throttle.recordSuccess([keys[0]!]);
    // A fresh session id at every sign-in: whatever id the browser had before is dropped.
    const cookieName = sessionCookieName('staff', tenantId);
    const previous = getCookie(c, cookieName);
    if (previous) await sessions.destroy(previous);
    let token: string;
    try {
      token = await sessions.create({ tenantId, userId: user.id }, { userAgent: c.req.header('User-Agent'), ip });
    } catch (error) {
      // Every agent licence is taken: no session, the browser stays signed out (its old session id was dropped above).
      if (!(error instanceof SeatsFullError)) throw error;
      if (previous) clearSessionCookie(c, cookieName);
      await audit.record({ tenantId, actor: { userId: user.id, label: email }, action: 'auth.sign_in_refused_seats', details: { seats: error.seats }, ip });
      return render(c, { title: t('login.title'), status: 409, page: <SignInForm c={c} email={email} next={next} error={t('seats.agentsFull', { seats: error.seats })} /> });
    }
    setSessionCookie(c, cookieName, token);
    await audit.record({ tenantId, actor: { userId: user.id, label: email }, action: 'auth.sign_in', ip });
    return redirectTo(c, safeNext(c, next, tenantId === null ? '/platform' : '/desk'));
  });

  app.post('/logout', async (c) => {
    const cookieName = sessionCookieName('staff', c.var.tenant?.id ?? null);
    const token = getCookie(c, cookieName);
    if (token) await c.var.services.sessions.destroy(token);
    clearSessionCookie(c, cookieName);
    return redirectTo(c, href(c, '/login'));
  });
}
