import { createMiddleware } from 'hono/factory';
import { FormError, href, isHtmx, toHttpError, type AppEnv } from '../../core/plugin-api.js';
import { portalRender } from './portal-shell.js';

/**
 * Refusals on portal pages (404 for a request that is not yours, 403, 409) are shown in the
 * portal's own frame instead of the agent workspace's; htmx requests keep the host's toasts.
 */
export const portalErrors = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  const error = toHttpError(c.error);
  if (!error || isHtmx(c) || c.req.method === 'HEAD') return;
  const t = c.var.t;
  c.res = await portalRender(c, {
    title: t('error.title'),
    status: error.status === 415 ? 400 : error.status,
    page: (
      <div class="portal-narrow">
        <div class="card portal-auth">
          <h1>{t('error.title')}</h1>
          <FormError message={error.message} />
          <p><a href={href(c, c.var.person ? '/portal/requests' : '/portal')} class="button">{t(c.var.person ? 'portal.nav.requests' : 'portal.home.title')}</a></p>
        </div>
      </div>
    ),
  });
});
