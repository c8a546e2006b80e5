import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { AppEnv } from './app-env.js';

const FLASH_COOKIE = 'tresen_flash';

/** A toast that survives the redirect after a POST (Post/Redirect/Get). */
export function flash(c: Context<AppEnv>, kind: 'success' | 'error' | 'info', text: string): void {
  setCookie(c, FLASH_COOKIE, JSON.stringify({ kind, text }), { path: '/', httpOnly: true, sameSite: 'Lax', maxAge: 60 });
}

export function takeFlash(c: Context<AppEnv>): void {
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
