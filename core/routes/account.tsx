import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { hashPassword, PASSWORD_MAX, PASSWORD_MIN, verifyPassword } from '../auth/password.js';
import { PersonalSignatureCard } from './signature-settings.js';
import type { AppEnv } from '../http/app-env.js';
import { clientIp, href, redirectTo, requireUser, staff } from '../http/guards.js';
import { flash } from '../http/flash.js';
import { parseForm } from '../http/forms.js';
import { HttpError } from '../http/http-error.js';
import { render } from '../http/render.js';
import { Checkbox, FormError, SelectField, TextField } from '../../views/components/form.js';
import { Page } from '../../views/components/page.js';
import { formatDateTime } from '../i18n/format.js';
import { browserLabel } from '../auth/browser-label.js';
import { accountTokenRoutes, ApiTokensSection, ownApiTokens, type TokenState } from './account-tokens.js';
import { accountDirectoryRoutes, directoryProfileData, DirectoryProfileSection, type DirectoryFormState } from './account-directory.js';

const profileSchema = z.object({
  name: z.string().trim().min(1).max(120),
  locale: z.enum(['', 'de', 'en']),
  notify_by_mail: z.literal('1').optional(),
  reminder_digest: z.literal('1').optional(),
});

const passwordSchema = z.object({
  current: z.string().min(1).max(PASSWORD_MAX),
  password: z.string().min(PASSWORD_MIN).max(PASSWORD_MAX),
  confirm: z.string(),
}).refine((v) => v.password === v.confirm, { path: ['confirm'], message: 'reset.mismatch' });

async function accountPage(c: Context<AppEnv>, state: { profileErrors?: Record<string, string>; passwordErrors?: Record<string, string>; passwordError?: string; token?: TokenState; directory?: DirectoryFormState } = {}, status: 200 | 401 | 422 = 200) {
  const t = c.var.t;
  const user = staff(c);
  const { db, sessions } = c.var.services;
  const [row, list, tokens, directory] = await Promise.all([
    db.selectFrom('users').select(['name', 'email', 'locale', 'role', 'notify_by_mail', 'signature', 'reminder_digest']).where('id', '=', user.id).executeTakeFirstOrThrow(),
    sessions.listForUser(user.id),
    ownApiTokens(c),
    c.var.tenant && c.var.can('desk.use') ? directoryProfileData(c) : null,
  ]);
  return render(c, {
    title: t('account.title'),
    status,
    page: (
      <Page title={t('account.title')}>
        <div class="grid-2">
          <section class="card">
            <h2>{t('account.profile')}</h2>
            <form method="post" action={href(c, '/account/profile')} class="stack">
              <TextField name="name" label={t('common.name')} value={row.name} required maxlength={120} errors={state.profileErrors} />
              <p><span class="muted">{t('common.email')}:</span> {row.email} · <span class="badge">{t(`role.${row.role}`)}</span></p>
              <SelectField name="locale" label={t('account.language')} value={row.locale ?? ''} errors={state.profileErrors}
                options={[{ value: '', label: t('account.languageAuto') }, { value: 'de', label: t('lang.de') }, { value: 'en', label: t('lang.en') }]} />
              {c.var.tenant ? <Checkbox name="notify_by_mail" label={t('notify.byMail')} checked={Boolean(row.notify_by_mail)} /> : null}
              {c.var.tenant && c.var.can('desk.use') ? <Checkbox name="reminder_digest" label={t('digest.choice')} checked={Boolean(row.reminder_digest)} /> : null}
              <button type="submit" class="button-primary">{t('common.save')}</button>
            </form>
          </section>
          <PersonalSignatureCard c={c} value={row.signature} />
          <section class="card">
            <h2>{t('account.changePassword')}</h2>
            <FormError message={state.passwordError} />
            <form method="post" action={href(c, '/account/password')} class="stack">
              <TextField name="current" type="password" label={t('account.currentPassword')} required autocomplete="current-password" errors={state.passwordErrors} />
              <TextField name="password" type="password" label={t('reset.newPassword')} required autocomplete="new-password" errors={state.passwordErrors} hint={t('validation.tooShort', { min: PASSWORD_MIN })} />
              <TextField name="confirm" type="password" label={t('reset.confirm')} required autocomplete="new-password" errors={state.passwordErrors} />
              <button type="submit" class="button-primary">{t('account.changePassword')}</button>
            </form>
          </section>
        </div>
        {directory ? <DirectoryProfileSection c={c} data={directory} state={state.directory} /> : null}
        <section class="card" id="sessions">
          <h2>{t('account.sessions')}</h2>
          <div class="table-wrap">
            <table class="table">
              <thead><tr><th>{t('account.sessionDevice')}</th><th>{t('account.sessionStarted')}</th><th>{t('account.sessionLastSeen')}</th><th><span class="visually-hidden">{t('common.actions')}</span></th></tr></thead>
              <tbody>
                {list.map((session) => (
                  <tr>
                    <td title={session.user_agent ?? undefined}>{browserLabel(session.user_agent) ?? '?'} {session.ip ? <span class="muted">({session.ip})</span> : null}</td>
                    <td>{formatDateTime(session.created_at, c.var.dates)}</td>
                    <td>{formatDateTime(session.last_seen_at, c.var.dates)}</td>
                    <td>{session.id === c.var.sessionId ? <span class="badge">{t('account.sessionCurrent')}</span> : (
                      <form method="post" action={href(c, '/account/sessions/end')}>
                        <input type="hidden" name="id" value={session.id} />
                        <button type="submit" class="button-small">{t('account.sessionEnd')}</button>
                      </form>
                    )}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {list.length > 1 ? (
            <form method="post" action={href(c, '/account/sessions/end-others')}>
              <button type="submit" class="button">{t('account.sessionEndOthers')}</button>
            </form>
          ) : null}
        </section>
        <ApiTokensSection c={c} tokens={tokens} state={state.token} />
      </Page>
    ),
  });
}

export function accountRoutes(app: Hono<AppEnv>): void {
  app.get('/account', requireUser, (c) => accountPage(c));
  accountTokenRoutes(app, (c, token, status) => accountPage(c, { token }, status));
  accountDirectoryRoutes(app, (c, directory) => accountPage(c, { directory }, 422));

  app.post('/account/profile', requireUser, async (c) => {
    const form = await parseForm(c, profileSchema);
    if (!form.ok) return accountPage(c, { profileErrors: form.errors }, 422);
    await c.var.services.db.updateTable('users').set({ name: form.data.name, locale: form.data.locale || null, notify_by_mail: form.data.notify_by_mail ? 1 : 0, reminder_digest: form.data.reminder_digest ? 1 : 0 }).where('id', '=', staff(c).id).execute();
    flash(c, 'success', c.var.services.catalog.translator(form.data.locale || c.var.locale)('common.saved'));
    return redirectTo(c, href(c, '/account'));
  });

  app.post('/account/password', requireUser, async (c) => {
    const t = c.var.t;
    const user = staff(c);
    const { db, sessions, config, audit } = c.var.services;
    const form = await parseForm(c, passwordSchema);
    if (!form.ok) return accountPage(c, { passwordErrors: form.errors }, 422);
    const row = await db.selectFrom('users').select('password_hash').where('id', '=', user.id).executeTakeFirstOrThrow();
    if (!(await verifyPassword(form.data.current, row.password_hash))) return accountPage(c, { passwordErrors: { current: t('account.currentWrong') } }, 422);
    await db.updateTable('users').set({ password_hash: await hashPassword(form.data.password, config.scryptLogN) }).where('id', '=', user.id).execute();
    await sessions.endAllForUser(user.id, c.var.sessionId);
    await audit.record({ tenantId: user.tenant_id, actor: { userId: user.id, label: user.email }, action: 'auth.password_changed', ip: clientIp(c) });
    flash(c, 'success', t('account.passwordChanged'));
    return redirectTo(c, href(c, '/account'));
  });

  app.post('/account/sessions/end', requireUser, async (c) => {
    const body = await c.req.parseBody();
    const id = typeof body.id === 'string' ? body.id : '';
    const ended = await c.var.services.sessions.endForUser(staff(c).id, id);
    if (!ended) throw new HttpError(404, c.var.t('error.notFound'));
    flash(c, 'success', c.var.t('account.sessionEnded'));
    return redirectTo(c, href(c, '/account#sessions'));
  });

  app.post('/account/sessions/end-others', requireUser, async (c) => {
    await c.var.services.sessions.endAllForUser(staff(c).id, c.var.sessionId);
    flash(c, 'success', c.var.t('account.sessionEnded'));
    return redirectTo(c, href(c, '/account#sessions'));
  });
}
