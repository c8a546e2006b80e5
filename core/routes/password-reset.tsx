import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { hashPassword, PASSWORD_MAX, PASSWORD_MIN } from '../auth/password.js';
import { LinkError } from '../auth/signed-links.js';
import type { AppEnv } from '../http/app-env.js';
import { FormError, TextField } from '../../views/components/form.js';
import { clientIp, href, redirectTo } from '../http/guards.js';
import { flash } from '../http/flash.js';
import { parseForm } from '../http/forms.js';
import { render } from '../http/render.js';

const RESET_TTL_SECONDS = 30 * 60;

export const newPasswordSchema = z.object({
  password: z.string().min(PASSWORD_MIN).max(PASSWORD_MAX),
  confirm: z.string(),
}).refine((v) => v.password === v.confirm, { path: ['confirm'], message: 'reset.mismatch' });

/** The absolute origin for links in mails: BASE_URL when set, else the request's own. */
export function publicOrigin(c: Context<AppEnv>): string {
  return c.var.services.config.baseUrl ?? new URL(c.req.url).origin;
}

function ForgotForm(props: { c: Context<AppEnv>; errors?: Record<string, string>; email?: string; sent?: boolean }) {
  const t = props.c.var.t;
  return (
    <div class="auth-card">
      <h1>{t('reset.title')}</h1>
      {props.sent ? <p class="notice" role="status">{t('reset.sent')}</p> : <p>{t('reset.intro')}</p>}
      <form method="post" action={href(props.c, '/password/forgot')} class="stack">
        <TextField name="email" type="email" label={t('login.email')} value={props.email} required autocomplete="username" errors={props.errors} />
        <button type="submit" class="button-primary">{t('reset.send')}</button>
      </form>
      <p><a href={href(props.c, '/login')}>{t('login.submit')}</a></p>
    </div>
  );
}

function ResetForm(props: { c: Context<AppEnv>; token: string; errors?: Record<string, string>; error?: string }) {
  const t = props.c.var.t;
  return (
    <div class="auth-card">
      <h1>{t('reset.title')}</h1>
      <FormError message={props.error} />
      <form method="post" action={href(props.c, '/password/reset')} class="stack">
        <input type="hidden" name="token" value={props.token} />
        <TextField name="password" type="password" label={t('reset.newPassword')} required autocomplete="new-password" errors={props.errors} hint={t('validation.tooShort', { min: PASSWORD_MIN })} />
        <TextField name="confirm" type="password" label={t('reset.confirm')} required autocomplete="new-password" errors={props.errors} />
        <button type="submit" class="button-primary">{t('reset.submit')}</button>
      </form>
    </div>
  );
}

export function passwordResetRoutes(app: Hono<AppEnv>): void {
  app.get('/password/forgot', (c) => render(c, { title: c.var.t('reset.title'), page: <ForgotForm c={c} /> }));

  app.post('/password/forgot', async (c) => {
    const t = c.var.t;
    const { db, links, mailer, throttle } = c.var.services;
    const form = await parseForm(c, z.object({ email: z.string().trim().toLowerCase().pipe(z.email()) }));
    if (!form.ok) return render(c, { title: t('reset.title'), status: 422, page: <ForgotForm c={c} errors={form.errors} email={form.values.email} /> });
    const tenant = c.var.tenant;
    // Rate-limit by address so the form cannot be used to flood someone's inbox.
    const key = `reset:${tenant?.id ?? 'platform'}:${form.data.email}`;
    if ((await throttle.retryAfter([key, `ip:${clientIp(c)}`])) === 0) {
      await throttle.recordFailure([key]);
      let query = db.selectFrom('users').select(['id', 'name', 'email', 'locale']).where('email', '=', form.data.email).where('active', '=', 1);
      query = tenant ? query.where('tenant_id', '=', tenant.id) : query.where('tenant_id', 'is', null);
      const user = await query.executeTakeFirst();
      if (user) {
        const token = await links.sign({ purpose: 'password-reset', subject: String(user.id), tenantId: tenant?.id ?? null, ttlSeconds: RESET_TTL_SECONDS });
        const link = `${publicOrigin(c)}${href(c, `/password/reset?token=${encodeURIComponent(token)}`)}`;
        const tenantName = tenant?.name ?? t('app.name');
        const mt = c.var.services.catalog.translator(user.locale === 'en' || user.locale === 'de' ? user.locale : c.var.locale);
        await mailer.send({
          tenantId: tenant?.id ?? null,
          to: user.email,
          subject: mt('reset.mailSubject', { tenant: tenantName }),
          text: mt('reset.mailText', { name: user.name, tenant: tenantName, link }),
          headers: { 'Auto-Submitted': 'auto-generated' },
        });
      }
    }
    // The same answer whether or not the address exists.
    return render(c, { title: t('reset.title'), page: <ForgotForm c={c} sent /> });
  });

  app.get('/password/reset', async (c) => {
    const t = c.var.t;
    const token = c.req.query('token') ?? '';
    try {
      await c.var.services.links.verify(token, 'password-reset');
    } catch (error) {
      const message = error instanceof LinkError && error.reason === 'expired' ? t('reset.expired') : t('reset.invalid');
      return render(c, { title: t('reset.title'), status: 400, page: <div class="auth-card"><h1>{t('reset.title')}</h1><FormError message={message} /><p><a href={href(c, '/password/forgot')}>{t('reset.send')}</a></p></div> });
    }
    return render(c, { title: t('reset.title'), page: <ResetForm c={c} token={token} /> });
  });

  app.post('/password/reset', async (c) => {
    const t = c.var.t;
    const { links, db, sessions, config, audit } = c.var.services;
    const body = await c.req.parseBody();
    const token = typeof body.token === 'string' ? body.token : '';
    let claims;
    try {
      claims = await links.verify(token, 'password-reset');
    } catch (error) {
      const message = error instanceof LinkError && error.reason === 'expired' ? t('reset.expired') : t('reset.invalid');
      return render(c, { title: t('reset.title'), status: 400, page: <div class="auth-card"><h1>{t('reset.title')}</h1><FormError message={message} /></div> });
    }
    if (claims.tenantId !== (c.var.tenant?.id ?? null)) return render(c, { title: t('reset.title'), status: 400, page: <div class="auth-card"><FormError message={t('reset.invalid')} /></div> });
    const form = await parseForm(c, newPasswordSchema);
    if (!form.ok) return render(c, { title: t('reset.title'), status: 422, page: <ResetForm c={c} token={token} errors={form.errors} /> });
    const userId = Number(claims.subject);
    const passwordHash = await hashPassword(form.data.password, config.scryptLogN);
    const spent = await db.transaction().execute(async (trx) => {
      const fresh = await links.spend(claims, new Date(Date.now() + RESET_TTL_SECONDS * 1000), trx);
      if (!fresh) return false;
      await trx.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', userId).execute();
      return true;
    });
    if (!spent) return render(c, { title: t('reset.title'), status: 400, page: <div class="auth-card"><FormError message={t('reset.invalid')} /></div> });
    await sessions.endAllForUser(userId);
    await audit.record({ tenantId: claims.tenantId, actor: { userId, label: `user:${userId}` }, action: 'auth.password_reset', ip: clientIp(c) });
    flash(c, 'success', t('reset.done'));
    return redirectTo(c, href(c, '/login'));
  });
}
