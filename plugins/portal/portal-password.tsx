import type { Context, Hono } from 'hono';
import { z } from 'zod';
import {
  FormError, HttpError, LinkError, PASSWORD_MIN, TextField, clientIp, hashPassword, href, newPasswordSchema, parseForm, redirectTo,
  flash, scope, tenantOf, type AppEnv, type LinkClaims,
} from '../../core/plugin-api.js';
import { absoluteUrl, PASSWORD_LINK_SECONDS, signPortalLink } from './portal-links.js';
import { portalRender } from './portal-shell.js';
import { findPortalPerson, startPortalSession } from './portal-session.js';
import { activePerson, verifyPortalLink } from './portal-sign-in.js';
import { emailDomain, portalSettings, registrationAllowed } from './settings.js';

const registerSchema = z.object({
  name: z.string().trim().min(1).max(120),
  email: z.string().trim().toLowerCase().pipe(z.email()),
});
const forgotSchema = z.object({ email: z.string().trim().toLowerCase().pipe(z.email()) });

function Card(props: { title: string; children: unknown }) {
  return <div class="portal-narrow"><div class="card portal-auth"><h1>{props.title}</h1>{props.children}</div></div>;
}

function RegisterForm(props: { c: Context<AppEnv>; values?: Record<string, string>; errors?: Record<string, string>; domains: string[] }) {
  const { c } = props;
  const t = c.var.t;
  return (
    <Card title={t('portal.register.title')}>
      <p class="muted">{t('portal.register.intro', { domains: props.domains.map((d) => `@${d}`).join(', ') })}</p>
      <form method="post" action={href(c, '/portal/register')} class="stack" id="portal-register-form">
        <TextField name="name" label={t('portal.register.name')} value={props.values?.name} required autocomplete="name" maxlength={120} errors={props.errors} />
        <TextField name="email" type="email" label={t('login.email')} value={props.values?.email} required autocomplete="email" errors={props.errors} />
        <button type="submit" class="button-primary portal-wide" id="portal-register-submit">{t('portal.register.submit')}</button>
      </form>
      <p><a href={href(c, '/portal/login')}>{t('portal.signIn.title')}</a></p>
    </Card>
  );
}

function ForgotForm(props: { c: Context<AppEnv>; email?: string | undefined; errors?: Record<string, string>; sent?: boolean }) {
  const t = props.c.var.t;
  return (
    <Card title={t('reset.title')}>
      {props.sent ? <p class="notice" role="status">{t('reset.sent')}</p> : <p class="muted">{t('reset.intro')}</p>}
      <form method="post" action={href(props.c, '/portal/password/forgot')} class="stack">
        <TextField name="email" type="email" label={t('login.email')} value={props.email} required autocomplete="username" errors={props.errors} />
        <button type="submit" class="button-primary portal-wide">{t('reset.send')}</button>
      </form>
      <p><a href={href(props.c, '/portal/login')}>{t('portal.signIn.title')}</a></p>
    </Card>
  );
}

function PasswordForm(props: { c: Context<AppEnv>; token: string; title: string; errors?: Record<string, string> }) {
  const t = props.c.var.t;
  return (
    <Card title={props.title}>
      <form method="post" action={href(props.c, '/portal/password/set')} class="stack" id="portal-password-form">
        <input type="hidden" name="token" value={props.token} />
        <TextField name="password" type="password" label={t('reset.newPassword')} required autocomplete="new-password" errors={props.errors} hint={t('validation.tooShort', { min: PASSWORD_MIN })} />
        <TextField name="confirm" type="password" label={t('reset.confirm')} required autocomplete="new-password" errors={props.errors} />
        <button type="submit" class="button-primary portal-wide" id="portal-password-submit">{t('portal.password.submit')}</button>
      </form>
    </Card>
  );
}

function refused(c: Context<AppEnv>, error: unknown) {
  const t = c.var.t;
  const message = error instanceof LinkError && error.reason === 'expired' ? t('portal.link.expired') : t('portal.link.invalid');
  return portalRender(c, { title: t('reset.title'), status: 400, page: <Card title={t('reset.title')}><FormError message={message} /><p><a href={href(c, '/portal/login')}>{t('portal.signIn.title')}</a></p></Card> });
}

/** A register or reset link, verified for this tenant. */
async function passwordLink(c: Context<AppEnv>, token: string): Promise<LinkClaims> {
  const claims = await verifyPortalLink(c, token, 'portal-magic-link');
  if (claims.extra.action !== 'register' && claims.extra.action !== 'reset') throw new LinkError('invalid');
  return claims;
}

/**
 * Self-registration (when the tenant allows the address's domain) and password reset. Both send a
 * link by mail first, so an address is only ever claimed by whoever reads its inbox; the link then
 * sets the password and signs in. The answers never tell whether an address is known.
 */
export function passwordRoutes(app: Hono<AppEnv>): void {
  app.get('/register', async (c) => {
    const settings = await portalSettings(c.var.services, tenantOf(c).id);
    if (settings.registration === 'off') throw new HttpError(404, c.var.t('error.notFound'));
    return portalRender(c, { title: c.var.t('portal.register.title'), page: <RegisterForm c={c} domains={settings.registrationDomains} /> });
  });

  app.post('/register', async (c) => {
    const t = c.var.t;
    const tenant = tenantOf(c);
    const { throttle, mailer } = c.var.services;
    const settings = await portalSettings(c.var.services, tenant.id);
    if (settings.registration === 'off') throw new HttpError(404, t('error.notFound'));
    const form = await parseForm(c, registerSchema);
    const again = (errors: Record<string, string>, values: Record<string, string>) => portalRender(c, { title: t('portal.register.title'), status: 422, page: <RegisterForm c={c} values={values} errors={errors} domains={settings.registrationDomains} /> });
    if (!form.ok) return again(form.errors, form.values);
    if (!registrationAllowed(settings, form.data.email)) return again({ email: t('portal.register.domain', { domain: emailDomain(form.data.email) }) }, form.values);
    const key = `portal-register:${tenant.id}:${form.data.email}`;
    if ((await throttle.retryAfter([key, `ip:${clientIp(c)}`])) === 0) {
      await throttle.recordFailure([key]);
      const token = await signPortalLink(c.var.services, { tenantId: tenant.id, subject: form.data.email, action: 'register', ttlSeconds: PASSWORD_LINK_SECONDS, extra: { name: form.data.name } });
      await mailer.send({
        tenantId: tenant.id, to: form.data.email,
        subject: t('portal.register.mailSubject', { tenant: tenant.name }),
        text: t('portal.register.mailText', { name: form.data.name, tenant: tenant.name, link: absoluteUrl(c, `/portal/password/set?token=${encodeURIComponent(token)}`), minutes: PASSWORD_LINK_SECONDS / 60 }),
        headers: { 'Auto-Submitted': 'auto-generated' },
      });
    }
    return portalRender(c, { title: t('portal.register.title'), page: <Card title={t('portal.register.title')}><p class="notice" role="status" id="portal-register-sent">{t('portal.register.sent', { email: form.data.email })}</p></Card> });
  });

  app.get('/password/forgot', (c) => portalRender(c, { title: c.var.t('reset.title'), page: <ForgotForm c={c} /> }));

  app.post('/password/forgot', async (c) => {
    const t = c.var.t;
    const tenant = tenantOf(c);
    const { throttle, mailer, catalog } = c.var.services;
    const form = await parseForm(c, forgotSchema);
    if (!form.ok) return portalRender(c, { title: t('reset.title'), status: 422, page: <ForgotForm c={c} email={form.values.email} errors={form.errors} /> });
    const key = `portal-reset:${tenant.id}:${form.data.email}`;
    if ((await throttle.retryAfter([key, `ip:${clientIp(c)}`])) === 0) {
      await throttle.recordFailure([key]);
      const found = await findPortalPerson(c, form.data.email);
      if (found?.email) {
        const token = await signPortalLink(c.var.services, { tenantId: tenant.id, subject: String(found.id), action: 'reset', ttlSeconds: PASSWORD_LINK_SECONDS });
        const mt = catalog.translator(found.locale === 'de' || found.locale === 'en' ? found.locale : c.var.locale);
        await mailer.send({
          tenantId: tenant.id, to: found.email,
          subject: mt('reset.mailSubject', { tenant: tenant.name }),
          text: mt('reset.mailText', { name: found.name, tenant: tenant.name, link: absoluteUrl(c, `/portal/password/set?token=${encodeURIComponent(token)}`) }),
          headers: { 'Auto-Submitted': 'auto-generated' },
        });
      }
    }
    return portalRender(c, { title: t('reset.title'), page: <ForgotForm c={c} sent /> });
  });

  app.get('/password/set', async (c) => {
    const token = c.req.query('token') ?? '';
    let claims: LinkClaims;
    try {
      claims = await passwordLink(c, token);
    } catch (error) {
      return refused(c, error);
    }
    const t = c.var.t;
    return portalRender(c, { title: t('reset.title'), page: <PasswordForm c={c} token={token} title={claims.extra.action === 'register' ? t('portal.register.title') : t('reset.title')} /> });
  });

  app.post('/password/set', async (c) => {
    const t = c.var.t;
    const tenant = tenantOf(c);
    const s = scope(c);
    const { db, links, config, clock, audit } = c.var.services;
    const body = await c.req.parseBody();
    const token = typeof body.token === 'string' ? body.token : '';
    let claims: LinkClaims;
    try {
      claims = await passwordLink(c, token);
    } catch (error) {
      return refused(c, error);
    }
    const form = await parseForm(c, newPasswordSchema);
    if (!form.ok) return portalRender(c, { title: t('reset.title'), status: 422, page: <PasswordForm c={c} token={token} title={t('reset.title')} errors={form.errors} /> });
    const passwordHash = await hashPassword(form.data.password, config.scryptLogN);
    const settings = await portalSettings(c.var.services, tenant.id);
    // Read before the transaction: on SQLite a read through the pool would wait for it.
    const resetFor = claims.extra.action === 'reset' ? await activePerson(c, claims.subject) : undefined;
    const personId = await db.transaction().execute(async (trx) => {
      if (!(await links.spend(claims, new Date(clock().getTime() + PASSWORD_LINK_SECONDS * 1000), trx))) return undefined;
      const inTrx = s.withDb(trx);
      if (claims.extra.action === 'reset') {
        const found = resetFor;
        if (!found) return undefined;
        await inTrx.updateTable('people').set({ password_hash: passwordHash }).where('id', '=', found.id).execute();
        return found.id;
      }
      // Registration: the address proved itself by reading the mail; the domain must still be open.
      const address = claims.subject;
      if (!registrationAllowed(settings, address)) return undefined;
      const existing = await inTrx.selectFrom('people').select(['id', 'active']).where('email', '=', address).orderBy('id').executeTakeFirst();
      if (existing) {
        // Someone the tenant switched off stays off.
        if (!existing.active) return undefined;
        await inTrx.updateTable('people').set({ password_hash: passwordHash }).where('id', '=', existing.id).execute();
        return existing.id;
      }
      const domain = emailDomain(address);
      const organisations = await inTrx.selectFrom('organisations').select(['id', 'email_domains']).where('email_domains', '!=', '').orderBy('id').execute();
      const organisation = organisations.find((o) => o.email_domains.split(',').map((d) => d.trim().toLowerCase()).includes(domain));
      const name = typeof claims.extra.name === 'string' && claims.extra.name.trim() ? claims.extra.name.trim().slice(0, 120) : address.split('@')[0]!;
      const created = await inTrx.insertInto('people', {
        organisation_id: organisation?.id ?? null, name, email: address, phone: null, portal_role: 'customer',
        is_org_manager: 0, password_hash: passwordHash, locale: c.var.locale, active: 1,
      }).returning('id').executeTakeFirstOrThrow();
      await audit.record({ tenantId: tenant.id, actor: { userId: null, label: address }, action: 'portal.registered', target: `person:${created.id}`, details: { organisation: organisation?.id ?? null }, ip: clientIp(c) }, trx);
      return created.id;
    });
    if (!personId) return refused(c, new LinkError('invalid'));
    // A new password ends every other portal session of this person.
    await s.deleteFrom('sessions').where('person_id', '=', personId).execute();
    await startPortalSession(c, personId);
    flash(c, 'success', t('portal.password.done'));
    return redirectTo(c, href(c, '/portal/requests'));
  });
}
