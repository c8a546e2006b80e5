import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { API_TOKEN_NAME_MAX, createApiToken, listApiTokens, revokeApiToken, type ApiTokenListEntry } from '../auth/api-tokens.js';
import type { AppEnv } from '../http/app-env.js';
import { flash } from '../http/flash.js';
import { parseForm } from '../http/forms.js';
import { clientIp, href, redirectTo, requireUser, staff } from '../http/guards.js';
import { HttpError } from '../http/http-error.js';
import { formatDateTime } from '../i18n/format.js';
import { TextField } from '../../views/components/form.js';

/** What the token section shows after a POST: the new token (once) or the name's error. */
export interface TokenState {
  created?: { name: string; token: string };
  errors?: Record<string, string>;
  values?: Record<string, string>;
}

// Not `name`: the profile form on the same page already has a field with that id.
const tokenSchema = z.object({ token_name: z.string().trim().min(1).max(API_TOKEN_NAME_MAX) });

export function ownApiTokens(c: Context<AppEnv>): Promise<ApiTokenListEntry[]> {
  const user = staff(c);
  return user.tenant_id === null ? Promise.resolve([]) : listApiTokens(c.var.services.db, user.tenant_id, user.id);
}

/** The "API tokens" card of the account page (staff of a tenant only; operators have no API). */
export function ApiTokensSection(props: { c: Context<AppEnv>; tokens: ApiTokenListEntry[]; state?: TokenState | undefined }) {
  const { c, tokens, state } = props;
  const t = c.var.t;
  if (!c.var.tenant) return null;
  return (
    <section class="card" id="tokens">
      <h2>{t('tokens.title')}</h2>
      <p class="muted">{t('tokens.intro')} <a href={href(c, '/api/v1/openapi.json')}>openapi.json</a></p>
      {state?.created ? (
        <div class="notice token-created" role="status">
          <p><strong>{t('tokens.newTitle', { name: state.created.name })}</strong></p>
          <p><code class="token-value">{state.created.token}</code></p>
          <p>{t('tokens.shownOnce')}</p>
        </div>
      ) : null}
      <form method="post" action={href(c, '/account/tokens')} class="token-form">
        <TextField name="token_name" label={t('tokens.name')} hint={t('tokens.nameHint')} required maxlength={API_TOKEN_NAME_MAX}
          value={state?.values?.token_name} errors={state?.errors} />
        <button type="submit" class="button-primary">{t('tokens.create')}</button>
      </form>
      {tokens.length === 0 ? <p class="muted">{t('tokens.empty')}</p> : (
        <div class="table-wrap">
          <table class="table">
            <thead><tr><th>{t('common.name')}</th><th>{t('tokens.created')}</th><th>{t('tokens.lastUsed')}</th><th><span class="visually-hidden">{t('common.actions')}</span></th></tr></thead>
            <tbody>
              {tokens.map((token) => (
                <tr>
                  <td class="truncate">{token.name}</td>
                  <td>{formatDateTime(token.created_at, c.var.dates)}</td>
                  <td>{token.last_used_at ? formatDateTime(token.last_used_at, c.var.dates) : <span class="muted">{t('tokens.never')}</span>}</td>
                  <td>
                    <form method="post" action={href(c, '/account/tokens/revoke')}>
                      <input type="hidden" name="id" value={String(token.id)} />
                      <button type="submit" class="button-small">{t('tokens.revoke')}</button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** Create (shown once, never flashed into a cookie) and revoke; `showPage` renders the account page. */
export function accountTokenRoutes(app: Hono<AppEnv>, showPage: (c: Context<AppEnv>, state: TokenState, status: 200 | 422) => Promise<Response>): void {
  app.post('/account/tokens', requireUser, async (c) => {
    const user = staff(c);
    if (user.tenant_id === null) throw new HttpError(404, c.var.t('error.notFound'));
    const form = await parseForm(c, tokenSchema);
    if (!form.ok) return showPage(c, { errors: form.errors, values: form.values }, 422);
    const { db, audit } = c.var.services;
    const { token } = await createApiToken(db, { tenantId: user.tenant_id, userId: user.id, name: form.data.token_name });
    await audit.record({ tenantId: user.tenant_id, actor: { userId: user.id, label: user.email }, action: 'auth.token_created', target: user.email, details: { name: form.data.token_name }, ip: clientIp(c) });
    c.header('Cache-Control', 'no-store');
    return showPage(c, { created: { name: form.data.token_name, token } }, 200);
  });

  app.post('/account/tokens/revoke', requireUser, async (c) => {
    const user = staff(c);
    const body = await c.req.parseBody();
    const id = typeof body.id === 'string' && /^\d{1,15}$/.test(body.id) ? Number(body.id) : NaN;
    if (user.tenant_id === null || !(await revokeApiToken(c.var.services.db, user.tenant_id, user.id, id))) throw new HttpError(404, c.var.t('error.notFound'));
    await c.var.services.audit.record({ tenantId: user.tenant_id, actor: { userId: user.id, label: user.email }, action: 'auth.token_revoked', target: user.email, ip: clientIp(c) });
    flash(c, 'success', c.var.t('tokens.revoked'));
    return redirectTo(c, href(c, '/account#tokens'));
  });
}
