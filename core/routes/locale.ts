import type { Hono } from 'hono';
import type { AppEnv } from '../http/app-env.js';
import { isLocale } from '../i18n/translate.js';
import { HttpError } from '../http/http-error.js';
import { setLocaleCookie } from '../http/middleware/session.js';
import { href } from '../http/guards.js';
import { sameOriginPath } from '../http/safe-redirect.js';

/** The language switch: remembered on the account when signed in, in a cookie always. */
export function localeRoutes(app: Hono<AppEnv>): void {
  app.post('/locale', async (c) => {
    const body = await c.req.parseBody();
    const locale = body.locale;
    if (!isLocale(locale)) throw new HttpError(422, 'locale must be de or en', { locale: 'de | en' });
    setLocaleCookie(c, locale);
    const { db } = c.var.services;
    if (c.var.user) await db.updateTable('users').set({ locale }).where('id', '=', c.var.user.id).execute();
    if (c.var.person) await db.updateTable('people').set({ locale }).where('id', '=', c.var.person.id).execute();
    // Back to the page the switch was on: only a path of this origin (an unparsable or foreign Referer goes home).
    const back = sameOriginPath(c.req.header('Referer'), new URL(c.req.url).origin) ?? href(c, '/');
    return c.redirect(back, 303);
  });
}
