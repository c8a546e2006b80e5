import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { AppEnv } from './app-env.js';

const FLASH_COOKIE = 'tresen_flash';

/** A toast that survives the redirect after a POST (Post/Redirect/Get). */
export function flash(c: Context<AppEnv>, kind: 'success' | 'error' | 'info', text: string): void {
  setCookie(c, FLASH_COOKIE, JSON.stringify({ kind, text }), { path: '/', httpOnly: true, sameSite: 'Lax', maxAge: 60 });
}

/**
 * Marks a request the page makes by itself (a live refresh on an event): it never takes the flash. Else the
 * refresh a POST's own event sets off races the redirect's page for the cookie, and the toast is lost with the
 * page being left (seen restoring a deleted ticket). An htmx attribute: hx-headers={BACKGROUND_HEADERS}.
 */
export const BACKGROUND_HEADERS = JSON.stringify({ 'X-Tresen-Background': '1' });

export function takeFlash(c: Context<AppEnv>): void {
  if (c.req.header('X-Tresen-Background') === '1') return;
  const raw = getCookie(c, FLASH_COOKIE);
  if (!raw) return;
  deleteCookie(c, FLASH_COOKIE, { path: '/' });
  try {
    const parsed = JSON.parse(raw) as { kind?: unknown; text?: unknown };
    if ((parsed.kind === 'success' || parsed.kind === 'error' || parsed.kind === 'info') && typeof parsed.text === 'string') {
      c.var.toasts.push({ kind: parsed.kind, text: parsed.text.slice(0, 300) });
    }
  } catch {
    // A tampered cookie is just ignored.
  }
}
