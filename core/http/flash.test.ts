import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from './app-env.js';
import { BACKGROUND_HEADERS, flash, takeFlash } from './flash.js';

/** The toast after Post/Redirect/Get goes to the page the redirect leads to, not to a refresh the page makes by itself. */
describe('flash', () => {
  const app = new Hono<AppEnv>()
    .use(async (c, next) => { c.set('toasts', []); takeFlash(c); await next(); })
    .post('/restore', (c) => { flash(c, 'success', 'Ticket 1 was restored.'); return c.redirect('/ticket', 303); })
    .get('/ticket', (c) => c.text(c.var.toasts.map((toast) => toast.text).join('|')))
    .get('/live', (c) => c.text(c.var.toasts.map((toast) => toast.text).join('|')));

  it('is taken by the next request, once; a background request leaves it for the page', async () => {
    const posted = await app.request('/restore', { method: 'POST' });
    const cookie = posted.headers.getSetCookie()[0]!.split(';')[0]!;
    expect(cookie).toMatch(/^tresen_flash=/);

    // The page's live refresh, set off by the POST's own event, races the redirect's page: it takes nothing.
    const live = await app.request('/live', { headers: { Cookie: cookie, ...JSON.parse(BACKGROUND_HEADERS) as Record<string, string> } });
    expect(await live.text()).toBe('');
    expect(live.headers.getSetCookie()).toEqual([]);

    const page = await app.request('/ticket', { headers: { Cookie: cookie } });
    expect(await page.text()).toBe('Ticket 1 was restored.');
    expect(page.headers.getSetCookie().join()).toMatch(/tresen_flash=;/);
  });
});
