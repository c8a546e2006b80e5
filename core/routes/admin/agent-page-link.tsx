import type { Context } from 'hono';
import type { AppEnv } from '../../http/app-env.js';
import { href } from '../../http/guards.js';

/** From an admin edit page to the record's read-only page with its tickets (core/routes/desk/*-page.tsx), for those who may open it. */
export function agentPageLink(c: Context<AppEnv>, path: string) {
  if (!c.var.can('tickets.view') || !c.var.can('people.view')) return undefined;
  return <a class="button" id="record-agent-page" href={href(c, path)}>{c.var.t('record.agentPage')}</a>;
}
