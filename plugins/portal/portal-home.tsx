import type { Hono } from 'hono';
import { formatDateTime, href, slotContext, tenantOf, type AppEnv } from '../../core/plugin-api.js';
import { PORTAL_HOME } from './extension-points.js';
import { SignInCard } from './portal-sign-in.js';
import { portalRender } from './portal-shell.js';
import { PortalTimeline, portalTimelinePosts } from './portal-timeline.js';
import { listRequests, requestFilter } from './request-list.js';
import { portalSettings } from './settings.js';

/** The portal's front page: the tenant's welcome text, then sign-in or the user's open requests, then plugins' cards (PORTAL_HOME). */
export function homeRoutes(app: Hono<AppEnv>): void {
  app.get('/', async (c) => {
    const t = c.var.t;
    const tenant = tenantOf(c);
    const settings = await portalSettings(c.var.services, tenant.id);
    const welcome = (c.var.locale === 'de' ? settings.welcomeDe || settings.welcomeEn : settings.welcomeEn || settings.welcomeDe) || t('portal.home.defaultWelcome', { tenant: tenant.name });
    const person = c.var.person;
    const [open, cards, news] = await Promise.all([
      person ? listRequests(c, { ...requestFilter({}), status: 'active' }) : undefined,
      // Plugins' cards get the viewer, so they show only this person's (or, for a manager, their organisation's) data.
      c.var.services.hooks.slot(PORTAL_HOME, slotContext(c, { person: person ?? null })),
      person ? portalTimelinePosts(c, person) : [],
    ]);
    return portalRender(c, {
      title: t('portal.home.title'),
      page: (
        // With plugins' cards below, `stack` spaces them from the sign-in card (which has no margin of its own).
        <div class={cards.length || news.length ? 'portal-home stack' : 'portal-home'}>
          <section class="portal-welcome">
            <h1>{person ? t('portal.home.hello', { name: person.name }) : t('portal.home.title')}</h1>
            <div class="portal-text" id="portal-welcome-text">{welcome}</div>
          </section>
          {person && open ? (
            <section class="card">
              <div class="card-head">
                <h2>{t('portal.home.open')}</h2>
                <a href={href(c, '/portal/requests/new')} class="button-primary">{t('portal.nav.new')}</a>
              </div>
              {open.rows.length === 0 ? <p class="muted">{t('portal.home.noOpen')}</p> : (
                <ul class="plain-list portal-open-list">
                  {/* Requests waiting on the user first. */}
                  {[...open.rows].sort((a, b) => Number(b.status === 'waiting') - Number(a.status === 'waiting')).slice(0, 5).map((row) => (
                    <li class={row.status === 'waiting' ? 'portal-waiting' : undefined}>
                      <a href={href(c, `/portal/requests/${row.number}`)}>{row.subject}</a>
                      <small class="muted"> #{row.number} · {t(`portal.status.${row.status}`)} · {formatDateTime(row.updated_at, c.var.dates)}</small>
                    </li>
                  ))}
                </ul>
              )}
              <p><a href={href(c, '/portal/requests')}>{t('portal.home.all')}</a></p>
            </section>
          ) : (
            <SignInCard c={c} registration={settings.registration !== 'off'} />
          )}
          <PortalTimeline c={c} posts={news} />
          {cards.length ? <div class="portal-home-cards" id="portal-home-cards">{cards}</div> : null}
        </div>
      ),
    });
  });
}
