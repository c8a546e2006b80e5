import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import { DomainError, Page, href, render, staff, type AppEnv } from '../../core/plugin-api.js';

/** Who sets the plugin up (calendars, levels, settings): admins. */
export const MANAGE = 'sla.manage';

export type Ctx = Context<AppEnv>;

/** The signed-in staff user as the stores' actor. */
export function actorOf(c: Ctx): { id: number; label: string } {
  const user = staff(c);
  return { id: user.id, label: user.email };
}

/** A refusal's field messages (catalog keys) in the reader's language. */
export function fieldMessages(c: Ctx, fields: Readonly<Record<string, string>> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(fields ?? {}).map(([field, key]) => [field, c.var.t(key)]));
}

/** A page of the plugin's administration, with the crumbs back to /admin. */
export function adminPage(c: Ctx, title: string, body: Child, options: { status?: 200 | 409 | 422; crumbs?: Array<{ label: string; href?: string }> } = {}) {
  const t = c.var.t;
  return render(c, {
    title,
    ...(options.status ? { status: options.status } : {}),
    page: <Page title={title} crumbs={[{ label: t('nav.admin'), href: href(c, '/admin') }, ...(options.crumbs ?? []), { label: title }]}>{body}</Page>,
  });
}

/** Runs a store call; a refusal other than not found comes back (to show at the fields), everything else is thrown on. */
export async function attempt(work: () => Promise<unknown>): Promise<DomainError | null> {
  try {
    await work();
    return null;
  } catch (error) {
    if (!(error instanceof DomainError) || error.kind === 'not_found' || error.kind === 'forbidden') throw error;
    return error;
  }
}

export const refusalStatus = (error: DomainError) => (error.kind === 'conflict' ? 409 : 422);
